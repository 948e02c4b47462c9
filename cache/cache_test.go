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
	"github.com/bmkg/mkggraph/internal/testsvc"
	"github.com/bmkg/mkggraph/mkg"
	"github.com/bmkg/mkggraph/redis"
)

// backends runs the cache contract against the in-process cache and Redis.
func backends(t *testing.T, fn func(t *testing.T, c mkg.Cache)) {
	t.Run("memory", func(t *testing.T) { fn(t, inmem.NewCache(1<<20)) })
	t.Run("redis", func(t *testing.T) {
		url, prefix := testenv.RedisURL(t)
		c, err := redis.New(url, prefix, slog.New(slog.DiscardHandler))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { c.Close() })
		fn(t, c)
	})
}

// contracts are what every cache backend must do, whatever Redis it is on.
var contracts = map[string]func(t *testing.T, c mkg.Cache){
	"basics":      basicsContract,
	"generations": generationsContract,
}

// TestContractsOnSentinelAndCluster runs every contract against a Redis
// behind Sentinel and against a Redis Cluster of three masters (where the
// keys of one namespace land on different nodes).
func TestContractsOnSentinelAndCluster(t *testing.T) {
	t.Parallel()
	topologies := map[string]func(t *testing.T) string{
		"sentinel": func(t *testing.T) string { return testsvc.RedisSentinel(t, 1).URL(3) },
		"cluster":  func(t *testing.T) string { return testsvc.RedisCluster(t, 3).URL() },
	}
	for name, start := range topologies {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			url := start(t)
			for cname, contract := range contracts {
				t.Run(cname, func(t *testing.T) {
					c, err := redis.New(url, testenv.RandomName("t")+":", slog.New(slog.DiscardHandler))
					if err != nil {
						t.Fatal(err)
					}
					t.Cleanup(func() { c.Close() })
					contract(t, c)
				})
			}
		})
	}
}

func TestCacheContract(t *testing.T) { backends(t, basicsContract) }

func basicsContract(t *testing.T, c mkg.Cache) {
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
}

// TestNewGenerationRetiresNamespace: entries are keyed by the namespace's
// generation, so advancing it retires them all, on every backend.
func TestNewGenerationRetiresNamespace(t *testing.T) { backends(t, generationsContract) }

func generationsContract(t *testing.T, c mkg.Cache) {
	ctx := context.Background()
	r := &countingReader{}
	gens := generations{cache.Stations: 7}
	cached := cache.NewStationReader(r, c, cache.Options{Generations: gens})
	for range 3 {
		if _, err := cached.CountStations(ctx, mkg.StationFilter{}); err != nil {
			t.Fatal(err)
		}
	}
	if r.calls != 1 {
		t.Fatalf("store read %d times for 3 identical reads, want 1", r.calls)
	}
	gens[cache.Stations]++
	cached.CountStations(ctx, mkg.StationFilter{})
	if r.calls != 2 {
		t.Errorf("after invalidation the store was read %d times in all, want 2", r.calls)
	}
	// Different scopes never share an entry.
	scoped := cache.NewStationReader(r, c, cache.Options{Generations: gens, Scope: func(context.Context) string { return "other" }})
	scoped.CountStations(ctx, mkg.StationFilter{})
	if r.calls != 3 {
		t.Errorf("another scope was served from this scope's entry")
	}
}

// TestNoGenerationNoCache: when the generation cannot be read, the cache is
// not used at all (an entry could be one a change retired).
func TestNoGenerationNoCache(t *testing.T) {
	ctx := context.Background()
	r := &countingReader{}
	cached := cache.NewStationReader(r, inmem.NewCache(1<<20), cache.Options{Generations: generations{}})
	for range 3 {
		if _, err := cached.CountStations(ctx, mkg.StationFilter{}); err != nil {
			t.Fatal(err)
		}
	}
	if r.calls != 3 {
		t.Errorf("store read %d times for 3 reads without a generation, want 3", r.calls)
	}
}

// generations is a fixed set of generations; a missing name cannot be read.
type generations map[string]int64

func (g generations) Generation(_ context.Context, name string) (int64, error) {
	v, ok := g[name]
	if !ok {
		return 0, errors.New("database unavailable")
	}
	return v, nil
}

// TestResilientTurnsFailuresIntoMisses: a failing backend never fails a
// read, is reported by Status, and is left alone for RetryAfter.
func TestResilientTurnsFailuresIntoMisses(t *testing.T) {
	ctx := context.Background()
	b := &brokenCache{}
	c := cache.NewResilient(b, "broken", slog.New(slog.DiscardHandler))
	clock := newClock()
	c.Now = clock.Now
	r := &countingReader{}
	cached := cache.NewStationReader(r, c, cache.Options{Generations: generations{cache.Stations: 1}})
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
	if b.calls != 1 {
		t.Errorf("broken backend called %d times within RetryAfter, want it skipped after the first failure", b.calls)
	}
	b.fixed = true
	clock.Advance(c.RetryAfter)
	c.Get(ctx, "k") // starts the probe that closes the breaker
	waitFor(t, func() bool { return c.Status().OK })
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

// TestLayeredKeepsDecodedValues: with a Layered cache a repeated read is
// answered from process memory, without asking the shared cache; a new
// generation misses both layers.
func TestLayeredKeepsDecodedValues(t *testing.T) {
	ctx := context.Background()
	shared := &countingCache{Cache: inmem.NewCache(1 << 20)}
	r := &countingReader{}
	gens := generations{cache.Stations: 1}
	cached := cache.NewStationReader(r, cache.NewLayered(shared, 1<<20), cache.Options{Generations: gens})
	for range 3 {
		if n, err := cached.CountStations(ctx, mkg.StationFilter{}); err != nil || n != 42 {
			t.Fatal(n, err)
		}
	}
	if r.calls != 1 || shared.gets != 1 {
		t.Errorf("3 reads: %d store reads, %d shared-cache reads; want 1 and 1", r.calls, shared.gets)
	}
	// Another instance's layer is empty: it reads the shared cache once.
	other := cache.NewStationReader(r, cache.NewLayered(shared, 1<<20), cache.Options{Generations: gens})
	other.CountStations(ctx, mkg.StationFilter{})
	other.CountStations(ctx, mkg.StationFilter{})
	if r.calls != 1 || shared.gets != 2 {
		t.Errorf("another instance: %d store reads, %d shared-cache reads; want 1 and 2", r.calls, shared.gets)
	}
	gens[cache.Stations]++
	cached.CountStations(ctx, mkg.StationFilter{})
	if r.calls != 2 {
		t.Errorf("a new generation was answered from memory")
	}
}

type countingCache struct {
	mkg.Cache
	gets int
}

func (c *countingCache) Get(ctx context.Context, key string) ([]byte, error) {
	c.gets++
	return c.Cache.Get(ctx, key)
}
