package cache

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"strconv"
	"time"

	"github.com/bmkg/mkggraph/inmem"
	"github.com/bmkg/mkggraph/mkg"
)

// Namespaces of cached data: each is the generation (mkg.Generations) of
// the data behind it. Every change to the data advances the generation in
// its own transaction, and every cached key embeds the generation it was
// written under, so an entry is never read after a change, whether or not
// the cache backend heard of it.
const (
	Stations     = mkg.GenStations
	Observations = mkg.GenObservations
	Earthquakes  = mkg.GenEarthquakes
)

// key returns the cache key of a request in a namespace at a generation.
func key(ns string, gen int64, scope string, request any) (string, error) {
	body, err := json.Marshal(request)
	if err != nil {
		return "", err
	}
	sum := sha256.Sum256(body)
	return ns + ":v" + version + ":" + strconv.FormatInt(gen, 10) + ":" + scope + ":" + hex.EncodeToString(sum[:16]), nil
}

// Load returns the cached value of a request in a namespace, or calls
// fetch and caches its result for ttl. gen is the namespace's current
// generation; scope separates callers who may see different data (see
// Options.Scope). Errors from fetch are returned and never cached; a nil
// cache just calls fetch.
// With a Layered cache the decoded value is kept in process memory too;
// the value returned may then be shared with other requests and must not be
// modified.
func Load[T any](ctx context.Context, c mkg.Cache, ns string, gen int64, scope string, request any, ttl time.Duration, fetch func() (T, error)) (T, error) {
	if c == nil {
		return fetch()
	}
	k, err := key(ns, gen, scope, request)
	if err != nil {
		return fetch()
	}
	var objects *inmem.Objects
	lookups := func(string, bool) {}
	if l, ok := c.(*Layered); ok {
		objects = l.objects
		if l.Lookups != nil {
			lookups = l.Lookups
		}
	}
	if objects != nil {
		if v, ok := objects.Get(k); ok {
			if t, ok := v.(T); ok {
				lookups(ns, true)
				return t, nil
			}
		}
	}
	// A shared cache that fails answers a miss (Resilient: at no cost while
	// its breaker is open).
	if b, err := c.Get(ctx, k); err == nil {
		var v T
		if json.Unmarshal(b, &v) == nil {
			if objects != nil {
				objects.Put(k, v, len(b), ttl)
			}
			lookups(ns, true)
			return v, nil
		}
	}
	lookups(ns, false)
	v, err := fetch()
	if err != nil {
		return v, err
	}
	b, err := json.Marshal(v)
	if err != nil {
		return v, nil
	}
	if objects != nil {
		objects.Put(k, v, len(b), ttl)
	}
	c.Set(ctx, k, b, ttl)
	return v, nil
}

// load reads through the cache under the namespace's current generation. When
// the generation cannot be read the cache is not used: without it, an entry
// could be one that a change retired.
func load[T any](ctx context.Context, c mkg.Cache, o Options, ns string, request any, fetch func() (T, error)) (T, error) {
	if o.Generations == nil {
		return fetch()
	}
	gen, err := o.Generations.Generation(ctx, ns)
	if err != nil {
		return fetch()
	}
	return Load(ctx, c, ns, gen, o.scope(ctx), request, o.ttl(ns), fetch)
}

// version tags cached encodings so a deploy that changes a type does not
// read the previous release's entries.
var version = strconv.Itoa(2)
