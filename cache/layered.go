package cache

import (
	"github.com/bmkg/mkggraph/inmem"
	"github.com/bmkg/mkggraph/mkg"
)

// Layered is the cache as the server's readers use it: decoded values in
// this process's memory in front of the shared cache (Redis, or the
// in-process byte cache). Keys embed the generation of the data behind
// them, so an entry never changes once written and both layers can keep it
// until it expires or is evicted; a change to the data moves readers to new
// keys. Values from the first layer are shared between requests: readers
// never modify what Load returns.
type Layered struct {
	mkg.Cache
	objects *inmem.Objects
	// Lookups, when set, is told of every read through Load: its
	// namespace, and whether either layer had it (the server's metrics).
	Lookups func(namespace string, hit bool)
}

// NewLayered puts an object layer of at most objectBytes (estimated by
// serialized size) in front of shared; none when objectBytes is 0.
func NewLayered(shared mkg.Cache, objectBytes int) *Layered {
	l := &Layered{Cache: shared}
	if objectBytes > 0 {
		l.objects = inmem.NewObjects(objectBytes)
	}
	return l
}
