package mkg

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func TestAccessRules(t *testing.T) {
	now := time.Date(2026, 11, 22, 0, 0, 0, 0, time.UTC)
	past, future := now.Add(-time.Hour), now.Add(time.Hour)
	classes := map[Dataset]Classification{DatasetEarthquake: Open, DatasetSynopL2: Registered, DatasetSynopL1: Restricted}
	acct := func(status AccountStatus, grants ...Grant) *Account {
		return &Account{ID: 1, Status: status, Grants: grants}
	}
	cases := []struct {
		name string
		acct *Account
		d    Dataset
		want string // "" allowed, else code
		msg  string
	}{
		{"anonymous, open", nil, DatasetEarthquake, "", ""},
		{"anonymous, registered", nil, DatasetSynopL2, EUNAUTHENTICATED, "need an API account"},
		{"anonymous, restricted", nil, DatasetSynopL1, EUNAUTHENTICATED, "granted SYNOP_L1"},
		{"account, registered", acct(AccountActive), DatasetSynopL2, "", ""},
		{"account, restricted, no grant", acct(AccountActive), DatasetSynopL1, EFORBIDDEN, "no grant"},
		{"account, restricted, grant", acct(AccountActive, Grant{Dataset: DatasetSynopL1}), DatasetSynopL1, "", ""},
		{"account, restricted, grant ending later", acct(AccountActive, Grant{Dataset: DatasetSynopL1, ExpiresAt: &future}), DatasetSynopL1, "", ""},
		{"account, restricted, expired grant", acct(AccountActive, Grant{Dataset: DatasetSynopL1, ExpiresAt: &past}), DatasetSynopL1, EFORBIDDEN, "expired"},
		{"suspended, open", acct(AccountSuspended), DatasetEarthquake, "", ""},
		{"suspended, registered", acct(AccountSuspended), DatasetSynopL2, EFORBIDDEN, "suspended"},
		{"suspended, granted", acct(AccountSuspended, Grant{Dataset: DatasetSynopL1}), DatasetSynopL1, EFORBIDDEN, "suspended"},
		{"unclassified dataset counts as restricted", acct(AccountActive), DatasetLightning, EFORBIDDEN, "no grant"},
	}
	for _, c := range cases {
		err := NewPrincipal(c.acct, 0, "", classes, now).Access(c.d)
		if ErrorCode(err) != c.want && !(c.want == "" && err == nil) {
			t.Errorf("%s: %v, want %q", c.name, err, c.want)
			continue
		}
		var e *Error
		if errors.As(err, &e) {
			if !strings.Contains(e.Message, c.msg) || e.Extra["dataset"] != string(c.d) {
				t.Errorf("%s: %+v, want a message with %q and the dataset", c.name, e, c.msg)
			}
		}
	}
}

func TestRolesAndFingerprints(t *testing.T) {
	now := time.Now()
	classes := map[Dataset]Classification{DatasetEarthquake: Open, DatasetSynopL1: Restricted}
	admin := NewPrincipal(&Account{Status: AccountActive, Roles: []Role{RoleAdmin}}, 0, "", classes, now)
	partner := NewPrincipal(&Account{Status: AccountActive, Grants: []Grant{{Dataset: DatasetSynopL1}}}, 0, "", classes, now)
	suspendedAdmin := NewPrincipal(&Account{Status: AccountSuspended, Roles: []Role{RoleAdmin}}, 0, "", classes, now)
	anon := NewPrincipal(nil, 0, "", classes, now)
	if admin.RequireRole(RoleAdmin) != nil || ErrorCode(partner.RequireRole(RoleAdmin)) != EFORBIDDEN ||
		ErrorCode(anon.RequireRole(RoleAdmin)) != EUNAUTHENTICATED || ErrorCode(suspendedAdmin.RequireRole(RoleAdmin)) != EFORBIDDEN {
		t.Error("role checks")
	}
	if admin.Fingerprint() != anon.Fingerprint() {
		t.Error("an admin without grants sees what an anonymous caller sees: same fingerprint expected")
	}
	if partner.Fingerprint() == anon.Fingerprint() {
		t.Error("a partner granted SYNOP_L1 shares the anonymous fingerprint")
	}
	if err := partner.AccessAny(DatasetLightning, DatasetSynopL1); err != nil {
		t.Errorf("AccessAny: %v", err)
	}
}

