package inmem

import "time"

// Objects keeps decoded values in process memory, in front of a cache that
// holds them serialized (Redis, or Cache): a hit costs neither a round trip
// nor a decode. Values are shared by every request that reads them, so
// readers must never change them. Sizes are estimates given by the writer
// (the serialized length); the budget bounds their sum.
type Objects struct{ lru *lru[any] }

// DefaultObjectBytes bounds Objects when no size is given.
const DefaultObjectBytes = 32 << 20

// NewObjects returns an object cache of at most maxBytes (estimated);
// DefaultObjectBytes when 0.
func NewObjects(maxBytes int) *Objects {
	if maxBytes <= 0 {
		maxBytes = DefaultObjectBytes
	}
	return &Objects{lru: newLRU[any](maxBytes)}
}

// Get returns the value stored under key, if any and not expired.
func (o *Objects) Get(key string) (any, bool) { return o.lru.get(key) }

// Put stores value under key for ttl (0: until evicted); size is its
// estimated size in bytes.
func (o *Objects) Put(key string, value any, size int, ttl time.Duration) {
	o.lru.put(key, value, size, ttl)
}

// Len returns the number of entries.
func (o *Objects) Len() int { return o.lru.len() }
