package sqlstore

import (
	"context"
	"errors"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/bmkg/mkggraph/mkg"
)

func TestAccountCreateAndUpdate(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		advance := clock(s)
		in := partner("Badan Penanggulangan Bencana Daerah DKI")
		in.ValidUntil = mkg.Ptr(advance(0).AddDate(1, 0, 0))
		in.Roles = []mkg.Role{mkg.RoleAdmin, mkg.RoleOfficer, mkg.RoleAdmin}
		a := mustCreate(t, s, in)
		if a.ID == 0 || a.Status != mkg.AccountActive || !a.CreatedAt.Equal(advance(0)) || !a.UpdatedAt.Equal(a.CreatedAt) ||
			!a.ValidUntil.Equal(*in.ValidUntil) || !slices.Equal(a.Roles, []mkg.Role{mkg.RoleOfficer, mkg.RoleAdmin}) ||
			!reflect.DeepEqual(a.Application, in.Application) || a.ContactPhone != in.ContactPhone || len(a.Grants) != 0 {
			t.Errorf("created %+v from %+v", a, in)
		}
		e := lastEvent(t, s)
		if e.Action != "account.create" || e.TargetType != "account" || e.TargetID != formatID(a.ID) ||
			e.Details["organisation"] != in.Organisation || e.ActorID != staff.AccountID {
			t.Errorf("audit event %+v", e)
		}

		// Suspend, then update: every input field is replaced, the status stays.
		if _, err := s.SetAccountStatus(ctx, staff, a.ID, mkg.AccountSuspended, "unpaid"); err != nil {
			t.Fatal(err)
		}
		advance(time.Hour)
		up := partner("BPBD DKI Jakarta")
		up.ContactPhone = ""
		up.Application = mkg.ClientApplication{Name: "Flood map"}
		b, err := s.UpdateAccount(ctx, staff, a.ID, up)
		if err != nil {
			t.Fatal(err)
		}
		if b.Organisation != up.Organisation || b.ContactPhone != "" || b.ValidUntil != nil || b.Roles != nil ||
			!reflect.DeepEqual(b.Application, up.Application) || b.Status != mkg.AccountSuspended || b.StatusReason != "unpaid" ||
			!b.CreatedAt.Equal(a.CreatedAt) || !b.UpdatedAt.Equal(advance(0)) {
			t.Errorf("updated %+v from %+v", b, up)
		}
		e = lastEvent(t, s)
		changes, _ := e.Details["changes"].(map[string]any)
		if e.Action != "account.update" || len(changes) != 5 || changes["organisation"] == nil || changes["contactEmail"] != nil {
			t.Errorf("audit event %+v: want organisation, phone, application, validUntil and roles changed", e)
		}
		org, _ := changes["organisation"].(map[string]any)
		if org["from"] != in.Organisation || org["to"] != up.Organisation {
			t.Errorf("organisation change %v", org)
		}
		got, _ := s.AccountsByID(ctx, []int64{a.ID})
		if !reflect.DeepEqual(got[0], b) {
			t.Errorf("AccountsByID %+v, UpdateAccount returned %+v", got[0], b)
		}
		_, err = s.UpdateAccount(ctx, staff, 999, up)
		wantNotFound(t, "update a missing account", err)
	})
}

