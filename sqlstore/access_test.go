package sqlstore

import (
	"context"
	"maps"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/bmkg/mkggraph/mkg"
)

// The access store's contract suite: classifications here; accounts and
// grants, keys and the audit log in access_*_test.go.

var (
	staff = mkg.Actor{AccountID: 42, Label: "BMKG Pusdatin / Admin"}
	cli   = mkg.Actor{Label: "cli"}
)

// clock fixes the store's clock at a round time and returns a func that
// moves it on.
func clock(s *Store) (advance func(time.Duration) time.Time) {
	now := time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC)
	s.now = func() time.Time { return now }
	return func(d time.Duration) time.Time {
		now = now.Add(d)
		return now
	}
}

func partner(org string) mkg.AccountInput {
	return mkg.AccountInput{
		Organisation: org, ContactName: "Siti Rahma", ContactEmail: "siti@example.org", ContactPhone: "+62 21 424 6321",
		Application: mkg.ClientApplication{Name: "Flood early warning", Platform: "web", CallbackURL: "https://example.org/cb",
			SourceAddress: []string{"203.0.113.0/24"}, CallsPerDay: mkg.Ptr(5000)},
	}
}

func mustCreate(t *testing.T, s *Store, in mkg.AccountInput) *mkg.Account {
	t.Helper()
	a, err := s.CreateAccount(context.Background(), staff, in)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func mustIssue(t *testing.T, s *Store, accountID int64, label string) (string, *mkg.APIKey) {
	t.Helper()
	key, rec, err := s.IssueKey(context.Background(), staff, accountID, label, nil)
	if err != nil {
		t.Fatal(err)
	}
	return key, rec
}

// wantInvalid fails unless err is BAD_USER_INPUT naming field.
func wantInvalid(t *testing.T, what string, err error, field string) {
	t.Helper()
	var e *mkg.Error
	if !asError(err, &e) || e.Code != mkg.EINVALID || e.Field != field {
		t.Errorf("%s: got %v, want BAD_USER_INPUT on %s", what, err, field)
	}
}

func wantNotFound(t *testing.T, what string, err error) {
	t.Helper()
	if mkg.ErrorCode(err) != mkg.ENOTFOUND {
		t.Errorf("%s: got %v, want NOT_FOUND", what, err)
	}
}

// lastEvent returns the newest audit event.
func lastEvent(t *testing.T, s *Store) *mkg.AuditEvent {
	t.Helper()
	page, err := s.AuditEvents(context.Background(), mkg.AuditFilter{}, mkg.Page{Limit: 1})
	if err != nil || len(page.Events) != 1 {
		t.Fatalf("latest audit event: %v, %v", page, err)
	}
	return page.Events[0]
}

func TestAccessSeededClassifications(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		before := s.Statements()
		got, err := s.Classifications(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if n := s.Statements() - before; n != 1 {
			t.Errorf("Classifications ran %d statements, want 1", n)
		}
		if !maps.Equal(got, mkg.DefaultClassifications) {
			t.Errorf("seeded classifications %v, want mkg.DefaultClassifications %v", got, mkg.DefaultClassifications)
		}
		infos, err := s.DatasetInfos(ctx)
		if err != nil {
			t.Fatal(err)
		}
		var order []mkg.Dataset
		for _, in := range infos {
			order = append(order, in.Dataset)
			if in.UpdatedBy == "" || time.Since(in.UpdatedAt) > time.Hour || in.Classification != mkg.DefaultClassifications[in.Dataset] {
				t.Errorf("dataset info %+v: want the default, seeded by the migration just now", in)
			}
		}
		if !slices.Equal(order, mkg.Datasets) {
			t.Errorf("DatasetInfos order %v, want mkg.Datasets", order)
		}
	})
}

