package sqlstore

import (
	"context"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/bmkg/mkggraph/internal/testenv"
	"github.com/bmkg/mkggraph/mkg"
)

var partitionsNow = time.Date(2025, 6, 18, 9, 30, 0, 0, time.UTC) // a Wednesday

func openStoreAt(t *testing.T, url string, now time.Time) *Store {
	t.Helper()
	s, err := Open(context.Background(), url, Options{Logger: quiet, Now: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// partitionNames lists the partitions of table, and fails on a default
// partition (where rows without a partition of their own would pile up).
func partitionNames(t *testing.T, s *Store, table string) []string {
	t.Helper()
	var rows []struct {
		Name  string `db:"relname"`
		Bound string `db:"bound"`
	}
	if err := s.db.Select(&rows, `SELECT c.relname, pg_get_expr(c.relpartbound, c.oid) AS bound
		FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = to_regclass($1) ORDER BY 1`, table); err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, r := range rows {
		if r.Bound == "DEFAULT" {
			t.Fatalf("%s has a default partition %s", table, r.Name)
		}
		names = append(names, r.Name)
	}
	return names
}

func rowsIn(t *testing.T, s *Store, table string) int {
	t.Helper()
	var n int
	if err := s.db.Get(&n, `SELECT COUNT(*) FROM `+table); err != nil {
		t.Fatal(err)
	}
	return n
}

func strikesAt(at time.Time, n int, network string) []mkg.Strike {
	out := make([]mkg.Strike, n)
	for i := range out {
		out[i] = mkg.Strike{Time: at.Add(time.Duration(i) * time.Second), Latitude: -6 + float64(i)*0.001, Longitude: 106, Network: network}
	}
	return out
}

// TestPartitionsAheadAndOnDemand (PostgreSQL): partitions of the coming
// weeks and months exist once the store opens; a backfill a year back
// gets partitions of its own; two instances creating the same partition
// at once both succeed; a partition dropped behind an instance's back is
// created again by its next write.
func TestPartitionsAheadAndOnDemand(t *testing.T) {
	url := testenv.PostgresURL(t)
	s := openStoreAt(t, url, partitionsNow)
	ctx := context.Background()
	lightning, obsParts := partitionNames(t, s, "lightning_strikes"), partitionNames(t, s, "observations")
	for _, want := range []string{"lightning_strikes_p20250616", "lightning_strikes_p20250714"} {
		if !slices.Contains(lightning, want) {
			t.Errorf("lightning partitions %v lack %s (this week and four ahead)", lightning, want)
		}
	}
	for _, want := range []string{"observations_p20250601", "observations_p20250901"} {
		if !slices.Contains(obsParts, want) {
			t.Errorf("observation partitions %v lack %s (this month and three ahead)", obsParts, want)
		}
	}
	if cells := partitionNames(t, s, "lightning_cells"); len(cells) != len(lightning) {
		t.Errorf("roll-up partitions %v do not follow the strikes' %v", cells, lightning)
	}

	// A year back: its own week (Monday 2024-06-10), strikes and roll-ups.
	yearAgo := time.Date(2024, 6, 12, 14, 0, 0, 0, time.UTC)
	if n, err := s.InsertStrikes(ctx, strikesAt(yearAgo, 50, "A")); err != nil || n != 50 {
		t.Fatalf("backfill = %d, %v", n, err)
	}
	if rowsIn(t, s, "lightning_strikes_p20240610") != 50 || rowsIn(t, s, "lightning_cells_p20240610") == 0 {
		t.Fatal("the backfill is not in the partitions of its week")
	}
	old := obs("96749", 0, "96749 ... =", "")
	old.ObservedAt = yearAgo
	if res := upsertObs(t, s, old); res[0].Outcome != mkg.Inserted {
		t.Fatalf("observation a year back: %+v", res[0])
	}
	if rowsIn(t, s, "observations_p20240601") != 1 {
		t.Fatal("the observation is not in the partition of its month")
	}
	page, err := s.Observations(ctx, mkg.ObservationFilter{StationWMOs: []string{"96749"}}, mkg.Page{Limit: 5})
	if err != nil || len(page.Edges) != 1 || !page.Edges[0].Observation.ObservedAt.Equal(yearAgo) {
		t.Fatalf("read back: %+v, %v", page, err)
	}

	// Two instances write into a week that has no partition yet.
	other := openStoreAt(t, url, partitionsNow)
	twoYears := time.Date(2023, 6, 14, 0, 0, 0, 0, time.UTC)
	var wg sync.WaitGroup
	errs := make([]error, 2)
	for i, st := range []*Store{s, other} {
		wg.Go(func() { _, errs[i] = st.InsertStrikes(ctx, strikesAt(twoYears, 100, []string{"A", "B"}[i])) })
	}
	wg.Wait()
	if errs[0] != nil || errs[1] != nil || rowsIn(t, s, "lightning_strikes_p20230612") != 200 {
		t.Fatalf("two instances, one new week: %v, %v", errs[0], errs[1])
	}

	// Another instance dropped the week this one knows.
	if _, err := other.DropPartitionsBefore(ctx, "lightning_strikes", time.Date(2023, 6, 19, 0, 0, 0, 0, time.UTC)); err != nil {
		t.Fatal(err)
	}
	if n, err := s.InsertStrikes(ctx, strikesAt(twoYears, 10, "C")); err != nil || n != 10 {
		t.Fatalf("write into a week dropped elsewhere: %d, %v", n, err)
	}
}

// TestDropPartitionsBefore: retention removes whole periods, roll-ups with
// their strikes; on SQLite the same rows go by DELETE.
func TestDropPartitionsBefore(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		weeks := []time.Time{time.Date(2025, 1, 8, 0, 0, 0, 0, time.UTC), time.Date(2025, 1, 15, 0, 0, 0, 0, time.UTC),
			time.Date(2025, 1, 22, 0, 0, 0, 0, time.UTC)}
		for _, w := range weeks {
			if _, err := s.InsertStrikes(ctx, strikesAt(w, 20, "A")); err != nil {
				t.Fatal(err)
			}
		}
		for i, w := range weeks {
			o := obs("96749", 0, "96749 ... =", "")
			o.ObservedAt = w.AddDate(0, i, 0) // January, February, March
			upsertObs(t, s, o)
		}
		// The cut falls mid-week and mid-month: the periods holding it stay.
		dropped, err := s.DropPartitionsBefore(ctx, "lightning_strikes", time.Date(2025, 1, 17, 12, 0, 0, 0, time.UTC))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.DropPartitionsBefore(ctx, "observations", time.Date(2025, 2, 20, 0, 0, 0, 0, time.UTC)); err != nil {
			t.Fatal(err)
		}
		if s.Dialect() == "postgres" && (!slices.Contains(dropped, "lightning_strikes_p20250106") ||
			!slices.Contains(dropped, "lightning_cells_p20250106") || slices.Contains(dropped, "lightning_strikes_p20250113")) {
			t.Errorf("dropped %v; want the week of 6 January with its roll-ups, not the week of the cut", dropped)
		}
		var minMs int64
		if err := s.db.Get(&minMs, `SELECT MIN(time_ms) FROM lightning_strikes`); err != nil || minMs != weeks[1].UnixMilli() {
			t.Errorf("oldest strike left %v, %v; want the week of 13 January", time.UnixMilli(minMs).UTC(), err)
		}
		var cells int
		if err := s.db.Get(&cells, s.rebind(`SELECT COUNT(*) FROM lightning_cells WHERE hour_ms < ?`), weeks[1].UnixMilli()); err != nil || cells != 0 {
			t.Errorf("%d roll-ups left from before the cut, %v", cells, err)
		}
		if n := rowsIn(t, s, "lightning_strikes"); n != 40 {
			t.Errorf("%d strikes left, want 40", n)
		}
		if n := rowsIn(t, s, "observations"); n != 2 {
			t.Errorf("%d observations left, want February's and March's", n)
		}
		if _, err := s.DropPartitionsBefore(ctx, "stations", time.Now()); mkg.ErrorCode(err) != mkg.EINVALID {
			t.Errorf("stations: %v, want BAD_USER_INPUT", err)
		}
	})
}
