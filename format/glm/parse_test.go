package glm

import (
	"bytes"
	"fmt"
	"math"
	"math/rand"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/bmkg/mkggraph/format/budget"
)

const (
	sampleDir = "testdata"
	sample    = "OR_GLM-L2-LCFA_G16_s20181830433000_e20181830433200_c20181830433231.nc"
	smallFile = "testdata/small.nc"
)

func parseFile(t *testing.T, path string) (*File, []byte) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	f, err := Parse(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	return f, data
}

func at(s string) time.Time {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		panic(err)
	}
	return t
}

// The expected values were read off ncdump of the sample: flash 0 is
// flash_id -21092 (44444 unsigned), time offsets -365 and -116 (×2 ms),
// lat -32.07924, lon -57.73151, energy 261 (×1.52597e-15 J), area 3254
// (×0.151639 + 63.09573 km²).
func TestSample(t *testing.T) {
	f, data := parseFile(t, filepath.Join(sampleDir, sample))
	if !Detect(data[:16<<10]) {
		t.Error("Detect(first 16 kB) = false")
	}
	if f.Platform != "G16" || !f.Start.Equal(at("2018-07-02T04:33:00Z")) || !f.End.Equal(at("2018-07-02T04:33:20Z")) {
		t.Errorf("platform %q, coverage %v–%v", f.Platform, f.Start, f.End)
	}
	if len(f.Flashes) != 302 || f.Groups != 7182 || f.Events != 18361 || len(f.Rejects) != 0 {
		t.Fatalf("%d flashes, %d groups, %d events, rejects %+v", len(f.Flashes), f.Groups, f.Events, f.Rejects)
	}
	want := Flash{
		ID: 44444, Time: at("2018-07-02T04:32:59.270Z"), End: at("2018-07-02T04:32:59.768Z"),
		Latitude: -32.079243, Longitude: -57.731506, EnergyJ: 3.9827817e-13, AreaKm2: ptr(556.52905),
	}
	if got := f.Flashes[0]; !sameFlash(got, want) {
		t.Errorf("flash 0:\n got %+v\nwant %+v", got, want)
	}
	if q := f.Flashes[28]; q.Quality != 3 {
		t.Errorf("flash 28 quality %d, want 3", q.Quality)
	}
	checkPlausible(t, f)
}

// checkPlausible checks what is known of any GOES-16 flash: inside the
// GOES-East field of view (lat_field_of_view_bounds ±66.56,
// lon_field_of_view_bounds -141.56..-8.44), within the 20-s file or begun
// shortly before it, radiant energies of femto- to picojoules.
func checkPlausible(t *testing.T, f *File) {
	t.Helper()
	ids := map[int64]bool{}
	for i, fl := range f.Flashes {
		if fl.Latitude < -66.56 || fl.Latitude > 66.56 || fl.Longitude < -141.56 || fl.Longitude > -8.44 {
			t.Errorf("flash %d at %v, %v: outside the field of view", i, fl.Latitude, fl.Longitude)
		}
		if fl.Time.Before(f.Start.Add(-time.Second)) || fl.End.After(f.End) || fl.End.Before(fl.Time) {
			t.Errorf("flash %d: %v–%v", i, fl.Time, fl.End)
		}
		if fl.EnergyJ < 1e-15 || fl.EnergyJ > 1e-11 || fl.AreaKm2 == nil || *fl.AreaKm2 < 60 || *fl.AreaKm2 > 10000 {
			t.Errorf("flash %d: energy %g J, area %v km²", i, fl.EnergyJ, fl.AreaKm2)
		}
		if q := fl.Quality; q != 0 && q != 1 && q != 3 && q != 5 {
			t.Errorf("flash %d: quality %d", i, q)
		}
		if ids[fl.ID] {
			t.Errorf("flash %d: id %d repeated", i, fl.ID)
		}
		ids[fl.ID] = true
	}
}

// testdata/small.nc (see small.cdl) has a flash of each kind.
func TestSmall(t *testing.T) {
	f, data := parseFile(t, smallFile)
	if !Detect(data) || f.Platform != "G16" || f.Groups != 5 || f.Events != 8 {
		t.Errorf("Detect %v, platform %q, %d groups, %d events", Detect(data), f.Platform, f.Groups, f.Events)
	}
	if len(f.Flashes) != 2 {
		t.Fatalf("flashes %+v", f.Flashes)
	}
	// Raw -21094, -100 and -100 are unsigned 44442 and 65436.
	want := Flash{
		ID: 44442, Time: at("2018-07-02T04:33:08Z"), End: at("2018-07-02T04:33:08.2Z"),
		Latitude: 16.04537, Longitude: -89.31605, EnergyJ: 9.9853376e-11, AreaKm2: ptr(9985.745), Quality: 3,
	}
	if !sameFlash(f.Flashes[1], want) {
		t.Errorf("flash 1:\n got %+v\nwant %+v", f.Flashes[1], want)
	}
	reasons := []string{"flash_energy is missing", "latitude 95 out of range", "not within the file's coverage"}
	if len(f.Rejects) != len(reasons) {
		t.Fatalf("rejects %+v", f.Rejects)
	}
	for i, r := range f.Rejects {
		if r.Record != i+3 || !strings.HasPrefix(r.Reason, fmt.Sprintf("flash_id %d: ", i+3)) || !strings.Contains(r.Reason, reasons[i]) {
			t.Errorf("reject %+v, want %q", r, reasons[i])
		}
	}
}

