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

// TestObservationBatchMatchesOneByOne: a batch holding an original and its
// correction, a repeat and a NIL report ends as the same reports written one
// by one would, with the same outcomes.
func TestObservationBatchMatchesOneByOne(t *testing.T) {
	orig := obs("15108", 0, "15108 01/92 ... 48013=", "")
	cca := obs("15108", 0, "15108 01/92 ... 48014=", "CCA")
	later := obs("15108", time.Hour, "15108 NIL=", "")
	later.Nil, later.Values = true, nil
	other := obs("15015", 0, "15015 32/60 ... 48012=", "")
	batch := []mkg.Observation{orig, other, cca, orig, later}
	want := []mkg.Outcome{mkg.Inserted, mkg.Inserted, mkg.Updated, mkg.Unchanged, mkg.Inserted}
	forEachStore(t, func(t *testing.T, s *Store) {
		res := upsertObs(t, s, batch...)
		for i, r := range res {
			if r.Outcome != want[i] || r.Err != nil || r.ID == 0 {
				t.Errorf("report %d: %s (id %d, %v), want %s", i, r.Outcome, r.ID, r.Err, want[i])
			}
		}
		if res[0].ID != res[2].ID || res[0].ID != res[3].ID {
			t.Errorf("one station and time got ids %d, %d, %d", res[0].ID, res[2].ID, res[3].ID)
		}
		latest, err := s.LatestObservations(context.Background(), []string{"15108", "15015", "99999"})
		if err != nil {
			t.Fatal(err)
		}
		if latest[0] == nil || latest[0].Text != cca.Text || latest[1] == nil || latest[1].Text != other.Text || latest[2] != nil {
			t.Errorf("latest = %v", latest)
		}
		again := upsertObs(t, s, batch...)
		for i, r := range again {
			if r.Outcome != mkg.Unchanged || r.ID != res[i].ID {
				t.Errorf("repeat, report %d: %s id %d", i, r.Outcome, r.ID)
			}
		}
	})
}

// TestObservationBadReportCostsOnlyItself: a report the database refuses
// (a NUL byte, which PostgreSQL text cannot hold) is rejected with its
// reason; the others of its batch are stored.
func TestObservationBadReportCostsOnlyItself(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *Store) {
		good := obs("15108", 0, "15108 01/92 ... 48013=", "")
		bad := obs("15015", 0, "15015 \x00 ... 48012=", "")
		good2 := obs("15015", time.Hour, "15015 32/60 ... 48012=", "")
		res := upsertObs(t, s, good, bad, good2)
		if res[0].Outcome != mkg.Inserted || res[2].Outcome != mkg.Inserted {
			t.Errorf("good reports: %+v, %+v", res[0], res[2])
		}
		if s.Dialect() == "postgres" && (res[1].Outcome != mkg.Rejected || res[1].Err == nil) {
			t.Errorf("report with a NUL byte: %+v, want rejected", res[1])
		}
	})
}

// TestLatestObservationsAgreeWithTheTable: after random batches of reports
// (out of order, NIL ones, corrections, corrections to NIL), each
// station's latest observation is the newest non-NIL report stored.
func TestLatestObservationsAgreeWithTheTable(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		rng := rand.New(rand.NewPCG(1, 2))
		wmos := []string{"96001", "96011", "96015", "96035", "96073"}
		for range 30 {
			var batch []mkg.Observation
			for range 1 + rng.IntN(40) {
				wmo := wmos[rng.IntN(len(wmos))]
				o := obs(wmo, time.Duration(rng.IntN(48))*time.Hour, fmt.Sprintf("%s %d=", wmo, rng.IntN(1000)), "")
				if rng.IntN(4) == 0 {
					o.Heading.BBB = "CC" + string(rune('A'+rng.IntN(3)))
				}
				if rng.IntN(5) == 0 {
					o.Nil, o.Values = true, nil
				}
				batch = append(batch, o)
			}
			upsertObs(t, s, batch...)
			latest, err := s.LatestObservations(ctx, wmos)
			if err != nil {
				t.Fatal(err)
			}
			for i, wmo := range wmos {
				var want []int64
				err := sqlx.SelectContext(ctx, s.db, &want, s.rebind(`SELECT id FROM observations WHERE station_wmo = ? AND NOT is_nil
					ORDER BY observed_at DESC LIMIT 1`), wmo)
				if err != nil {
					t.Fatal(err)
				}
				switch {
				case len(want) == 0 && latest[i] != nil:
					t.Fatalf("%s: latest %d, want none", wmo, latest[i].ID)
				case len(want) == 1 && (latest[i] == nil || latest[i].ID != want[0]):
					t.Fatalf("%s: latest %v, want id %d", wmo, latest[i], want[0])
				}
			}
		}
	})
}

