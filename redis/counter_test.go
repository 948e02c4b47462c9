package redis

import (
	"context"
	"log/slog"
	"slices"
	"testing"
	"time"

	"github.com/bmkg/mkggraph/internal/testenv"
)

// TestCounter: counts are shared by clients of one Redis, every counted
// key expires with its window, and a window's end starts the count again.
func TestCounter(t *testing.T) {
	url, prefix := testenv.RedisURL(t)
	ctx := context.Background()
	open := func() *Cache {
		c, err := New(url, prefix, slog.New(slog.DiscardHandler))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { c.Close() })
		return c
	}
	a, b := open(), open()
	const window = 300 * time.Millisecond
	if n, err := a.Add(ctx, window, "x", "y"); err != nil || !slices.Equal(n, []int64{1, 1}) {
		t.Fatalf("first add: %v %v", n, err)
	}
	if n, err := b.Add(ctx, window, "x"); err != nil || !slices.Equal(n, []int64{2}) {
		t.Fatalf("add from another client: %v %v", n, err)
	}
	if n, err := a.Counts(ctx, "x", "y", "z"); err != nil || !slices.Equal(n, []int64{2, 1, 0}) {
		t.Fatalf("counts: %v %v", n, err)
	}
	for _, k := range []string{"x", "y"} {
		if ttl := a.client.PTTL(ctx, prefix+k).Val(); ttl <= 0 || ttl > window {
			t.Errorf("%s expires in %v, want within the window", k, ttl)
		}
	}
	time.Sleep(window + 100*time.Millisecond)
	if n, _ := a.Counts(ctx, "x"); n[0] != 0 {
		t.Errorf("count after the window: %d", n[0])
	}
	if n, _ := a.Add(ctx, window, "x"); n[0] != 1 {
		t.Errorf("first count of a new window: %d", n[0])
	}
}