func TestAccountValidation(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		a := mustCreate(t, s, partner("Dinas Perhubungan"))
		cases := []struct {
			name  string
			edit  func(*mkg.AccountInput)
			field string
		}{
			{"missing organisation", func(in *mkg.AccountInput) { in.Organisation = "  " }, "input.organisation"},
			{"missing contact name", func(in *mkg.AccountInput) { in.ContactName = "" }, "input.contactName"},
			{"bad e-mail", func(in *mkg.AccountInput) { in.ContactEmail = "siti at example" }, "input.contactEmail"},
			{"validity ended", func(in *mkg.AccountInput) { in.ValidUntil = mkg.Ptr(time.Now().Add(-time.Minute)) }, "input.validUntil"},
			{"unknown role", func(in *mkg.AccountInput) { in.Roles = []mkg.Role{"ROOT"} }, "input.roles"},
			{"callback not http", func(in *mkg.AccountInput) { in.Application.CallbackURL = "ftp://x" }, "input.application.callbackUrl"},
		}
		before, _ := s.CountAccounts(ctx, mkg.AccountFilter{})
		for _, c := range cases {
			in := partner("Valid")
			c.edit(&in)
			_, err := s.CreateAccount(ctx, staff, in)
			wantInvalid(t, "create: "+c.name, err, c.field)
			_, err = s.UpdateAccount(ctx, staff, a.ID, in)
			wantInvalid(t, "update: "+c.name, err, c.field)
		}
		if after, _ := s.CountAccounts(ctx, mkg.AccountFilter{}); after != before {
			t.Errorf("%d accounts after refused creations, want %d", after, before)
		}
		if e := lastEvent(t, s); e.Action != "account.create" {
			t.Errorf("a refused change was audited: %+v", e)
		}
	})
}

func TestAccountStatus(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		a := mustCreate(t, s, partner("Pelindo"))
		for _, to := range []mkg.AccountStatus{mkg.AccountSuspended, mkg.AccountActive} {
			got, err := s.SetAccountStatus(ctx, staff, a.ID, to, " review ")
			if err != nil || got.Status != to || got.StatusReason != "review" {
				t.Fatalf("status %s: %+v, %v", to, got, err)
			}
		}
		e := lastEvent(t, s)
		if e.Action != "account.status" || e.Details["from"] != "SUSPENDED" || e.Details["to"] != "ACTIVE" || e.Details["reason"] != "review" {
			t.Errorf("audit event %+v", e)
		}
		_, err := s.SetAccountStatus(ctx, staff, a.ID, "DELETED", "")
		wantInvalid(t, "unknown status", err, "status")
		_, err = s.SetAccountStatus(ctx, staff, 999, mkg.AccountSuspended, "")
		wantNotFound(t, "missing account", err)
		if _, err := s.SetAccountStatus(ctx, staff, a.ID, mkg.AccountRevoked, "agreement ended"); err != nil {
			t.Fatal(err)
		}
		for _, to := range []mkg.AccountStatus{mkg.AccountActive, mkg.AccountSuspended} {
			_, err = s.SetAccountStatus(ctx, staff, a.ID, to, "")
			wantInvalid(t, "un-revoke to "+string(to), err, "status")
		}
		got, _ := s.AccountsByID(ctx, []int64{a.ID})
		if got[0].Status != mkg.AccountRevoked || got[0].StatusReason != "agreement ended" {
			t.Errorf("revocation was undone: %+v", got[0])
		}
	})
}

func TestRevokingAnAccountRevokesItsKeys(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		a := mustCreate(t, s, partner("Garuda"))
		other := mustCreate(t, s, partner("Lion"))
		_, k1 := mustIssue(t, s, a.ID, "prod")
		_, k2 := mustIssue(t, s, a.ID, "test")
		_, kOther := mustIssue(t, s, other.ID, "prod")
		if _, err := s.RevokeKey(ctx, staff, k2.ID, "leaked"); err != nil {
			t.Fatal(err)
		}
		if _, err := s.SetAccountStatus(ctx, staff, a.ID, mkg.AccountRevoked, "fraud"); err != nil {
			t.Fatal(err)
		}
		keys, _ := s.KeysOfAccounts(ctx, []int64{a.ID, other.ID})
		for _, k := range keys[0] {
			want := map[int64]string{k1.ID: "account revoked", k2.ID: "leaked"}[k.ID]
			if k.RevokedAt == nil || k.RevokeReason != want {
				t.Errorf("key %s of the revoked account: revoked %v, reason %q, want %q", k.Prefix, k.RevokedAt, k.RevokeReason, want)
			}
		}
		if keys[1][0].ID != kOther.ID || keys[1][0].RevokedAt != nil {
			t.Errorf("another account's key was touched: %+v", keys[1])
		}
		e := lastEvent(t, s)
		if revoked, _ := e.Details["revokedKeys"].([]any); len(revoked) != 1 || revoked[0] != k1.Prefix {
			t.Errorf("audit details %v: want the one key still live named by prefix", e.Details)
		}
		_, _, err := s.IssueKey(ctx, staff, a.ID, "again", nil)
		wantInvalid(t, "issue to a revoked account", err, "accountId")
	})
}

