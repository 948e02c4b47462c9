// Package redis implements MKG Graph's shared cache on Redis through
// go-redis v9, so that every server instance sees the same cached results
// and the same invalidations.
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
	client *goredis.Client
	prefix string
}

var _ mkg.Cache = (*Cache)(nil)

// Open parses a redis:// URL and connects. Timeouts are short on purpose:
// the cache must never make a request slower than going to the database,
// and a Redis that stops answering is treated as a miss (see cache.Resilient).
func Open(ctx context.Context, url, prefix string) (*Cache, error) {
	opt, err := goredis.ParseURL(url)
	if err != nil {
		return nil, fmt.Errorf("REDIS_URL: %w", err)
	}
	opt.DialTimeout = 500 * time.Millisecond
	opt.ReadTimeout = 300 * time.Millisecond
	opt.WriteTimeout = 300 * time.Millisecond
	opt.PoolTimeout = 300 * time.Millisecond
	opt.MaxRetries = 0
	c := &Cache{client: goredis.NewClient(opt), prefix: prefix}
	if err := c.Ping(ctx); err != nil {
		// Not fatal: the server starts and answers from the database, and
		// readiness reports the cache as down until it answers.
		return c, fmt.Errorf("redis not reachable: %w", err)
	}
	return c, nil
}

// debugLogger sends go-redis's own messages (one per failed dial, which
// would flood stderr while Redis is down) to the debug log: the cache's
// state changes are logged once by cache.Resilient.
type debugLogger struct{}

func (debugLogger) Printf(ctx context.Context, format string, v ...any) {
	slog.DebugContext(ctx, "redis: "+fmt.Sprintf(format, v...))
}

func init() { goredis.SetLogger(debugLogger{}) }

// Get implements mkg.Cache.
func (c *Cache) Get(ctx context.Context, key string) ([]byte, error) {
	v, err := c.client.Get(ctx, c.prefix+key).Bytes()
	if errors.Is(err, goredis.Nil) {
		return nil, mkg.ErrCacheMiss
	}
	return v, err
}

// Set implements mkg.Cache.
func (c *Cache) Set(ctx context.Context, key string, value []byte, ttl time.Duration) error {
	return c.client.Set(ctx, c.prefix+key, value, ttl).Err()
}

// Incr implements mkg.Cache.
func (c *Cache) Incr(ctx context.Context, key string) (int64, error) {
	return c.client.Incr(ctx, c.prefix+key).Result()
}

// Ping implements mkg.Cache.
func (c *Cache) Ping(ctx context.Context) error { return c.client.Ping(ctx).Err() }

// Close releases the connections.
func (c *Cache) Close() error { return c.client.Close() }
