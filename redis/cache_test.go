package redis_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/bmkg/mkggraph/internal/testsvc"
	"github.com/bmkg/mkggraph/mkg"
	"github.com/bmkg/mkggraph/redis"
)

// TestRedisFailsFast: a call to a Redis that is frozen or gone fails after
// one short timeout or at once, never after go-redis's retries (by default
// 3 resends and 5 dials each, about a second per call), and the client
// works again as soon as Redis does.
func TestRedisFailsFast(t *testing.T) {
	t.Parallel()
	srv := testsvc.Redis(t)
	c, err := redis.Open(context.Background(), srv.RedisURL(0), "t:")
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	ctx := context.Background()
	if err := c.Set(ctx, "k", []byte("v"), time.Minute); err != nil {
		t.Fatal(err)
	}
	timed := func(ctx context.Context) (time.Duration, error) {
		start := time.Now()
		_, err := c.Get(ctx, "k")
		return time.Since(start), err
	}

	srv.Freeze()
	if d, err := timed(ctx); err == nil || errors.Is(err, mkg.ErrCacheMiss) || d > redis.IOTimeout+250*time.Millisecond {
		t.Errorf("Get from a frozen Redis: %v after %v; want an error within %v", err, d, redis.IOTimeout)
	}
	short, cancel := context.WithTimeout(ctx, 50*time.Millisecond)
	d, err := timed(short)
	cancel()
	if err == nil || d > 200*time.Millisecond {
		t.Errorf("Get under a 50 ms deadline from a frozen Redis: %v after %v; the caller's deadline must bound it", err, d)
	}
	srv.Thaw()
	if _, err := timed(ctx); err != nil {
		t.Errorf("Get after thaw: %v", err)
	}

	srv.Kill()
	for i := range 3 {
		if d, err := timed(ctx); err == nil || d > 150*time.Millisecond {
			t.Errorf("Get %d from a killed Redis: %v after %v; want a refusal at once", i, err, d)
		}
	}
	srv.Restart()
	if err := c.Ping(ctx); err != nil {
		t.Errorf("Ping after restart: %v", err)
	}
}
