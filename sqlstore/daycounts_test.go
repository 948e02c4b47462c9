package sqlstore

import (
	"context"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/bmkg/mkggraph/mkg"
)

// TestObservationCountsAgreeWithTheTable: after random batches (NIL reports,
// corrections, corrections to and from NIL), every count, whatever its
// window (whole days, partial days, open ends, within one day), stations
// and NIL setting, is what COUNT(*) over the table gives.
func TestObservationCountsAgreeWithTheTable(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		rng := rand.New(rand.NewPCG(5, 6))
		wmos := []string{"96001", "96011", "96015"}
		for range 12 {
			var batch []mkg.Observation
			for range 1 + rng.IntN(60) {
				wmo := wmos[rng.IntN(len(wmos))]
				o := obs(wmo, time.Duration(rng.IntN(24*5))*time.Hour, fmt.Sprintf("%s %d=", wmo, rng.IntN(1000)), "")
				if rng.IntN(3) == 0 {
					o.Heading.BBB = "CCA"
				}
				if rng.IntN(4) == 0 {
					o.Nil, o.Values = true, nil
				}
				batch = append(batch, o)
			}
			upsertObs(t, s, batch...)
		}
		at := func(h float64) *time.Time { v := obsTime.Add(time.Duration(h * float64(time.Hour))); return &v }
		windows := [][2]*time.Time{{nil, nil}, {at(-12), at(30)}, {at(2.5), at(3.25)}, {at(12), nil}, {nil, at(40)},
			{at(-12), at(12)}, {at(12), at(12 + 48)}, {at(0), at(72)}}
		for _, win := range windows {
			for _, nils := range []bool{false, true} {
				f := mkg.ObservationFilter{From: win[0], To: win[1], IncludeNil: nils}
				got, err := s.CountObservations(ctx, f)
				if err != nil {
					t.Fatal(err)
				}
				if want := bruteCount(t, s, f); got != want {
					t.Errorf("all stations, %v..%v, nil %v: %d, want %d", win[0], win[1], nils, got, want)
				}
				per, err := s.CountObservationsOfStations(ctx, wmos, f)
				if err != nil {
					t.Fatal(err)
				}
				for i, wmo := range wmos {
					one := f
					one.StationWMOs = []string{wmo}
					if want := bruteCount(t, s, one); per[i] != want {
						t.Errorf("station %s, %v..%v, nil %v: %d, want %d", wmo, win[0], win[1], nils, per[i], want)
					}
				}
			}
		}
	})
}

func bruteCount(t *testing.T, s *Store, f mkg.ObservationFilter) int {
	t.Helper()
	w := observationConditions(f)
	var n int
	if err := sqlx.GetContext(context.Background(), s.db, &n, s.rebind("SELECT COUNT(*) FROM observations o WHERE "+w.sql()), w.args...); err != nil {
		t.Fatal(err)
	}
	return n
}

// TestEarthquakeCountsFollowRevisions: an event whose revised origin time
// crosses midnight is counted on its new day only.
func TestEarthquakeCountsFollowRevisions(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		midnight := time.Date(2022, 11, 22, 0, 0, 0, 0, time.UTC)
		early := quakeReport(mkg.FeedRealtime, midnight.Sub(t0)-2*time.Second, -6.84, 107.05, 5.6)
		reviewed := quakeReport(mkg.FeedRepogempa, midnight.Sub(t0)+3*time.Second, -6.85, 107.06, 5.5)
		other := quakeReport(mkg.FeedAutogempa, -30*time.Hour, 2.1, 96.2, 4.1)
		res := upsertQuakes(t, s, early, other, reviewed)
		if res[2].ID != res[0].ID {
			t.Fatalf("the review was not merged with its event: %+v", res)
		}
		day1, day2 := midnight.Add(-24*time.Hour), midnight
		for _, c := range []struct {
			from, to *time.Time
			want     int
		}{{nil, nil, 2}, {&day1, mkg.Ptr(day2.Add(-time.Microsecond)), 0}, {&day2, nil, 1}, {nil, &day1, 1}} {
			got, err := s.CountEarthquakes(ctx, mkg.EarthquakeFilter{From: c.from, To: c.to})
			if err != nil {
				t.Fatal(err)
			}
			if got != c.want {
				t.Errorf("%v..%v: %d events, want %d", c.from, c.to, got, c.want)
			}
		}
	})
}
