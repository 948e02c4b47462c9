package mkg

import (
	"slices"
	"strings"
	"time"
)

// Role is a staff role. Roles run the service; they do not by themselves
// give access to data (a staff account is granted datasets like any other).
type Role string

const (
	RoleServiceDesk Role = "SERVICE_DESK"
	RoleOfficer     Role = "OFFICER"
	RoleAdmin       Role = "ADMIN"
)

// Roles lists every role.
var Roles = []Role{RoleServiceDesk, RoleOfficer, RoleAdmin}

// Valid reports whether r is a known role.
func (r Role) Valid() bool { return slices.Contains(Roles, r) }

// AccountStatus is an account's standing.
type AccountStatus string

const (
	AccountActive    AccountStatus = "ACTIVE"
	AccountSuspended AccountStatus = "SUSPENDED" // keys still identify it; it sees open data only
	AccountRevoked   AccountStatus = "REVOKED"   // keys are refused
)

// ClientApplication is the application an account's keys are for, as the
// API-access request describes it.
type ClientApplication struct {
	Name          string   `json:"name"`
	Description   string   `json:"description,omitempty"`
	Platform      string   `json:"platform,omitempty"`
	CallbackURL   string   `json:"callbackUrl,omitempty"`
	SourceAddress []string `json:"sourceAddresses,omitempty"`
	CallsPerDay   *int     `json:"callsPerDay,omitempty"`
}

// Account is an API account: a partner's, or a staff member's.
type Account struct {
	ID           int64
	Organisation string
	ContactName  string
	ContactEmail string
	ContactPhone string
	Application  ClientApplication
	Status       AccountStatus
	StatusReason string
	ValidUntil   *time.Time // e.g. the end of the cooperation agreement
	Roles        []Role
	Grants       []Grant
	Budget       AccountBudget // set by an admin or from the access request; unset: the server's default
	CreatedAt    time.Time
	UpdatedAt    time.Time
}

// HasRole reports whether the account holds the role.
func (a *Account) HasRole(r Role) bool { return a != nil && slices.Contains(a.Roles, r) }

// Expired reports whether the account's validity has ended at now.
func (a *Account) Expired(now time.Time) bool {
	return a.ValidUntil != nil && !now.Before(*a.ValidUntil)
}

// APIKey is an issued key, without its secret: only a hash is kept.
type APIKey struct {
	ID           int64
	AccountID    int64
	Prefix       string // public part, e.g. "mkg_1a2b3c4d": identifies the key in lists and logs
	Label        string
	CreatedAt    time.Time
	ExpiresAt    *time.Time
	LastUsedAt   *time.Time
	RevokedAt    *time.Time
	RevokeReason string
}

// Active reports whether the key may be used at now: not revoked, not
// expired. (Its account's state is the account's.)
func (k *APIKey) Active(now time.Time) bool {
	return k.RevokedAt == nil && (k.ExpiresAt == nil || now.Before(*k.ExpiresAt))
}

// AccountInput is what an admin (or the ticket workflow) gives to create or
// change an account.
type AccountInput struct {
	Organisation string
	ContactName  string
	ContactEmail string
	ContactPhone string
	Application  ClientApplication
	ValidUntil   *time.Time
	Roles        []Role
}

// Validate checks the input; now rejects a validity end in the past.
func (in *AccountInput) Validate(now time.Time) error {
	switch {
	case strings.TrimSpace(in.Organisation) == "":
		return Invalid("input.organisation", "organisation is required")
	case strings.TrimSpace(in.ContactName) == "":
		return Invalid("input.contactName", "contact name is required")
	case !plausibleEmail(in.ContactEmail):
		return Invalid("input.contactEmail", "%q is not an e-mail address", in.ContactEmail)
	case in.ValidUntil != nil && !in.ValidUntil.After(now):
		return Invalid("input.validUntil", "validity end %s is in the past", in.ValidUntil.UTC().Format(time.RFC3339))
	}
	for _, r := range in.Roles {
		if !r.Valid() {
			return Invalid("input.roles", "unknown role %q; roles are SERVICE_DESK, OFFICER, ADMIN", r)
		}
	}
	if u := in.Application.CallbackURL; u != "" && !strings.HasPrefix(u, "https://") && !strings.HasPrefix(u, "http://") {
		return Invalid("input.application.callbackUrl", "callback URL must start with https:// or http://")
	}
	return nil
}

func plausibleEmail(s string) bool {
	at := strings.LastIndexByte(s, '@')
	return at > 0 && at < len(s)-3 && strings.Contains(s[at:], ".") && !strings.ContainsAny(s, " \t\r\n<>")
}

// CheckKeyIssue applies the rules of issuing a key to acct at now.
func CheckKeyIssue(acct *Account, expiresAt *time.Time, now time.Time) error {
	switch {
	case acct.Status == AccountRevoked:
		return Invalid("accountId", "account %d is revoked: it cannot get keys", acct.ID)
	case expiresAt != nil && !expiresAt.After(now):
		return Invalid("expiresAt", "expiry %s is in the past", expiresAt.UTC().Format(time.RFC3339))
	}
	return nil
}

// CheckStatusChange applies the rules of changing an account's status:
// revocation is final.
func CheckStatusChange(acct *Account, to AccountStatus) error {
	switch to {
	case AccountActive, AccountSuspended, AccountRevoked:
	default:
		return Invalid("status", "unknown status %q; statuses are ACTIVE, SUSPENDED, REVOKED", to)
	}
	if acct.Status == AccountRevoked && to != AccountRevoked {
		return Invalid("status", "account %d is revoked; revocation cannot be undone", acct.ID)
	}
	return nil
}
