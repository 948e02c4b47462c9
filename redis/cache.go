// Package redis implements MKG Graph's shared cache on Redis through
// go-redis v9 (one node, a master behind Sentinel, or a Cluster), so that
// every server instance sees the same cached results and the same
// invalidations.
package redis

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	goredis "github.com/redis/go-redis/v9"

	"github.com/bmkg/mkggraph/mkg"
)

// Cache is an mkg.Cache on Redis. Keys are prefixed so several deployments
// (or test runs) can share one Redis.
type Cache struct {
	client goredis.UniversalClient
	prefix string
}

var _ mkg.Cache = (*Cache)(nil)

// New makes a client for REDIS_URL (one node, a Sentinel set or a Cluster:
// see ParseURL), or fails on a URL it cannot use;
// it does no I/O, so a Redis that is down gives a client all the same
// (callers ping it through cache.Resilient, which bounds the wait). The
// settings make a Redis that fails cost at most one short timeout per call,
// and nothing once cache.Resilient's breaker is open: the cache must never
// make a request slower than going to the database.
//
// go-redis's own messages (one per failed dial, which would flood the log
// while Redis is down) go to log at debug level: the cache's state changes
// are logged once by cache.Resilient. go-redis has one logger per process,
// not per client, so the last client made decides where they go.
func New(url, prefix string, log *slog.Logger) (*Cache, error) {
	opt, err := ParseURL(url)
	if err != nil {
		return nil, err
	}
	goredis.SetLogger(debugLogger{log})
	return &Cache{client: newClient(opt), prefix: prefix}, nil
}

// Timeouts of one Redis call; Redis answers a LAN round trip in well under
// a millisecond, so these only ever end a Redis that stopped answering.
const (
	DialTimeout = 250 * time.Millisecond
	IOTimeout   = 250 * time.Millisecond
	// CallTimeout bounds a whole call, whatever go-redis does within it:
	// a Cluster client tries a node that timed out again, then others
	// (up to 4 attempts), which it must be free to do to follow a slot
	// that moved.
	CallTimeout = IOTimeout + 50*time.Millisecond
)

// bound gives a call at most CallTimeout, within the caller's deadline.
func bound(ctx context.Context) (context.Context, context.CancelFunc) {
	return context.WithTimeout(ctx, CallTimeout)
}

// debugLogger writes go-redis's messages to a log at debug level.
type debugLogger struct{ log *slog.Logger }

func (d debugLogger) Printf(ctx context.Context, format string, v ...any) {
	d.log.DebugContext(ctx, "redis: "+fmt.Sprintf(format, v...))
}

// Get implements mkg.Cache.
func (c *Cache) Get(ctx context.Context, key string) ([]byte, error) {
	ctx, cancel := bound(ctx)
	defer cancel()
	v, err := c.client.Get(ctx, c.prefix+key).Bytes()
	if errors.Is(err, goredis.Nil) {
		return nil, mkg.ErrCacheMiss
	}
	return v, err
}

// Set implements mkg.Cache.
func (c *Cache) Set(ctx context.Context, key string, value []byte, ttl time.Duration) error {
	ctx, cancel := bound(ctx)
	defer cancel()
	return c.client.Set(ctx, c.prefix+key, value, ttl).Err()
}

// Incr implements mkg.Cache.
func (c *Cache) Incr(ctx context.Context, key string) (int64, error) {
	ctx, cancel := bound(ctx)
	defer cancel()
	return c.client.Incr(ctx, c.prefix+key).Result()
}

// Ping implements mkg.Cache.
func (c *Cache) Ping(ctx context.Context) error {
	ctx, cancel := bound(ctx)
	defer cancel()
	return c.client.Ping(ctx).Err()
}

// Close releases the connections.
func (c *Cache) Close() error { return c.client.Close() }

// PoolStats are the connection pool's figures (the server's metrics).
func (c *Cache) PoolStats() *goredis.PoolStats { return c.client.PoolStats() }