func TestAPIKeys(t *testing.T) {
	key, prefix, hash := NewAPIKey()
	if p, ok := KeyPrefix(key); !ok || p != prefix || !strings.HasPrefix(key, prefix+"_") {
		t.Fatalf("KeyPrefix(%q) = %q, %v", key, p, ok)
	}
	if !KeyMatches(key, hash) || KeyMatches(key+"x", hash) || hash == key || strings.Contains(hash, key[len(prefix)+1:]) {
		t.Error("hash comparison")
	}
	other, _, _ := NewAPIKey()
	if other == key {
		t.Error("two keys alike")
	}
	for _, bad := range []string{"", "mkg_", key[:len(key)-1], "xyz_" + key[4:], strings.Replace(key, "_", "-", 2), key[:4] + "zzzzzzzz" + key[12:]} {
		if _, ok := KeyPrefix(bad); ok {
			t.Errorf("KeyPrefix accepted %q", bad)
		}
	}
}

func TestAdminRules(t *testing.T) {
	now := time.Now()
	past := now.Add(-time.Minute)
	active := &Account{ID: 7, Status: AccountActive, Grants: []Grant{{Dataset: DatasetSynopL1}, {Dataset: DatasetLightning, ExpiresAt: &past}}}
	revoked := &Account{ID: 8, Status: AccountRevoked}
	for _, c := range []struct {
		err   error
		field string
	}{
		{CheckGrant(active, DatasetSynopL1, nil, now), "dataset"},
		{CheckGrant(active, "NOPE", nil, now), "dataset"},
		{CheckGrant(active, DatasetSatellite, &past, now), "expiresAt"},
		{CheckGrant(revoked, DatasetSatellite, nil, now), "accountId"},
		{CheckKeyIssue(revoked, nil, now), "accountId"},
		{CheckKeyIssue(active, &past, now), "expiresAt"},
		{CheckStatusChange(revoked, AccountActive), "status"},
	} {
		var e *Error
		if !errors.As(c.err, &e) || e.Code != EINVALID || e.Field != c.field {
			t.Errorf("%v: want BAD_USER_INPUT on %s", c.err, c.field)
		}
	}
	if CheckGrant(active, DatasetLightning, nil, now) != nil {
		t.Error("an expired grant cannot be renewed")
	}
}

// TestFingerprintFollowsAccess: two callers share a fingerprint exactly
// when Access allows them the same datasets, whatever the account's state,
// grants and the classifications.
func TestFingerprintFollowsAccess(t *testing.T) {
	now := time.Date(2026, 12, 6, 0, 0, 0, 0, time.UTC)
	past, future := now.Add(-time.Hour), now.Add(time.Hour)
	grants := []Grant{{Dataset: Datasets[0]}, {Dataset: Datasets[1], ExpiresAt: &past}, {Dataset: Datasets[2], ExpiresAt: &future}}
	var accounts []*Account
	for _, st := range []AccountStatus{AccountActive, AccountSuspended, AccountRevoked} {
		accounts = append(accounts, nil, &Account{ID: 1, Status: st}, &Account{ID: 2, Status: st, Grants: grants})
	}
	classifications := []map[Dataset]Classification{{}, DefaultClassifications, {}}
	for _, d := range Datasets {
		classifications[2][d] = Registered
	}
	classifications[2][Datasets[0]], classifications[2][Datasets[3]] = Restricted, Open
	seen := map[string]string{} // fingerprint → the allowed set it stood for
	for _, classes := range classifications {
		for _, a := range accounts {
			p := NewPrincipal(a, 0, "", classes, now)
			var allowed []string
			for _, d := range Datasets {
				if p.Access(d) == nil {
					allowed = append(allowed, string(d))
				}
			}
			set := strings.Join(allowed, ",")
			fp := p.Fingerprint()
			if prev, ok := seen[fp]; ok && prev != set {
				t.Errorf("fingerprint %s stands for %q and %q", fp, prev, set)
			}
			seen[fp] = set
		}
	}
	if len(seen) < 4 {
		t.Errorf("%d distinct fingerprints: the cases do not differ", len(seen))
	}
	// And different sets give different fingerprints.
	sets := map[string]bool{}
	for _, set := range seen {
		if sets[set] {
			t.Errorf("the set %q has two fingerprints", set)
		}
		sets[set] = true
	}
}

