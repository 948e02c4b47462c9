package access

import (
	"context"
	"log/slog"
	"time"

	"github.com/bmkg/mkggraph/cache"
	"github.com/bmkg/mkggraph/mkg"
)

// Admin is the access store as the API changes it: after every successful
// change it retires the cached authentication data (resolved keys,
// classifications) of every instance sharing the cache, so the change is
// in force from the next request on. Cached data reads need no retiring:
// they are keyed by the rights fingerprint, which the change alters.
type Admin struct {
	mkg.AccessStore
	cache mkg.Cache
	log   *slog.Logger
}

// NewAdmin wraps store; c may be nil when nothing is cached.
func NewAdmin(store mkg.AccessStore, c mkg.Cache, log *slog.Logger) *Admin {
	return &Admin{AccessStore: store, cache: c, log: log}
}

// changed invalidates after a successful change. If the cache cannot be
// reached the change still stands; instances then see it when their cached
// entries expire (one minute), and the log says so.
func changed[T any](a *Admin, ctx context.Context, v T, err error) (T, error) {
	if err == nil && a.cache != nil {
		if ierr := cache.Invalidate(ctx, a.cache, Namespace); ierr != nil {
			a.log.Error("access change saved but the shared cache could not be told; other instances see it within a minute", "err", ierr)
		}
	}
	return v, err
}

func (a *Admin) SetClassification(ctx context.Context, by mkg.Actor, d mkg.Dataset, c mkg.Classification) (*mkg.DatasetInfo, error) {
	v, err := a.AccessStore.SetClassification(ctx, by, d, c)
	return changed(a, ctx, v, err)
}

func (a *Admin) CreateAccount(ctx context.Context, by mkg.Actor, in mkg.AccountInput) (*mkg.Account, error) {
	v, err := a.AccessStore.CreateAccount(ctx, by, in)
	return changed(a, ctx, v, err)
}

func (a *Admin) UpdateAccount(ctx context.Context, by mkg.Actor, id int64, in mkg.AccountInput) (*mkg.Account, error) {
	v, err := a.AccessStore.UpdateAccount(ctx, by, id, in)
	return changed(a, ctx, v, err)
}

func (a *Admin) SetAccountStatus(ctx context.Context, by mkg.Actor, id int64, s mkg.AccountStatus, reason string) (*mkg.Account, error) {
	v, err := a.AccessStore.SetAccountStatus(ctx, by, id, s, reason)
	return changed(a, ctx, v, err)
}

func (a *Admin) AddGrant(ctx context.Context, by mkg.Actor, accountID int64, d mkg.Dataset, expiresAt *time.Time) (*mkg.Account, error) {
	v, err := a.AccessStore.AddGrant(ctx, by, accountID, d, expiresAt)
	return changed(a, ctx, v, err)
}

func (a *Admin) RemoveGrant(ctx context.Context, by mkg.Actor, accountID int64, d mkg.Dataset) (*mkg.Account, error) {
	v, err := a.AccessStore.RemoveGrant(ctx, by, accountID, d)
	return changed(a, ctx, v, err)
}

func (a *Admin) IssueKey(ctx context.Context, by mkg.Actor, accountID int64, label string, expiresAt *time.Time) (string, *mkg.APIKey, error) {
	key, k, err := a.AccessStore.IssueKey(ctx, by, accountID, label, expiresAt)
	k, err = changed(a, ctx, k, err)
	return key, k, err
}

func (a *Admin) RotateKey(ctx context.Context, by mkg.Actor, keyID int64) (string, *mkg.APIKey, error) {
	key, k, err := a.AccessStore.RotateKey(ctx, by, keyID)
	k, err = changed(a, ctx, k, err)
	return key, k, err
}

func (a *Admin) RevokeKey(ctx context.Context, by mkg.Actor, keyID int64, reason string) (*mkg.APIKey, error) {
	v, err := a.AccessStore.RevokeKey(ctx, by, keyID, reason)
	return changed(a, ctx, v, err)
}
