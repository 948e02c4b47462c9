package redis

import (
	"context"
	"fmt"
	"strconv"
	"time"

	goredis "github.com/redis/go-redis/v9"

	"github.com/bmkg/mkggraph/mkg"
)

var _ mkg.Counter = (*Cache)(nil)

// addScript counts one event for each key and starts a key's window (its
// expiry) with its first count, atomically: a key can never be left
// counting without an expiry. A key found without one (written by
// something else) gets one.
var addScript = goredis.NewScript(`
local out = {}
for i, k in ipairs(KEYS) do
  local n = redis.call('INCR', k)
  if n == 1 or redis.call('PTTL', k) < 0 then
    redis.call('PEXPIRE', k, ARGV[1])
  end
  out[i] = n
end
return out`)

// Add implements mkg.Counter in one round trip (one per hash slot on a
// Cluster: each key is counted on its own, so keys need not share a slot).
func (c *Cache) Add(ctx context.Context, window time.Duration, keys ...string) ([]int64, error) {
	return c.perSlot(ctx, keys, func(ctx context.Context, keys []string) ([]int64, error) {
		res, err := addScript.Run(ctx, c.client, keys, window.Milliseconds()).Int64Slice()
		if err != nil {
			return nil, err
		}
		if len(res) != len(keys) {
			return nil, fmt.Errorf("redis: counted %d keys of %d", len(res), len(keys))
		}
		return res, nil
	})
}

// Counts implements mkg.Counter in one round trip (one per hash slot on a
// Cluster).
func (c *Cache) Counts(ctx context.Context, keys ...string) ([]int64, error) {
	return c.perSlot(ctx, keys, func(ctx context.Context, keys []string) ([]int64, error) {
		vals, err := c.client.MGet(ctx, keys...).Result()
		if err != nil {
			return nil, err
		}
		out := make([]int64, len(keys))
		for i, v := range vals {
			if s, ok := v.(string); ok {
				out[i], _ = strconv.ParseInt(s, 10, 64) // not a count: none
			}
		}
		return out, nil
	})
}

// perSlot runs one round trip per hash slot of the (prefixed) keys and
// returns the counts it answers in the keys' order.
func (c *Cache) perSlot(ctx context.Context, keys []string, run func(ctx context.Context, slotKeys []string) ([]int64, error)) ([]int64, error) {
	keys = c.prefixed(keys)
	out := make([]int64, len(keys))
	if len(keys) == 0 {
		return out, nil
	}
	ctx, cancel := bound(ctx)
	defer cancel()
	for _, g := range c.slotGroups(keys) {
		counts, err := run(ctx, pick(keys, g))
		if err != nil {
			return nil, err
		}
		for i, n := range counts {
			out[g[i]] = n
		}
	}
	return out, nil
}

func pick(keys []string, idx []int) []string {
	out := make([]string, len(idx))
	for i, j := range idx {
		out[i] = keys[j]
	}
	return out
}

func (c *Cache) prefixed(keys []string) []string {
	out := make([]string, len(keys))
	for i, k := range keys {
		out[i] = c.prefix + k
	}
	return out
}
