// Package authn resolves who is calling: API keys to principals, with the
// dataset classifications in force. Every administrative change advances the
// access generation in its own transaction (sqlstore), and what this
// package caches is keyed by that generation, so a change is in force on
// every instance's next request.
package authn

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"log/slog"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/bmkg/mkggraph/cache"
	"github.com/bmkg/mkggraph/mkg"
)

// Namespace is the cache namespace of authentication data, keyed by the
// access generation.
const Namespace = "auth"

// cacheTTL bounds how long a resolved key or the classifications are
// reused when no change invalidates them sooner.
const cacheTTL = time.Minute

// touchEvery is how often a key's last-used time is written at most.
const touchEvery = time.Minute

// Authenticator turns the Authorization header of a request into a
// principal. Keys are looked up by their public prefix and compared by hash
// in constant time. Resolved keys (unknown ones too) and the classifications
// are cached, keyed by the store's access version, which every access change
// advances in its own transaction. The version is held in memory and kept
// current by the store (see mkg.Generations), so a request answered from
// the cache costs no database statement, and a change is in force on the
// instance that made it from its next request, on the others within about
// a second, whether the shared cache is up or not.
type Authenticator struct {
	store   mkg.AccessStore
	cache   mkg.Cache
	log     *slog.Logger
	now     func() time.Time
	limiter *Limiter
	keys    keyIndex
	// anonymous makes the principals of callers without a key under the
	// classifications of one access version.
	anonymous atomic.Pointer[anonymousAt]

	mu      sync.Mutex
	touched map[int64]time.Time
}

// NewAuthenticator returns an Authenticator. c may be nil (no caching);
// now may be nil (the real clock).
func NewAuthenticator(store mkg.AccessStore, c mkg.Cache, log *slog.Logger, now func() time.Time) *Authenticator {
	if now == nil {
		now = time.Now
	}
	return &Authenticator{store: store, cache: c, log: log, now: now, limiter: NewLimiter(20, time.Minute, nil, log),
		touched: map[int64]time.Time{}}
}

// WithLimiter replaces the default limiter (20 bad keys a minute, counted
// in-process), before the Authenticator is used.
func (a *Authenticator) WithLimiter(l *Limiter) *Authenticator {
	a.limiter = l
	return a
}

// Authenticate returns the caller of a request: anonymous without an
// Authorization header, the key's account otherwise. A header that is not a
// valid, current key is UNAUTHENTICATED (never anonymous), or
// mkg.ErrTooManyFailures once its client address or its key prefix has sent
// too many bad keys lately. A valid key is never refused for that: a
// throttled request's key is checked against every current key's hash
// (keyIndex) instead of being looked up, and passes if it matches.
func (a *Authenticator) Authenticate(ctx context.Context, header, client string) (*mkg.Principal, error) {
	now := a.now()
	if header == "" {
		version, err := a.store.AccessVersion(ctx)
		if err != nil {
			return nil, err
		}
		if anon := a.anonymous.Load(); anon != nil && anon.version == version {
			return anon.principals.At(now), nil
		}
		classes, err := a.classifications(ctx, version)
		if err != nil {
			return nil, err
		}
		anon := &anonymousAt{version: version, principals: mkg.NewAnonymousUnder(classes)}
		a.anonymous.Store(anon)
		return anon.principals.At(now), nil
	}
	p, err := a.authenticateKey(ctx, header, client, now)
	if mkg.ErrorCode(err) == mkg.EUNAUTHENTICATED && a.limiter.Fail(ctx, client, keyPrefixOf(header)) {
		return nil, mkg.ErrTooManyFailures
	}
	return p, err
}

// anonymousAt is how anonymous callers are made at one access version: the
// classifications of a version never change (a change makes a new version).
type anonymousAt struct {
	version    int64
	principals *mkg.AnonymousUnder
}

// admit decides whether a key that is not cached may be looked up: yes,
// unless its client or prefix is throttled and it is not a current key.
func (a *Authenticator) admit(ctx context.Context, key, client string, version int64) error {
	prefix, _ := mkg.KeyPrefix(key)
	if !a.limiter.Blocked(ctx, client, prefix) {
		return nil
	}
	ok, err := a.keys.matches(ctx, a.store, version, key)
	if err != nil {
		return err
	}
	if !ok {
		return mkg.ErrTooManyFailures
	}
	return nil
}