// TestObservationsOfStationsMatchOneByOne: the one-statement page per
// station is the page the single-station list gives, for any page size,
// window, NIL setting and cursor.
//
// The same over reports of the last days, where the page's statement is
// bounded by a day found from day_counts (observationFloor): the bound
// must never cut a row off a page, with nil reports, filters and cursors.
func TestObservationsOfStationsMatchOneByOne(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		rng := rand.New(rand.NewPCG(3, 4))
		wmos := []string{"96001", "96011", "96015", "99999"}
		// Long ago, and the last 60 hours (ten of them ahead of now, as a
		// clock that runs fast stamps them).
		recent := time.Now().UTC().Truncate(time.Hour).Add(-50 * time.Hour)
		var batch []mkg.Observation
		for _, base := range []time.Time{obsTime, recent} {
			for _, wmo := range wmos[:3] {
				for h := range 60 {
					if rng.IntN(4) == 0 {
						continue
					}
					o := obs(wmo, base.Sub(obsTime)+time.Duration(h)*time.Hour, fmt.Sprintf("%s %s %d=", wmo, base.Format("2006"), h), "")
					if rng.IntN(6) == 0 {
						o.Nil, o.Values = true, nil
					}
					batch = append(batch, o)
				}
			}
		}
		upsertObs(t, s, batch...)
		floor, err := s.observationFloor(ctx, wmos[:3], mkg.ObservationFilter{}, mkg.Page{}, 6)
		if err != nil || floor == nil || floor.Before(recent.Add(-24*time.Hour)) {
			t.Fatalf("floor of the last 6 reports of each station: %v, %v; want a day of the last ones", floor, err)
		}
		if none, _ := s.observationFloor(ctx, wmos, mkg.ObservationFilter{}, mkg.Page{}, 6); none != nil {
			t.Fatalf("floor %v for a station with no report; want none", none)
		}
		var filters []mkg.ObservationFilter
		for _, base := range []time.Time{obsTime, recent} {
			from, to := base.Add(5*time.Hour), base.Add(50*time.Hour)
			filters = append(filters, mkg.ObservationFilter{From: &from, To: &to}, mkg.ObservationFilter{To: &to}, mkg.ObservationFilter{From: &from, IncludeNil: true})
		}
		for _, f := range append([]mkg.ObservationFilter{{}, {IncludeNil: true}}, filters...) {
			for _, limit := range []int{1, 5, 24, 100} {
				stations := wmos
				if limit < 100 {
					stations = wmos[:3] // every station has reports: the floor applies
				}
				// A list naming stations is bounded by their floor too.
				for _, named := range [][]string{wmos[:1], wmos[:3], wmos} {
					list := f
					list.StationWMOs = named
					var after *mkg.Cursor
					for range 3 { // the first pages
						page := mkg.Page{Limit: limit, After: after}
						got, err := s.Observations(ctx, list, page)
						if err != nil {
							t.Fatal(err)
						}
						want, err := s.observations(ctx, list, page, false)
						if err != nil {
							t.Fatal(err)
						}
						if !samePage(got, want) {
							t.Fatalf("stations %v, filter %+v, limit %d, after %v: %d edges (more %v), want %d (more %v)", named, f, limit,
								after, len(got.Edges), got.HasNextPage, len(want.Edges), want.HasNextPage)
						}
						if !want.HasNextPage {
							break
						}
						after = &want.Edges[len(want.Edges)-1].Cursor
					}
				}
				pages, err := s.ObservationsOfStations(ctx, stations, f, mkg.Page{Limit: limit})
				if err != nil {
					t.Fatal(err)
				}
				for i, wmo := range stations {
					one := f
					one.StationWMOs = []string{wmo}
					want, err := s.observations(ctx, one, mkg.Page{Limit: limit}, false)
					if err != nil {
						t.Fatal(err)
					}
					if !samePage(pages[i], want) {
						t.Fatalf("station %s, filter %+v, limit %d: %d edges (more %v), want %d (more %v)", wmo, f, limit,
							len(pages[i].Edges), pages[i].HasNextPage, len(want.Edges), want.HasNextPage)
					}
					if len(want.Edges) > 0 && want.HasNextPage {
						c := want.Edges[len(want.Edges)-1].Cursor
						next, err := s.ObservationsOfStations(ctx, []string{wmo}, f, mkg.Page{Limit: limit, After: &c})
						if err != nil {
							t.Fatal(err)
						}
						wantNext, _ := s.observations(ctx, one, mkg.Page{Limit: limit, After: &c}, false)
						if !samePage(next[0], wantNext) {
							t.Fatalf("station %s, next page after %v: differs", wmo, c)
						}
					}
				}
			}
		}
	})
}

func samePage(a, b *mkg.ObservationPage) bool {
	if len(a.Edges) != len(b.Edges) || a.HasNextPage != b.HasNextPage {
		return false
	}
	for i := range a.Edges {
		if a.Edges[i].Observation.ID != b.Edges[i].Observation.ID {
			return false
		}
	}
	return true
}
