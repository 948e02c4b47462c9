package redis

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	goredis "github.com/redis/go-redis/v9"

	"github.com/bmkg/mkggraph/mkg"
)

// Quotas is an mkg.Quotas on Redis, shared by every instance, that charges
// requests from leases (mkg.LeaseSize): one script call takes a chunk of a
// subject's budget into this instance, and the requests it covers are
// charged here without a round trip. The counters in Redis count what was
// leased, so instances together never take more than the budget. An
// instance gives its unspent lease back when it takes the next one (in the
// same window; a lease of an ended minute goes back to the day), when it
// is refused, when the subject's budget changed, and at least every
// mkg.LeaseLife.
//
// The usage Spend reports is the counters as this instance last read them
// less its unspent lease: exactly what was spent when one instance spends;
// when several do, it counts their unspent leases as used (they are not
// available here), and not what they spent since this instance's last
// call to Redis (at most mkg.LeaseLife ago, and on every request near the
// end of a budget, where leases are just the cost).
type Quotas struct {
	c   *Cache
	max int

	leases  sync.Map     // subject → *lease
	n       atomic.Int64 // how many
	pruning sync.Mutex
}

// lease is what one instance holds of one subject's budget. Requests spend
// from its grant without a lock (at saturation a lock every request takes
// queues them all behind whichever holder the system stops); renewing it
// takes mu, so that requests that find it spent wait for one renewal
// (bounded by its call's timeout) rather than each taking a lease.
type lease struct {
	mu    sync.Mutex
	grant atomic.Pointer[grant] // nil: none
}

// grant is one lease taken from Redis: fixed when taken, but for what is
// left of it.
type grant struct {
	minute, day string     // the windows it was taken in
	taken       time.Time  // when
	budget      mkg.Budget // under which budget
	seen        mkg.QuotaUsage
	left        atomic.Int64 // leased and not spent; 0 once given back
}

// current says whether g may be spent from at now under b: taken in this
// minute, under this budget (an admin may have lowered it: the lease may
// hold more than the new budget allows), less than mkg.LeaseLife ago.
func (g *grant) current(minute string, b mkg.Budget, now time.Time) bool {
	return g != nil && g.minute == minute && g.budget == b && !now.Before(g.taken) && now.Sub(g.taken) < mkg.LeaseLife
}

// spend charges cost to g when what is left of it covers it.
func (g *grant) spend(b mkg.Budget, cost int64) (mkg.QuotaUsage, bool) {
	for {
		left := g.left.Load()
		if left < cost || !b.Admits(used(g.seen, left), cost) {
			return mkg.QuotaUsage{}, false
		}
		if g.left.CompareAndSwap(left, left-cost) {
			return used(g.seen, left-cost), true
		}
	}
}

// used is the usage this instance reports: the counters as last read,
// less what it holds unspent.
func used(seen mkg.QuotaUsage, left int64) mkg.QuotaUsage {
	return mkg.QuotaUsage{Minute: seen.Minute - left, Day: seen.Day - left}
}

var _ mkg.Quotas = (*Quotas)(nil)

// NewQuotas returns quotas kept in c's Redis, holding leases for at most
// max subjects (100,000 when 0): past it, leases of ended days are
// dropped and, failing that, all of them (their unspent points are then
// lost until their windows end: never over-spent).
func NewQuotas(c *Cache, max int) *Quotas {
	if max <= 0 {
		max = 100_000
	}
	return &Quotas{c: c, max: max}
}

