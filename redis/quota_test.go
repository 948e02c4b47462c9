package redis

import (
	"context"
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
	quotatest.Run(t, c, "acct:1")
	now := time.Now()
	if _, _, err := c.Spend(context.Background(), "addr:192.0.2.1", mkg.Budget{PerMinute: 5, PerDay: 5}, 1, now); err != nil {
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

// BenchmarkQuotaCheck is one request's quota check on Redis (TEST_REDIS_URL):
// one script call, keys of one account.
func BenchmarkQuotaCheck(b *testing.B) {
	url, prefix := testenv.RedisURL(b)
	c, err := New(url, prefix, slog.New(slog.DiscardHandler))
	if err != nil {
		b.Fatal(err)
	}
	defer c.Close()
	ctx := context.Background()
	budget := mkg.Budget{PerMinute: mkg.MaxBudgetPerMinute, PerDay: mkg.MaxBudgetPerDay}
	for b.Loop() {
		if _, _, err := c.Spend(ctx, "acct:1", budget, 1, time.Now()); err != nil {
			b.Fatal(err)
		}
	}
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
	quotatest.Run(t, c, "acct:1")
	minute, day := mkg.QuotaWindows(time.Now())
	if a, b := nodes.KeySlot(t, "t:quota:{acct:2}:"+minute.Key), nodes.KeySlot(t, "t:quota:{acct:2}:"+day.Key); a != b {
		t.Errorf("a subject's windows lie in slots %d and %d", a, b)
	}
	for _, s := range []string{"acct:2", "acct:3", "addr:192.0.2.1", "addr:2001:db8::/64"} {
		if _, ok, err := c.Spend(context.Background(), s, mkg.Budget{PerMinute: 5, PerDay: 5}, 1, time.Now()); err != nil || !ok {
			t.Errorf("%s: %v, %v", s, ok, err)
		}
	}
}
