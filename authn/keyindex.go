package authn

import (
	"context"
	"sync"

	"github.com/bmkg/mkggraph/mkg"
)

// keyIndex tells whether a key is a current one without a lookup per key:
// the hash of every key not revoked, by prefix, read in one statement and
// kept until the access version changes. It is read only for throttled
// clients, so that a valid key still passes while a flood of bad ones
// costs no statement each.
type keyIndex struct {
	mu      sync.Mutex
	version int64
	hashes  map[string]string // nil until loaded
}

// matches reports whether key is the key of its prefix as of version.
func (ix *keyIndex) matches(ctx context.Context, store mkg.AccessStore, version int64, key string) (bool, error) {
	prefix, ok := mkg.KeyPrefix(key)
	if !ok {
		return false, nil
	}
	ix.mu.Lock()
	defer ix.mu.Unlock()
	if ix.hashes == nil || version > ix.version {
		h, err := store.KeyHashes(ctx)
		if err != nil {
			return false, err
		}
		ix.hashes, ix.version = h, version
	}
	hash, ok := ix.hashes[prefix]
	return ok && mkg.KeyMatches(key, hash), nil
}
