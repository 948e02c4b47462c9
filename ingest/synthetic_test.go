package ingest_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/bmkg/mkggraph/ingest"
	"github.com/bmkg/mkggraph/mkg"
)

// TestSyntheticOption: real sample files ingested with Options.Synthetic
// get the mark on every row's provenance; a format the generator does
// not write is refused whole.
func TestSyntheticOption(t *testing.T) {
	s, in, _ := sqliteIngester(t)
	ctx := context.Background()
	opt := ingest.Options{Synthetic: true}
	for _, name := range []string{"synop/A_SMRO01YRBK211200_C_EDZW_20220321120500_12524785.txt",
		"lightning/nea-sg-lightning_2025-04-18.csv", "earthquakes/bmkg-realtime-20220925.geojson",
		"air-quality/jakarta-ispu-dki1-bundaran-hi-2010-2021.csv"} {
		sum, err := in.File(ctx, name, sample(t, name), opt)
		if err != nil || sum.Inserted == 0 {
			t.Fatalf("%s: %v %+v", name, err, sum)
		}
	}
	if kinds, err := s.RealData(ctx); err != nil || kinds != nil {
		t.Errorf("rows ingested as synthetic count as real: %v %v", kinds, err)
	}
	at := time.Date(2022, 3, 21, 12, 0, 0, 0, time.UTC)
	obs, err := s.Observations(ctx, mkg.ObservationFilter{From: &at, To: &at}, mkg.Page{Limit: 50})
	if err != nil || len(obs.Edges) == 0 || obs.Edges[0].Observation.Source != "synthetic-A_SMRO01YRBK211200_C_EDZW_20220321120500_12524785.txt" {
		t.Errorf("observation source: %v %+v", err, obs)
	}
	q, err := s.Earthquakes(ctx, mkg.EarthquakeFilter{}, mkg.OrderTimeDesc, mkg.Page{Limit: 1})
	if err != nil || len(q.Edges) != 1 || q.Edges[0].Earthquake.SolutionFeed != "synthetic-realtime" {
		t.Errorf("earthquake feed: %v %+v", err, q)
	}
	st, err := s.AQStations(ctx)
	if err != nil || len(st) != 1 || st[0].Operator != "synthetic-DLH DKI Jakarta" {
		t.Errorf("air-quality station: %v %+v", err, st)
	}
	name := "radar/2013051000000600dBZ.vol"
	if _, err := in.File(ctx, name, sample(t, name), opt); err == nil || !strings.Contains(err.Error(), "cannot be marked synthetic") {
		t.Errorf("a radar volume marked synthetic: %v", err)
	}
	if _, err := in.File(ctx, "x.txt", sample(t, "synop/A_SMRO01YRBK211200_C_EDZW_20220321120500_12524785.txt"), ingest.Options{}); err != nil {
		t.Fatal(err)
	}
	if kinds, _ := s.RealData(ctx); len(kinds) != 1 || kinds[0] != "observations" {
		t.Errorf("the bulletin ingested unmarked (at another date: x.txt names none): RealData = %v", kinds)
	}
}
