package redis

import (
	"context"
	"fmt"
	"log/slog"
	"testing"
	"time"

	"github.com/bmkg/mkggraph/internal/quotatest"
	"github.com/bmkg/mkggraph/internal/testenv"
	"github.com/bmkg/mkggraph/internal/testsvc"
	"github.com/bmkg/mkggraph/mkg"
)

// TestQuotasContract: the quota script, on a real Redis, meets the contract
// the in-process quotas meet (inmem.TestQuotasContract); and its counters
// expire with their windows.
func TestQuotasContract(t *testing.T) {
	url, prefix := testenv.RedisURL(t)
	c, err := New(url, prefix, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	quotatest.Run(t, NewQuotas(c, 0), "acct:1")
	quotatest.RunShared(t, NewQuotas(c, 0), NewQuotas(c, 0), "acct:2")
	now := time.Now()
	if _, _, err := NewQuotas(c, 0).Spend(context.Background(), "addr:192.0.2.1", mkg.Budget{PerMinute: 5, PerDay: 5}, 1, now); err != nil {
		t.Fatal(err)
	}
	minute, day := mkg.QuotaWindows(now)
	for _, w := range []mkg.QuotaWindow{minute, day} {
		ttl, err := c.client.PTTL(context.Background(), prefix+"quota:{addr:192.0.2.1}:"+w.Key).Result()
		if err != nil {
			t.Fatal(err)
		}
		if want := w.End.Sub(now) + time.Minute; ttl <= 0 || ttl > want+time.Second {
			t.Errorf("window %s expires in %s; want about %s", w.Key, ttl, want)
		}
	}
}

// BenchmarkQuotaCheck is one request's quota check on Redis (TEST_REDIS_URL),
// keys of one account: lease, as the server charges (a round trip per
// lease, mkg.LeaseMultiple requests of cost 3 when much is left);
// lease-parallel, the same from GOMAXPROCS goroutines; script, a round trip
// every time (the lease script giving back the last lease and taking the
// next: what a request costs that needs a new lease).
func BenchmarkQuotaCheck(b *testing.B) {
	url, prefix := testenv.RedisURL(b)
	c, err := New(url, prefix, slog.New(slog.DiscardHandler))
	if err != nil {
		b.Fatal(err)
	}
	defer c.Close()
	ctx := context.Background()
	budget := mkg.Budget{PerMinute: mkg.MaxBudgetPerMinute, PerDay: mkg.MaxBudgetPerDay}
	b.Run("lease", func(b *testing.B) {
		q := NewQuotas(c, 0)
		for b.Loop() {
			if _, _, err := q.Spend(ctx, "acct:1", budget, 3, time.Now()); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("lease-parallel", func(b *testing.B) {
		q := NewQuotas(c, 0)
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				if _, _, err := q.Spend(ctx, "acct:2", budget, 3, time.Now()); err != nil {
					b.Error(err)
					return
				}
			}
		})
	})
	b.Run("script", func(b *testing.B) {
		q := NewQuotas(c, 0)
		var give mkg.QuotaUsage
		for b.Loop() {
			_, n, err := q.take(ctx, "acct:3", budget, 3, give, time.Now())
			if err != nil {
				b.Fatal(err)
			}
			give = mkg.QuotaUsage{Minute: n, Day: n}
		}
	})
}

// TestQuotasOnCluster: on a Cluster the script's two keys share a slot
// (their {hash tag}), so it is not refused CROSSSLOT, whichever node holds
// the subject.
func TestQuotasOnCluster(t *testing.T) {
	t.Parallel()
	nodes := testsvc.RedisCluster(t, 3)
	c, err := New(nodes.URL(), "t:", slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	quotatest.Run(t, NewQuotas(c, 0), "acct:1")
	quotatest.RunShared(t, NewQuotas(c, 0), NewQuotas(c, 0), "acct:4")
	minute, day := mkg.QuotaWindows(time.Now())
	if a, b := nodes.KeySlot(t, "t:quota:{acct:2}:"+minute.Key), nodes.KeySlot(t, "t:quota:{acct:2}:"+day.Key); a != b {
		t.Errorf("a subject's windows lie in slots %d and %d", a, b)
	}
	for _, s := range []string{"acct:2", "acct:3", "addr:192.0.2.1", "addr:2001:db8::/64"} {
		if _, ok, err := NewQuotas(c, 0).Spend(context.Background(), s, mkg.Budget{PerMinute: 5, PerDay: 5}, 1, time.Now()); err != nil || !ok {
			t.Errorf("%s: %v, %v", s, ok, err)
		}
	}
}

// TestLeaseSizeInScript: the script takes what mkg.Budget.LeaseSize says,
// from counters standing at used.
func TestLeaseSizeInScript(t *testing.T) {
	url, prefix := testenv.RedisURL(t)
	c, err := New(url, prefix, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	ctx := context.Background()
	q := NewQuotas(c, 0)
	now := time.Date(2026, 3, 2, 10, 0, 5, 0, time.UTC)
	minute, day := mkg.QuotaWindows(now)
	big := mkg.Budget{PerMinute: 100_000, PerDay: 2_000_000}
	for i, tc := range []struct {
		b    mkg.Budget
		used mkg.QuotaUsage
		cost int64
	}{
		{mkg.Budget{PerMinute: 100, PerDay: 100}, mkg.QuotaUsage{}, 10},
		{mkg.Budget{PerMinute: 500_000, PerDay: 100}, mkg.QuotaUsage{}, 1},
		{big, mkg.QuotaUsage{Minute: 99_873, Day: 99_873}, 1},
		{big, mkg.QuotaUsage{Minute: 99_872, Day: 99_872}, 1},
		{big, mkg.QuotaUsage{}, 3},
		{big, mkg.QuotaUsage{Minute: 96_800, Day: 96_800}, 3},
		{big, mkg.QuotaUsage{Minute: 0, Day: 1_996_800}, 3},
		{big, mkg.QuotaUsage{Minute: 99_700, Day: 99_700}, 3},
		{big, mkg.QuotaUsage{Minute: 99_997, Day: 99_997}, 3},
		{big, mkg.QuotaUsage{Minute: 99_998, Day: 99_998}, 3},
		{big, mkg.QuotaUsage{Minute: 0, Day: 2_000_000}, 1},
		{big, mkg.QuotaUsage{}, 0},
		{big, mkg.QuotaUsage{}, 50_000},
		{mkg.Budget{PerMinute: mkg.MaxBudgetPerMinute, PerDay: mkg.MaxBudgetPerDay}, mkg.QuotaUsage{Minute: 7, Day: 1_999_000_000}, 1000},
	} {
		subject := fmt.Sprintf("size-%d", i)
		tag := prefix + "quota:{" + subject + "}:"
		for key, n := range map[string]int64{tag + minute.Key: tc.used.Minute, tag + day.Key: tc.used.Day} {
			if err := c.client.Set(ctx, key, n, time.Hour).Err(); err != nil {
				t.Fatal(err)
			}
		}
		seen, n, err := q.take(ctx, subject, tc.b, tc.cost, mkg.QuotaUsage{}, now)
		if err != nil {
			t.Fatal(err)
		}
		want := tc.b.LeaseSize(tc.used, tc.cost)
		if n != want || seen != (mkg.QuotaUsage{Minute: tc.used.Minute + want, Day: tc.used.Day + want}) {
			t.Errorf("%+v at %+v, cost %d: the script took %d (counters %+v); LeaseSize says %d", tc.b, tc.used, tc.cost, n, seen, want)
		}
	}
}

// TestLeaseGivenBackToLostCounters: a lease given back to counters that
// Redis lost (a fail-over to a replica that had not seen them) does not
// take them below zero, which would hand out more than the budget.
func TestLeaseGivenBackToLostCounters(t *testing.T) {
	url, prefix := testenv.RedisURL(t)
	c, err := New(url, prefix, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	ctx := context.Background()
	q := NewQuotas(c, 0)
	now := time.Date(2026, 3, 2, 10, 0, 5, 0, time.UTC)
	b := mkg.Budget{PerMinute: 100_000, PerDay: 100_000}
	if _, ok, err := q.Spend(ctx, "acct:1", b, 1, now); err != nil || !ok {
		t.Fatal(ok, err)
	}
	minute, day := mkg.QuotaWindows(now)
	tag := prefix + "quota:{acct:1}:"
	if err := c.client.Del(ctx, tag+minute.Key, tag+day.Key).Err(); err != nil {
		t.Fatal(err)
	}
	// The lease (LeaseMultiple points, all but 1 unspent) does not cover
	// twice as much: it is given back, to counters that are gone, and a
	// new one is taken.
	cost := int64(2 * mkg.LeaseMultiple)
	if _, ok, err := q.Spend(ctx, "acct:1", b, cost, now); err != nil || !ok {
		t.Fatal(ok, err)
	}
	want := b.LeaseSize(mkg.QuotaUsage{}, cost)
	for _, key := range []string{tag + minute.Key, tag + day.Key} {
		if n, err := c.client.Get(ctx, key).Int64(); err != nil || n != want {
			t.Errorf("%s = %d, %v after a lease of %d on lost counters; want %d", key, n, err, want, want)
		}
	}
}

// TestLeaseForgottenOnError: when a call to Redis fails, whether the script
// ran is unknown, so the lease is forgotten rather than given back again
// later (which could give back what was already given back, and hand out
// more than the budget).
func TestLeaseForgottenOnError(t *testing.T) {
	url, prefix := testenv.RedisURL(t)
	c, err := New(url, prefix, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	q := NewQuotas(c, 0)
	now := time.Date(2026, 3, 2, 10, 0, 5, 0, time.UTC)
	b := mkg.Budget{PerMinute: 100_000, PerDay: 100_000}
	if _, ok, err := q.Spend(context.Background(), "acct:1", b, 1, now); err != nil || !ok {
		t.Fatal(ok, err)
	}
	lease := b.LeaseSize(mkg.QuotaUsage{}, 1)
	failed, cancel := context.WithCancel(context.Background())
	cancel()
	cost := int64(2 * mkg.LeaseMultiple) // more than the lease holds
	if _, ok, err := q.Spend(failed, "acct:1", b, cost, now); err == nil || ok {
		t.Fatalf("a call that failed: %v, %v", ok, err)
	}
	// The script did not run; the lease's unspent points stay taken
	// until the window ends.
	used, ok, err := q.Spend(context.Background(), "acct:1", b, cost, now)
	if err != nil || !ok || used != (mkg.QuotaUsage{Minute: lease + cost, Day: lease + cost}) {
		t.Errorf("after a failed call: %+v, %v, %v; want the forgotten lease (%d) and the charge used", used, ok, err, lease)
	}
	want := lease + b.LeaseSize(mkg.QuotaUsage{Minute: lease, Day: lease}, cost)
	minute, _ := mkg.QuotaWindows(now)
	if n, err := c.client.Get(context.Background(), prefix+"quota:{acct:1}:"+minute.Key).Int64(); err != nil || n != want {
		t.Errorf("the minute's counter = %d, %v; want %d: the forgotten lease and the new one", n, err, want)
	}
}

// TestQuotasBounded: past its bound the lease table forgets, it never
// grows; a forgotten lease's points stay taken until their window ends.
func TestQuotasBounded(t *testing.T) {
	url, prefix := testenv.RedisURL(t)
	c, err := New(url, prefix, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	q := NewQuotas(c, 3)
	now := time.Now()
	b := mkg.Budget{PerMinute: 100_000, PerDay: 100_000}
	for _, s := range []string{"a", "b", "c", "d", "e"} {
		if _, ok, err := q.Spend(context.Background(), s, b, 1, now); err != nil || !ok {
			t.Fatalf("%s: %v, %v", s, ok, err)
		}
	}
	if n := q.n.Load(); n > 3 {
		t.Fatalf("the table holds %d subjects; the bound is 3", n)
	}
}