// bearerKey returns the key of an Authorization header.
func bearerKey(header string) (string, bool) {
	scheme, key, _ := strings.Cut(strings.TrimSpace(header), " ")
	key = strings.TrimSpace(key)
	return key, strings.EqualFold(scheme, "Bearer") && key != ""
}

func keyPrefixOf(header string) string {
	key, _ := bearerKey(header)
	prefix, _ := mkg.KeyPrefix(key)
	return prefix
}

func unauthenticated(msg string) error { return &mkg.Error{Code: mkg.EUNAUTHENTICATED, Message: msg} }

func (a *Authenticator) authenticateKey(ctx context.Context, header, client string, now time.Time) (*mkg.Principal, error) {
	key, ok := bearerKey(header)
	if scheme, _, _ := strings.Cut(strings.TrimSpace(header), " "); !ok && strings.EqualFold(scheme, "Bearer") {
		// "Bearer " and nothing: a shell variable that was never set.
		return nil, unauthenticated("the Authorization header holds no key: send \"Bearer <API key>\", or no Authorization header to call anonymously")
	}
	if !ok {
		return nil, unauthenticated("the Authorization header must be \"Bearer <API key>\"")
	}
	prefix, ok := mkg.KeyPrefix(key)
	if !ok {
		return nil, unauthenticated("not an MKG Graph API key (they look like mkg_1a2b3c4d_…)")
	}
	version, err := a.store.AccessVersion(ctx)
	if err != nil {
		return nil, err
	}
	cred, err := a.credential(ctx, key, prefix, client, version)
	if err != nil {
		return nil, err
	}
	p, err := a.principal(ctx, cred, version, now)
	if err != nil {
		return nil, err
	}
	a.touch(cred.Key.ID, now)
	return p, nil
}

// principal returns the principal of a credential, if its key and account
// are usable now, under the classifications of this access version.
func (a *Authenticator) principal(ctx context.Context, cred *mkg.Credential, version int64, now time.Time) (*mkg.Principal, error) {
	if err := usable(cred, now); err != nil {
		return nil, err
	}
	classes, err := a.classifications(ctx, version)
	if err != nil {
		return nil, err
	}
	return mkg.NewPrincipal(cred.Account, cred.Key.ID, cred.Key.Prefix, classes, now), nil
}

// usable says why a known key may not be used now.
func usable(c *mkg.Credential, now time.Time) error {
	k, acct := c.Key, c.Account
	switch {
	case k.RevokedAt != nil:
		return unauthenticated("API key " + k.Prefix + " was revoked on " + k.RevokedAt.UTC().Format(time.RFC3339))
	case k.ExpiresAt != nil && !now.Before(*k.ExpiresAt):
		return unauthenticated("API key " + k.Prefix + " expired on " + k.ExpiresAt.UTC().Format(time.RFC3339))
	case acct.Status == mkg.AccountRevoked:
		return unauthenticated("the account of API key " + k.Prefix + " is revoked")
	case acct.Expired(now):
		return unauthenticated("the account of API key " + k.Prefix + " was valid until " + acct.ValidUntil.UTC().Format(time.RFC3339))
	}
	return nil
}

// cachedCredential is a resolved key as cached: never the key or its hash.
type cachedCredential struct {
	Unknown bool
	Key     mkg.APIKey
	Account *mkg.Account
}

// credential resolves a key through the cache. The cache key is a hash of
// the presented key, so the cache never holds a key, and an unknown key is
// remembered too (a flood of the same bad key costs one lookup). A key not
// cached is looked up only if admit lets it.
func (a *Authenticator) credential(ctx context.Context, key, prefix, client string, version int64) (*mkg.Credential, error) {
	sum := sha256.Sum256([]byte("credential:" + key))
	req := hex.EncodeToString(sum[:])
	c, err := cache.Load(ctx, a.cache, Namespace, version, "keys", req, cacheTTL, func() (cachedCredential, error) {
		if err := a.admit(ctx, key, client, version); err != nil {
			return cachedCredential{}, err
		}
		cred, err := a.store.CredentialByPrefix(ctx, prefix)
		switch {
		case mkg.ErrorCode(err) == mkg.ENOTFOUND:
			return cachedCredential{Unknown: true}, nil
		case err != nil:
			return cachedCredential{}, err
		case !mkg.KeyMatches(key, cred.Hash):
			return cachedCredential{Unknown: true}, nil
		}
		return cachedCredential{Key: cred.Key, Account: cred.Account}, nil
	})
	if err != nil {
		return nil, err
	}
	if c.Unknown {
		return nil, unauthenticated("unknown API key")
	}
	return &mkg.Credential{Key: c.Key, Account: c.Account}, nil
}

