package redis

import (
	"context"
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

// Add implements mkg.Counter in one round trip.
func (c *Cache) Add(ctx context.Context, window time.Duration, keys ...string) ([]int64, error) {
	res, err := addScript.Run(ctx, c.client, c.prefixed(keys), window.Milliseconds()).Int64Slice()
	if err != nil {
		return nil, err
	}
	return res, nil
}

// Counts implements mkg.Counter in one round trip.
func (c *Cache) Counts(ctx context.Context, keys ...string) ([]int64, error) {
	vals, err := c.client.MGet(ctx, c.prefixed(keys)...).Result()
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
}

func (c *Cache) prefixed(keys []string) []string {
	out := make([]string, len(keys))
	for i, k := range keys {
		out[i] = c.prefix + k
	}
	return out
}
