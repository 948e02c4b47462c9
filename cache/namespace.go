package cache

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"strconv"
	"time"

	"github.com/bmkg/mkggraph/mkg"
)

// Namespaces of cached data. Ingest invalidates a namespace when it changes
// the data behind it.
const (
	Stations    = "stations"
	Earthquakes = "earthquakes"
)

// generationKey holds a namespace's generation: every cached key embeds the
// generation it was written under, so bumping the counter (one atomic INCR,
// seen at once by every server instance sharing the backend) retires every
// entry of the namespace without finding them.
func generationKey(ns string) string { return "gen:" + ns }

// Invalidate retires everything cached in the namespaces.
func Invalidate(ctx context.Context, c mkg.Cache, namespaces ...string) error {
	var errs []error
	for _, ns := range namespaces {
		if _, err := c.Incr(ctx, generationKey(ns)); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// key returns the cache key for a request in a namespace, or ok=false when
// the generation cannot be read (then the cache must be bypassed: a stale
// generation could serve data that was invalidated meanwhile).
func key(ctx context.Context, c mkg.Cache, ns, scope string, request any) (string, bool) {
	gen := "0"
	switch v, err := c.Get(ctx, generationKey(ns)); {
	case err == nil:
		gen = string(v)
	case !errors.Is(err, mkg.ErrCacheMiss):
		return "", false
	}
	if r, ok := c.(*Resilient); ok && !r.Available() {
		return "", false
	}
	body, err := json.Marshal(request)
	if err != nil {
		return "", false
	}
	sum := sha256.Sum256(body)
	return ns + ":v" + version + ":" + gen + ":" + scope + ":" + hex.EncodeToString(sum[:16]), true
}

// Load returns the cached value of a request in a namespace, or calls
// fetch and caches its result for ttl. scope separates callers who may see
// different data (see Options.Scope). Errors from fetch are returned and
// never cached; a nil cache or one that fails just calls fetch.
func Load[T any](ctx context.Context, c mkg.Cache, ns, scope string, request any, ttl time.Duration, fetch func() (T, error)) (T, error) {
	if c == nil {
		return fetch()
	}
	k, ok := key(ctx, c, ns, scope, request)
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

func load[T any](ctx context.Context, c mkg.Cache, o Options, ns string, request any, fetch func() (T, error)) (T, error) {
	return Load(ctx, c, ns, o.scope(ctx), request, o.ttl(ns), fetch)
}

// version tags cached encodings so a deploy that changes a type does not
// read the previous release's entries.
var version = strconv.Itoa(1)
