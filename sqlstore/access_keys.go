package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/bmkg/mkggraph/mkg"
)

// keyColumns alias the two names api_keys shares with accounts, so that a
// key and its account read in one row (CredentialByPrefix).
const keyColumns = `k.id AS key_id, k.account_id, k.prefix, k.label, k.created_at AS key_created_at, k.expires_at,
	k.last_used_at, k.revoked_at, k.revoke_reason`

type keyRow struct {
	ID           int64      `db:"key_id"`
	AccountID    int64      `db:"account_id"`
	Prefix       string     `db:"prefix"`
	Label        string     `db:"label"`
	CreatedAt    dbTime     `db:"key_created_at"`
	ExpiresAt    dbNullTime `db:"expires_at"`
	LastUsedAt   dbNullTime `db:"last_used_at"`
	RevokedAt    dbNullTime `db:"revoked_at"`
	RevokeReason string     `db:"revoke_reason"`
}

func (r *keyRow) key() mkg.APIKey {
	return mkg.APIKey{ID: r.ID, AccountID: r.AccountID, Prefix: r.Prefix, Label: r.Label, CreatedAt: r.CreatedAt.Time,
		ExpiresAt: r.ExpiresAt.Time, LastUsedAt: r.LastUsedAt.Time, RevokedAt: r.RevokedAt.Time, RevokeReason: r.RevokeReason}
}

// newAPIKey makes keys; tests replace it to force a prefix collision.
var newAPIKey = mkg.NewAPIKey

// keyAttempts bounds the retries on a prefix collision: with 32-bit
// prefixes a second one in a row means something else is wrong.
const keyAttempts = 4

// CredentialByPrefix implements mkg.AccessStore in two statements: the key
// with its account, then the account's grants.
func (s *Store) CredentialByPrefix(ctx context.Context, prefix string) (*mkg.Credential, error) {
	var row struct {
		keyRow
		accountRow
		Hash string `db:"hash"`
	}
	if err := s.getOne(ctx, s.q(), &row, mkg.NotFound("key"), `SELECT `+keyColumns+`, k.hash, `+accountColumns+`
		FROM api_keys k JOIN accounts a ON a.id = k.account_id WHERE k.prefix = ?`, prefix); err != nil {
		return nil, err
	}
	acct, err := row.account()
	if err != nil {
		return nil, err
	}
	if err := s.attachGrants(ctx, s.q(), []*mkg.Account{acct}); err != nil {
		return nil, err
	}
	return &mkg.Credential{Key: row.key(), Hash: row.Hash, Account: acct}, nil
}

// KeyHashes implements mkg.AccessStore in one statement.
func (s *Store) KeyHashes(ctx context.Context) (map[string]string, error) {
	var rows []struct {
		Prefix string `db:"prefix"`
		Hash   string `db:"hash"`
	}
	if err := sqlx.SelectContext(ctx, s.q(), &rows, `SELECT prefix, hash FROM api_keys WHERE revoked_at IS NULL`); err != nil {
		return nil, s.wrap(err)
	}
	out := make(map[string]string, len(rows))
	for _, r := range rows {
		out[r.Prefix] = r.Hash
	}
	return out, nil
}

// TouchKey implements mkg.AccessStore. The time only moves forward, so
// requests finishing out of order keep the latest.
func (s *Store) TouchKey(ctx context.Context, keyID int64, t time.Time) error {
	res, err := s.q().ExecContext(ctx, s.rebind(`UPDATE api_keys SET last_used_at = CASE
		WHEN last_used_at IS NULL OR last_used_at < ? THEN ? ELSE last_used_at END WHERE id = ?`), dbTime{t}, dbTime{t}, keyID)
	return s.changedRow(res, err, mkg.NotFound("key"))
}

