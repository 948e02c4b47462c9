package sqlstore

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/bmkg/mkggraph/mkg"
)

// auditEverything makes one change of every kind and returns the keys it
// issued.
func auditEverything(t *testing.T, s *Store) (keys []string) {
	t.Helper()
	ctx := context.Background()
	a := mustCreate(t, s, partner("Basarnas"))
	steps := []func() error{
		func() error { _, err := s.UpdateAccount(ctx, staff, a.ID, partner("Basarnas Pusat")); return err },
		func() error { _, err := s.AddGrant(ctx, staff, a.ID, mkg.DatasetLightning, nil); return err },
		func() error { _, err := s.RemoveGrant(ctx, staff, a.ID, mkg.DatasetLightning); return err },
		func() error { _, err := s.SetClassification(ctx, staff, mkg.DatasetSatellite, mkg.Open); return err },
		func() error {
			k, rec, err := s.IssueKey(ctx, staff, a.ID, "app", nil)
			if err != nil {
				return err
			}
			k2, rec2, err := s.RotateKey(ctx, staff, rec.ID)
			if err != nil {
				return err
			}
			k3, _, err := s.IssueKey(ctx, staff, a.ID, "spare", nil)
			keys = append(keys, k, k2, k3)
			if err != nil {
				return err
			}
			_, err = s.RevokeKey(ctx, staff, rec2.ID, "done")
			return err
		},
		func() error { _, err := s.SetAccountStatus(ctx, staff, a.ID, mkg.AccountRevoked, "closed"); return err },
	}
	for i, step := range steps {
		if err := step(); err != nil {
			t.Fatalf("step %d: %v", i, err)
		}
	}
	return keys
}

func TestAuditRecordsEveryChangeWithoutSecrets(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		keys := auditEverything(t, s)
		page, err := s.AuditEvents(ctx, mkg.AuditFilter{}, mkg.Page{Limit: 100})
		if err != nil {
			t.Fatal(err)
		}
		var actions []string
		for _, e := range page.Events {
			actions = append(actions, e.Action)
			if e.ActorID != staff.AccountID || e.Actor != staff.Label || e.At.IsZero() || e.TargetID == "" || len(e.Details) == 0 {
				t.Errorf("audit event %+v: want actor, time, target and details", e)
			}
		}
		slices.Reverse(actions)
		want := []string{"account.create", "account.update", "grant.add", "grant.remove", "dataset.classify",
			"key.issue", "key.rotate", "key.issue", "key.revoke", "account.status"}
		if !slices.Equal(actions, want) {
			t.Errorf("audited %v, want %v", actions, want)
		}

		// No key, secret or hash in any column of any audit row.
		var rows []string
		err = s.db.SelectContext(ctx, &rows, `SELECT actor_label || ' ' || action || ' ' || target_type || ' ' || target_id || ' ' || details FROM audit_events`)
		if err != nil || len(rows) != len(want) {
			t.Fatalf("raw audit rows: %d, %v", len(rows), err)
		}
		dump := strings.Join(rows, "\n")
		for _, k := range keys {
			prefix, _ := mkg.KeyPrefix(k)
			for _, secret := range []string{k, k[len(prefix)+1:], mkg.HashAPIKey(k)} {
				if strings.Contains(dump, secret) {
					t.Errorf("the audit log holds a key, its secret or its hash: %q", secret)
				}
			}
			if !strings.Contains(dump, prefix) {
				t.Errorf("the audit log never names key %s by its prefix", prefix)
			}
		}
	})
}

