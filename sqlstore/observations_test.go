package sqlstore

import (
	"context"
	"testing"
	"time"

	"github.com/bmkg/mkggraph/mkg"
)

var obsTime = time.Date(2023, 1, 17, 12, 0, 0, 0, time.UTC)

func obs(wmo string, dt time.Duration, text, bbb string) mkg.Observation {
	return mkg.Observation{StationWMO: wmo, ObservedAt: obsTime.Add(dt), Text: text, Source: "test",
		Heading: mkg.BulletinHeading{TTAAii: "SMRO01", CCCC: "YRBK", YYGGgg: "171200", BBB: bbb}, Values: &mkg.SynopValues{}}
}

func upsertObs(t *testing.T, s *Store, o ...mkg.Observation) []mkg.WriteResult {
	t.Helper()
	res, err := s.UpsertObservations(context.Background(), o)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func TestObservationCorrections(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		orig := obs("15108", 0, "15108 01/92 ... 48013=", "")
		cca := obs("15108", 0, "15108 01/92 ... 48014=", "CCA")
		steps := []struct {
			o    mkg.Observation
			want mkg.Outcome
			text string
		}{
			{orig, mkg.Inserted, orig.Text},
			{orig, mkg.Unchanged, orig.Text},
			{cca, mkg.Updated, cca.Text},
			{orig, mkg.Unchanged, cca.Text}, // a repeat of the original does not undo the correction
			{cca, mkg.Unchanged, cca.Text},
		}
		for i, st := range steps {
			res := upsertObs(t, s, st.o)
			latest, _ := s.LatestObservations(ctx, []string{"15108"})
			if res[0].Outcome != st.want || latest[0].Text != st.text {
				t.Errorf("step %d: %s, text %q; want %s, %q", i, res[0].Outcome, latest[0].Text, st.want, st.text)
			}
		}
		latest, _ := s.LatestObservations(ctx, []string{"15108"})
		if latest[0].Heading.BBB != "CCA" {
			t.Errorf("stored heading %+v, want the correction's", latest[0].Heading)
		}
	})
}

func TestObservationReads(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		var all []mkg.Observation
		for h := range 6 {
			all = append(all, obs("15015", time.Duration(h)*time.Hour, "a", ""), obs("15020", time.Duration(h)*time.Hour, "b", ""))
		}
		nilReport := obs("15090", 7*time.Hour, "15090 NIL=", "")
		nilReport.Nil, nilReport.Values = true, nil
		all = append(all, nilReport)
		upsertObs(t, s, all...)

		before := s.Statements()
		latest, err := s.LatestObservations(ctx, []string{"15015", "15090", "99999"})
		if err != nil || s.Statements()-before != 1 {
			t.Fatalf("LatestObservations: %v, %d statements", err, s.Statements()-before)
		}
		if !latest[0].ObservedAt.Equal(obsTime.Add(5*time.Hour)) || latest[1] != nil || latest[2] != nil {
			t.Errorf("latest = %v; want 15015 at 17 UTC and nothing for a NIL-only or unknown station", latest)
		}

		before = s.Statements()
		pages, err := s.ObservationsOfStations(ctx, []string{"15015", "15020", "15090"}, mkg.ObservationFilter{}, mkg.Page{Limit: 4})
		if err != nil || s.Statements()-before != 2 { // the floor (day_counts), then the pages
			t.Fatalf("ObservationsOfStations: %v, %d statements, want 2", err, s.Statements()-before)
		}
		if len(pages[0].Edges) != 4 || !pages[0].HasNextPage || len(pages[2].Edges) != 0 {
			t.Errorf("pages: %d (next %v), %d", len(pages[0].Edges), pages[0].HasNextPage, len(pages[2].Edges))
		}
		next, _ := s.ObservationsOfStations(ctx, []string{"15015"}, mkg.ObservationFilter{}, mkg.Page{Limit: 4, After: &pages[0].Edges[3].Cursor})
		if len(next[0].Edges) != 2 || next[0].HasNextPage {
			t.Errorf("second page: %d edges", len(next[0].Edges))
		}
		counts, _ := s.CountObservationsOfStations(ctx, []string{"15015", "15090"}, mkg.ObservationFilter{IncludeNil: true})
		if counts[0] != 6 || counts[1] != 1 {
			t.Errorf("counts = %v", counts)
		}
		from, to := obsTime.Add(time.Hour), obsTime.Add(2*time.Hour)
		n, err := s.CountObservations(ctx, mkg.ObservationFilter{From: &from, To: &to})
		if err != nil || n != 4 {
			t.Errorf("window count = %d, %v; want 4", n, err)
		}
		page, _ := s.Observations(ctx, mkg.ObservationFilter{StationWMOs: []string{"15020"}}, mkg.Page{Limit: 10})
		if len(page.Edges) != 6 || !page.Edges[0].Observation.ObservedAt.After(page.Edges[1].Observation.ObservedAt) {
			t.Errorf("observations of 15020: %d, newest first?", len(page.Edges))
		}
		got, _ := s.ObservationsByID(ctx, []int64{page.Edges[0].Observation.ID, 12345})
		if got[0] == nil || got[1] != nil {
			t.Errorf("ObservationsByID = %v", got)
		}
	})
}

func TestObservationValidation(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *Store) {
		future := obs("15015", 0, "x", "")
		future.ObservedAt = time.Now().Add(48 * time.Hour)
		badStation := obs("1501", 0, "x", "")
		res := upsertObs(t, s, future, badStation, obs("15015", 0, "ok", ""))
		if res[0].Outcome != mkg.Rejected || res[1].Outcome != mkg.Rejected || res[2].Outcome != mkg.Inserted {
			t.Errorf("results %+v", res)
		}
		from, to := obsTime, obsTime.Add(-time.Hour)
		_, err := s.Observations(context.Background(), mkg.ObservationFilter{From: &from, To: &to}, mkg.Page{Limit: 1})
		var e *mkg.Error
		if !asError(err, &e) || e.Field != "filter.from" {
			t.Errorf("from after to: %v", err)
		}
	})
}