func TestGrants(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		advance := clock(s)
		a := mustCreate(t, s, partner("PLN"))
		week := mkg.Ptr(advance(0).Add(7 * 24 * time.Hour))
		got, err := s.AddGrant(ctx, staff, a.ID, mkg.DatasetLightning, week)
		if err != nil {
			t.Fatal(err)
		}
		if len(got.Grants) != 1 || got.Grants[0].Dataset != mkg.DatasetLightning || !got.Grants[0].ExpiresAt.Equal(*week) ||
			got.Grants[0].GrantedBy != staff.Label || !got.Grants[0].GrantedAt.Equal(advance(0)) {
			t.Errorf("grants %+v", got.Grants)
		}
		e := lastEvent(t, s)
		if e.Action != "grant.add" || e.TargetID != formatID(a.ID) || e.Details["dataset"] != "LIGHTNING" || e.Details["expiresAt"] != week.Format(time.RFC3339Nano) {
			t.Errorf("audit event %+v", e)
		}
		if got, err = s.AddGrant(ctx, staff, a.ID, mkg.DatasetSynopL1, nil); err != nil || len(got.Grants) != 2 {
			t.Fatalf("second grant: %+v, %v", got, err)
		}

		_, err = s.AddGrant(ctx, staff, a.ID, mkg.DatasetLightning, nil)
		wantInvalid(t, "duplicate", err, "dataset")
		_, err = s.AddGrant(ctx, staff, a.ID, "TSUNAMI", nil)
		wantInvalid(t, "unknown dataset", err, "dataset")
		_, err = s.AddGrant(ctx, staff, a.ID, mkg.DatasetRadarVolume, mkg.Ptr(advance(0).Add(-time.Second)))
		wantInvalid(t, "past expiry", err, "expiresAt")
		_, err = s.AddGrant(ctx, staff, 999, mkg.DatasetRadarVolume, nil)
		wantNotFound(t, "grant to a missing account", err)

		// Once expired, the dataset can be granted again.
		advance(8 * 24 * time.Hour)
		if got, err = s.AddGrant(ctx, staff, a.ID, mkg.DatasetLightning, nil); err != nil {
			t.Fatalf("re-grant after expiry: %v", err)
		}
		if g, _ := grantOf(got, mkg.DatasetLightning); g.ExpiresAt != nil || len(got.Grants) != 2 {
			t.Errorf("re-granted: %+v", got.Grants)
		}
		if e := lastEvent(t, s); e.Details["replacesExpiredGrant"] == nil {
			t.Errorf("audit event %+v: want the expired grant it replaced", e)
		}

		if got, err = s.RemoveGrant(ctx, staff, a.ID, mkg.DatasetSynopL1); err != nil || len(got.Grants) != 1 {
			t.Fatalf("remove: %+v, %v", got, err)
		}
		if e := lastEvent(t, s); e.Action != "grant.remove" || e.Details["dataset"] != "SYNOP_L1" {
			t.Errorf("audit event %+v", e)
		}
		_, err = s.RemoveGrant(ctx, staff, a.ID, mkg.DatasetSynopL1)
		wantNotFound(t, "remove a grant not held", err)
		_, err = s.RemoveGrant(ctx, staff, 999, mkg.DatasetSynopL1)
		wantNotFound(t, "remove from a missing account", err)
		_, err = s.RemoveGrant(ctx, staff, a.ID, "TSUNAMI")
		wantInvalid(t, "remove an unknown dataset", err, "dataset")

		if _, err := s.SetAccountStatus(ctx, staff, a.ID, mkg.AccountRevoked, ""); err != nil {
			t.Fatal(err)
		}
		_, err = s.AddGrant(ctx, staff, a.ID, mkg.DatasetRadarVolume, nil)
		wantInvalid(t, "grant to a revoked account", err, "accountId")
	})
}

