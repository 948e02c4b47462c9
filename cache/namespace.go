package cache

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"strconv"
	"time"

	"github.com/bmkg/mkggraph/mkg"
)

// Namespaces of cached data: each is the generation (mkg.Generations) of
// the data behind it. Every change to the data advances the generation in
// its own transaction, and every cached key embeds the generation it was
// written under, so an entry is never read after a change, whether or not
// the cache backend heard of it.
const (
	Stations    = mkg.GenStations
	Earthquakes = mkg.GenEarthquakes
)

// key returns the cache key of a request in a namespace at a generation, or
// ok=false when the backend is believed down (then it is not asked at all).
func key(c mkg.Cache, ns string, gen int64, scope string, request any) (string, bool) {
	if r, ok := c.(*Resilient); ok && !r.Available() {
		return "", false
	}
	body, err := json.Marshal(request)
	if err != nil {
		return "", false
	}
	sum := sha256.Sum256(body)
	return ns + ":v" + version + ":" + strconv.FormatInt(gen, 10) + ":" + scope + ":" + hex.EncodeToString(sum[:16]), true
}

// Load returns the cached value of a request in a namespace, or calls
// fetch and caches its result for ttl. gen is the namespace's current
// generation; scope separates callers who may see different data (see
// Options.Scope). Errors from fetch are returned and never cached; a nil
// cache or one that fails just calls fetch.
func Load[T any](ctx context.Context, c mkg.Cache, ns string, gen int64, scope string, request any, ttl time.Duration, fetch func() (T, error)) (T, error) {
	if c == nil {
		return fetch()
	}
	k, ok := key(c, ns, gen, scope, request)
	if ok {
		if b, err := c.Get(ctx, k); err == nil {
			var v T
			if json.Unmarshal(b, &v) == nil {
				return v, nil
			}
		}
	}
	v, err := fetch()
	if err != nil || !ok {
		return v, err
	}
	if b, err := json.Marshal(v); err == nil {
		c.Set(ctx, k, b, ttl)
	}
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
