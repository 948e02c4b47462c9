package inmem

import (
	"container/list"
	"sync"
	"time"
)

// lru is a map with least-recently-used eviction beyond maxBytes (each
// entry's size is given by its writer) and expiry by TTL.
type lru[V any] struct {
	mu       sync.Mutex
	maxBytes int
	size     int
	order    *list.List // front = most recently used
	items    map[string]*list.Element
	now      func() time.Time
}

type lruEntry[V any] struct {
	key     string
	value   V
	size    int
	expires time.Time // zero: never
}

func newLRU[V any](maxBytes int) *lru[V] {
	return &lru[V]{maxBytes: maxBytes, order: list.New(), items: map[string]*list.Element{}, now: time.Now}
}

func (c *lru[V]) get(key string) (V, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	el, ok := c.items[key]
	if !ok {
		var zero V
		return zero, false
	}
	e := el.Value.(*lruEntry[V])
	if !e.expires.IsZero() && !c.now().Before(e.expires) {
		c.remove(el)
		var zero V
		return zero, false
	}
	c.order.MoveToFront(el)
	return e.value, true
}

// put stores value; one larger than the whole budget is not kept.
func (c *lru[V]) put(key string, value V, size int, ttl time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if el, ok := c.items[key]; ok {
		c.remove(el)
	}
	c.insert(key, value, size, ttl)
}

// update replaces key's value, under one lock, with what next makes of the
// one stored (found even when expired: a counter's count outlives a TTL it
// was once set with); the new value never expires.
func (c *lru[V]) update(key string, next func(old V, found bool) (value V, size int)) {
	c.mu.Lock()
	defer c.mu.Unlock()
	var old V
	el, found := c.items[key]
	if found {
		old = el.Value.(*lruEntry[V]).value
		c.remove(el)
	}
	value, size := next(old, found)
	c.insert(key, value, size, 0)
}

// insert adds an entry for a key that has none, evicting from the least
// recently used end beyond the budget; one larger than the whole budget is
// not kept.
func (c *lru[V]) insert(key string, value V, size int, ttl time.Duration) {
	size += len(key)
	if size > c.maxBytes {
		return
	}
	e := &lruEntry[V]{key: key, value: value, size: size}
	if ttl > 0 {
		e.expires = c.now().Add(ttl)
	}
	c.items[key] = c.order.PushFront(e)
	c.size += size
	for c.size > c.maxBytes {
		c.remove(c.order.Back())
	}
}

func (c *lru[V]) len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.items)
}

func (c *lru[V]) remove(el *list.Element) {
	e := el.Value.(*lruEntry[V])
	c.order.Remove(el)
	delete(c.items, e.key)
	c.size -= e.size
}
