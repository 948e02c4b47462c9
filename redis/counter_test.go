package redis

import (
	"context"
	"log/slog"
	"slices"
	"testing"
	"time"

	"github.com/bmkg/mkggraph/internal/testenv"
	"github.com/bmkg/mkggraph/internal/testsvc"
)

// TestCounter: counts are shared by clients of one Redis, every counted
// key expires with its window, and a window's end starts the count again.
func TestCounter(t *testing.T) {
	url, prefix := testenv.RedisURL(t)
	counterContract(t, url, prefix)
}

// TestCounterOnSentinelAndCluster: the same on a Redis behind Sentinel,
// and on a Cluster, where one call's keys lie on different nodes (and the
// hash slot the client computes is the cluster's own).
func TestCounterOnSentinelAndCluster(t *testing.T) {
	t.Parallel()
	t.Run("sentinel", func(t *testing.T) {
		t.Parallel()
		counterContract(t, testsvc.RedisSentinel(t, 1).URL(0), "t:")
	})
	t.Run("cluster", func(t *testing.T) {
		t.Parallel()
		nodes := testsvc.RedisCluster(t, 3)
		keys := []string{"t:x", "t:y", "t:z", "t:badkey:addr:10.0.0.1", "{acct:7}:minute", "a{acct:7}", "x{}y", "{}", "{", "}{z}"}
		slots := map[int]bool{}
		for _, k := range keys {
			want := nodes.KeySlot(t, k)
			if got := int(keySlot(k)); got != want {
				t.Errorf("keySlot(%q) = %d, the cluster says %d", k, got, want)
			}
			slots[want] = true
		}
		if nodes.KeySlot(t, "t:x") == nodes.KeySlot(t, "t:y") {
			t.Fatal("t:x and t:y share a slot; the contract must count keys of different slots in one call")
		}
		if len(slots) < 5 {
			t.Fatalf("the keys fall in %d slots; the test needs keys on several", len(slots))
		}
		counterContract(t, nodes.URL(), "t:")
	})
}

func counterContract(t *testing.T, url, prefix string) {
	ctx := context.Background()
	open := func() *Cache {
		c, err := New(url, prefix, slog.New(slog.DiscardHandler))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { c.Close() })
		return c
	}
	a, b := open(), open()
	const window = 300 * time.Millisecond
	if n, err := a.Add(ctx, window, "x", "y"); err != nil || !slices.Equal(n, []int64{1, 1}) {
		t.Fatalf("first add: %v %v", n, err)
	}
	if n, err := a.Add(ctx, window); err != nil || len(n) != 0 {
		t.Fatalf("add of no key: %v %v", n, err)
	}
	if n, err := b.Add(ctx, window, "x"); err != nil || !slices.Equal(n, []int64{2}) {
		t.Fatalf("add from another client: %v %v", n, err)
	}
	if n, err := a.Counts(ctx, "x", "y", "z"); err != nil || !slices.Equal(n, []int64{2, 1, 0}) {
		t.Fatalf("counts: %v %v", n, err)
	}
	for _, k := range []string{"x", "y"} {
		if ttl := a.client.PTTL(ctx, prefix+k).Val(); ttl <= 0 || ttl > window {
			t.Errorf("%s expires in %v, want within the window", k, ttl)
		}
	}
	time.Sleep(window + 100*time.Millisecond)
	if n, _ := a.Counts(ctx, "x"); n[0] != 0 {
		t.Errorf("count after the window: %d", n[0])
	}
	if n, _ := a.Add(ctx, window, "x"); n[0] != 1 {
		t.Errorf("first count of a new window: %d", n[0])
	}
}
