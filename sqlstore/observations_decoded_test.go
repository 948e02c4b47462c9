package sqlstore

import (
	"context"
	"testing"

	"github.com/bmkg/mkggraph/inmem"
	"github.com/bmkg/mkggraph/internal/testenv"
	"github.com/bmkg/mkggraph/mkg"
)

// TestDecodedObservationsAreKept: with Options.Decoded, reading the same
// reports again gives back the values decoded the first time (the same
// pointer: no second decoding), and a revised report is decoded afresh.
func TestDecodedObservationsAreKept(t *testing.T) {
	for name, url := range map[string]func(t *testing.T) string{
		"sqlite":   func(t *testing.T) string { return "sqlite:" + t.TempDir() + "/test.db" },
		"postgres": func(t *testing.T) string { return testenv.PostgresURL(t) },
	} {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			s, err := Open(ctx, url(t), Options{Logger: quiet, Decoded: inmem.NewObjects(1 << 20)})
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			o := obs("96749", 0, "AAXX 17121 96749 12345=", "")
			o.Values = &mkg.SynopValues{AirTemperatureC: mkg.Ptr(26.9)}
			upsertObs(t, s, o)
			read := func() *mkg.Observation {
				t.Helper()
				p, err := s.Observations(ctx, mkg.ObservationFilter{StationWMOs: []string{"96749"}}, mkg.Page{Limit: 5})
				if err != nil || len(p.Edges) != 1 {
					t.Fatalf("page %+v, %v; want one observation", p, err)
				}
				return p.Edges[0].Observation
			}
			first, again := read(), read()
			if first.Values != again.Values || *again.Values.AirTemperatureC != 26.9 {
				t.Fatalf("read again: values %p (%+v), first %p; want the values decoded the first time", again.Values, again.Values, first.Values)
			}
			// A correction of the same report (BBB = CCA) replaces its values.
			fix := obs("96749", 0, "AAXX 17121 96749 12346=", "CCA")
			fix.Values = &mkg.SynopValues{AirTemperatureC: mkg.Ptr(27.4)}
			upsertObs(t, s, fix)
			if got := read(); got.ID != first.ID || got.Values == first.Values || *got.Values.AirTemperatureC != 27.4 {
				t.Fatalf("after the correction: id %d (first %d), air temperature %v; want the corrected value", got.ID, first.ID, *got.Values.AirTemperatureC)
			}
		})
	}
}
