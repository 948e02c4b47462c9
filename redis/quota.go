package redis

import (
	"context"
	"fmt"
	"time"

	goredis "github.com/redis/go-redis/v9"

	"github.com/bmkg/mkggraph/mkg"
)

var _ mkg.Quotas = (*Cache)(nil)

// spendScript is mkg.Budget.Admits and the charge in one atomic step:
// KEYS are the subject's minute and day counters, ARGV the cost and the
// two limits and the windows' lives in milliseconds. It returns the
// counts after the charge (refused: as they stand) and 1 if charged. Each
// counter gets its expiry with its first charge, as addScript does.
var spendScript = goredis.NewScript(`
local m = tonumber(redis.call('GET', KEYS[1]) or '0')
local d = tonumber(redis.call('GET', KEYS[2]) or '0')
local cost = tonumber(ARGV[1])
if cost == 0 then return {m, d, 1} end
if m + cost > tonumber(ARGV[2]) or d + cost > tonumber(ARGV[3]) then return {m, d, 0} end
m = redis.call('INCRBY', KEYS[1], cost)
if m == cost or redis.call('PTTL', KEYS[1]) < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[4]) end
d = redis.call('INCRBY', KEYS[2], cost)
if d == cost or redis.call('PTTL', KEYS[2]) < 0 then redis.call('PEXPIRE', KEYS[2], ARGV[5]) end
return {m, d, 1}`)

// Spend implements mkg.Quotas in one round trip. The subject's two keys
// share a {hash tag}, so the script runs on one node of a Cluster. A
// window's counter lives a minute past its end, so that an instance whose
// clock lags a little still finds it.
func (c *Cache) Spend(ctx context.Context, subject string, b mkg.Budget, cost int64, now time.Time) (mkg.QuotaUsage, bool, error) {
	minute, day := mkg.QuotaWindows(now)
	tag := "quota:{" + subject + "}:"
	keys := c.prefixed([]string{tag + minute.Key, tag + day.Key})
	ttl := func(end time.Time) int64 { return end.Sub(now).Milliseconds() + time.Minute.Milliseconds() }
	ctx, cancel := bound(ctx)
	defer cancel()
	res, err := spendScript.Run(ctx, c.client, keys, cost, b.PerMinute, b.PerDay, ttl(minute.End), ttl(day.End)).Int64Slice()
	if err != nil {
		return mkg.QuotaUsage{}, false, err
	}
	if len(res) != 3 {
		return mkg.QuotaUsage{}, false, fmt.Errorf("redis: the quota script answered %d values", len(res))
	}
	return mkg.QuotaUsage{Minute: res[0], Day: res[1]}, res[2] == 1, nil
}
