package cache_test

import (
	"context"
	"errors"
	"log/slog"
	"testing"
	"time"

	"github.com/bmkg/mkggraph/cache"
	"github.com/bmkg/mkggraph/inmem"
	"github.com/bmkg/mkggraph/internal/testenv"
	"github.com/bmkg/mkggraph/mkg"
	"github.com/bmkg/mkggraph/redis"
)

// backends runs the cache contract against the in-process cache and Redis.
func backends(t *testing.T, fn func(t *testing.T, c mkg.Cache)) {
	t.Run("memory", func(t *testing.T) { fn(t, inmem.NewCache(1<<20)) })
	t.Run("redis", func(t *testing.T) {
		url, prefix := testenv.RedisURL(t)
		c, err := redis.Open(context.Background(), url, prefix)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { c.Close() })
		fn(t, c)
	})
}

func TestCacheContract(t *testing.T) {
	backends(t, func(t *testing.T, c mkg.Cache) {
		ctx := context.Background()
		if _, err := c.Get(ctx, "absent"); !errors.Is(err, mkg.ErrCacheMiss) {
			t.Errorf("Get(absent) = %v, want ErrCacheMiss", err)
		}
		if err := c.Set(ctx, "k", []byte("v"), time.Minute); err != nil {
			t.Fatal(err)
		}
		if v, err := c.Get(ctx, "k"); err != nil || string(v) != "v" {
			t.Errorf("Get(k) = %q, %v", v, err)
		}
		c.Set(ctx, "short", []byte("x"), 50*time.Millisecond)
		time.Sleep(120 * time.Millisecond)
		if _, err := c.Get(ctx, "short"); !errors.Is(err, mkg.ErrCacheMiss) {
			t.Errorf("expired entry still served: %v", err)
		}
		for want := int64(1); want <= 3; want++ {
			if n, err := c.Incr(ctx, "counter"); err != nil || n != want {
				t.Errorf("Incr = %d, %v; want %d", n, err, want)
			}
		}
		if err := c.Ping(ctx); err != nil {
			t.Error(err)
		}
	})
}

func TestInvalidateRetiresNamespace(t *testing.T) {
	backends(t, func(t *testing.T, c mkg.Cache) {
		ctx := context.Background()
		r := &countingReader{}
		cached := cache.NewStationReader(r, c, cache.Options{})
		for range 3 {
			if _, err := cached.CountStations(ctx, mkg.StationFilter{}); err != nil {
				t.Fatal(err)
			}
		}
		if r.calls != 1 {
			t.Fatalf("store read %d times for 3 identical reads, want 1", r.calls)
		}
		if err := cache.Invalidate(ctx, c, cache.Stations); err != nil {
			t.Fatal(err)
		}
		cached.CountStations(ctx, mkg.StationFilter{})
		if r.calls != 2 {
			t.Errorf("after invalidation the store was read %d times in all, want 2", r.calls)
		}
		// Different scopes never share an entry.
		scoped := cache.NewStationReader(r, c, cache.Options{Scope: func(context.Context) string { return "other" }})
		scoped.CountStations(ctx, mkg.StationFilter{})
		if r.calls != 3 {
			t.Errorf("another scope was served from this scope's entry")
		}
	})
}

// TestResilientTurnsFailuresIntoMisses: a failing backend never fails a
// read, is reported by Status, and is left alone for RetryAfter.
func TestResilientTurnsFailuresIntoMisses(t *testing.T) {
	ctx := context.Background()
	b := &brokenCache{}
	c := cache.NewResilient(b, "broken", slog.New(slog.DiscardHandler))
	r := &countingReader{}
	cached := cache.NewStationReader(r, c, cache.Options{})
	for range 5 {
		if n, err := cached.CountStations(ctx, mkg.StationFilter{}); err != nil || n != 42 {
			t.Fatalf("read through a broken cache: %d, %v", n, err)
		}
	}
	if r.calls != 5 {
		t.Errorf("store read %d times, want every read to reach it", r.calls)
	}
	if st := c.Status(); st.OK || st.Error == "" {
		t.Errorf("status = %+v, want not ok with the error", st)
	}
	if b.calls > 2 {
		t.Errorf("broken backend called %d times within RetryAfter, want it skipped after the first failure", b.calls)
	}
	b.fixed = true
	c.RetryAfter = 0
	c.Get(ctx, "k") // starts the probe that closes the breaker
	for deadline := time.Now().Add(5 * time.Second); !c.Status().OK && time.Now().Before(deadline); {
		time.Sleep(5 * time.Millisecond)
	}
	if !c.Status().OK {
		t.Errorf("status after recovery = %+v", c.Status())
	}
}

type countingReader struct {
	mkg.StationReader
	calls int
}

func (r *countingReader) CountStations(context.Context, mkg.StationFilter) (int, error) {
	r.calls++
	return 42, nil
}

type brokenCache struct {
	calls int
	fixed bool
}

var errDown = errors.New("connection refused")

func (b *brokenCache) Get(context.Context, string) ([]byte, error) {
	b.calls++
	if b.fixed {
		return nil, mkg.ErrCacheMiss
	}
	return nil, errDown
}

func (b *brokenCache) Set(context.Context, string, []byte, time.Duration) error {
	b.calls++
	return errDown
}

func (b *brokenCache) Incr(context.Context, string) (int64, error) {
	b.calls++
	return 0, errDown
}

func (b *brokenCache) Ping(context.Context) error {
	if b.fixed {
		return nil
	}
	return errDown
}
