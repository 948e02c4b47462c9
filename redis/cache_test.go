package redis_test

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"net"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/bmkg/mkggraph/internal/testsvc"
	"github.com/bmkg/mkggraph/mkg"
	"github.com/bmkg/mkggraph/redis"
)

// TestRedisFailsFast: a call to a Redis that is frozen or gone fails after
// one short timeout or at once, never after go-redis's retries (by default
// 3 resends and 5 dials each, about a second per call), and the client
// works again as soon as Redis does: a single node, the master behind
// Sentinel, the Cluster node holding the key. A Cluster client does try a
// node that failed 3 more times, on it and on others, with a pause before
// each (clusterPauses).
func TestRedisFailsFast(t *testing.T) {
	t.Parallel()
	t.Run("single", func(t *testing.T) {
		t.Parallel()
		srv := testsvc.Redis(t)
		failsFast(t, srv.RedisURL(0), srv, 0)
	})
	t.Run("sentinel", func(t *testing.T) {
		t.Parallel()
		set := testsvc.RedisSentinel(t, 1)
		failsFast(t, set.URL(0), set.Master(), 0)
	})
	t.Run("cluster", func(t *testing.T) {
		t.Parallel()
		nodes := testsvc.RedisCluster(t, 3)
		failsFast(t, nodes.URL(), nodes.Owner(t, "t:k"), clusterPauses)
	})
}

// clusterPauses is the most a Cluster client sleeps in one call between its
// 4 attempts: go-redis's retry backoff, 10 ms plus a random 0–20, 0–40 and
// 0–80 ms (65–160 ms were measured for a call to a killed node).
const clusterPauses = 3*10*time.Millisecond + (20+40+80)*time.Millisecond

// failsFast freezes, thaws, kills and restarts srv, behind url. pauses is
// the most the client sleeps in a call between attempts by design.
func failsFast(t *testing.T, url string, srv *testsvc.Process, pauses time.Duration) {
	c, err := redis.New(url, "t:", slog.New(slog.DiscardHandler))
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

	// A killed Redis refuses connections. Each call must end on that
	// refusal, not on CallTimeout, where go-redis's redials (100 ms apart)
	// would take it; the limit of 250 ms past CallTimeout catches a call
	// that no longer has that bound. Resends of a refused call sleep 8 ms
	// or more each, 24 ms for go-redis's 3: the fastest of the calls (a
	// loaded machine may hold up one, not every one) must take no longer
	// than the client's own pauses and 20 ms.
	srv.Kill()
	fastest := time.Hour
	for i := range 3 {
		d, err := timed(ctx)
		if !errors.Is(err, syscall.ECONNREFUSED) || d > redis.CallTimeout+250*time.Millisecond {
			t.Errorf("Get %d from a killed Redis: %v after %v; want the refusal, before the call's bound (%v)", i, err, d, redis.CallTimeout)
		}
		fastest = min(fastest, d)
	}
	if fastest > pauses+20*time.Millisecond {
		t.Errorf("the fastest Get from a killed Redis took %v; want a refusal after at most %v of pauses", fastest, pauses)
	}
	srv.Restart()
	for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		err := c.Ping(ctx)
		if err == nil {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("Ping 5 s after restart: %v", err)
		}
	}
}

// TestNewWorksOrFails: a URL New cannot use gives no client; a usable one
// gives a client whether or not Redis answers, and go-redis's own messages
// about it go to the log New was given, at debug level.
func TestNewWorksOrFails(t *testing.T) {
	quiet := slog.New(slog.DiscardHandler)
	for _, url := range []string{"http://127.0.0.1:6379/0", "redis://127.0.0.1:6379/zero"} {
		if c, err := redis.New(url, "t:", quiet); c != nil || err == nil {
			t.Errorf("New(%q) = %v, %v; want no client and an error", url, c, err)
		}
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close() // nothing listens there now
	var logs syncBuffer
	c, err := redis.New("redis://"+addr+"/0", "t:", slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug})))
	if err != nil || c == nil {
		t.Fatalf("New for a Redis that is down = %v, %v; want a client", c, err)
	}
	defer c.Close()
	if err := c.Ping(context.Background()); err == nil {
		t.Fatal("Ping of a Redis that is down succeeded")
	}
	for deadline := time.Now().Add(2 * time.Second); !strings.Contains(logs.String(), "level=DEBUG msg=\"redis: "); {
		if time.Now().After(deadline) {
			t.Fatalf("go-redis's dial failure did not reach the log given to New at debug level; log:\n%s", logs.String())
		}
		time.Sleep(10 * time.Millisecond)
	}
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}
func (s *syncBuffer) String() string { s.mu.Lock(); defer s.mu.Unlock(); return s.b.String() }