// Spend implements mkg.Quotas: from this instance's lease when it covers
// cost in the current windows, else in one round trip that gives the
// lease back and takes a new one.
func (q *Quotas) Spend(ctx context.Context, subject string, b mkg.Budget, cost int64, now time.Time) (mkg.QuotaUsage, bool, error) {
	minute, day := mkg.QuotaWindows(now)
	l := q.lease(subject, now)
	if g := l.grant.Load(); cost > 0 && g.current(minute.Key, b, now) {
		if u, ok := g.spend(b, cost); ok {
			return u, true, nil
		}
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	g := l.grant.Load()
	current := g.current(minute.Key, b, now)
	if current && cost > 0 { // renewed while this request waited
		if u, ok := g.spend(b, cost); ok {
			return u, true, nil
		}
	}
	// A read keeps a current lease; anything else gives it back: all of
	// it in its own minute, to the day alone when the minute has ended,
	// nothing once the day has.
	var give mkg.QuotaUsage
	keep := current && cost == 0
	if g != nil && !keep {
		left := g.left.Swap(0) // nobody spends from it any more
		if g.day == day.Key {
			give.Day = left
			if g.minute == minute.Key {
				give.Minute = left
			}
		}
	}
	seen, taken, err := q.take(ctx, subject, b, cost, give, now)
	if err != nil {
		// Whether the script ran is unknown: what was given back is
		// forgotten (left at 0), never given back twice.
		return mkg.QuotaUsage{}, false, err
	}
	if keep {
		return used(seen, g.left.Load()), true, nil
	}
	next := &grant{minute: minute.Key, day: day.Key, taken: now, budget: b, seen: seen}
	next.left.Store(max(0, taken-cost))
	l.grant.Store(next)
	return used(seen, next.left.Load()), cost == 0 || taken > 0, nil
}

// lease returns subject's lease, made empty when it has none.
func (q *Quotas) lease(subject string, now time.Time) *lease {
	if l, ok := q.leases.Load(subject); ok {
		return l.(*lease)
	}
	if q.n.Load() >= int64(q.max) {
		q.prune(now)
	}
	l, loaded := q.leases.LoadOrStore(subject, &lease{})
	if !loaded {
		q.n.Add(1)
	}
	return l.(*lease)
}

// prune drops leases of ended days (or none), then, if that is not
// enough, every lease. A request still holding a dropped lease spends
// from it or renews it alone; its points are not given back twice.
func (q *Quotas) prune(now time.Time) {
	q.pruning.Lock()
	defer q.pruning.Unlock()
	_, day := mkg.QuotaWindows(now)
	drop := func(all bool) {
		q.leases.Range(func(k, v any) bool {
			if g := v.(*lease).grant.Load(); (all || g == nil || g.day != day.Key) && q.leases.CompareAndDelete(k, v) {
				q.n.Add(-1)
			}
			return true
		})
	}
	if q.n.Load() >= int64(q.max) {
		drop(false)
	}
	if q.n.Load() >= int64(q.max) {
		drop(true)
	}
}

// leaseScript gives back an unspent lease and takes a new one, in one
// atomic step: KEYS are the subject's minute and day counters; ARGV the
// cost, the two limits, the windows' lives in milliseconds, the points
// given back to the minute and to the day, and mkg's LeaseFraction,
// LeaseMultiple and LeaseMinimum. What is given back is at most what a
// counter holds (a counter lost with a Redis that failed over never goes
// negative). The lease taken is mkg.Budget.LeaseSize of the counters after
// the give-back: 0 when refused (nothing charged) or for a cost of 0 (a
// read). It returns the counters after the charge and the lease taken.
// Each counter gets its expiry with its first charge.
var leaseScript = goredis.NewScript(`
local m = tonumber(redis.call('GET', KEYS[1]) or '0')
local d = tonumber(redis.call('GET', KEYS[2]) or '0')
local gm, gd = math.min(tonumber(ARGV[6]), m), math.min(tonumber(ARGV[7]), d)
if gm > 0 then m = redis.call('DECRBY', KEYS[1], gm) end
if gd > 0 then d = redis.call('DECRBY', KEYS[2], gd) end
local cost = tonumber(ARGV[1])
local left = math.min(tonumber(ARGV[2]) - m, tonumber(ARGV[3]) - d)
if cost <= 0 or cost > left then return {m, d, 0} end
local n = math.min(math.floor(left / tonumber(ARGV[8])), cost * tonumber(ARGV[9]))
if n < cost * tonumber(ARGV[10]) then n = cost end
m = redis.call('INCRBY', KEYS[1], n)
if m == n or redis.call('PTTL', KEYS[1]) < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[4]) end
d = redis.call('INCRBY', KEYS[2], n)
if d == n or redis.call('PTTL', KEYS[2]) < 0 then redis.call('PEXPIRE', KEYS[2], ARGV[5]) end
return {m, d, n}`)

// take runs leaseScript for subject at now. The subject's two keys share a
// {hash tag}, so the script runs on one node of a Cluster. A window's
// counter lives a minute past its end, so that an instance whose clock
// lags a little still finds it.
func (q *Quotas) take(ctx context.Context, subject string, b mkg.Budget, cost int64, give mkg.QuotaUsage, now time.Time) (mkg.QuotaUsage, int64, error) {
	minute, day := mkg.QuotaWindows(now)
	tag := "quota:{" + subject + "}:"
	keys := q.c.prefixed([]string{tag + minute.Key, tag + day.Key})
	ttl := func(end time.Time) int64 { return end.Sub(now).Milliseconds() + time.Minute.Milliseconds() }
	ctx, cancel := bound(ctx)
	defer cancel()
	res, err := leaseScript.Run(ctx, q.c.client, keys, cost, b.PerMinute, b.PerDay, ttl(minute.End), ttl(day.End),
		give.Minute, give.Day, mkg.LeaseFraction, mkg.LeaseMultiple, mkg.LeaseMinimum).Int64Slice()
	if err != nil {
		return mkg.QuotaUsage{}, 0, err
	}
	if len(res) != 3 {
		return mkg.QuotaUsage{}, 0, fmt.Errorf("redis: the quota script answered %d values", len(res))
	}
	return mkg.QuotaUsage{Minute: res[0], Day: res[1]}, res[2], nil
}
