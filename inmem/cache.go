// Package inmem holds the in-process implementations used when no external
// service is configured: a cache with TTLs and a bounded size.
package inmem

import (
	"container/list"
	"context"
	"strconv"
	"sync"
	"time"

	"github.com/bmkg/mkggraph/mkg"
)

// Cache is an in-process mkg.Cache: least-recently-used eviction beyond
// MaxBytes, expiry by TTL. It is shared by every request of one server
// process and by no other process.
type Cache struct {
	mu       sync.Mutex
	maxBytes int
	size     int
	lru      *list.List // front = most recently used
	items    map[string]*list.Element
	now      func() time.Time
}

type entry struct {
	key     string
	value   []byte
	expires time.Time
}

// DefaultMaxBytes bounds the cache when no size is given.
const DefaultMaxBytes = 64 << 20

// NewCache returns a cache holding at most maxBytes of values (DefaultMaxBytes when 0).
func NewCache(maxBytes int) *Cache {
	if maxBytes <= 0 {
		maxBytes = DefaultMaxBytes
	}
	return &Cache{maxBytes: maxBytes, lru: list.New(), items: map[string]*list.Element{}, now: time.Now}
}

var _ mkg.Cache = (*Cache)(nil)

// Get implements mkg.Cache.
func (c *Cache) Get(_ context.Context, key string) ([]byte, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	el, ok := c.items[key]
	if !ok {
		return nil, mkg.ErrCacheMiss
	}
	e := el.Value.(*entry)
	if !e.expires.IsZero() && !c.now().Before(e.expires) {
		c.remove(el)
		return nil, mkg.ErrCacheMiss
	}
	c.lru.MoveToFront(el)
	return e.value, nil
}

// Set implements mkg.Cache. A value larger than the whole cache is not kept.
func (c *Cache) Set(_ context.Context, key string, value []byte, ttl time.Duration) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if el, ok := c.items[key]; ok {
		c.remove(el)
	}
	if len(key)+len(value) > c.maxBytes {
		return nil
	}
	e := &entry{key: key, value: value}
	if ttl > 0 {
		e.expires = c.now().Add(ttl)
	}
	c.items[key] = c.lru.PushFront(e)
	c.size += len(key) + len(value)
	for c.size > c.maxBytes {
		c.remove(c.lru.Back())
	}
	return nil
}

// Incr implements mkg.Cache. Counters never expire.
func (c *Cache) Incr(_ context.Context, key string) (int64, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	var n int64
	if el, ok := c.items[key]; ok {
		n, _ = strconv.ParseInt(string(el.Value.(*entry).value), 10, 64)
		c.remove(el)
	}
	n++
	v := []byte(strconv.FormatInt(n, 10))
	c.items[key] = c.lru.PushFront(&entry{key: key, value: v})
	c.size += len(key) + len(v)
	return n, nil
}

// Ping implements mkg.Cache; an in-process cache is always there.
func (c *Cache) Ping(context.Context) error { return nil }

// Len returns the number of entries, for tests and metrics.
func (c *Cache) Len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.items)
}

func (c *Cache) remove(el *list.Element) {
	e := el.Value.(*entry)
	c.lru.Remove(el)
	delete(c.items, e.key)
	c.size -= len(e.key) + len(e.value)
}
