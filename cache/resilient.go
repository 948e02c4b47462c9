// Package cache puts MKG Graph's cache (Redis or in-process) in front of the
// store: reads of the station catalogue and of the latest earthquake are
// answered from it, ingest invalidates it, and a cache that fails is
// bypassed, never turned into a client error.
package cache

import (
	"context"
	"errors"
	"log/slog"
	"sync"
	"time"

	"github.com/bmkg/mkggraph/mkg"
)

// Resilient wraps a cache in a circuit breaker so that its failures cost
// nothing but speed.
//
// Closed, calls reach the backend; the first failure (anything but a miss,
// and not the caller's own cancellation) opens the breaker, is logged once
// and reported by Status. Open, no call reaches the backend: reads are
// misses, writes are dropped, Incr and Ping fail at once. RetryAfter after
// opening, the next call starts a single probe (half-open): a Ping in the
// background, which no caller waits for. Only that probe closes the
// breaker; if it fails the breaker stays open for another RetryAfter.
// Health checks (Ping) report the state and never reset it.
type Resilient struct {
	backend mkg.Cache
	name    string
	log     *slog.Logger
	// RetryAfter is how long the breaker stays open before a probe.
	RetryAfter time.Duration
	// ProbeTimeout bounds a probe.
	ProbeTimeout time.Duration
	// Now tells the time (time.Now; tests move it instead of sleeping).
	Now func() time.Time

	mu        sync.Mutex
	open      bool
	probing   bool
	openedAt  time.Time // when the breaker opened, or its last probe failed
	downSince time.Time
	lastErr   string
}

// NewResilient wraps backend; name ("redis", "memory") appears in logs and status.
func NewResilient(backend mkg.Cache, name string, log *slog.Logger) *Resilient {
	return &Resilient{backend: backend, name: name, log: log, RetryAfter: 300 * time.Millisecond, ProbeTimeout: time.Second,
		Now: time.Now}
}

var _ mkg.Cache = (*Resilient)(nil)

// ErrOpen is returned by Incr and Ping while the breaker is open.
var ErrOpen = errors.New("cache unavailable: not tried again yet")

// Get implements mkg.Cache; any failure is a miss.
func (r *Resilient) Get(ctx context.Context, key string) ([]byte, error) {
	if !r.allow() {
		return nil, mkg.ErrCacheMiss
	}
	v, err := r.backend.Get(ctx, key)
	if err != nil && !errors.Is(err, mkg.ErrCacheMiss) {
		r.failed(ctx, err)
		return nil, mkg.ErrCacheMiss
	}
	return v, err
}

// Set implements mkg.Cache; a failure is logged, not returned.
func (r *Resilient) Set(ctx context.Context, key string, value []byte, ttl time.Duration) error {
	if !r.allow() {
		return nil
	}
	if err := r.backend.Set(ctx, key, value, ttl); err != nil {
		r.failed(ctx, err)
	}
	return nil
}

// Incr implements mkg.Cache. Unlike reads, a failed increment is returned
// (ErrOpen while the breaker is open): the caller must know that a
// generation could not be read or bumped.
func (r *Resilient) Incr(ctx context.Context, key string) (int64, error) {
	if !r.allow() {
		return 0, ErrOpen
	}
	n, err := r.backend.Incr(ctx, key)
	if err != nil {
		r.failed(ctx, err)
		return 0, err
	}
	return n, nil
}

// Ping implements mkg.Cache: closed, it asks the backend (a failure opens
// the breaker); open, it answers ErrOpen without a round trip.
func (r *Resilient) Ping(ctx context.Context) error {
	if !r.allow() {
		return ErrOpen
	}
	err := r.backend.Ping(ctx)
	if err != nil {
		r.failed(ctx, err)
	}
	return err
}

// Status returns the current health: State is closed, open or half-open
// (a probe is running).
func (r *Resilient) Status() mkg.CacheStatus {
	r.mu.Lock()
	defer r.mu.Unlock()
	st := mkg.CacheStatus{Backend: r.name, OK: !r.open, State: "closed", Error: r.lastErr, DownSince: r.downSince}
	switch {
	case r.probing:
		st.State = "half-open"
	case r.open:
		st.State = "open"
	}
	return st
}

// Available reports whether calls reach the backend right now.
func (r *Resilient) Available() bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	return !r.open
}

// allow reports whether a call may reach the backend, and starts the probe
// when the breaker has been open for RetryAfter.
func (r *Resilient) allow() bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	if !r.open {
		return true
	}
	if !r.probing && r.Now().Sub(r.openedAt) >= r.RetryAfter {
		r.probing = true
		go r.probe()
	}
	return false
}

func (r *Resilient) probe() {
	ctx, cancel := context.WithTimeout(context.Background(), r.ProbeTimeout)
	defer cancel()
	err := r.backend.Ping(ctx)
	r.mu.Lock()
	defer r.mu.Unlock()
	r.probing = false
	if err != nil {
		r.openedAt, r.lastErr = r.Now(), err.Error()
		return
	}
	r.log.Info("cache available again", "cache", r.name, "down_for", r.Now().Sub(r.downSince).Round(time.Millisecond))
	r.open, r.downSince, r.lastErr = false, time.Time{}, ""
}

// failed opens the breaker after a call failed, unless the caller
// cancelled it: a client that went away says nothing about the cache (a
// deadline does: the cache was slower than the caller could wait).
func (r *Resilient) failed(ctx context.Context, err error) {
	if errors.Is(ctx.Err(), context.Canceled) {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.lastErr = err.Error()
	if r.open {
		return // a call that started before the breaker opened
	}
	now := r.Now()
	r.open, r.openedAt, r.downSince = true, now, now
	r.log.Error("cache unavailable; answering from the database until it recovers", "cache", r.name, "err", err)
}
