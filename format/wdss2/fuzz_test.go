package wdss2

import (
	"bytes"
	"encoding/binary"
	"math"
	"testing"
	"time"

	"github.com/bmkg/mkggraph/format/internal/fixture"
)

// FuzzParse checks that no input makes Parse or Decode panic, and that
// what they accept keeps their promises.
func FuzzParse(f *testing.F) {
	f.Add(smallSample(f))
	f.Add(sparseSet().bytes())
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := parse(data)
		if err != nil {
			return
		}
		if len(s.Azimuths) != s.Rays || s.Rays*s.Bins > MaxCells || s.Start.Location() != time.UTC {
			t.Fatalf("accepted an inconsistent sweep: %d azimuths, %d x %d, %v", len(s.Azimuths), s.Rays, s.Bins, s.Start)
		}
		if math.Abs(s.Latitude) > 90 || math.Abs(s.ElevationDeg) > 90 || !(s.RangeResolutionM > 0) {
			t.Fatalf("accepted %v, elevation %v, gate width %v", s.Latitude, s.ElevationDeg, s.RangeResolutionM)
		}
		field, err := decode(data)
		if err == nil && len(field.Values) != field.Rays*field.Bins {
			t.Fatalf("%d values for %d x %d", len(field.Values), field.Rays, field.Bins)
		}
	})
}

// smallSample is the sample cut to 4 rays of 5 gates: its real header
// with the Azimuth and Gate lengths and the vsizes rewritten, and the file
// cut where the smaller data ends. The whole sample makes a poor seed: every input the
// fuzzer derives from it is 350 kB to mutate and minimize.
func smallSample(t testing.TB) []byte {
	data := bytes.Clone(fixture.Read(t, samples[0])[:5736+4*5*4])
	binary.BigEndian.PutUint32(data[0x1c:], 4) // Azimuth
	binary.BigEndian.PutUint32(data[0x28:], 5) // Gate
	for _, at := range []int{0x4a0, 0x4e8, 0x530} {
		binary.BigEndian.PutUint32(data[at:], 4*4) // vsize of Azimuth, Beamwidth, GateWidth
	}
	binary.BigEndian.PutUint32(data[0x580:], 4*5*4) // vsize of Corrected_Intensity
	return data
}
