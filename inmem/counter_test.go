package inmem

import (
	"context"
	"slices"
	"testing"
	"time"
)

func TestCounter(t *testing.T) {
	ctx := context.Background()
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	c := NewCounter(3, func() time.Time { return now })
	if n, _ := c.Add(ctx, time.Minute, "a", "b"); !slices.Equal(n, []int64{1, 1}) {
		t.Fatalf("first add: %v", n)
	}
	c.Add(ctx, time.Minute, "a")
	if n, _ := c.Counts(ctx, "a", "b", "c"); !slices.Equal(n, []int64{2, 1, 0}) {
		t.Fatalf("counts: %v", n)
	}
	now = now.Add(time.Minute)
	if n, _ := c.Counts(ctx, "a"); n[0] != 0 {
		t.Errorf("count after its window: %d", n[0])
	}
	// The table is bounded: ended windows are dropped first, then all.
	c.Add(ctx, time.Minute, "x", "y", "z")
	if len(c.counts) > 3 {
		t.Errorf("%d keys held, bound 3", len(c.counts))
	}
	c.Add(ctx, time.Minute, "w")
	if len(c.counts) > 3 {
		t.Errorf("%d keys held after a full table, bound 3", len(c.counts))
	}
}
