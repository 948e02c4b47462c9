package sqlstore

import (
	"context"
	"testing"
	"time"

	"github.com/bmkg/mkggraph/mkg"
)

func TestSmoke(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		res, err := s.UpsertStations(ctx, []mkg.StationRecord{
			{Source: "a", SourceKey: "1", Rank: 1, Identifiers: []mkg.Identifier{{mkg.SchemeWMO, "96749"}}, Name: "Cengkareng", Latitude: -6.1, Longitude: 106.6, Kinds: []mkg.StationKind{mkg.KindSynoptic}},
			{Source: "b", SourceKey: "x", Rank: 2, Identifiers: []mkg.Identifier{{mkg.SchemeWMO, "96749"}, {mkg.SchemeICAO, "WIII"}}, Name: "Soekarno-Hatta", Latitude: -6.12, Longitude: 106.65},
		})
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("%+v", res)
		page, err := s.Stations(ctx, mkg.StationFilter{Near: &mkg.Circle{Center: mkg.Point{-6, 106}, RadiusKm: 200}}, mkg.Page{Limit: 10})
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range page.Edges {
			t.Logf("%+v %v", *e.Station, *e.DistanceKm)
		}
		nn, err := s.NearestStations(ctx, []mkg.Point{{-6, 106}, {0, 0}}, 3, nil)
		t.Log(nn, err)
		r2, err := s.UpsertEarthquakes(ctx, []mkg.EarthquakeReport{{Feed: "autogempa", OriginTime: time.Now().Add(-time.Hour), Latitude: -8, Longitude: 118, Magnitude: mkg.Ptr(4.5)}})
		t.Log(r2, err)
		q, err := s.LatestEarthquake(ctx)
		t.Log(q, err)
		r3, err := s.UpsertObservations(ctx, []mkg.Observation{{StationWMO: "96749", ObservedAt: time.Now().Add(-time.Hour).Truncate(time.Hour), Text: "96749 ...=", Values: &mkg.SynopValues{}}})
		t.Log(r3, err)
		lo, err := s.LatestObservations(ctx, []string{"96749", "11111"})
		t.Log(lo[0], lo[1], err)
	})
}