func TestAccessSetClassification(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		_, err := s.SetClassification(ctx, staff, "TSUNAMI", mkg.Open)
		wantInvalid(t, "unknown dataset", err, "dataset")
		_, err = s.SetClassification(ctx, staff, mkg.DatasetSynopL1, "SECRET")
		wantInvalid(t, "unknown classification", err, "classification")

		advance := clock(s)
		info, err := s.SetClassification(ctx, staff, mkg.DatasetSynopL1, mkg.Registered)
		if err != nil {
			t.Fatal(err)
		}
		if info.Dataset != mkg.DatasetSynopL1 || info.Classification != mkg.Registered || info.UpdatedBy != staff.Label || !info.UpdatedAt.Equal(advance(0)) {
			t.Errorf("info = %+v", info)
		}
		got, _ := s.Classifications(ctx)
		if got[mkg.DatasetSynopL1] != mkg.Registered || got[mkg.DatasetSynopL2] != mkg.Registered || len(got) != len(mkg.Datasets) {
			t.Errorf("classifications after the change: %v", got)
		}
		e := lastEvent(t, s)
		if e.Action != "dataset.classify" || e.TargetType != "dataset" || e.TargetID != "SYNOP_L1" || e.ActorID != staff.AccountID ||
			e.Actor != staff.Label || e.Details["from"] != "RESTRICTED" || e.Details["to"] != "REGISTERED" || !e.At.Equal(advance(0)) {
			t.Errorf("audit event %+v", e)
		}
	})
}

func TestAccessClassificationsAreNotInvented(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		if _, err := s.db.ExecContext(ctx, `DELETE FROM datasets WHERE name = 'LIGHTNING'`); err != nil {
			t.Fatal(err)
		}
		got, _ := s.Classifications(ctx)
		infos, _ := s.DatasetInfos(ctx)
		if _, ok := got[mkg.DatasetLightning]; ok || len(got) != len(mkg.Datasets)-1 || len(infos) != len(mkg.Datasets)-1 {
			t.Fatalf("a dataset missing from the table was listed: %v, %d infos", got, len(infos))
		}
		// Classifying it stores it again; the audit event has no old value.
		if _, err := s.SetClassification(ctx, cli, mkg.DatasetLightning, mkg.Restricted); err != nil {
			t.Fatal(err)
		}
		e := lastEvent(t, s)
		if from, ok := e.Details["from"]; !ok || from != nil || e.ActorID != 0 || e.Actor != "cli" {
			t.Errorf("audit event %+v: want from = null, by the command line", e)
		}
		if got, _ := s.Classifications(ctx); got[mkg.DatasetLightning] != mkg.Restricted {
			t.Errorf("LIGHTNING = %q after classifying it", got[mkg.DatasetLightning])
		}
	})
}

// Two admins acting at once take turns: a key is rotated once, a dataset
// granted once.
func TestAccessConcurrentChanges(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		a := mustCreate(t, s, partner("Basarnas"))
		_, rec := mustIssue(t, s, a.ID, "")
		const n = 6
		errs := make(chan error, 2*n)
		var wg sync.WaitGroup
		for range n {
			wg.Go(func() {
				_, _, err := s.RotateKey(ctx, staff, rec.ID)
				errs <- err
			})
			wg.Go(func() {
				_, err := s.AddGrant(ctx, staff, a.ID, mkg.DatasetLightning, nil)
				errs <- err
			})
		}
		wg.Wait()
		close(errs)
		ok := 0
		for err := range errs {
			switch mkg.ErrorCode(err) {
			case "":
				ok++
			case mkg.EINVALID:
			default:
				t.Errorf("concurrent change: %v", err)
			}
		}
		keys, _ := s.KeysOfAccounts(ctx, []int64{a.ID})
		accts, _ := s.AccountsByID(ctx, []int64{a.ID})
		if ok != 2 || len(keys[0]) != 2 || len(accts[0].Grants) != 1 {
			t.Errorf("%d changes succeeded, %d keys, %d grants: want one rotation and one grant", ok, len(keys[0]), len(accts[0].Grants))
		}
	})
}
