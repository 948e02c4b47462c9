package inmem

import (
	"context"
	"sync"
	"time"

	"github.com/bmkg/mkggraph/mkg"
)

// Counter is an in-process mkg.Counter with a bounded table.
type Counter struct {
	max int
	now func() time.Time

	mu     sync.Mutex
	counts map[string]*window
}

type window struct {
	n    int64
	ends time.Time
}

var _ mkg.Counter = (*Counter)(nil)

// NewCounter returns a counter holding at most max keys (100,000 when 0).
// Past it, ended windows are dropped and, failing that, the whole table is
// reset: forgetting is safe, remembering without bound is not.
func NewCounter(max int, now func() time.Time) *Counter {
	if max <= 0 {
		max = 100_000
	}
	if now == nil {
		now = time.Now
	}
	return &Counter{max: max, now: now, counts: map[string]*window{}}
}

// Add implements mkg.Counter.
func (c *Counter) Add(_ context.Context, d time.Duration, keys ...string) ([]int64, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	now := c.now()
	out := make([]int64, len(keys))
	for i, k := range keys {
		w := c.counts[k]
		if w == nil || !now.Before(w.ends) {
			if len(c.counts) >= c.max {
				c.counts = pruned(c.counts, c.max, func(w *window) bool { return !now.Before(w.ends) })
			}
			w = &window{ends: now.Add(d)}
			c.counts[k] = w
		}
		w.n++
		out[i] = w.n
	}
	return out, nil
}

// Counts implements mkg.Counter.
func (c *Counter) Counts(_ context.Context, keys ...string) ([]int64, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	now := c.now()
	out := make([]int64, len(keys))
	for i, k := range keys {
		if w := c.counts[k]; w != nil && now.Before(w.ends) {
			out[i] = w.n
		}
	}
	return out, nil
}

// pruned drops the entries of m that ended (for a map that holds max
// entries and needs room for one more); when none had, it answers an empty
// map, so that a flood of distinct keys cannot grow memory without bound.
func pruned[V any](m map[string]V, max int, ended func(V) bool) map[string]V {
	for k, v := range m {
		if ended(v) {
			delete(m, k)
		}
	}
	if len(m) >= max {
		return map[string]V{}
	}
	return m
}
