package mkg

import (
	"errors"
	"testing"
	"time"
)

// TestUsageExportRights: a usage export is an account's own lines to that
// account, any account's or every account's (AccountID 0) to admins only,
// nothing to anonymous callers; the other kinds keep their dataset's rule.
func TestUsageExportRights(t *testing.T) {
	now := time.Now()
	classes := map[Dataset]Classification{DatasetEarthquake: Open}
	anon := NewPrincipal(nil, 0, "", classes, now)
	partner := NewPrincipal(&Account{ID: 7, Status: AccountActive}, 1, "k", classes, now)
	admin := NewPrincipal(&Account{ID: 1, Status: AccountActive, Roles: []Role{RoleAdmin}}, 2, "a", classes, now)
	usage := func(account int64) ExportSpec {
		return ExportSpec{Kind: ExportUsage, Format: ExportCSV, Usage: &UsageFilter{AccountID: account, From: now, To: now}}
	}
	for _, c := range []struct {
		who  string
		p    *Principal
		spec ExportSpec
		want string // error code, "" = allowed
	}{
		{"anonymous, every account", anon, usage(0), EUNAUTHENTICATED},
		{"anonymous, an account", anon, usage(7), EUNAUTHENTICATED},
		{"partner, its own", partner, usage(7), ""},
		{"partner, another account", partner, usage(8), EFORBIDDEN},
		{"partner, every account", partner, usage(0), EFORBIDDEN},
		{"admin, an account", admin, usage(7), ""},
		{"admin, every account", admin, usage(0), ""},
		{"anonymous, open earthquakes", anon, ExportSpec{Kind: ExportEarthquakes, Format: ExportCSV}, ""},
	} {
		err := c.spec.Allowed(c.p)
		if got := ""; err != nil {
			got = ErrorCode(err)
			if got != c.want {
				t.Errorf("%s: %v, want %q", c.who, err, c.want)
			}
		} else if c.want != "" {
			t.Errorf("%s: allowed, want %s", c.who, c.want)
		}
	}
}

// TestUsageExportValidate: a usage export needs its period, within the
// usage window, and is CSV only; each refusal names the argument.
func TestUsageExportValidate(t *testing.T) {
	day := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for _, c := range []struct {
		spec  ExportSpec
		field string
	}{
		{ExportSpec{Kind: ExportUsage, Format: ExportCSV}, "from"},
		{ExportSpec{Kind: ExportUsage, Format: ExportCSV, Usage: &UsageFilter{From: day, To: day.AddDate(0, 0, -1)}}, "to"},
		{ExportSpec{Kind: ExportUsage, Format: ExportCSV, Usage: &UsageFilter{From: day, To: day.AddDate(2, 0, 0)}}, "to"},
		{ExportSpec{Kind: ExportUsage, Format: ExportGeoJSON, Usage: &UsageFilter{From: day, To: day}}, "format"},
	} {
		var e *Error
		err := c.spec.Validate()
		if err == nil || !errors.As(err, &e) || e.Code != EINVALID || e.Field != c.field {
			t.Errorf("%+v: %v, want BAD_USER_INPUT on %s", c.spec.Usage, err, c.field)
		}
	}
	if err := (ExportSpec{Kind: ExportUsage, Format: ExportCSV, Usage: &UsageFilter{From: day, To: day.AddDate(0, 0, 30)}}).Validate(); err != nil {
		t.Errorf("a month of usage: %v", err)
	}
}
