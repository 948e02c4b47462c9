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
// days and months exist once the store opens; a backfill a year back
// gets partitions of its own; two instances creating the same partition
// at once both succeed; a partition dropped behind an instance's back is
// created again by its next write.
func TestPartitionsAheadAndOnDemand(t *testing.T) {
	url := testenv.PostgresURL(t)
	s := openStoreAt(t, url, partitionsNow)
	ctx := context.Background()
	lightning, obsParts := partitionNames(t, s, "lightning_strikes"), partitionNames(t, s, "observations")
	for _, want := range []string{"lightning_strikes_p20250618", "lightning_strikes_p20250716"} {
		if !slices.Contains(lightning, want) {
			t.Errorf("lightning partitions %v lack %s (today and 28 days ahead)", lightning, want)
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

	// A year back: its own day, strikes and roll-ups.
	yearAgo := time.Date(2024, 6, 12, 14, 0, 0, 0, time.UTC)
	if n, err := s.InsertStrikes(ctx, strikesAt(yearAgo, 50, "A")); err != nil || n != 50 {
		t.Fatalf("backfill = %d, %v", n, err)
	}
	if rowsIn(t, s, "lightning_strikes_p20240612") != 50 || rowsIn(t, s, "lightning_cells_p20240612") == 0 {
		t.Fatal("the backfill is not in the partitions of its day")
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

	// Two instances write into a day that has no partition yet.
	other := openStoreAt(t, url, partitionsNow)
	twoYears := time.Date(2023, 6, 14, 0, 0, 0, 0, time.UTC)
	var wg sync.WaitGroup
	errs := make([]error, 2)
	for i, st := range []*Store{s, other} {
		wg.Go(func() { _, errs[i] = st.InsertStrikes(ctx, strikesAt(twoYears, 100, []string{"A", "B"}[i])) })
	}
	wg.Wait()
	if errs[0] != nil || errs[1] != nil || rowsIn(t, s, "lightning_strikes_p20230614") != 200 {
		t.Fatalf("two instances, one new day: %v, %v", errs[0], errs[1])
	}

	// Another instance dropped the day this one knows.
	if _, err := other.DropPartitionsBefore(ctx, "lightning_strikes", time.Date(2023, 6, 15, 0, 0, 0, 0, time.UTC)); err != nil {
		t.Fatal(err)
	}
	if n, err := s.InsertStrikes(ctx, strikesAt(twoYears, 10, "C")); err != nil || n != 10 {
		t.Fatalf("write into a day dropped elsewhere: %d, %v", n, err)
	}
}

// TestDropPartitionsBefore: retention removes whole periods, roll-ups with
// their strikes; on SQLite the same rows go by DELETE.
func TestDropPartitionsBefore(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		days := []time.Time{time.Date(2025, 1, 8, 0, 0, 0, 0, time.UTC), time.Date(2025, 1, 15, 0, 0, 0, 0, time.UTC),
			time.Date(2025, 1, 22, 0, 0, 0, 0, time.UTC)}
		for _, w := range days {
			if _, err := s.InsertStrikes(ctx, strikesAt(w, 20, "A")); err != nil {
				t.Fatal(err)
			}
		}
		for i, w := range days {
			o := obs("96749", 0, "96749 ... =", "")
			o.ObservedAt = w.AddDate(0, i, 0) // January, February, March
			upsertObs(t, s, o)
		}
		gone := obs("96001", 0, "96001 ... =", "") // a station heard only in January
		gone.ObservedAt = days[0]
		upsertObs(t, s, gone)
		// The cut falls within a day and a month: the periods holding it
		// stay whole.
		dropped, err := s.DropPartitionsBefore(ctx, "lightning_strikes", time.Date(2025, 1, 15, 0, 0, 10, 0, time.UTC))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.DropPartitionsBefore(ctx, "observations", time.Date(2025, 2, 20, 0, 0, 0, 0, time.UTC)); err != nil {
			t.Fatal(err)
		}
		if s.Dialect() == "postgres" && (!slices.Contains(dropped, "lightning_strikes_p20250108") ||
			!slices.Contains(dropped, "lightning_cells_p20250108") || slices.Contains(dropped, "lightning_strikes_p20250115")) {
			t.Errorf("dropped %v; want 8 January with its roll-ups, not the day of the cut", dropped)
		}
		var minMs int64
		if err := s.db.Get(&minMs, `SELECT MIN(time_ms) FROM lightning_strikes`); err != nil || minMs != days[1].UnixMilli() {
			t.Errorf("oldest strike left %v, %v; want 15 January", time.UnixMilli(minMs).UTC(), err)
		}
		var cells int
		if err := s.db.Get(&cells, s.rebind(`SELECT COUNT(*) FROM lightning_cells WHERE hour_ms < ?`), days[1].UnixMilli()); err != nil || cells != 0 {
			t.Errorf("%d roll-ups left from before the cut, %v", cells, err)
		}
		if n := rowsIn(t, s, "lightning_strikes"); n != 40 {
			t.Errorf("%d strikes left, want 40", n)
		}
		if n := rowsIn(t, s, "observations"); n != 2 {
			t.Errorf("%d observations left, want February's and March's", n)
		}
		// The day counts (totals, and the pages' day floor) go with the rows.
		if latest, err := s.LatestObservations(ctx, []string{"96749", "96001"}); err != nil || latest[0] == nil || latest[1] != nil {
			t.Errorf("latest after retention %v, %v; want March's for 96749, none for 96001", latest, err)
		}
		if n, err := s.CountObservations(ctx, mkg.ObservationFilter{}); err != nil || n != 2 {
			t.Errorf("totalCount after retention %d, %v; want 2", n, err)
		}
		if n, err := s.CountObservations(ctx, mkg.ObservationFilter{StationWMOs: []string{"96749"}}); err != nil || n != 2 {
			t.Errorf("the station's totalCount after retention %d, %v; want 2", n, err)
		}
		if _, err := s.DropPartitionsBefore(ctx, "stations", time.Now()); mkg.ErrorCode(err) != mkg.EINVALID {
			t.Errorf("stations: %v, want BAD_USER_INPUT", err)
		}
	})
}

func TestPartitionPeriods(t *testing.T) {
	at := func(s string) time.Time {
		v, err := time.Parse(time.RFC3339, s)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	for _, c := range []struct {
		p          timePartitions
		t          string
		start, end string
	}{
		{timePartitions{days: 1}, "2025-03-02T23:59:59Z", "2025-03-02T00:00:00Z", "2025-03-03T00:00:00Z"},
		{timePartitions{days: 1}, "2025-03-03T07:00:00+07:00", "2025-03-03T00:00:00Z", "2025-03-04T00:00:00Z"},
		{timePartitions{days: 7}, "2025-03-02T23:59:59Z", "2025-02-24T00:00:00Z", "2025-03-03T00:00:00Z"}, // weeks from Monday
		{timePartitions{days: 7}, "1969-12-31T12:00:00Z", "1969-12-29T00:00:00Z", "1970-01-05T00:00:00Z"},
		{timePartitions{}, "2024-02-29T12:00:00Z", "2024-02-01T00:00:00Z", "2024-03-01T00:00:00Z"},
		{timePartitions{}, "2024-12-31T23:00:00-05:00", "2025-01-01T00:00:00Z", "2025-02-01T00:00:00Z"},
	} {
		start, end := c.p.period(at(c.t))
		if !start.Equal(at(c.start)) || !end.Equal(at(c.end)) {
			t.Errorf("%d days, %s: [%s, %s); want [%s, %s)", c.p.days, c.t, start, end, c.start, c.end)
		}
	}
}
