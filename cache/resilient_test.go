package cache_test

import (
	"context"
	"errors"
	"log/slog"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/bmkg/mkggraph/cache"
	"github.com/bmkg/mkggraph/mkg"
)

// TestBreakerOpensAtTheFirstFailure: once a call failed, no call reaches
// the backend until a probe succeeds; increments fail at once.
func TestBreakerOpensAtTheFirstFailure(t *testing.T) {
	ctx := context.Background()
	b := &flakyCache{}
	c := cache.NewResilient(b, "flaky", quiet)
	c.RetryAfter = time.Hour
	for range 5 {
		if _, err := c.Get(ctx, "k"); !errors.Is(err, mkg.ErrCacheMiss) {
			t.Fatalf("Get through a failing backend = %v, want a miss", err)
		}
		c.Set(ctx, "k", []byte("v"), time.Minute)
	}
	if _, err := c.Incr(ctx, "gen"); !errors.Is(err, cache.ErrOpen) {
		t.Errorf("Incr while open = %v, want ErrOpen", err)
	}
	if n := b.calls.Load(); n != 1 {
		t.Errorf("backend called %d times, want once: the breaker opens at the first failure", n)
	}
	if st := c.Status(); st.OK || st.State != "open" || st.Error == "" || st.DownSince.IsZero() {
		t.Errorf("status = %+v, want open with the error", st)
	}
}

// TestHealthChecksCannotCloseTheBreaker: /readyz pings often; while the
// breaker is open a ping costs no round trip and does not close it, even
// when the backend would answer: only the probe does.
func TestHealthChecksCannotCloseTheBreaker(t *testing.T) {
	ctx := context.Background()
	b := &flakyCache{}
	c := cache.NewResilient(b, "broken", quiet)
	c.RetryAfter = time.Hour
	c.Get(ctx, "k")
	b.fixed.Store(true)
	for range 10 {
		if err := c.Ping(ctx); !errors.Is(err, cache.ErrOpen) {
			t.Fatalf("Ping while open = %v, want ErrOpen", err)
		}
	}
	if n := b.pings.Load(); n != 0 {
		t.Errorf("%d pings reached the backend while the breaker was open", n)
	}
	if c.Available() || c.Status().OK {
		t.Errorf("health checks closed the breaker: %+v", c.Status())
	}
}

// TestBreakerProbesOnceInTheBackground: no probe before RetryAfter; after
// it one probe tries the backend, however many callers come meanwhile, and
// none of them waits for it; a failed probe keeps the breaker open for
// another RetryAfter, a good one closes it.
func TestBreakerProbesOnceInTheBackground(t *testing.T) {
	ctx := context.Background()
	b := &flakyCache{gate: make(chan struct{})}
	c := cache.NewResilient(b, "broken", quiet)
	clock := newClock()
	c.RetryAfter, c.Now = time.Minute, clock.Now
	c.Get(ctx, "k")
	clock.Advance(time.Minute - time.Millisecond)
	c.Get(ctx, "k")
	if st := c.Status(); st.State != "open" {
		t.Fatalf("state before RetryAfter = %q, want open (no probe yet)", st.State)
	}

	clock.Advance(time.Millisecond)
	done := make(chan struct{})
	go func() {
		var wg sync.WaitGroup
		for range 50 {
			wg.Go(func() { c.Get(ctx, "k"); c.Ping(ctx) })
		}
		wg.Wait()
		close(done)
	}()
	select {
	case <-done: // the probe's ping is held at the gate: nobody waited for it
	case <-time.After(5 * time.Second):
		t.Fatal("callers wait for the probe")
	}
	if st := c.Status(); st.State != "half-open" {
		t.Errorf("state during the probe = %q, want half-open", st.State)
	}
	b.gate <- struct{}{} // the probe fails
	waitFor(t, func() bool { return c.Status().State == "open" })
	if b.pings.Load() != 1 || b.maxConcurrentPings.Load() != 1 {
		t.Errorf("%d probes, %d at once; want 1", b.pings.Load(), b.maxConcurrentPings.Load())
	}
	if b.calls.Load() != 1 {
		t.Errorf("%d calls reached the backend, want only the first", b.calls.Load())
	}

	b.fixed.Store(true)
	c.Get(ctx, "k") // the failed probe restarted the wait: no probe yet
	if st := c.Status(); st.State != "open" {
		t.Fatalf("state right after a failed probe = %q, want open", st.State)
	}
	clock.Advance(time.Minute)
	c.Get(ctx, "k") // starts the second probe, which succeeds
	b.gate <- struct{}{}
	waitFor(t, func() bool { return c.Available() })
	if st := c.Status(); !st.OK || st.State != "closed" || st.Error != "" {
		t.Errorf("after a good probe: %+v", st)
	}
	before := b.calls.Load()
	c.Get(ctx, "k")
	if b.calls.Load() != before+1 {
		t.Error("closed breaker does not call the backend")
	}
}

// TestCancelledCallerDoesNotOpenTheBreaker: a client that goes away says
// nothing about the cache.
func TestCancelledCallerDoesNotOpenTheBreaker(t *testing.T) {
	b := &flakyCache{}
	c := cache.NewResilient(b, "broken", quiet)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	c.Get(ctx, "k")
	if !c.Available() {
		t.Errorf("a cancelled caller opened the breaker: %+v", c.Status())
	}
}

// waitFor waits for what a background probe does once it has returned.
func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(5 * time.Second); !cond(); {
		if time.Now().After(deadline) {
			t.Fatal("condition not met within 5 s")
		}
		runtime.Gosched()
	}
}

// clock is a time that moves only when told.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func newClock() *clock { return &clock{now: time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)} }

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.now }

func (c *clock) Advance(d time.Duration) { c.mu.Lock(); defer c.mu.Unlock(); c.now = c.now.Add(d) }

var quiet = slog.New(slog.DiscardHandler)

// flakyCache fails every call until fixed; its pings are counted, with
// the most that ran at once, and each waits to be let through its gate
// when there is one.
type flakyCache struct {
	calls, pings, concurrentPings, maxConcurrentPings atomic.Int64
	fixed                                             atomic.Bool
	gate                                              chan struct{}
}

func (b *flakyCache) err() error {
	if b.fixed.Load() {
		return nil
	}
	return errDown
}

func (b *flakyCache) Get(context.Context, string) ([]byte, error) {
	b.calls.Add(1)
	if err := b.err(); err != nil {
		return nil, err
	}
	return nil, mkg.ErrCacheMiss
}

func (b *flakyCache) Set(context.Context, string, []byte, time.Duration) error {
	b.calls.Add(1)
	return b.err()
}

func (b *flakyCache) Incr(context.Context, string) (int64, error) {
	b.calls.Add(1)
	return 1, b.err()
}

func (b *flakyCache) Ping(context.Context) error {
	b.pings.Add(1)
	n := b.concurrentPings.Add(1)
	defer b.concurrentPings.Add(-1)
	for m := b.maxConcurrentPings.Load(); n > m && !b.maxConcurrentPings.CompareAndSwap(m, n); {
		m = b.maxConcurrentPings.Load()
	}
	if b.gate != nil {
		<-b.gate
	}
	return b.err()
}
