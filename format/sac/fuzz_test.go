package sac

import (
	"math"
	"testing"

	"github.com/bmkg/mkggraph/format/internal/fixture"
)

// FuzzParse checks that no input makes Parse panic, and that what it
// accepts agrees with its header.
func FuzzParse(f *testing.F) {
	data := fixture.Read(f, samples[0])
	f.Add(data[:HeaderLen+400])
	f.Add(data[:HeaderLen])
	f.Add([]byte(alphanumeric(data)[:3000]))
	f.Fuzz(func(t *testing.T, data []byte) {
		Detect(data)
		h, recs, err := Parse(data, G)
		if err != nil {
			if recs != nil {
				t.Fatalf("error %v returned with records", err)
			}
			return
		}
		want := HeaderLen + 4*h.NPTS
		if h.NVHDR == 7 {
			want += FooterLen
		}
		if len(recs) != 1 || len(recs[0].AccGal) != h.NPTS || (h.ByteOrder != "" && len(data) != want) {
			t.Fatalf("%d records, NPTS %d, version %d, %d bytes", len(recs), h.NPTS, h.NVHDR, len(data))
		}
		if r := recs[0]; !(r.SampleRateHz > 0) || math.IsInf(r.SampleRateHz, 0) || r.Start.Location().String() != "UTC" {
			t.Fatalf("bad record %+v", r)
		}
	})
}