// TestAccessAnyNamesTheEasiestWay: a field open to any of several datasets
// tells an anonymous caller that any account will do when one of them is
// REGISTERED (not that the first needs a grant), and names them all.
func TestAccessAnyNamesTheEasiestWay(t *testing.T) {
	classes := map[Dataset]Classification{DatasetSynopL2: Registered, DatasetSynopL1: Restricted}
	anon := NewPrincipal(nil, 0, "", classes, time.Now())
	err := anon.AccessAny(DatasetSynopL1, DatasetSynopL2)
	var e *Error
	if !errors.As(err, &e) || e.Code != EUNAUTHENTICATED {
		t.Fatalf("AccessAny = %v, want UNAUTHENTICATED", err)
	}
	if e.Extra["dataset"] != string(DatasetSynopL2) || strings.Contains(e.Message, "granted") ||
		!strings.Contains(e.Message, "SYNOP_L1, SYNOP_L2") {
		t.Errorf("denial = %q %v: want SYNOP_L2's (any account) naming both", e.Message, e.Extra)
	}
	if got := e.Extra["anyOf"]; len(got.([]string)) != 2 {
		t.Errorf("extensions.anyOf = %v", got)
	}
	partner := NewPrincipal(&Account{Status: AccountActive}, 0, "", classes, time.Now())
	if err := partner.AccessAny(DatasetSynopL1, DatasetSynopL2); err != nil {
		t.Errorf("any account, REGISTERED among the datasets: %v", err)
	}
}

// TestAnonymousUnder: the anonymous principals made under one set of
// classifications answer as NewPrincipal's would, fingerprint included,
// each at its own time.
func TestAnonymousUnder(t *testing.T) {
	open := map[Dataset]Classification{Datasets[0]: Open, Datasets[1]: Registered}
	closed := map[Dataset]Classification{Datasets[0]: Restricted, Datasets[1]: Registered}
	t0, t1 := time.Date(2026, 12, 6, 0, 0, 0, 0, time.UTC), time.Date(2026, 12, 7, 0, 0, 0, 0, time.UTC)
	for _, classes := range []map[Dataset]Classification{open, closed} {
		under := NewAnonymousUnder(classes)
		for _, now := range []time.Time{t0, t1} {
			got, want := under.At(now), NewPrincipal(nil, 0, "", classes, now)
			if got.Fingerprint() != want.Fingerprint() || got.Scope() != want.Scope() {
				t.Errorf("fingerprint %s, scope %s; want %s, %s", got.Fingerprint(), got.Scope(), want.Fingerprint(), want.Scope())
			}
			if !got.Now().Equal(now) || !got.Anonymous() {
				t.Errorf("At(%v): Now %v, anonymous %v", now, got.Now(), got.Anonymous())
			}
			for _, d := range Datasets[:2] {
				if (got.Access(d) == nil) != (want.Access(d) == nil) {
					t.Errorf("access to %s: %v, want %v", d, got.Access(d), want.Access(d))
				}
			}
		}
	}
	if NewAnonymousUnder(open).At(t0).Fingerprint() == NewAnonymousUnder(closed).At(t0).Fingerprint() {
		t.Error("different rights share a fingerprint")
	}
}
