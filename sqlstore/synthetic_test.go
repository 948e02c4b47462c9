package sqlstore

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/bmkg/mkggraph/mkg"
)

// TestRealDataTellsSyntheticRowsApart: synthetic rows of every kind leave
// the database "without real data"; one real row of a kind is named.
func TestRealDataTellsSyntheticRowsApart(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		at := time.Date(2026, 3, 1, 6, 0, 0, 0, time.UTC)
		syn := mkg.Synthetic
		mustWrite(t)(s.UpsertObservations(ctx, []mkg.Observation{{StationWMO: "96749", ObservedAt: at, Text: "96749 NIL=", Nil: true, Source: syn("a.txt")}}))
		mustWrite(t)(s.UpsertEarthquakes(ctx, []mkg.EarthquakeReport{{Feed: syn(mkg.FeedRealtime), EarthquakeValues: mkg.EarthquakeValues{EventID: "syn1", OriginTime: at, Latitude: -8, Longitude: 110}}}))
		if _, err := s.InsertStrikes(ctx, []mkg.Strike{{Time: at, Latitude: -6, Longitude: 107, Network: syn("NEA-SG")}}); err != nil {
			t.Fatal(err)
		}
		mustWrite(t)(s.UpsertClimateDays(ctx, []mkg.ClimateDay{{StationWMO: "96749", Date: at, Source: syn("csv")}}))
		if err := s.PutAQStation(ctx, mkg.AQStation{Code: "SYN1", Operator: syn("x")}); err != nil {
			t.Fatal(err)
		}
		mustWrite(t)(s.UpsertAQMeasurements(ctx, []mkg.AQMeasurement{{StationCode: "SYN1", Date: at, Pollutant: "PM10", Kind: mkg.AQSubIndex, Value: 40, Source: syn("ispu-csv")}}))
		mustWrite(t)(s.UpsertAQDays(ctx, []mkg.AQDay{{StationCode: "SYN1", Date: at}}))
		if kinds, err := s.RealData(ctx); err != nil || kinds != nil {
			t.Fatalf("only synthetic rows: RealData = %v, %v", kinds, err)
		}

		mustWrite(t)(s.UpsertObservations(ctx, []mkg.Observation{{StationWMO: "96749", ObservedAt: at.Add(time.Hour), Text: "96749 NIL=", Nil: true, Source: "real.txt"}}))
		mustWrite(t)(s.UpsertClimateDays(ctx, []mkg.ClimateDay{{StationWMO: "96751", Date: at, Source: "bmkg-dataonline-csv"}}))
		mustWrite(t)(s.UpsertEarthquakes(ctx, []mkg.EarthquakeReport{{Feed: mkg.FeedQuakeML, EarthquakeValues: mkg.EarthquakeValues{OriginTime: at.Add(time.Hour), Latitude: 2, Longitude: 96}}}))
		mustWrite(t)(s.UpsertAQDays(ctx, []mkg.AQDay{{StationCode: "DKI1", Date: at}}))
		kinds, err := s.RealData(ctx)
		if err != nil || !slices.Equal(kinds, []string{"observations", "earthquakes", "climate days", "air-quality days"}) {
			t.Fatalf("RealData = %v, %v", kinds, err)
		}
		obs, err := s.RealObservationKeys(ctx, at, at.Add(24*time.Hour))
		if err != nil || len(obs) != 1 || !obs["96749|2026-03-01T07:00:00Z"] {
			t.Errorf("RealObservationKeys = %v, %v", obs, err)
		}
		days, err := s.RealClimateKeys(ctx, at, at)
		if err != nil || len(days) != 1 || !days["96751|2026-03-01"] {
			t.Errorf("RealClimateKeys = %v, %v", days, err)
		}
		times, err := s.RealEarthquakeTimes(ctx, at, at.Add(24*time.Hour))
		if err != nil || len(times) != 1 || !times[0].Equal(at.Add(time.Hour)) {
			t.Errorf("RealEarthquakeTimes = %v, %v", times, err)
		}
	})
}

// mustWrite fails the test unless a write stored every record.
func mustWrite(t *testing.T) func([]mkg.WriteResult, error) {
	return func(res []mkg.WriteResult, err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range res {
			if r.Err != nil || r.Outcome == mkg.Rejected {
				t.Fatalf("write rejected: %v", r.Err)
			}
		}
	}
}
