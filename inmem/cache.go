// Package inmem holds the in-process implementations used when no external
// service is configured: a cache with TTLs and a bounded size.
package inmem

import (
	"context"
	"strconv"
	"time"

	"github.com/bmkg/mkggraph/mkg"
)

// Cache is an in-process mkg.Cache: least-recently-used eviction beyond
// MaxBytes, expiry by TTL. It is shared by every request of one server
// process and by no other process.
type Cache struct {
	lru *lru[[]byte]
}

// DefaultMaxBytes bounds the cache when no size is given.
const DefaultMaxBytes = 64 << 20

// NewCache returns a cache holding at most maxBytes of values (DefaultMaxBytes when 0).
func NewCache(maxBytes int) *Cache {
	if maxBytes <= 0 {
		maxBytes = DefaultMaxBytes
	}
	return &Cache{lru: newLRU[[]byte](maxBytes)}
}

var _ mkg.Cache = (*Cache)(nil)

// Get implements mkg.Cache.
func (c *Cache) Get(_ context.Context, key string) ([]byte, error) {
	v, ok := c.lru.get(key)
	if !ok {
		return nil, mkg.ErrCacheMiss
	}
	return v, nil
}

// Set implements mkg.Cache. A value larger than the whole cache is not kept.
func (c *Cache) Set(_ context.Context, key string, value []byte, ttl time.Duration) error {
	c.lru.put(key, value, len(value), ttl)
	return nil
}

// Incr implements mkg.Cache. Counters never expire.
func (c *Cache) Incr(_ context.Context, key string) (int64, error) {
	var n int64
	c.lru.update(key, func(old []byte, found bool) ([]byte, int) {
		if found {
			n, _ = strconv.ParseInt(string(old), 10, 64)
		}
		n++
		v := []byte(strconv.FormatInt(n, 10))
		return v, len(v)
	})
	return n, nil
}

// Ping implements mkg.Cache; an in-process cache is always there.
func (c *Cache) Ping(context.Context) error { return nil }

// Len returns the number of entries, for tests and metrics.
func (c *Cache) Len() int { return c.lru.len() }
