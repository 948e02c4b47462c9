package cfradial

import (
	"bytes"
	"math"
	"math/rand"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/bmkg/mkggraph/format/internal/fixture"
)

func parseSample(t *testing.T, name string) (*Volume, []byte) {
	t.Helper()
	data := fixture.Read(t, name)
	v, err := Parse(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	return v, data
}

// The values below were read off ncdump -h / ncdump -v of each sample.
func TestPyARTSample(t *testing.T) {
	v, data := parseSample(t, samples[0])
	if !Detect(data) {
		t.Error("Detect = false")
	}
	if v.SiteCode != "xsapr-sgp" || v.SiteName != "" || v.ScanType != "PPI" || v.BeamWidthDeg != nil {
		t.Errorf("site %q %q scan %q beam %v", v.SiteCode, v.SiteName, v.ScanType, v.BeamWidthDeg)
	}
	if v.Latitude != 36.490833333333335 || v.Longitude != -97.59416666666667 || v.AltitudeM != 214 {
		t.Errorf("position %v %v %v", v.Latitude, v.Longitude, v.AltitudeM)
	}
	checkTimes(t, v, "2011-05-20T10:54:16Z", "2011-05-20T10:54:31Z")
	s := v.Sweeps[0]
	// sweep_end_ray_index says 399; only 40 rays are left in the file.
	if len(v.Sweeps) != 1 || s.Rays != 40 || s.Bins != 42 || s.FixedAngle != 0.49987793 || s.Mode != "azimuth_surveillance" {
		t.Errorf("sweep %+v", s)
	}
	if s.RangeStartM != 0 || s.RangeResolutionM != 960 {
		t.Errorf("range %v + %v", s.RangeStartM, s.RangeResolutionM)
	}
	want := Moment{Name: "reflectivity_horizontal", Quantity: "DBZH", Units: "dBZ"}
	if len(s.Moments) != 1 || s.Moments[0] != want {
		t.Errorf("moments %+v", s.Moments)
	}
}

func TestJMASample(t *testing.T) {
	v, _ := parseSample(t, samples[1])
	if v.SiteCode != "" || v.SiteName != "47937" || v.ScanType != "PPI" || v.Conventions != "CF/Radial instrument_parameters" {
		t.Errorf("site %q %q scan %q conventions %q", v.SiteCode, v.SiteName, v.ScanType, v.Conventions)
	}
	if v.Latitude != 26.153333 || v.Longitude != 127.765 || v.AltitudeM != 208.4 {
		t.Errorf("position %v %v %v", v.Latitude, v.Longitude, v.AltitudeM)
	}
	checkTimes(t, v, "2023-08-01T19:59:01Z", "2023-08-01T19:59:16Z")
	s := v.Sweeps[0]
	if s.Rays != 512 || s.Bins != 600 || s.FixedAngle != 1.2 || s.RangeStartM != 125 || s.RangeResolutionM != 250 {
		t.Errorf("sweep %+v", s)
	}
	// time = -58.985 s since 20:00:00 for the first ray.
	if !s.Start.Equal(time.Date(2023, 8, 1, 19, 59, 1, 15e6, time.UTC)) {
		t.Errorf("sweep start %v", s.Start)
	}
	want := Moment{Name: "DBZH", Quantity: "DBZH", Units: "dBZ"}
	if len(s.Moments) != 1 || s.Moments[0] != want {
		t.Errorf("moments %+v", s.Moments)
	}
}

func checkTimes(t *testing.T, v *Volume, start, end string) {
	t.Helper()
	if got := v.Start.Format(time.RFC3339); got != start {
		t.Errorf("start %s, want %s", got, start)
	}
	if got := v.End.Format(time.RFC3339); got != end {
		t.Errorf("end %s, want %s", got, end)
	}
}

func TestDecode(t *testing.T) {
	v, data := parseSample(t, samples[1])
	fl, err := v.Decode(bytes.NewReader(data), int64(len(data)), 0, "DBZH")
	if err != nil {
		t.Fatal(err)
	}
	if fl.Rays != 512 || fl.Bins != 600 || len(fl.Values) != 512*600 || len(fl.Azimuths) != 512 {
		t.Fatalf("field %d×%d, %d values", fl.Rays, fl.Bins, len(fl.Values))
	}
	// First ray per ncdump: _, _, 42.3, 39.6 (the first two gates are 9.999e20 fill).
	if !math.IsNaN(float64(fl.Values[0])) || fl.Values[2] != 42.3 || fl.Values[3] != 39.6 || fl.Azimuths[0] != 315.34 {
		t.Errorf("values %v, azimuth %v", fl.Values[:4], fl.Azimuths[0])
	}
	if _, err := v.Decode(bytes.NewReader(data), int64(len(data)), 0, "VRADH"); err == nil {
		t.Error("no error for a missing moment")
	}
	if _, err := v.Decode(bytes.NewReader(data), int64(len(data)), 1, "DBZH"); err == nil {
		t.Error("no error for a missing sweep")
	}
}

func TestBadInput(t *testing.T) {
	data := fixture.Read(t, samples[0])
	cases := map[string][]byte{
		"empty":     nil,
		"random":    randomBytes(4096),
		"truncated": data[:len(data)/3],
		"header":    data[:200],
		"classic":   []byte("CDF\x01\x00\x00\x00\x00"),
	}
	for name, b := range cases {
		if _, err := Parse(bytes.NewReader(b), int64(len(b))); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
	b := cases["classic"]
	if _, err := Parse(bytes.NewReader(b), int64(len(b))); err == nil || !strings.Contains(err.Error(), "netCDF-3") {
		t.Errorf("classic: %v", err)
	}
}

func randomBytes(n int) []byte {
	b := make([]byte, n)
	rand.New(rand.NewSource(1)).Read(b)
	return b
}

// Rays of varying length (ray_n_gates): the sample cut to 42, 41, 40, ...
// gates per ray decodes to the original values, NaN past each ray's end.
func TestRaggedRays(t *testing.T) {
	want, wdata := parseSample(t, samples[0])
	data, err := os.ReadFile("testdata/ragged.nc")
	if err != nil {
		t.Fatal(err)
	}
	v, err := Parse(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	s := v.Sweeps[0]
	if s.Rays != 40 || s.Bins != 42 || len(s.Moments) != 1 || s.Moments[0] != want.Sweeps[0].Moments[0] {
		t.Fatalf("sweep %+v", s)
	}
	got, err := v.Decode(bytes.NewReader(data), int64(len(data)), 0, "reflectivity_horizontal")
	if err != nil {
		t.Fatal(err)
	}
	full, err := want.Decode(bytes.NewReader(wdata), int64(len(wdata)), 0, "reflectivity_horizontal")
	if err != nil {
		t.Fatal(err)
	}
	for r := range 40 {
		for g := range 42 {
			x, y := got.Values[r*42+g], full.Values[r*42+g]
			keep := g < 42-r%3
			if keep && !(x == y || x != x && y != y) || !keep && x == x {
				t.Fatalf("ray %d gate %d: %v, want %v (kept %v)", r, g, x, y, keep)
			}
		}
	}
}

// CfRadial 2 keeps each sweep in a group: refused by name.
func TestCfRadial2Refused(t *testing.T) {
	f := &file{global: map[string]any{"Conventions": "Cf/Radial-2.0"}, vars: nil}
	if _, err := f.volume(); err == nil || !strings.Contains(err.Error(), "CfRadial 2") {
		t.Errorf("%v", err)
	}
}
