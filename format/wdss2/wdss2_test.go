package wdss2

import (
	"bytes"
	"math"
	"testing"
	"time"

	"github.com/bmkg/mkggraph/format/internal/fixture"
)

var samples = []string{"TAG-20120801-140046-02-Z.nc"}

func parse(data []byte) (*Sweep, error) {
	return Parse(bytes.NewReader(data), int64(len(data)))
}

func decode(data []byte) (*Field, error) {
	return Decode(bytes.NewReader(data), int64(len(data)))
}

func TestSample(t *testing.T) {
	s, err := parse(fixture.Read(t, samples[0]))
	if err != nil {
		t.Fatal(err)
	}
	// Checked by hand against the header: Tagaytay, Philippines.
	if s.SiteCode != "TAG" || s.AltitudeM != 752 || s.ElevationDeg != 0.5 {
		t.Errorf("site %q, %v m, elevation %v", s.SiteCode, s.AltitudeM, s.ElevationDeg)
	}
	if math.Abs(s.Latitude-14.142) > 0.001 || math.Abs(s.Longitude-121.022) > 0.001 {
		t.Errorf("location %v, %v", s.Latitude, s.Longitude)
	}
	if want := time.Date(2012, 8, 1, 14, 0, 46, 0, time.UTC); !s.Start.Equal(want) || s.Start.Location() != time.UTC {
		t.Errorf("start %v, want %v", s.Start, want)
	}
	if s.Rays != 360 || s.Bins != 240 || len(s.Azimuths) != 360 || s.RangeResolutionM != 500 || s.RangeStartM != 0 {
		t.Errorf("%d x %d, %d azimuths, gates %v m from %v m", s.Rays, s.Bins, len(s.Azimuths), s.RangeResolutionM, s.RangeStartM)
	}
	if s.Moment != (Moment{Name: "Corrected_Intensity", Quantity: "DBZH", Units: "dBz"}) {
		t.Errorf("moment %+v", s.Moment)
	}
	// EDGE writes each ray's measured beam width, 0.98 to 1.01 degrees.
	if s.BeamWidthDeg != nil {
		t.Errorf("beam width %v from a varying Beamwidth variable", *s.BeamWidthDeg)
	}
}

func TestDecodeSample(t *testing.T) {
	f, err := decode(fixture.Read(t, samples[0]))
	if err != nil {
		t.Fatal(err)
	}
	if f.Rays != 360 || f.Bins != 240 || len(f.Values) != 360*240 || f.Units != "dBz" || f.GateWidthM != 500 {
		t.Fatalf("%d x %d, %d values, %q, %v m", f.Rays, f.Bins, len(f.Values), f.Units, f.GateWidthM)
	}
	missing := 0
	for i, v := range f.Values {
		switch {
		case math.IsNaN(float64(v)):
			missing++
		case v < -35 || v > 80:
			t.Fatalf("value %d = %v dBZ, implausible", i, v)
		}
	}
	if f.Values[0] != -17.5 || !math.IsNaN(float64(f.Values[3])) {
		t.Errorf("first values %v", f.Values[:4])
	}
	if missing == 0 || missing == len(f.Values) {
		t.Errorf("%d of %d values missing", missing, len(f.Values))
	}
}

func TestSmallSample(t *testing.T) {
	f, err := decode(smallSample(t))
	if err != nil || f.Rays != 4 || f.Bins != 5 || len(f.Values) != 20 {
		t.Fatalf("%+v, %v", f, err)
	}
}
