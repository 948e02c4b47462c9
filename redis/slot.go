package redis

import (
	"strings"

	goredis "github.com/redis/go-redis/v9"
)

// A Cluster refuses a command or script whose keys lie in different hash
// slots (CROSSSLOT). Calls with several keys are therefore made once per
// slot on a Cluster; keys that must go together share a {hash tag}.

// slotGroups splits key indexes by hash slot on a Cluster, in the order
// the slots first appear; elsewhere every key is in one group.
func (c *Cache) slotGroups(keys []string) [][]int {
	all := make([]int, len(keys))
	for i := range keys {
		all[i] = i
	}
	if _, ok := c.client.(*goredis.ClusterClient); !ok || len(keys) < 2 {
		return [][]int{all}
	}
	var groups [][]int
	at := map[uint16]int{}
	for i, k := range keys {
		s := keySlot(k)
		g, ok := at[s]
		if !ok {
			g = len(groups)
			at[s] = g
			groups = append(groups, nil)
		}
		groups[g] = append(groups[g], i)
	}
	return groups
}

// keySlot is a key's Cluster hash slot: CRC16 (XMODEM) of the key, or of
// its hash tag (the text between the first { and the next }, if not
// empty), modulo 16384, as the Redis Cluster specification defines it.
func keySlot(key string) uint16 {
	if i := strings.IndexByte(key, '{'); i >= 0 {
		if j := strings.IndexByte(key[i+1:], '}'); j > 0 {
			key = key[i+1 : i+1+j]
		}
	}
	return crc16(key) % 16384
}

func crc16(s string) uint16 {
	var crc uint16
	for i := 0; i < len(s); i++ {
		crc ^= uint16(s[i]) << 8
		for range 8 {
			if crc&0x8000 != 0 {
				crc = crc<<1 ^ 0x1021
			} else {
				crc <<= 1
			}
		}
	}
	return crc
}