func TestUnits(t *testing.T) {
	for units, want := range map[string]string{
		"milliseconds since 2018-07-02 04:33:00.000": "2018-07-02T04:33:01.5Z",
		"seconds since 2000-01-01 12:00:00":          "2000-01-01T12:25:00Z",
		"seconds since 2019-08-01T12:00:00Z":         "2019-08-01T12:25:00Z",
		"seconds since 2019-08-01 12:00:00 UTC":      "2019-08-01T12:25:00Z",
	} {
		v := &variable{name: "t", values: []float64{1500}, units: units, budget: budget.New(0, 0)}
		if strings.HasPrefix(units, "seconds") {
			v.values[0] = 1500
		}
		ts, err := v.times(time.Time{})
		if err != nil || !ts[0].Equal(at(want)) {
			t.Errorf("%s: %v %v, want %s", units, ts, err, want)
		}
	}
	for _, units := range []string{"", "ms", "fortnights since 2018-07-02", "seconds since yesterday"} {
		v := &variable{name: "t", values: []float64{1}, units: units, budget: budget.New(0, 0)}
		if _, err := v.times(time.Time{}); err == nil {
			t.Errorf("%q: no error", units)
		}
	}
}

func TestBadInput(t *testing.T) {
	data, err := os.ReadFile(filepath.Join(sampleDir, sample))
	if err != nil {
		t.Fatal(err)
	}
	radar, err := os.ReadFile("testdata/example_cfradial_ppi.nc")
	if err != nil {
		t.Fatal(err)
	}
	random := make([]byte, 4096)
	rand.New(rand.NewSource(1)).Read(random)
	cases := map[string]struct {
		data []byte
		want string
	}{
		"empty":     {nil, "not an HDF5 file"},
		"random":    {random, "not an HDF5 file"},
		"header":    {data[:200], "glm: hdf5"},
		"truncated": {data[:len(data)/3], "glm: "},
		"classic":   {[]byte("CDF\x01\x00\x00\x00\x00"), "not an HDF5 file"},
		"CfRadial":  {radar, "not a GLM LCFA file (no flash_lat variable)"},
	}
	for name, c := range cases {
		if Detect(c.data) != (name == "truncated") { // Detect only sniffs
			t.Errorf("%s: Detect = %v", name, !(name == "truncated"))
		}
		f, err := Parse(bytes.NewReader(c.data), int64(len(c.data)))
		if err == nil || f != nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v, want an error with %q", name, err, c.want)
		}
	}
}

func ptr(f float64) *float64 { return &f }

// sameFlash compares flashes by value, areas included.
func sameFlash(a, b Flash) bool {
	if (a.AreaKm2 == nil) != (b.AreaKm2 == nil) || (a.AreaKm2 != nil && *a.AreaKm2 != *b.AreaKm2) {
		return false
	}
	a.AreaKm2, b.AreaKm2 = nil, nil
	return a == b
}

// A flash whose area is the fill value is kept with its area unknown: the
// packing cannot hold areas above about 10000 km², so it is a large flash.
func TestFillAreaKeepsTheFlash(t *testing.T) {
	t0 := at("2018-07-02T04:33:01Z")
	fl := &flashes{n: 1, id: []float64{7}, lat: []float64{10}, lon: []float64{-80}, energy: []float64{1e-13},
		area: []float64{math.NaN()}, quality: []float64{0}, first: []time.Time{t0}, last: []time.Time{t0}}
	if p := fl.problem(0, t0.Add(-time.Second), t0.Add(time.Second)); p != "" {
		t.Fatalf("problem %q, want none", p)
	}
	if area(math.NaN()) != nil || *area(12) != 12 {
		t.Fatal("area(NaN) must be nil, area(12) 12")
	}
}

// A file in which GLM saw no lightning (the sample's header and scalar
// variables with empty flash, group and event dimensions; see
// testdata/empty.cdl) has zero flashes and is not an error.
func TestEmptyFile(t *testing.T) {
	f, data := parseFile(t, "testdata/empty.nc")
	if !Detect(data) {
		t.Error("Detect = false")
	}
	if len(f.Flashes) != 0 || len(f.Rejects) != 0 || f.Groups != 0 || f.Events != 0 || f.Platform != "G16" {
		t.Errorf("%d flashes, %d rejects, %d groups, %d events, platform %q", len(f.Flashes), len(f.Rejects), f.Groups, f.Events, f.Platform)
	}
	if !f.Start.Equal(at("2018-07-02T04:33:00Z")) || !f.End.Equal(at("2018-07-02T04:33:20Z")) {
		t.Errorf("coverage %s–%s", f.Start, f.End)
	}
}

// Time offsets whose units name no epoch count from product_time: the
// sample with its units cut to a bare "milliseconds" (NUL-padded in place)
// reads the same flashes, as its epoch is its product_time.
func TestBareTimeUnits(t *testing.T) {
	want, data := parseFile(t, filepath.Join(sampleDir, sample))
	units := []byte("milliseconds since 2018-07-02 04:33:00.000")
	bare := make([]byte, len(units))
	copy(bare, "milliseconds")
	if bytes.Count(data, units) < 2 {
		t.Fatal("sample units not found")
	}
	patched := bytes.ReplaceAll(data, units, bare)
	got, err := Parse(bytes.NewReader(patched), int64(len(patched)))
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Flashes) != len(want.Flashes) || len(got.Flashes) == 0 {
		t.Fatalf("%d flashes, want %d", len(got.Flashes), len(want.Flashes))
	}
	for i := range got.Flashes {
		if !got.Flashes[i].Time.Equal(want.Flashes[i].Time) || !got.Flashes[i].End.Equal(want.Flashes[i].End) {
			t.Fatalf("flash %d at %s–%s, want %s–%s", i, got.Flashes[i].Time, got.Flashes[i].End, want.Flashes[i].Time, want.Flashes[i].End)
		}
	}
}
