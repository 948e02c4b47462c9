package mkg

import (
	"context"
	"time"
)

// Actor is who makes an administrative change, as the audit log records it.
type Actor struct {
	AccountID int64  // 0 for the command line (bootstrap) or the system
	Label     string // e.g. "account 12 (BMKG Pusdatin)", "cli"
}

// ActorOf returns the actor for a principal.
func ActorOf(p *Principal) Actor {
	if p.Anonymous() {
		return Actor{Label: "anonymous"}
	}
	return Actor{AccountID: p.Account.ID, Label: p.Account.Organisation + " / " + p.Account.ContactName}
}

// AuditEvent is one administrative change.
type AuditEvent struct {
	ID         int64
	At         time.Time
	ActorID    int64 // 0 when not an account
	Actor      string
	Action     string // e.g. "account.create", "grant.add", "key.revoke", "dataset.classify"
	TargetType string // "account", "apiKey", "dataset"
	TargetID   string
	Details    map[string]any // what changed, never a key or its hash
}

// DatasetInfo is a dataset with its classification in force.
type DatasetInfo struct {
	Dataset        Dataset
	Classification Classification
	UpdatedAt      time.Time
	UpdatedBy      string
}

// Credential is what authenticating a key needs: the key's record, its
// stored hash and its account with grants.
type Credential struct {
	Key     APIKey
	Hash    string
	Account *Account
}

// AccountFilter selects accounts in the admin API.
type AccountFilter struct {
	Status  []AccountStatus
	Role    Role
	Search  string // organisation, contact name or e-mail, case-insensitive
	Dataset Dataset
}

// AuditFilter selects audit events.
type AuditFilter struct {
	ActorID    int64
	TargetType string
	TargetID   string
	Action     string
	From, To   *time.Time
}

// Orderings of the admin lists.
const (
	OrderAccounts = "accounts"
	OrderAudit    = "audit"
)

// AccountPage and AuditPage are pages of the admin lists; cursors follow
// the same rules as the data lists.
type AccountPage struct {
	Accounts    []*Account
	Cursors     []Cursor
	HasNextPage bool
}

type AuditPage struct {
	Events      []*AuditEvent
	Cursors     []Cursor
	HasNextPage bool
}

// AccessStore keeps datasets' classifications, accounts, grants, API keys
// and the audit log. Every change runs in one transaction with its audit
// event, so nothing changes unrecorded. Validation errors are
// BAD_USER_INPUT naming the argument; a missing account or key is
// NOT_FOUND.
type AccessStore interface {
	// AccessVersion returns a number that changes whenever anything that
	// affects access changes (accounts, grants, keys, classifications).
	AccessVersion(ctx context.Context) (int64, error)
	// Classifications returns every dataset's classification in force.
	Classifications(ctx context.Context) (map[Dataset]Classification, error)
	// DatasetInfos lists every dataset with its classification.
	DatasetInfos(ctx context.Context) ([]DatasetInfo, error)
	// SetClassification changes a dataset's classification.
	SetClassification(ctx context.Context, by Actor, d Dataset, c Classification) (*DatasetInfo, error)

	// CredentialByPrefix returns the key with that public prefix, its hash
	// and its account (with grants), or NOT_FOUND. Revoked and expired keys
	// are returned too: the caller decides and says why.
	CredentialByPrefix(ctx context.Context, prefix string) (*Credential, error)
	// KeyHashes returns the stored hash of every key not revoked, by
	// prefix: one read that lets a throttled client's keys be checked
	// without a lookup per key.
	KeyHashes(ctx context.Context) (map[string]string, error)
	// TouchKey records that a key was used at t.
	TouchKey(ctx context.Context, keyID int64, t time.Time) error

	CreateAccount(ctx context.Context, by Actor, in AccountInput) (*Account, error)
	UpdateAccount(ctx context.Context, by Actor, id int64, in AccountInput) (*Account, error)
	// SetAccountStatus suspends, reactivates or revokes an account (revoking
	// also revokes its keys; it cannot be undone).
	SetAccountStatus(ctx context.Context, by Actor, id int64, s AccountStatus, reason string) (*Account, error)
	// SetAccountBudget sets an account's own budgets (a nil field: the
	// server's default). Refused (INVALID, naming the field): a budget out
	// of range, or per minute above per day.
	SetAccountBudget(ctx context.Context, by Actor, id int64, b AccountBudget) (*Account, error)
	// AddGrant grants a dataset. Refused: an unknown dataset, a revoked
	// account, a dataset already granted and not expired, an expiry in the
	// past.
	AddGrant(ctx context.Context, by Actor, accountID int64, d Dataset, expiresAt *time.Time) (*Account, error)
	// RemoveGrant withdraws a dataset; NOT_FOUND when it was not granted.
	RemoveGrant(ctx context.Context, by Actor, accountID int64, d Dataset) (*Account, error)

	// IssueKey creates a key for an active or suspended account and returns
	// the key itself (shown once) and its record.
	IssueKey(ctx context.Context, by Actor, accountID int64, label string, expiresAt *time.Time) (string, *APIKey, error)
	// RotateKey revokes a key and issues its replacement (same account,
	// label and expiry) in one transaction.
	RotateKey(ctx context.Context, by Actor, keyID int64) (string, *APIKey, error)
	RevokeKey(ctx context.Context, by Actor, keyID int64, reason string) (*APIKey, error)

	AccountsByID(ctx context.Context, ids []int64) ([]*Account, error)
	Accounts(ctx context.Context, f AccountFilter, p Page) (*AccountPage, error)
	CountAccounts(ctx context.Context, f AccountFilter) (int, error)
	// KeysOfAccounts returns each account's keys, newest first, in ids order.
	KeysOfAccounts(ctx context.Context, ids []int64) ([][]APIKey, error)
	// APIKeysByID and AuditEventsByID return records in ids order, nil for
	// a missing id (for node lookups).
	APIKeysByID(ctx context.Context, ids []int64) ([]*APIKey, error)
	AuditEventsByID(ctx context.Context, ids []int64) ([]*AuditEvent, error)
	AuditEvents(ctx context.Context, f AuditFilter, p Page) (*AuditPage, error)
}
