package sqlstore

import (
	"context"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/bmkg/mkggraph/mkg"
)

// AddGrant implements mkg.AccessStore. An expired grant of the same dataset
// is replaced (the audit event keeps its old expiry).
func (s *Store) AddGrant(ctx context.Context, by mkg.Actor, accountID int64, d mkg.Dataset, expiresAt *time.Time) (*mkg.Account, error) {
	var out *mkg.Account
	err := s.tx(ctx, func(q sqlx.ExtContext) error {
		now := s.now()
		acct, err := s.lockedAccount(ctx, q, accountID)
		if err != nil {
			return err
		}
		if err := mkg.CheckGrant(acct, d, expiresAt, now); err != nil {
			return err
		}
		_, err = q.ExecContext(ctx, s.rebind(`INSERT INTO grants (account_id, dataset, expires_at, granted_at, granted_by)
			VALUES (?, ?, ?, ?, ?) ON CONFLICT (account_id, dataset) DO UPDATE SET expires_at = excluded.expires_at,
			granted_at = excluded.granted_at, granted_by = excluded.granted_by`),
			accountID, string(d), nullTime(expiresAt), dbTime{now}, by.Label)
		if err != nil {
			return s.wrap(err)
		}
		details := map[string]any{"dataset": string(d), "expiresAt": jsonTime(expiresAt)}
		if old, ok := grantOf(acct, d); ok {
			details["replacesExpiredGrant"] = map[string]any{"expiresAt": jsonTime(old.ExpiresAt), "grantedBy": old.GrantedBy}
		}
		if out, err = s.touchAccount(ctx, q, accountID, now); err != nil {
			return err
		}
		return s.record(ctx, q, by, now, "grant.add", "account", formatID(accountID), details)
	})
	return out, err
}

// RemoveGrant implements mkg.AccessStore: NOT_FOUND when the account does
// not hold the dataset (expired grants count as held).
func (s *Store) RemoveGrant(ctx context.Context, by mkg.Actor, accountID int64, d mkg.Dataset) (*mkg.Account, error) {
	d, err := mkg.ParseDataset(string(d), "dataset")
	if err != nil {
		return nil, err
	}
	var out *mkg.Account
	err = s.tx(ctx, func(q sqlx.ExtContext) error {
		now := s.now()
		acct, err := s.lockedAccount(ctx, q, accountID)
		if err != nil {
			return err
		}
		old, ok := grantOf(acct, d)
		if !ok {
			return mkg.NotFound("grant")
		}
		if _, err := q.ExecContext(ctx, s.rebind(`DELETE FROM grants WHERE account_id = ? AND dataset = ?`), accountID, string(d)); err != nil {
			return s.wrap(err)
		}
		if out, err = s.touchAccount(ctx, q, accountID, now); err != nil {
			return err
		}
		return s.record(ctx, q, by, now, "grant.remove", "account", formatID(accountID),
			map[string]any{"dataset": string(d), "expiresAt": jsonTime(old.ExpiresAt), "grantedBy": old.GrantedBy})
	})
	return out, err
}

func grantOf(acct *mkg.Account, d mkg.Dataset) (mkg.Grant, bool) {
	for _, g := range acct.Grants {
		if g.Dataset == d {
			return g, true
		}
	}
	return mkg.Grant{}, false
}

// touchAccount marks the account changed at now and returns it as stored.
func (s *Store) touchAccount(ctx context.Context, q sqlx.ExtContext, id int64, now time.Time) (*mkg.Account, error) {
	if _, err := q.ExecContext(ctx, s.rebind(`UPDATE accounts SET updated_at = ? WHERE id = ?`), dbTime{now}, id); err != nil {
		return nil, s.wrap(err)
	}
	return s.lockedAccount(ctx, q, id)
}
