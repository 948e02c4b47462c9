// Package quaketest holds the tests every earthquake format's package runs
// alike over its Parse: the golden files of its samples, and what a fuzzed
// input may never make it return.
package quaketest

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/bmkg/mkggraph/format/internal/fixture"
	"github.com/bmkg/mkggraph/format/quake"
	"github.com/bmkg/mkggraph/format/reject"
)

// Parse is an earthquake format's Parse.
type Parse func(data []byte) ([]quake.Event, []reject.Reject, error)

// Golden checks the complete result of parse for each sample (in the
// package's testdata) with check (golden.JSON: the parsers may not depend
// on it) against the sample's golden file, testdata/golden/<sample>.json.
func Golden(t *testing.T, parse Parse, check func(t testing.TB, path string, v any), samples ...string) {
	for _, name := range samples {
		t.Run(name, func(t *testing.T) {
			events, rejects, err := parse(fixture.Read(t, name))
			if err != nil {
				t.Fatal(err)
			}
			check(t, filepath.Join("testdata", "golden", strings.TrimSuffix(name, filepath.Ext(name))+".json"), struct {
				Events  []quake.Event
				Rejects []reject.Reject
			}{events, rejects})
		})
	}
}

// Sound fails t unless a result of Parse keeps its promises whatever the
// input: an error comes alone, and every event passes quake.Check (with
// shallowest), is in UTC and has only well-formed felt reports.
func Sound(t *testing.T, events []quake.Event, rejects []reject.Reject, err error, shallowest float64) {
	t.Helper()
	if err != nil && (len(events) > 0 || len(rejects) > 0) {
		t.Fatalf("error %v returned with results", err)
	}
	for _, e := range events {
		if err := quake.Check(&e, shallowest); err != nil {
			t.Fatalf("accepted an invalid event: %v", err)
		}
		if e.OriginTime.Location().String() != "UTC" {
			t.Fatalf("time not in UTC: %v", e.OriginTime)
		}
		for _, f := range e.Felt {
			if f.MinMMI < 1 || f.MaxMMI > 12 || f.MinMMI > f.MaxMMI || f.Place == "" {
				t.Fatalf("bad felt item %+v", f)
			}
		}
	}
}
