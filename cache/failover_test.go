package cache_test

import (
	"context"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/bmkg/mkggraph/cache"
	"github.com/bmkg/mkggraph/internal/testsvc"
	"github.com/bmkg/mkggraph/mkg"
	"github.com/bmkg/mkggraph/redis"
)

// TestSentinelFailoverKeepsAnswering: while a Sentinel set promotes its
// replica (on command, then because the master was killed), cached reads
// never fail: the breaker turns the fail-over into misses answered by the
// store, and once the new master answers the cache is used again (its
// writes accepted, the entries replicated before the fail-over served).
func TestSentinelFailoverKeepsAnswering(t *testing.T) {
	t.Parallel()
	set := testsvc.RedisSentinel(t, 3)
	rc, err := redis.New(set.URL(0), "t:", quiet)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { rc.Close() })
	c := cache.NewResilient(rc, "redis", quiet)
	r := &lockedReader{}
	cached := cache.NewStationReader(r, c, cache.Options{Generations: generations{cache.Stations: 1}})
	ctx := context.Background()

	var reads, failures atomic.Int64
	stop, stopped := make(chan struct{}), make(chan struct{})
	go func() { // a client reading all along
		defer close(stopped)
		for {
			select {
			case <-stop:
				return
			case <-time.After(2 * time.Millisecond):
			}
			reads.Add(1)
			if n, err := cached.CountStations(ctx, mkg.StationFilter{}); err != nil || n != 42 {
				failures.Add(1)
				t.Errorf("read during the fail-over: %d, %v", n, err)
			}
		}
	}()
	defer func() { close(stop); <-stopped }()

	// usable: the breaker is closed, a write reaches a master and is read
	// back, and the entry cached before the fail-over is still served.
	usable := func(round int) bool {
		key := "probe" + strconv.Itoa(round)
		if !c.Status().OK || c.Set(ctx, key, []byte("v"), time.Minute) != nil {
			return false
		}
		v, err := rc.Get(ctx, key)
		return err == nil && string(v) == "v"
	}
	waitUsable := func(what string) time.Duration {
		t.Helper()
		start := time.Now()
		for round := 0; !usable(round); round++ {
			if time.Since(start) > 15*time.Second {
				t.Fatalf("%s: the cache is not used again after 15 s (status %+v)", what, c.Status())
			}
			time.Sleep(20 * time.Millisecond)
		}
		return time.Since(start)
	}
	waitUsable("before")
	for r.count() == 0 {
		time.Sleep(5 * time.Millisecond)
	}
	storeReads := r.count()

	start := time.Now()
	set.Failover()
	promoted := time.Since(start)
	back := waitUsable("after SENTINEL FAILOVER")
	t.Logf("SENTINEL FAILOVER: new master after %v, cache used again %v later; %d store reads for %d cached reads",
		promoted.Round(time.Millisecond), back.Round(time.Millisecond), r.count()-storeReads, reads.Load())
	settled := r.count()
	time.Sleep(100 * time.Millisecond)
	if r.count() != settled {
		t.Errorf("after the fail-over the entry replicated before it is not served: %d store reads in 100 ms", r.count()-settled)
	}

	old := set.MasterAddr()
	start = time.Now()
	set.Master().Kill()
	set.WaitNewMaster(old, 30*time.Second)
	promoted = time.Since(start)
	back = waitUsable("after the master was killed")
	t.Logf("master killed: new master after %v, cache used again %v later; %d reads in all, %d failed",
		promoted.Round(time.Millisecond), back.Round(time.Millisecond), reads.Load(), failures.Load())
	if _, err := rc.Incr(ctx, "generation"); err != nil {
		t.Errorf("Incr on the new master: %v", err)
	}
}

// lockedReader counts store reads from several goroutines.
type lockedReader struct {
	mkg.StationReader
	mu    sync.Mutex
	calls int
}

func (r *lockedReader) CountStations(context.Context, mkg.StationFilter) (int, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.calls++
	return 42, nil
}

func (r *lockedReader) count() int { r.mu.Lock(); defer r.mu.Unlock(); return r.calls }
