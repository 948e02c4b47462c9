package graph

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"time"

	"github.com/bmkg/mkggraph/mkg"
)

// Automatic persisted queries (a client sends a query's SHA-256 instead
// of the query, and the query once when told PERSISTED_QUERY_NOT_FOUND)
// are kept in process memory and, when there is one, in the shared cache
// (Redis), so that a hash registered with one instance is known to every
// instance behind the load balancer.
const (
	// sharedQueryBytes is the largest query shared: a larger one is kept
	// by the instance that was sent it only.
	sharedQueryBytes = 64 << 10
	// sharedQueryTTL is how long a shared query is kept after it was
	// sent; a client sends it again when told it is not found.
	sharedQueryTTL = 24 * time.Hour
)

// persistedQueries is gqlgen's APQ cache: the bounded in-process cache
// first, then the shared one. A shared cache that fails costs a miss (or
// a write not made), never an error: it is a cache.Resilient in the
// server.
type persistedQueries struct {
	local  *boundedCache[string]
	shared mkg.Cache // nil: this process only
}

func newPersistedQueries(shared mkg.Cache) *persistedQueries {
	return &persistedQueries{local: newBoundedCache(cachedEntries, cachedQueryBytes, queryWeight), shared: shared}
}

// Get implements graphql.Cache. A query read from the shared cache is
// used only if it has the hash asked for.
func (p *persistedQueries) Get(ctx context.Context, hash string) (string, bool) {
	if q, ok := p.local.Get(ctx, hash); ok {
		return q, true
	}
	if p.shared == nil || !isSHA256(hash) {
		return "", false
	}
	b, err := p.shared.Get(ctx, persistedKey(hash))
	if err != nil || len(b) > sharedQueryBytes {
		return "", false
	}
	if sum := sha256.Sum256(b); hex.EncodeToString(sum[:]) != hash {
		return "", false
	}
	q := string(b)
	p.local.Add(ctx, hash, q)
	return q, true
}

// Add implements graphql.Cache; gqlgen calls it once it has checked that
// the query has this hash.
func (p *persistedQueries) Add(ctx context.Context, hash, query string) {
	p.local.Add(ctx, hash, query)
	if p.shared != nil && isSHA256(hash) && len(query) <= sharedQueryBytes {
		p.shared.Set(ctx, persistedKey(hash), []byte(query), sharedQueryTTL)
	}
}

func persistedKey(hash string) string { return "persisted-query:" + hash }

// isSHA256 reports whether s is a SHA-256 in lower-case hex, as gqlgen
// compares them: nothing else is looked up in the shared cache.
func isSHA256(s string) bool {
	if len(s) != 64 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; (c < '0' || c > '9') && (c < 'a' || c > 'f') {
			return false
		}
	}
	return true
}
