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

	reads, failures := readAllAlong(t, cached)

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
		promoted.Round(time.Millisecond), back.Round(time.Millisecond), r.count()-storeReads, reads())
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
		promoted.Round(time.Millisecond), back.Round(time.Millisecond), reads(), failures())
	if _, err := rc.Incr(ctx, "generation"); err != nil {
		t.Errorf("Incr on the new master: %v", err)
	}
}

// TestClusterNodeDownKeepsAnswering: while a node of a Cluster is down
// (killed, then restarted), cached reads never fail, and the cache is used
// again once the node is back.
func TestClusterNodeDownKeepsAnswering(t *testing.T) {
	t.Parallel()
	nodes := testsvc.RedisCluster(t, 3)
	rc, err := redis.New(nodes.URL(), "t:", quiet)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { rc.Close() })
	c := cache.NewResilient(rc, "redis", quiet)
	cached := cache.NewStationReader(&lockedReader{}, c, cache.Options{Generations: generations{cache.Stations: 1}})
	reads, failures := readAllAlong(t, cached)
	ctx := context.Background()
	keys := []string{"a", "b", "c", "d", "e", "f"} // on every node
	usable := func() bool {
		for _, k := range keys {
			if !c.Status().OK || c.Set(ctx, k, []byte(k), time.Minute) != nil {
				return false
			}
			if v, err := rc.Get(ctx, k); err != nil || string(v) != k {
				return false
			}
		}
		return true
	}
	down := nodes.Owner(t, "t:a")
	down.Kill()
	time.Sleep(3 * time.Second) // past the cluster's node timeout (2 s)
	if usable() {
		t.Error("every key was written while a node holding some was down")
	}
	down.Restart()
	start := time.Now()
	for !usable() {
		if time.Since(start) > 15*time.Second {
			t.Fatalf("the cache is not used again 15 s after the node restarted (status %+v)", c.Status())
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Logf("node restarted: cache used again after %v; %d reads, %d failed", time.Since(start).Round(time.Millisecond), reads(), failures())
}

// readAllAlong reads through cached every 2 ms until the test ends, each
// read required to succeed; it returns the counts of reads and failures.
func readAllAlong(t *testing.T, cached mkg.StationReader) (reads, failures func() int64) {
	var n, failed atomic.Int64
	stop, stopped := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(stopped)
		for {
			select {
			case <-stop:
				return
			case <-time.After(2 * time.Millisecond):
			}
			n.Add(1)
			if got, err := cached.CountStations(context.Background(), mkg.StationFilter{}); err != nil || got != 42 {
				failed.Add(1)
				t.Errorf("read while Redis fails: %d, %v", got, err)
			}
		}
	}()
	t.Cleanup(func() { close(stop); <-stopped })
	return n.Load, failed.Load
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
