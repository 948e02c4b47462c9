package rainbow

import (
	"math"
	"testing"

	"github.com/bmkg/mkggraph/format/internal/fixture"
)

// FuzzParse checks that no input makes Parse or Decode panic, and that
// whatever Decode returns keeps the promises Field makes.
func FuzzParse(f *testing.F) {
	for _, name := range samples {
		f.Add(fixture.Read(f, name))
	}
	f.Add(synthPPI())
	f.Add(synthRHI())
	f.Add(synthBomb())
	f.Add([]byte(`<volume type="vol"><scan/></volume>` + "\n<!-- END XML -->\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		Detect(data)
		v, err := Parse(data)
		if err != nil {
			if v != nil {
				t.Fatal("volume returned with an error")
			}
			return
		}
		for i, s := range v.Sweeps {
			for _, m := range s.Moments {
				if fl, err := v.Decode(data, i, m.Name); err == nil {
					checkField(t, fl, m)
				}
			}
		}
	})
}

// checkField fails t unless f is shaped as declared with values in m's
// range, NaN meaning no data.
func checkField(t *testing.T, f *Field, m Moment) {
	t.Helper()
	if len(f.Values) != f.Rays*f.Bins || len(f.Azimuths) != f.Rays || len(f.Elevations) != f.Rays {
		t.Fatalf("%d values, %d azimuths, %d elevations for %dx%d", len(f.Values), len(f.Azimuths), len(f.Elevations), f.Rays, f.Bins)
	}
	for _, a := range f.Azimuths {
		if !(a >= 0 && a < 360) {
			t.Fatalf("azimuth %v outside [0, 360)", a)
		}
	}
	for _, e := range f.Elevations {
		if math.IsNaN(e) || e < -180 || e > 360 {
			t.Fatalf("elevation %v", e)
		}
	}
	for _, x := range f.Values {
		if !math.IsNaN(float64(x)) && (x < float32(m.Min) || x > float32(m.Max)) {
			t.Fatalf("%s value %v outside [%v, %v]", m.Name, x, m.Min, m.Max)
		}
	}
}