func TestAccountsListing(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		advance := clock(s)
		ids := map[string]int64{}
		for _, org := range []string{"Delta Air", "Alpha Agro", "Charlie_Co", "Bravo Bank", "Alpha Agro", "Echo 100%"} {
			ids[org] = mustCreate(t, s, partner(org)).ID
		}
		staffIn := partner("BMKG Pusdatin")
		staffIn.ContactName, staffIn.ContactEmail, staffIn.Roles = "Budi Santoso", "budi@bmkg.go.id", []mkg.Role{mkg.RoleOfficer, mkg.RoleAdmin}
		bmkg := mustCreate(t, s, staffIn).ID
		mustSetStatus(t, s, ids["Bravo Bank"], mkg.AccountSuspended)
		mustSetStatus(t, s, ids["Delta Air"], mkg.AccountRevoked)
		if _, err := s.AddGrant(ctx, staff, ids["Charlie_Co"], mkg.DatasetRadarVolume, mkg.Ptr(advance(0).Add(time.Hour))); err != nil {
			t.Fatal(err)
		}
		if _, err := s.AddGrant(ctx, staff, bmkg, mkg.DatasetRadarVolume, nil); err != nil {
			t.Fatal(err)
		}
		advance(2 * time.Hour) // Charlie_Co's grant has expired: still listed under the dataset

		cases := []struct {
			name string
			f    mkg.AccountFilter
			want []string
		}{
			{"all, by organisation", mkg.AccountFilter{}, []string{"Alpha Agro", "Alpha Agro", "BMKG Pusdatin", "Bravo Bank", "Charlie_Co", "Delta Air", "Echo 100%"}},
			{"status", mkg.AccountFilter{Status: []mkg.AccountStatus{mkg.AccountSuspended, mkg.AccountRevoked}}, []string{"Bravo Bank", "Delta Air"}},
			{"role", mkg.AccountFilter{Role: mkg.RoleAdmin}, []string{"BMKG Pusdatin"}},
			{"search any case", mkg.AccountFilter{Search: "ALPHA"}, []string{"Alpha Agro", "Alpha Agro"}},
			{"search contact name", mkg.AccountFilter{Search: "santoso"}, []string{"BMKG Pusdatin"}},
			{"search e-mail", mkg.AccountFilter{Search: "@bmkg.go"}, []string{"BMKG Pusdatin"}},
			{"search % is literal", mkg.AccountFilter{Search: "100%"}, []string{"Echo 100%"}},
			{"search _ is literal", mkg.AccountFilter{Search: "a_a"}, nil},
			{"dataset, expired grants too", mkg.AccountFilter{Dataset: mkg.DatasetRadarVolume}, []string{"BMKG Pusdatin", "Charlie_Co"}},
			{"combined", mkg.AccountFilter{Dataset: mkg.DatasetRadarVolume, Status: []mkg.AccountStatus{mkg.AccountActive}, Search: "charlie"}, []string{"Charlie_Co"}},
		}
		for _, c := range cases {
			page, err := s.Accounts(ctx, c.f, mkg.Page{Limit: 50})
			if err != nil {
				t.Fatalf("%s: %v", c.name, err)
			}
			var got []string
			for _, a := range page.Accounts {
				got = append(got, a.Organisation)
			}
			if !slices.Equal(got, c.want) || page.HasNextPage {
				t.Errorf("%s: got %v (next %v), want %v", c.name, got, page.HasNextPage, c.want)
			}
			if n, err := s.CountAccounts(ctx, c.f); err != nil || n != len(c.want) {
				t.Errorf("%s: count %d, %v; want %d", c.name, n, err, len(c.want))
			}
		}
		all, _ := s.Accounts(ctx, mkg.AccountFilter{}, mkg.Page{Limit: 50})
		if g := all.Accounts[2].Grants; len(g) != 1 || g[0].Dataset != mkg.DatasetRadarVolume {
			t.Errorf("listed accounts come without their grants: %+v", all.Accounts[2])
		}

		invalid := []struct {
			f     mkg.AccountFilter
			field string
		}{
			{mkg.AccountFilter{Status: []mkg.AccountStatus{"GONE"}}, "filter.status"},
			{mkg.AccountFilter{Role: "ROOT"}, "filter.role"},
			{mkg.AccountFilter{Dataset: "TSUNAMI"}, "filter.dataset"},
		}
		for _, c := range invalid {
			_, err := s.Accounts(ctx, c.f, mkg.Page{Limit: 10})
			wantInvalid(t, "Accounts "+c.field, err, c.field)
			_, err = s.CountAccounts(ctx, c.f)
			wantInvalid(t, "CountAccounts "+c.field, err, c.field)
		}
	})
}