// KeysOfAccounts implements mkg.AccessStore in one statement.
func (s *Store) KeysOfAccounts(ctx context.Context, ids []int64) ([][]mkg.APIKey, error) {
	out := make([][]mkg.APIKey, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	var rows []keyRow
	if err := s.selectIn(ctx, s.q(), &rows, `SELECT `+keyColumns+` FROM api_keys k WHERE k.account_id IN (?) ORDER BY k.created_at DESC, k.id DESC`, ids); err != nil {
		return nil, err
	}
	byAccount := map[int64][]mkg.APIKey{}
	for i := range rows {
		byAccount[rows[i].AccountID] = append(byAccount[rows[i].AccountID], rows[i].key())
	}
	for i, id := range ids {
		out[i] = byAccount[id]
	}
	return out, nil
}

func (s *Store) keyByID(ctx context.Context, q sqlx.ExtContext, id int64) (*mkg.APIKey, error) {
	var row keyRow
	if err := s.getOne(ctx, q, &row, mkg.NotFound("key"), `SELECT `+keyColumns+` FROM api_keys k WHERE k.id = ?`, id); err != nil {
		return nil, err
	}
	k := row.key()
	return &k, nil
}

// IssueKey implements mkg.AccessStore. Only the key's prefix and hash are
// stored; the audit event names the key by its prefix.
func (s *Store) IssueKey(ctx context.Context, by mkg.Actor, accountID int64, label string, expiresAt *time.Time) (string, *mkg.APIKey, error) {
	var key string
	var rec *mkg.APIKey
	err := s.tx(ctx, func(q sqlx.ExtContext) error {
		now := s.now()
		err := s.checkKeyIssue(ctx, q, accountID, expiresAt, now)
		if err != nil {
			return err
		}
		if key, rec, err = s.insertKey(ctx, q, accountID, strings.TrimSpace(label), expiresAt, now); err != nil {
			return err
		}
		return s.record(ctx, q, by, now, "key.issue", "apiKey", formatID(rec.ID), map[string]any{
			"accountId": accountID, "prefix": rec.Prefix, "label": rec.Label, "expiresAt": jsonTime(rec.ExpiresAt)})
	})
	if err != nil {
		return "", nil, err
	}
	return key, rec, nil
}

// checkKeyIssue locks the account and checks that it may get a key
// expiring at expiresAt (mkg.CheckKeyIssue).
func (s *Store) checkKeyIssue(ctx context.Context, q sqlx.ExtContext, accountID int64, expiresAt *time.Time, now time.Time) error {
	acct, err := s.lockedAccount(ctx, q, accountID)
	if err != nil {
		return err
	}
	return mkg.CheckKeyIssue(acct, expiresAt, now)
}

// insertKey stores a fresh key, drawing again if its prefix is taken (the
// insert does nothing then, which keeps the transaction usable on
// PostgreSQL, where a failed statement would abort it).
func (s *Store) insertKey(ctx context.Context, q sqlx.ExtContext, accountID int64, label string, expiresAt *time.Time, now time.Time) (string, *mkg.APIKey, error) {
	for range keyAttempts {
		key, prefix, hash := newAPIKey()
		var id int64
		err := sqlx.GetContext(ctx, q, &id, s.rebind(`INSERT INTO api_keys (account_id, prefix, hash, label, created_at, expires_at)
			VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (prefix) DO NOTHING RETURNING id`),
			accountID, prefix, hash, label, dbTime{now}, nullTime(expiresAt))
		if errors.Is(err, sql.ErrNoRows) {
			s.log.Warn("API key prefix collision; drawing another key", "prefix", prefix)
			continue
		}
		if err != nil {
			return "", nil, s.wrap(err)
		}
		rec, err := s.keyByID(ctx, q, id)
		return key, rec, err
	}
	return "", nil, s.wrap(errors.New("no free API key prefix after several attempts"))
}

// RotateKey implements mkg.AccessStore. A revoked or expired key is not
// rotated (BAD_USER_INPUT on keyId): its replacement would be a new key
// with a past expiry, or one nobody asked for.
func (s *Store) RotateKey(ctx context.Context, by mkg.Actor, keyID int64) (string, *mkg.APIKey, error) {
	var key string
	var rec *mkg.APIKey
	err := s.tx(ctx, func(q sqlx.ExtContext) error {
		now := s.now()
		old, err := s.keyByID(ctx, q, keyID)
		if err != nil {
			return err
		}
		if old.ExpiresAt != nil && !now.Before(*old.ExpiresAt) {
			return mkg.Invalid("keyId", "key %s expired at %s; issue a new key instead", old.Prefix, old.ExpiresAt.UTC().Format(time.RFC3339))
		}
		if err := s.checkKeyIssue(ctx, q, old.AccountID, old.ExpiresAt, now); err != nil {
			return err
		}
		if err := s.revokeKey(ctx, q, old, "rotated", now); err != nil {
			return err
		}
		if key, rec, err = s.insertKey(ctx, q, old.AccountID, old.Label, old.ExpiresAt, now); err != nil {
			return err
		}
		return s.record(ctx, q, by, now, "key.rotate", "apiKey", formatID(old.ID), map[string]any{"accountId": old.AccountID,
			"prefix": old.Prefix, "newKeyId": rec.ID, "newPrefix": rec.Prefix, "label": rec.Label, "expiresAt": jsonTime(rec.ExpiresAt)})
	})
	if err != nil {
		return "", nil, err
	}
	return key, rec, nil
}

// RevokeKey implements mkg.AccessStore. A key revoked already is refused
// (BAD_USER_INPUT on keyId), so its first revocation's time and reason
// stand.
func (s *Store) RevokeKey(ctx context.Context, by mkg.Actor, keyID int64, reason string) (*mkg.APIKey, error) {
	var rec *mkg.APIKey
	err := s.tx(ctx, func(q sqlx.ExtContext) error {
		now := s.now()
		old, err := s.keyByID(ctx, q, keyID)
		if err != nil {
			return err
		}
		reason = strings.TrimSpace(reason)
		if err := s.revokeKey(ctx, q, old, reason, now); err != nil {
			return err
		}
		if rec, err = s.keyByID(ctx, q, keyID); err != nil {
			return err
		}
		return s.record(ctx, q, by, now, "key.revoke", "apiKey", formatID(keyID),
			map[string]any{"accountId": old.AccountID, "prefix": old.Prefix, "reason": reason})
	})
	return rec, err
}

// revokeKey revokes k unless it is revoked already, which is refused: the
// condition in the UPDATE catches a revocation that committed after k was
// read.
func (s *Store) revokeKey(ctx context.Context, q sqlx.ExtContext, k *mkg.APIKey, reason string, now time.Time) error {
	refused := mkg.Invalid("keyId", "key %s is revoked already", k.Prefix)
	if k.RevokedAt != nil {
		return refused
	}
	res, err := q.ExecContext(ctx, s.rebind(`UPDATE api_keys SET revoked_at = ?, revoke_reason = ? WHERE id = ? AND revoked_at IS NULL`),
		dbTime{now}, reason, k.ID)
	if err := s.changedRow(res, err, refused); err != nil {
		return err
	}
	return nil
}

// APIKeysByID implements mkg.AccessStore: keys in ids order, nil for a
// missing id, one statement.
func (s *Store) APIKeysByID(ctx context.Context, ids []int64) ([]*mkg.APIKey, error) {
	return byID(s, ids, `SELECT `+keyColumns+` FROM api_keys k WHERE k.id IN (?)`, func(k *mkg.APIKey) int64 { return k.ID },
		scanned(ctx, s, func(r *keyRow) (*mkg.APIKey, error) { k := r.key(); return &k, nil }))
}
