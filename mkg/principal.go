package mkg

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"
)

// Principal is who is calling: anonymous, or an account through one of its
// keys, with the dataset classifications in force for this request. It
// answers every access question of the request, so one request sees one
// consistent state even if an admin changes something meanwhile.
type Principal struct {
	Account   *Account // nil for an anonymous caller
	KeyID     int64
	KeyPrefix string
	classes   map[Dataset]Classification
	now       time.Time

	fingerprint struct { // computed once: every cached read of the request asks
		once  sync.Once
		value string
	}
}

// NewPrincipal returns the principal for an account (nil: anonymous) under
// the given classifications at now. Datasets missing from classes count as
// RESTRICTED: a dataset nobody classified is not public by accident.
func NewPrincipal(acct *Account, keyID int64, keyPrefix string, classes map[Dataset]Classification, now time.Time) *Principal {
	return &Principal{Account: acct, KeyID: keyID, KeyPrefix: keyPrefix, classes: classes, now: now}
}

// Anonymous callers under one set of classifications have the same rights:
// their principals differ only in their time. AnonymousUnder makes them
// with one fingerprint, computed once (computing it for each request was 3 %
// of the CPU of an anonymous read answered from the response cache).
type AnonymousUnder struct {
	classes     map[Dataset]Classification
	fingerprint func() string
}

// NewAnonymousUnder returns the maker of anonymous principals under classes.
func NewAnonymousUnder(classes map[Dataset]Classification) *AnonymousUnder {
	a := &AnonymousUnder{classes: classes}
	a.fingerprint = sync.OnceValue(func() string { return NewPrincipal(nil, 0, "", classes, time.Time{}).Fingerprint() })
	return a
}

// At returns the principal of an anonymous caller at now.
func (a *AnonymousUnder) At(now time.Time) *Principal {
	p := NewPrincipal(nil, 0, "", a.classes, now)
	fp := a.fingerprint()
	p.fingerprint.once.Do(func() { p.fingerprint.value = fp })
	return p
}

// Anonymous reports whether no account is calling.
func (p *Principal) Anonymous() bool { return p == nil || p.Account == nil }

// Classification returns the dataset's classification in force.
func (p *Principal) Classification(d Dataset) Classification {
	if c, ok := p.classes[d]; ok {
		return c
	}
	return Restricted
}

// Access decides whether the caller may see d: nil when it may; otherwise
// UNAUTHENTICATED for an anonymous caller (signing in could help) or
// FORBIDDEN, both naming the dataset.
func (p *Principal) Access(d Dataset) error {
	why, g := p.denial(d)
	if why == allowed {
		return nil
	}
	c := p.Classification(d)
	deny := func(code, format string, args ...any) error {
		return &Error{Code: code, Message: fmt.Sprintf(format, args...), Extra: map[string]any{"dataset": string(d), "classification": string(c)}}
	}
	switch why {
	case needAccount:
		return deny(EUNAUTHENTICATED, "%s data need an API account: send Authorization: Bearer <key>", d)
	case needGrantedAccount:
		return deny(EUNAUTHENTICATED, "%s data need an API account granted %s: send Authorization: Bearer <key>", d, d)
	case accountSuspended:
		return deny(EFORBIDDEN, "the account is suspended: only open data are available")
	case accountInactive:
		return deny(EFORBIDDEN, "the account is not active")
	case noGrant:
		return deny(EFORBIDDEN, "%s is restricted and the account has no grant for it", d)
	default: // grantExpired
		return deny(EFORBIDDEN, "the account's grant for %s expired at %s", d, g.ExpiresAt.UTC().Format(time.RFC3339))
	}
}

// A reason is why a caller may not see a dataset (allowed: it may).
type reason int

const (
	allowed reason = iota
	needAccount
	needGrantedAccount
	accountSuspended
	accountInactive
	noGrant
	grantExpired
)

// denial is the rule of Access, without the message: the response cache
// asks it of every dataset for every request (Fingerprint), where building
// the messages of an anonymous caller's denials cost a fifth of a cached
// answer.
func (p *Principal) denial(d Dataset) (reason, Grant) {
	c := p.Classification(d)
	switch {
	case c == Open:
		return allowed, Grant{}
	case p.Anonymous() && c == Registered:
		return needAccount, Grant{}
	case p.Anonymous():
		return needGrantedAccount, Grant{}
	case p.Account.Status == AccountSuspended:
		return accountSuspended, Grant{}
	case p.Account.Status != AccountActive:
		return accountInactive, Grant{}
	case c == Registered:
		return allowed, Grant{}
	}
	g, ok := p.grant(d)
	switch {
	case !ok:
		return noGrant, g
	case !g.Active(p.now):
		return grantExpired, g
	}
	return allowed, g
}