func mustSetStatus(t *testing.T, s *Store, id int64, to mkg.AccountStatus) {
	t.Helper()
	if _, err := s.SetAccountStatus(context.Background(), staff, id, to, ""); err != nil {
		t.Fatal(err)
	}
}

func TestAccountsPagination(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		for _, org := range []string{"Kilo", "Alpha", "Lima", "Alpha", "Alpha", "Golf", "Hotel"} {
			mustCreate(t, s, partner(org))
		}
		all, _ := s.Accounts(ctx, mkg.AccountFilter{}, mkg.Page{Limit: 100})
		var walked []int64
		var after *mkg.Cursor
		for pages := 0; ; pages++ {
			page, err := s.Accounts(ctx, mkg.AccountFilter{}, mkg.Page{Limit: 2, After: after})
			if err != nil {
				t.Fatal(err)
			}
			for _, a := range page.Accounts {
				walked = append(walked, a.ID)
			}
			if !page.HasNextPage {
				break
			}
			after = &page.Cursors[len(page.Cursors)-1]
			if pages > 10 {
				t.Fatal("pagination does not end")
			}
		}
		var want []int64
		for _, a := range all.Accounts {
			want = append(want, a.ID)
		}
		if len(want) != 7 || !slices.Equal(walked, want) {
			t.Errorf("walked %v in pages of 2, one page is %v", walked, want)
		}
		// A cursor that went through its client form still works; one from
		// another list does not.
		c, err := mkg.DecodeCursor(all.Cursors[2].Encode(), mkg.OrderAccounts)
		if err != nil {
			t.Fatal(err)
		}
		if page, err := s.Accounts(ctx, mkg.AccountFilter{}, mkg.Page{Limit: 1, After: &c}); err != nil || page.Accounts[0].ID != want[3] {
			t.Errorf("after the third account: %v, %v", page, err)
		}
		_, err = s.Accounts(ctx, mkg.AccountFilter{}, mkg.Page{Limit: 1, After: &mkg.Cursor{Order: mkg.OrderAudit, Value: "x", ID: 1}})
		wantInvalid(t, "foreign cursor", err, "after")
	})
}

