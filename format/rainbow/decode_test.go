package rainbow

import (
	"bytes"
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/bmkg/mkggraph/format/internal/fixture"
)

func TestDecodeSample(t *testing.T) {
	data := fixture.Read(t, samples[0])
	v, err := Parse(data)
	if err != nil {
		t.Fatal(err)
	}
	f, err := v.Decode(data, 0, "dBZ")
	if err != nil {
		t.Fatal(err)
	}
	if f.Rays != 361 || f.Bins != 400 || f.Elevation != 0.6 || f.GateWidthM != 250 || f.Units != "dBZ" {
		t.Errorf("field %dx%d elevation %v gate %v %s", f.Rays, f.Bins, f.Elevation, f.GateWidthM, f.Units)
	}
	checkField(t, f, v.Sweeps[0].Moments[0])
	valid := 0
	for _, x := range f.Values {
		if !math.IsNaN(float64(x)) {
			valid++
		}
	}
	// A May night over the Rhineland: echoes in about a tenth of the gates.
	if frac := float64(valid) / float64(len(f.Values)); frac < 0.05 || frac > 0.5 {
		t.Errorf("%.3f of the gates have data", frac)
	}
	// The antenna starts at 47 deg and turns clockwise in 1 deg steps,
	// 361 rays, so azimuths ascend by about 1 deg, wrapping once at north.
	if a := f.Azimuths[0]; math.Abs(a-47.516) > 0.001 {
		t.Errorf("first azimuth %v", a)
	}
	for k := 1; k < len(f.Azimuths); k++ {
		if d := wrap360(f.Azimuths[k] - f.Azimuths[k-1]); d < 0.9 || d > 1.1 {
			t.Fatalf("rays %d-%d: step %v", k-1, k, d)
		}
	}
	for i := range v.Sweeps {
		if _, err := v.Decode(data, i, "DBZH"); err != nil {
			t.Errorf("sweep %d: %v", i, err)
		}
	}
}

func TestDecodeErrors(t *testing.T) {
	data := fixture.Read(t, samples[0])
	v, err := Parse(data)
	if err != nil {
		t.Fatal(err)
	}
	bomb := synthBomb()
	vb, err := Parse(bomb)
	if err != nil {
		t.Fatalf("the bomb's header is consistent, Parse must accept it: %v", err)
	}
	for _, c := range []struct {
		name string
		v    *Volume
		data []byte
		i    int
		m    string
		msg  string
	}{
		{"bomb", vb, bomb, 0, "dBZ", "blob 0 inflates past its declared 6 bytes"},
		{"other data", v, data[:len(data)-1], 0, "dBZ", "the volume was parsed from"},
		{"no sweep", v, data, 14, "dBZ", "no sweep 14"},
		{"no moment", v, data, 0, "V", `no moment "V"`},
		{"damaged stream", v, flipByte(data, bytes.Index(data, []byte(`<BLOB blobid="1"`))+200), 0, "dBZ", "blob 1"},
	} {
		t.Run(c.name, func(t *testing.T) {
			f, err := c.v.Decode(c.data, c.i, c.m)
			if err == nil || f != nil || !strings.Contains(err.Error(), c.msg) {
				t.Errorf("error %v, want one containing %q", err, c.msg)
			}
		})
	}
}

// flipByte returns a copy of data with the byte at i inverted.
func flipByte(data []byte, i int) []byte {
	out := append([]byte(nil), data...)
	out[i] ^= 0xff
	return out
}

func TestDecodeUnsupportedDepth(t *testing.T) {
	var b builder
	b.blob([]byte{0xff}, false)
	data := b.file(`<volume type="vol"><scan date="2020-01-01" time="00:00:00"><slice><posangle>1</posangle><rangestep>1</rangestep>
<slicedata><rawdata blobid="0" rays="2" bins="4" depth="1" type="flags"/></slicedata></slice></scan>
<sensorinfo id="X" lat="1" lon="2" alt="3"/></volume>`)
	v, err := Parse(data)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := v.Decode(data, 0, "flags"); !errors.Is(err, ErrUnsupported) {
		t.Errorf("error %v, want ErrUnsupported", err)
	}
}

func nan() float64 { return math.NaN() }

// checkValues compares got with want, NaN equal to NaN, after checking
// every value lies in [lo, hi].
func checkValues(t *testing.T, got []float32, lo, hi float32, want ...float32) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%d values, want %d", len(got), len(want))
	}
	for k := range got {
		g, w := got[k], want[k]
		if math.IsNaN(float64(g)) != math.IsNaN(float64(w)) || (!math.IsNaN(float64(w)) && math.Abs(float64(g-w)) > 1e-4) {
			t.Errorf("value %d = %v, want %v", k, g, w)
		}
		if g < lo || g > hi {
			t.Errorf("value %d = %v outside [%v, %v]", k, g, lo, hi)
		}
	}
}

func checkFloats(t *testing.T, what string, got []float64, want ...float64) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: %d values, want %d", what, len(got), len(want))
	}
	for k := range got {
		if math.Abs(got[k]-want[k]) > 1e-4 {
			t.Errorf("%s[%d] = %v, want %v", what, k, got[k], want[k])
		}
	}
}
