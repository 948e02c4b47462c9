package mkg

import (
	"slices"
	"strings"
	"time"
)

// CheckFulfilment applies the rules of a fulfilment of t at now: only
// requested datasets are granted, each once, none expiring in the past, at
// least one (to refuse them all, the officer rejects the ticket); every
// requested dataset not granted is omitted, once, with a reason; the
// account's validity end, f's or else the basis' (an agreement's end), is
// in the future. Anything else is BAD_USER_INPUT on grants, omitted or
// validUntil.
//
// It returns f as the store applies it: reasons and note trimmed, times
// in UTC, ValidUntil resolved.
func (t *Ticket) CheckFulfilment(f Fulfilment, now time.Time) (Fulfilment, error) {
	if err := checkGrants(t.Form.Datasets, f.Grants, now); err != nil {
		return f, err
	}
	if err := checkOmitted(t.Form.Datasets, f.Grants, f.Omitted); err != nil {
		return f, err
	}
	validUntil, err := t.accountValidity(f.ValidUntil, now)
	if err != nil {
		return f, err
	}
	out := Fulfilment{ValidUntil: utcPtr(validUntil), Note: strings.TrimSpace(f.Note)}
	for _, g := range f.Grants {
		out.Grants = append(out.Grants, ApprovedGrant{Dataset: g.Dataset, ExpiresAt: utcPtr(g.ExpiresAt)})
	}
	out.Omitted = []OmittedDataset{}
	for _, o := range f.Omitted {
		out.Omitted = append(out.Omitted, OmittedDataset{Dataset: o.Dataset, Reason: strings.TrimSpace(o.Reason)})
	}
	return out, nil
}

func checkGrants(requested []Dataset, grants []ApprovedGrant, now time.Time) error {
	granted := map[Dataset]bool{}
	for _, g := range grants {
		switch {
		case !slices.Contains(requested, g.Dataset):
			return Invalid("grants", "%s was not requested; grant only requested datasets", g.Dataset)
		case granted[g.Dataset]:
			return Invalid("grants", "%s is granted twice", g.Dataset)
		case g.ExpiresAt != nil && !g.ExpiresAt.After(now):
			return Invalid("grants", "the grant of %s expires in the past (%s)", g.Dataset, g.ExpiresAt.UTC().Format(time.RFC3339))
		}
		granted[g.Dataset] = true
	}
	if len(granted) == 0 {
		return Invalid("grants", "grant at least one dataset; to refuse them all, reject the ticket")
	}
	return nil
}

// checkOmitted checks the omissions of valid grants.
func checkOmitted(requested []Dataset, grants []ApprovedGrant, omissions []OmittedDataset) error {
	granted := func(d Dataset) bool {
		return slices.ContainsFunc(grants, func(g ApprovedGrant) bool { return g.Dataset == d })
	}
	omitted := map[Dataset]bool{}
	for _, o := range omissions {
		switch {
		case !slices.Contains(requested, o.Dataset):
			return Invalid("omitted", "%s was not requested", o.Dataset)
		case granted(o.Dataset):
			return Invalid("omitted", "%s is both granted and omitted", o.Dataset)
		case omitted[o.Dataset]:
			return Invalid("omitted", "%s is omitted twice", o.Dataset)
		case strings.TrimSpace(o.Reason) == "":
			return Invalid("omitted", "say why %s is not granted", o.Dataset)
		}
		omitted[o.Dataset] = true
	}
	for _, d := range requested {
		if !granted(d) && !omitted[d] {
			return Invalid("omitted", "%s was requested: grant it, or list it as omitted with the reason", d)
		}
	}
	return nil
}

// accountValidity is the end of the account's validity: given, or else the
// basis' validity end; none for an open-ended letter.
func (t *Ticket) accountValidity(given *time.Time, now time.Time) (*time.Time, error) {
	validUntil := given
	if validUntil == nil {
		validUntil = t.Basis.ValidUntil
	}
	switch {
	case validUntil == nil || validUntil.After(now):
		return validUntil, nil
	case given == nil:
		return nil, Invalid("validUntil", "the %s ended on %s: give the account's validity end",
			strings.ToLower(strings.ReplaceAll(string(t.Basis.Kind), "_", " ")), validUntil.UTC().Format(time.DateOnly))
	}
	return nil, Invalid("validUntil", "validity end %s is in the past", validUntil.UTC().Format(time.RFC3339))
}

// AccountInput is the account a fulfilment of t creates: the applicant's
// organisation and contact, the form's client application, no staff role,
// valid until validUntil (CheckFulfilment's).
func (t *Ticket) AccountInput(validUntil *time.Time) AccountInput {
	return AccountInput{Organisation: t.Applicant.Organisation, ContactName: t.Applicant.Name, ContactEmail: t.Applicant.Email,
		ContactPhone: t.Applicant.Phone, Application: t.Form.Application, ValidUntil: validUntil}
}

// Details is what the event of a checked fulfilment records: the account
// created, what it was granted and what not and why, its validity end and
// the prefix of the key issued.
func (f Fulfilment) Details(accountID int64, keyPrefix string) FulfilDetails {
	return FulfilDetails{AccountID: accountID, Grants: f.Grants, Omitted: f.Omitted, ValidUntil: f.ValidUntil, KeyPrefix: keyPrefix}
}

func utcPtr(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	u := t.UTC()
	return &u
}