func TestAuditFilters(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		advance := clock(s)
		start := advance(0)
		a := mustCreate(t, s, partner("Kemenhub"))
		advance(time.Hour)
		if _, err := s.AddGrant(ctx, cli, a.ID, mkg.DatasetSynopL1, nil); err != nil {
			t.Fatal(err)
		}
		advance(time.Hour)
		if _, err := s.SetClassification(ctx, staff, mkg.DatasetSynopL2, mkg.Open); err != nil {
			t.Fatal(err)
		}
		target := formatID(a.ID)
		cases := []struct {
			name string
			f    mkg.AuditFilter
			want []string
		}{
			{"all, newest first", mkg.AuditFilter{}, []string{"dataset.classify", "grant.add", "account.create"}},
			{"actor", mkg.AuditFilter{ActorID: staff.AccountID}, []string{"dataset.classify", "account.create"}},
			{"target", mkg.AuditFilter{TargetType: "account", TargetID: target}, []string{"grant.add", "account.create"}},
			{"target type", mkg.AuditFilter{TargetType: "dataset"}, []string{"dataset.classify"}},
			{"action", mkg.AuditFilter{Action: "grant.add"}, []string{"grant.add"}},
			{"from", mkg.AuditFilter{From: mkg.Ptr(start.Add(time.Minute))}, []string{"dataset.classify", "grant.add"}},
			{"to, inclusive", mkg.AuditFilter{To: mkg.Ptr(start.Add(time.Hour))}, []string{"grant.add", "account.create"}},
			{"window", mkg.AuditFilter{From: mkg.Ptr(start.Add(time.Minute)), To: mkg.Ptr(start.Add(time.Hour))}, []string{"grant.add"}},
		}
		for _, c := range cases {
			page, err := s.AuditEvents(ctx, c.f, mkg.Page{Limit: 50})
			if err != nil {
				t.Fatalf("%s: %v", c.name, err)
			}
			var got []string
			for _, e := range page.Events {
				got = append(got, e.Action)
			}
			if !slices.Equal(got, c.want) {
				t.Errorf("%s: got %v, want %v", c.name, got, c.want)
			}
		}
		grant, _ := s.AuditEvents(ctx, mkg.AuditFilter{Action: "grant.add"}, mkg.Page{Limit: 1})
		if e := grant.Events[0]; e.ActorID != 0 || e.Actor != "cli" || !e.At.Equal(start.Add(time.Hour)) {
			t.Errorf("event by the command line: %+v", e)
		}
		_, err := s.AuditEvents(ctx, mkg.AuditFilter{From: mkg.Ptr(start), To: mkg.Ptr(start.Add(-time.Second))}, mkg.Page{Limit: 1})
		wantInvalid(t, "from after to", err, "filter.from")
	})
}

func TestAuditPagination(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		advance := clock(s) // the clock stands still: events share their time, ids break the ties
		a := mustCreate(t, s, partner("BNPB"))
		for _, d := range []mkg.Dataset{mkg.DatasetSynopL1, mkg.DatasetClimateL1, mkg.DatasetLightning, mkg.DatasetRadarVolume} {
			if _, err := s.AddGrant(ctx, staff, a.ID, d, nil); err != nil {
				t.Fatal(err)
			}
			advance(time.Second)
			if _, err := s.RemoveGrant(ctx, staff, a.ID, d); err != nil {
				t.Fatal(err)
			}
		}
		all, _ := s.AuditEvents(ctx, mkg.AuditFilter{}, mkg.Page{Limit: 100})
		if len(all.Events) != 9 {
			t.Fatalf("%d events, want 9", len(all.Events))
		}
		var walked []int64
		var after *mkg.Cursor
		for pages := 0; ; pages++ {
			page, err := s.AuditEvents(ctx, mkg.AuditFilter{}, mkg.Page{Limit: 2, After: after})
			if err != nil {
				t.Fatal(err)
			}
			for _, e := range page.Events {
				walked = append(walked, e.ID)
			}
			if !page.HasNextPage {
				break
			}
			c, err := mkg.DecodeCursor(page.Cursors[len(page.Cursors)-1].Encode(), mkg.OrderAudit)
			if err != nil {
				t.Fatal(err)
			}
			after = &c
			if pages > 10 {
				t.Fatal("pagination does not end")
			}
		}
		var want []int64
		for i, e := range all.Events {
			want = append(want, e.ID)
			if i > 0 && (e.At.After(all.Events[i-1].At) || e.At.Equal(all.Events[i-1].At) && e.ID > all.Events[i-1].ID) {
				t.Errorf("events not newest first at %d", i)
			}
		}
		if !slices.Equal(walked, want) {
			t.Errorf("walked %v in pages of 2, one page is %v", walked, want)
		}
		_, err := s.AuditEvents(ctx, mkg.AuditFilter{}, mkg.Page{Limit: 1, After: &all.Cursors[0]})
		if err != nil {
			t.Error(err)
		}
		_, err = s.AuditEvents(ctx, mkg.AuditFilter{}, mkg.Page{Limit: 1, After: &mkg.Cursor{Order: mkg.OrderAccounts, Value: "Alpha", ID: 1}})
		wantInvalid(t, "foreign cursor", err, "after")
	})
}