func TestAccessBatchesCostFixedStatements(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		var ids []int64
		for _, org := range []string{"A", "B", "C", "D", "E"} {
			a := mustCreate(t, s, partner(org))
			ids = append(ids, a.ID)
			if _, err := s.AddGrant(ctx, staff, a.ID, mkg.DatasetSatellite, nil); err != nil {
				t.Fatal(err)
			}
			mustIssue(t, s, a.ID, "first")
			mustIssue(t, s, a.ID, "second")
		}
		for _, batch := range [][]int64{{ids[0]}, {ids[4], 999, ids[1], ids[2], ids[3], ids[0], ids[4]}} {
			before := s.Statements()
			accts, err := s.AccountsByID(ctx, batch)
			if err != nil {
				t.Fatal(err)
			}
			if n := s.Statements() - before; n != 2 {
				t.Errorf("AccountsByID of %d ids ran %d statements, want 2 (accounts, grants)", len(batch), n)
			}
			for i, id := range batch {
				if id == 999 && accts[i] != nil || id != 999 && (accts[i].ID != id || len(accts[i].Grants) != 1) {
					t.Errorf("AccountsByID[%d] = %+v, want account %d with its grant", i, accts[i], id)
				}
			}
			before = s.Statements()
			keys, err := s.KeysOfAccounts(ctx, batch)
			if err != nil {
				t.Fatal(err)
			}
			if n := s.Statements() - before; n != 1 {
				t.Errorf("KeysOfAccounts of %d ids ran %d statements, want 1", len(batch), n)
			}
			for i, id := range batch {
				if id == 999 && keys[i] != nil || id != 999 && (len(keys[i]) != 2 || keys[i][0].AccountID != id || keys[i][0].Label != "second") {
					t.Errorf("KeysOfAccounts[%d] = %+v, want account %d's two keys, newest first", i, keys[i], id)
				}
			}
		}
		before := s.Statements()
		if a, err := s.AccountsByID(ctx, nil); err != nil || len(a) != 0 || s.Statements() != before {
			t.Errorf("no ids: %v, %v, %d statements", a, err, s.Statements()-before)
		}
	})
}

// TestAccountBudget: an admin's budget is stored and read back, null
// fields mean the default, a change is audited, and a malformed budget is
// refused naming the field without touching the account.
func TestAccountBudget(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		a := mustCreate(t, s, partner("BPBD Jawa Barat"))
		if a.Budget.PerMinute != nil || a.Budget.PerDay != nil {
			t.Fatalf("a new account has a budget of its own: %+v", a.Budget)
		}
		b, err := s.SetAccountBudget(ctx, staff, a.ID, mkg.AccountBudget{PerDay: mkg.Ptr(int64(90_000))})
		if err != nil {
			t.Fatal(err)
		}
		if b.Budget.PerMinute != nil || b.Budget.PerDay == nil || *b.Budget.PerDay != 90_000 {
			t.Errorf("budget after setting the day's: %+v", b.Budget)
		}
		if e := lastEvent(t, s); e.Action != "account.budget" || e.TargetID != formatID(a.ID) {
			t.Errorf("audit event %+v", e)
		}
		for _, bad := range []struct {
			b     mkg.AccountBudget
			field string
		}{
			{mkg.AccountBudget{PerMinute: mkg.Ptr(int64(-5))}, "perMinute"},
			{mkg.AccountBudget{PerDay: mkg.Ptr(int64(mkg.MaxBudgetPerDay + 1))}, "perDay"},
			{mkg.AccountBudget{PerMinute: mkg.Ptr(int64(10)), PerDay: mkg.Ptr(int64(5))}, "perMinute"},
		} {
			_, err := s.SetAccountBudget(ctx, staff, a.ID, bad.b)
			var e *mkg.Error
			if !errors.As(err, &e) || e.Code != mkg.EINVALID || e.Field != bad.field {
				t.Errorf("SetAccountBudget(%+v) = %v; want INVALID naming %s", bad.b, err, bad.field)
			}
		}
		got, err := s.AccountsByID(ctx, []int64{a.ID})
		if err != nil || len(got) != 1 || got[0].Budget.PerDay == nil || *got[0].Budget.PerDay != 90_000 || got[0].Budget.PerMinute != nil {
			t.Errorf("read back after refused changes: %+v, %v", got, err)
		}
	})
}
