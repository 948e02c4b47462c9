package graph

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/bmkg/mkggraph/inmem"
	"github.com/bmkg/mkggraph/mkg"
)

func hashOf(q string) string { s := sha256.Sum256([]byte(q)); return hex.EncodeToString(s[:]) }

// TestPersistedQueriesShared: a query added on one instance is found by
// another through the shared cache, with its TTL; a query over
// sharedQueryBytes stays with its instance; an entry whose text does not
// have its hash is not used; a key that is not a SHA-256 never reaches the
// shared cache; a shared cache that fails is a miss.
func TestPersistedQueriesShared(t *testing.T) {
	ctx := context.Background()
	shared := &recordingCache{Cache: inmem.NewCache(1 << 20)}
	a, b := newPersistedQueries(shared), newPersistedQueries(shared)

	q := "{ stations { totalCount } }"
	a.Add(ctx, hashOf(q), q)
	if got, ok := b.Get(ctx, hashOf(q)); !ok || got != q {
		t.Fatalf("B did not find A's query: %q %v", got, ok)
	}
	if shared.ttl != sharedQueryTTL {
		t.Errorf("shared with TTL %v, want %v", shared.ttl, sharedQueryTTL)
	}
	shared.gets = 0
	b.Get(ctx, hashOf(q))
	if shared.gets != 0 {
		t.Errorf("a query B had read was read from the shared cache again")
	}

	big := "{ " + strings.Repeat("a ", sharedQueryBytes/2) + "}"
	a.Add(ctx, hashOf(big), big)
	if _, ok := b.Get(ctx, hashOf(big)); ok {
		t.Errorf("a query of %d bytes was shared", len(big))
	}
	if _, ok := a.Get(ctx, hashOf(big)); !ok {
		t.Errorf("a query too large to share was not kept by its instance")
	}

	forged := hashOf("{ earthquakes { totalCount } }")
	shared.Set(ctx, persistedKey(forged), []byte(q), time.Minute)
	if got, ok := b.Get(ctx, forged); ok {
		t.Errorf("an entry whose text has another hash was used: %q", got)
	}

	shared.gets, shared.sets = 0, 0
	for _, k := range []string{"", "x", strings.ToUpper(hashOf(q)), hashOf(q)[:63] + "g", strings.Repeat("a", 1<<10)} {
		b.Get(ctx, k)
		a.Add(ctx, k, q)
	}
	if shared.gets != 0 || shared.sets != 0 {
		t.Errorf("keys that are not a SHA-256 reached the shared cache: %d reads, %d writes", shared.gets, shared.sets)
	}

	broken := newPersistedQueries(failingCache{})
	if _, ok := broken.Get(ctx, hashOf(q)); ok {
		t.Error("a failing shared cache found a query")
	}
	broken.Add(ctx, hashOf(q), q)
	if got, ok := broken.Get(ctx, hashOf(q)); !ok || got != q {
		t.Error("with its shared cache failing, an instance lost the query it was sent")
	}
}

type recordingCache struct {
	mkg.Cache
	gets, sets int
	ttl        time.Duration
}

func (c *recordingCache) Get(ctx context.Context, key string) ([]byte, error) {
	c.gets++
	return c.Cache.Get(ctx, key)
}

func (c *recordingCache) Set(ctx context.Context, key string, v []byte, ttl time.Duration) error {
	c.sets++
	c.ttl = ttl
	return c.Cache.Set(ctx, key, v, ttl)
}

type failingCache struct{ mkg.Cache }

func (failingCache) Get(context.Context, string) ([]byte, error) { return nil, errors.New("down") }
func (failingCache) Set(context.Context, string, []byte, time.Duration) error {
	return errors.New("down")
}