// AccessAny allows when any of ds is allowed; otherwise it returns the
// denial easiest to lift (an anonymous caller is told that any account
// will do when one of ds is REGISTERED, not that the first needs a grant),
// naming the others in the message and in extensions.anyOf.
func (p *Principal) AccessAny(ds ...Dataset) error {
	best, bestWhy := Dataset(""), reason(-1)
	for _, d := range ds {
		why, _ := p.denial(d)
		if why == allowed {
			return nil
		}
		if bestWhy < 0 || why < bestWhy {
			best, bestWhy = d, why
		}
	}
	if best == "" {
		return nil
	}
	err := p.Access(best)
	var e *Error
	if len(ds) > 1 && errors.As(err, &e) {
		names := make([]string, len(ds))
		for i, d := range ds {
			names[i] = string(d)
		}
		e.Message += " (any one of " + strings.Join(names, ", ") + " will do)"
		e.Extra["anyOf"] = names
	}
	return err
}

func (p *Principal) grant(d Dataset) (Grant, bool) {
	for _, g := range p.Account.Grants {
		if g.Dataset == d {
			return g, true
		}
	}
	return Grant{}, false
}

// RequireRole allows a caller holding any of roles: UNAUTHENTICATED for an
// anonymous caller, FORBIDDEN otherwise. A staff role of a suspended
// account does not count.
func (p *Principal) RequireRole(roles ...Role) error {
	names := make([]string, len(roles))
	for i, r := range roles {
		names[i] = string(r)
	}
	extra := map[string]any{"requiredRoles": names}
	if p.Anonymous() {
		return &Error{Code: EUNAUTHENTICATED, Message: "staff only: sign in with a staff account's key", Extra: extra}
	}
	if p.Account.Status == AccountActive {
		for _, r := range roles {
			if p.Account.HasRole(r) {
				return nil
			}
		}
	}
	return &Error{Code: EFORBIDDEN, Message: "needs the role " + strings.Join(names, " or "), Extra: extra}
}

// Right is one dataset as the caller sees it.
type Right struct {
	Dataset        Dataset
	Classification Classification
	Allowed        bool
	Reason         string     // why not, when not allowed
	GrantExpiresAt *time.Time // when the caller's grant ends, if it has one
}

// Rights returns the caller's effective rights over every dataset.
func (p *Principal) Rights() []Right {
	out := make([]Right, len(Datasets))
	for i, d := range Datasets {
		out[i] = Right{Dataset: d, Classification: p.Classification(d), Allowed: true}
		if err := p.Access(d); err != nil {
			out[i].Allowed, out[i].Reason = false, err.Error()
			var denied *Error
			if errors.As(err, &denied) {
				out[i].Reason = denied.Message
			}
		}
		if !p.Anonymous() {
			if g, ok := p.grant(d); ok {
				out[i].GrantExpiresAt = g.ExpiresAt
			}
		}
	}
	return out
}

// Fingerprint identifies the caller's effective rights: two callers with
// the same fingerprint may be served the same cached data. It is derived
// from what is allowed, never from the key.
func (p *Principal) Fingerprint() string {
	p.fingerprint.once.Do(func() { p.fingerprint.value = p.computeFingerprint() })
	return p.fingerprint.value
}

func (p *Principal) computeFingerprint() string {
	names := make([]string, 0, len(Datasets))
	for _, d := range Datasets {
		if why, _ := p.denial(d); why == allowed {
			names = append(names, string(d))
		}
	}
	slices.Sort(names)
	sum := sha256.Sum256([]byte(strings.Join(names, ",")))
	return hex.EncodeToString(sum[:12])
}

// Scope is Fingerprint with the caller's staff roles: what distinguishes
// callers who may be answered differently to the same request, dataset
// rights and staff-only fields alike. Cached responses are keyed by it.
func (p *Principal) Scope() string {
	if p.Anonymous() || len(p.Account.Roles) == 0 {
		return p.Fingerprint()
	}
	roles := make([]string, len(p.Account.Roles))
	for i, r := range p.Account.Roles {
		roles[i] = string(r)
	}
	slices.Sort(roles)
	return p.Fingerprint() + "+" + strings.Join(roles, ",")
}

type principalKey struct{}

// WithPrincipal returns ctx carrying the caller.
func WithPrincipal(ctx context.Context, p *Principal) context.Context {
	return context.WithValue(ctx, principalKey{}, p)
}

// PrincipalFrom returns the caller; a context without one is anonymous
// under all-restricted classifications (the safe default).
func PrincipalFrom(ctx context.Context) *Principal {
	switch p := ctx.Value(principalKey{}).(type) {
	case *Principal:
		return p
	case *LivePrincipal:
		return p.Get()
	}
	return NewPrincipal(nil, 0, "", nil, time.Now())
}

// Now is the time the request's access decisions are made at.
func (p *Principal) Now() time.Time {
	if p.now.IsZero() {
		return time.Now()
	}
	return p.now
}
