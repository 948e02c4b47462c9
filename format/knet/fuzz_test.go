package knet

import (
	"math"
	"testing"

	"github.com/bmkg/mkggraph/format/internal/fixture"
)

// FuzzParse checks that no input makes Parse panic, and that what it
// accepts is a usable record.
func FuzzParse(f *testing.F) {
	for _, name := range samples {
		data := fixture.Read(f, name)
		f.Add(data[:2000])
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		Detect(data)
		h, recs, err := Parse(data)
		if err != nil {
			if recs != nil {
				t.Fatalf("error %v returned with records", err)
			}
			return
		}
		if len(recs) != 1 || len(recs[0].AccGal) != h.Samples || h.Samples == 0 {
			t.Fatalf("%d records for %d samples", len(recs), h.Samples)
		}
		r := recs[0]
		if r.Component == "" || !(r.SampleRateHz > 0) || r.Start.Location().String() != "UTC" {
			t.Fatalf("bad record %+v", r)
		}
		for _, a := range r.AccGal {
			if math.IsNaN(a) || math.IsInf(a, 0) {
				t.Fatalf("acceleration %v", a)
			}
		}
	})
}
