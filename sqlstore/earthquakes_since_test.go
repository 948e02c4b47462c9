package sqlstore

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/bmkg/mkggraph/internal/testenv"
	"github.com/bmkg/mkggraph/mkg"
)

// TestEarthquakesStoredSince: the catch-up read returns what was stored or
// revised after a time, in storage order, through the watch's filter, at
// most the limit; a time to the microsecond excludes the record stored
// then.
func TestEarthquakesStoredSince(t *testing.T) {
	base := time.Date(2026, 12, 6, 8, 0, 0, 123456000, time.UTC)
	now := base
	opt := Options{Logger: quiet, Now: func() time.Time { return now }}
	for name, url := range map[string]func() string{
		"sqlite":   func() string { return "sqlite:" + filepath.Join(t.TempDir(), "test.db") },
		"postgres": func() string { return testenv.PostgresURL(t) },
	} {
		t.Run(name, func(t *testing.T) {
			s, err := Open(context.Background(), url(), opt)
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			at := func(d time.Duration, reps ...mkg.EarthquakeReport) []mkg.WriteResult {
				now = base.Add(d)
				return upsertQuakes(t, s, reps...)
			}
			q1 := at(time.Second, quakeReport(mkg.FeedAutogempa, 0, -6.84, 107.05, 5.6))[0].ID
			q2 := at(2*time.Second, quakeReport(mkg.FeedAutogempa, time.Hour, -6.0, 107.0, 3.1))[0].ID
			q3 := at(3*time.Second, quakeReport(mkg.FeedAutogempa, 2*time.Hour, 0.3, 122.1, 6.2))[0].ID
			if res := at(4*time.Second, quakeReport(mkg.FeedRepogempa, 0, -6.85, 107.06, 5.4)); res[0].ID != q1 || res[0].Outcome != mkg.Updated {
				t.Fatalf("revision: %+v", res)
			}
			read := func(f mkg.EarthquakeFilter, since time.Time, limit int) []int64 {
				t.Helper()
				qs, err := s.EarthquakesStoredSince(context.Background(), f, since, limit)
				if err != nil {
					t.Fatal(err)
				}
				ids := make([]int64, len(qs))
				for i, q := range qs {
					ids[i] = q.ID
				}
				return ids
			}
			same := func(got []int64, want ...int64) bool {
				if len(got) != len(want) {
					return false
				}
				for i := range got {
					if got[i] != want[i] {
						return false
					}
				}
				return true
			}
			if got := read(mkg.EarthquakeFilter{}, base.Add(time.Second), 10); !same(got, q2, q3, q1) {
				t.Errorf("since the first store: %v, want %v (storage order, the revision last)", got, []int64{q2, q3, q1})
			}
			if got := read(mkg.EarthquakeFilter{}, base.Add(time.Second), 2); !same(got, q2, q3) {
				t.Errorf("limit 2: %v", got)
			}
			if got := read(mkg.EarthquakeFilter{}, base.Add(2*time.Second), 10); !same(got, q3, q1) {
				t.Errorf("since q2's time to the microsecond: %v, want q2 left out", got)
			}
			if got := read(mkg.EarthquakeFilter{MinMagnitude: mkg.Ptr(5.0)}, base, 10); !same(got, q3, q1) {
				t.Errorf("magnitude 5 or more: %v", got)
			}
			near := &mkg.Circle{Center: mkg.Point{Latitude: -6.8, Longitude: 107.0}, RadiusKm: 30}
			if got := read(mkg.EarthquakeFilter{Near: near}, base, 10); !same(got, q1) {
				t.Errorf("near Cianjur: %v, want only q1", got)
			}
			if got := read(mkg.EarthquakeFilter{}, base.Add(4*time.Second), 10); len(got) != 0 {
				t.Errorf("since the last store: %v, want none", got)
			}
			if n, err := s.CountEarthquakes(context.Background(), mkg.EarthquakeFilter{StoredAfter: mkg.Ptr(base.Add(2 * time.Second))}); err != nil || n != 2 {
				t.Errorf("count stored after q2: %d %v, want 2", n, err)
			}
		})
	}
}
