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

// Resilient wraps a cache so that its failures cost nothing but speed: an
// error is logged once, reported by Status, and treated as a miss; after a
// failure the backend is left alone for RetryAfter so that a dead Redis does
// not add a timeout to every request.
type Resilient struct {
	backend    mkg.Cache
	name       string
	log        *slog.Logger
	RetryAfter time.Duration

	mu        sync.Mutex
	downSince time.Time
	skipUntil time.Time
	lastErr   string
}

// NewResilient wraps backend; name ("redis", "memory") appears in logs and status.
func NewResilient(backend mkg.Cache, name string, log *slog.Logger) *Resilient {
	return &Resilient{backend: backend, name: name, log: log, RetryAfter: 2 * time.Second}
}

var _ mkg.Cache = (*Resilient)(nil)

// Get implements mkg.Cache; any failure is a miss.
func (r *Resilient) Get(ctx context.Context, key string) ([]byte, error) {
	if r.skipping() {
		return nil, mkg.ErrCacheMiss
	}
	v, err := r.backend.Get(ctx, key)
	if err != nil && !errors.Is(err, mkg.ErrCacheMiss) {
		r.fail(err)
		return nil, mkg.ErrCacheMiss
	}
	r.ok()
	return v, err
}

// Set implements mkg.Cache; a failure is logged, not returned.
func (r *Resilient) Set(ctx context.Context, key string, value []byte, ttl time.Duration) error {
	if r.skipping() {
		return nil
	}
	if err := r.backend.Set(ctx, key, value, ttl); err != nil {
		r.fail(err)
		return nil
	}
	r.ok()
	return nil
}

// Incr implements mkg.Cache. Unlike reads, a failed increment is returned:
// the caller must know that a generation could not be read or bumped.
func (r *Resilient) Incr(ctx context.Context, key string) (int64, error) {
	n, err := r.backend.Incr(ctx, key)
	if err != nil {
		r.fail(err)
		return 0, err
	}
	r.ok()
	return n, nil
}

// Ping implements mkg.Cache and refreshes the status.
func (r *Resilient) Ping(ctx context.Context) error {
	if err := r.backend.Ping(ctx); err != nil {
		r.fail(err)
		return err
	}
	r.ok()
	return nil
}

// Status is the cache's health as /readyz reports it.
type Status struct {
	Backend   string    `json:"backend"`
	OK        bool      `json:"ok"`
	Error     string    `json:"error,omitempty"`
	DownSince time.Time `json:"downSince,omitzero"`
}

// Status returns the current health.
func (r *Resilient) Status() Status {
	r.mu.Lock()
	defer r.mu.Unlock()
	return Status{Backend: r.name, OK: r.downSince.IsZero(), Error: r.lastErr, DownSince: r.downSince}
}

// Available reports whether the backend is believed to answer right now.
func (r *Resilient) Available() bool { return !r.skipping() }

func (r *Resilient) skipping() bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	return time.Now().Before(r.skipUntil)
}

func (r *Resilient) fail(err error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	now := time.Now()
	r.skipUntil = now.Add(r.RetryAfter)
	r.lastErr = err.Error()
	if r.downSince.IsZero() {
		r.downSince = now
		r.log.Error("cache unavailable; answering from the database until it recovers", "cache", r.name, "err", err)
	}
}

func (r *Resilient) ok() {
	r.mu.Lock()
	defer r.mu.Unlock()
	if !r.downSince.IsZero() {
		r.log.Info("cache available again", "cache", r.name, "down_for", time.Since(r.downSince).Round(time.Millisecond))
	}
	r.downSince, r.skipUntil, r.lastErr = time.Time{}, time.Time{}, ""
}
