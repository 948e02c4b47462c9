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
				c.prune(now)
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

func (c *Counter) prune(now time.Time) {
	for k, w := range c.counts {
		if !now.Before(w.ends) {
			delete(c.counts, k)
		}
	}
	if len(c.counts) >= c.max {
		c.counts = map[string]*window{}
	}
}