func (a *Authenticator) classifications(ctx context.Context, version int64) (map[mkg.Dataset]mkg.Classification, error) {
	return cache.Load(ctx, a.cache, Namespace, version, "classifications", "all", cacheTTL, func() (map[mkg.Dataset]mkg.Classification, error) {
		return a.store.Classifications(ctx)
	})
}

// touch records a key's use at most once a minute per key and instance,
// after the request, so it never slows one down.
func (a *Authenticator) touch(keyID int64, now time.Time) {
	a.mu.Lock()
	last, seen := a.touched[keyID]
	if seen && now.Sub(last) < touchEvery {
		a.mu.Unlock()
		return
	}
	a.touched[keyID] = now
	a.mu.Unlock()
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if err := a.store.TouchKey(ctx, keyID, now); err != nil {
			a.log.Warn("could not record a key's last use", "key_id", keyID, "err", err)
		}
	}()
}

// Anonymous returns the principal of a caller without a key, under the
// classifications in force (download links issued anonymously).
func (a *Authenticator) Anonymous(ctx context.Context) (*mkg.Principal, error) {
	return a.Authenticate(ctx, "", "")
}

// PrincipalByKeyPrefix returns the principal of the key with this public
// prefix as it stands now, for a download link issued to that key: the key
// and its account must still be usable, and the account's grants are the
// current ones. UNAUTHENTICATED otherwise.
func (a *Authenticator) PrincipalByKeyPrefix(ctx context.Context, prefix string) (*mkg.Principal, error) {
	now := a.now()
	version, err := a.store.AccessVersion(ctx)
	if err != nil {
		return nil, err
	}
	cred, err := a.store.CredentialByPrefix(ctx, prefix)
	if mkg.ErrorCode(err) == mkg.ENOTFOUND {
		return nil, unauthenticated("unknown API key")
	}
	if err != nil {
		return nil, err
	}
	return a.principal(ctx, cred, version, now)
}

// PrincipalOfAccount returns the principal of an account as it stands now,
// with no key: a webhook's, whose deliveries are made under its account's
// current rights. The account's grants are the current ones (read through
// the cache keyed by the access generation, so a change is in force at
// once). UNAUTHENTICATED when the account is gone, revoked or expired;
// FORBIDDEN when it is suspended.
func (a *Authenticator) PrincipalOfAccount(ctx context.Context, id int64) (*mkg.Principal, error) {
	now := a.now()
	version, err := a.store.AccessVersion(ctx)
	if err != nil {
		return nil, err
	}
	acct, err := cache.Load(ctx, a.cache, Namespace, version, "accounts", strconv.FormatInt(id, 10), cacheTTL, func() (*mkg.Account, error) {
		as, err := a.store.AccountsByID(ctx, []int64{id})
		if err != nil || len(as) == 0 || as[0] == nil {
			return nil, cmpOr(err, error(mkg.NotFound("account")))
		}
		return as[0], nil
	})
	switch {
	case mkg.ErrorCode(err) == mkg.ENOTFOUND:
		return nil, unauthenticated("the account no longer exists")
	case err != nil:
		return nil, err
	case acct.Status == mkg.AccountRevoked || acct.Expired(now):
		return nil, unauthenticated("the account is revoked or expired")
	case acct.Status != mkg.AccountActive:
		return nil, &mkg.Error{Code: mkg.EFORBIDDEN, Message: "the account is not active"}
	}
	classes, err := a.classifications(ctx, version)
	if err != nil {
		return nil, err
	}
	return mkg.NewPrincipal(acct, 0, "", classes, now), nil
}

func cmpOr(err, otherwise error) error {
	if err != nil {
		return err
	}
	return otherwise
}
