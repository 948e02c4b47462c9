package wdss2

import (
	"errors"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/bmkg/mkggraph/format/internal/fixture"
	"github.com/bmkg/mkggraph/format/netcdf"
)

// sparseSet is a 4-ray, 5-gate SparseRadialSet of three runs: two cells on
// ray 0, four cells that wrap from the end of ray 1 into ray 2, and one
// range-folded cell.
func sparseSet() *cdf {
	return &cdf{
		dims: []dim{{"Azimuth", 4}, {"Gate", 5}, {"pixel", 3}},
		attrs: []attr{
			{"TypeName", "Velocity"}, {"DataType", "SparseRadialSet"},
			{"Latitude", -6.2}, {"Longitude", 106.8}, {"Height", int32(50)},
			{"Time", int32(1700000000)}, {"FractionalTime", 0.25},
			{"Elevation", 1.5}, {"ElevationUnits", "Degrees"}, {"RangeToFirstGate", "2125"},
			{"MissingData", -99900.0}, {"RangeFolded", -99901.0},
			{"attributes", " radarName"}, {"radarName-unit", "dimensionless"}, {"radarName-value", "CGK\x00"},
		},
		vars: []variable{
			{name: "Azimuth", dims: []int{0}, typ: netcdf.Float, data: []float64{0, 90, 180, 270}},
			{name: "BeamWidth", dims: []int{0}, typ: netcdf.Float, data: []float64{0.5, 0.5, 0.5, 0.5}},
			{name: "GateWidth", dims: []int{0}, typ: netcdf.Float, data: []float64{250, 250, 250, 250}},
			{name: "Velocity", dims: []int{2}, typ: netcdf.Float, data: []float64{5.5, -3, -99901},
				attrs: []attr{{"Units", "MetersPerSecond"}, {"BackgroundValue", -99900.0}}},
			{name: "pixel_x", dims: []int{2}, typ: netcdf.Short, data: []float64{0, 1, 3}},
			{name: "pixel_y", dims: []int{2}, typ: netcdf.Short, data: []float64{1, 3, 4}},
			{name: "pixel_count", dims: []int{2}, typ: netcdf.Int, data: []float64{2, 4, 1}},
		},
	}
}

func TestSparse(t *testing.T) {
	data := sparseSet().bytes()
	s, err := parse(data)
	if err != nil {
		t.Fatal(err)
	}
	start := time.Date(2023, 11, 14, 22, 13, 20, 250e6, time.UTC)
	if s.SiteCode != "CGK" || !s.Start.Equal(start) || s.RangeStartM != 2125 || s.RangeResolutionM != 250 {
		t.Errorf("%+v", s)
	}
	if s.BeamWidthDeg == nil || *s.BeamWidthDeg != 0.5 {
		t.Errorf("beam width %v, want 0.5 from a constant BeamWidth", s.BeamWidthDeg)
	}
	if s.Moment != (Moment{Name: "Velocity", Quantity: "VRADH", Units: "MetersPerSecond"}) {
		t.Errorf("moment %+v", s.Moment)
	}
	f, err := decode(data)
	if err != nil {
		t.Fatal(err)
	}
	n := float32(math.NaN())
	want := []float32{
		n, 5.5, 5.5, n, n,
		n, n, n, -3, -3,
		-3, -3, n, n, n,
		n, n, n, n, n,
	}
	if !sameValues(f.Values, want) {
		t.Errorf("values\n got %v\nwant %v", f.Values, want)
	}
}

func sameValues(a, b []float32) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] && !(a[i] != a[i] && b[i] != b[i]) {
			return false
		}
	}
	return true
}

func TestSparseWithoutCounts(t *testing.T) {
	c := sparseSet()
	c.vars = c.vars[:len(c.vars)-1]
	f, err := decode(c.bytes())
	if err != nil {
		t.Fatal(err)
	}
	if f.Values[1] != 5.5 || f.Values[8] != -3 || !math.IsNaN(float64(f.Values[2])) || !math.IsNaN(float64(f.Values[9])) {
		t.Errorf("values %v", f.Values)
	}
}

func TestBadSparse(t *testing.T) {
	for name, edit := range map[string]func(*cdf){
		"run past the end": func(c *cdf) { c.vars[6].data[2] = 2 },
		"ray out of range": func(c *cdf) { c.vars[4].data[0] = 4 },
		"zero run":         func(c *cdf) { c.vars[6].data[0] = 0 },
		"no pixel_y":       func(c *cdf) { c.vars[5].name = "pixel_z" },
	} {
		c := sparseSet()
		edit(c)
		if _, err := decode(c.bytes()); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

func TestRefused(t *testing.T) {
	for name, tc := range map[string]struct {
		edit func(*cdf)
		want string
	}{
		"LatLonGrid":   {func(c *cdf) { c.attrs[1].value = "SparseLatLonGrid" }, "latitude-longitude grid"},
		"no DataType":  {func(c *cdf) { c.attrs[1].name = "Kind" }, "no DataType"},
		"no Time":      {func(c *cdf) { c.attrs[5].name = "When" }, "Time"},
		"bad units":    {func(c *cdf) { c.attrs[8].value = "Furlongs" }, "Furlongs"},
		"no data var":  {func(c *cdf) { c.vars[3].name = "Reflectivity" }, `no data variable "Velocity"`},
		"huge grid":    {func(c *cdf) { c.dims[1].len = 1 << 30 }, "cells"},
		"no gate size": {func(c *cdf) { c.vars[2].name = "Spacing" }, "GateWidth"},
	} {
		c := sparseSet()
		tc.edit(c)
		_, err := parse(c.bytes())
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want one mentioning %q", name, err, tc.want)
		}
		if name == "LatLonGrid" && !errors.Is(err, ErrNotRadialSet) {
			t.Errorf("LatLonGrid: %v is not ErrNotRadialSet", err)
		}
	}
}

func TestNotClassic(t *testing.T) {
	data := fixture.Read(t, "example_cfradial_ppi.nc")
	if _, err := parse(data); !errors.Is(err, netcdf.ErrHDF5) {
		t.Errorf("CfRadial netCDF-4: %v, want ErrHDF5", err)
	}
	sample := fixture.Read(t, samples[0])
	if _, err := decode(sample[:len(sample)-10]); err == nil {
		t.Error("truncated sample accepted")
	}
}

func TestQuantity(t *testing.T) {
	for name, want := range map[string]string{
		"Reflectivity": "DBZH", "Corrected_Intensity": "DBZH", "Uncorrected_Intensity": "TH",
		"Velocity": "VRADH", "SpectrumWidth": "WRADH", "Spectrum_Width": "WRADH", "Zdr": "ZDR",
		"Kdp": "KDP", "RhoHV": "RHOHV", "PhiDP": "PHIDP", "Echo_Top": "",
	} {
		if got := Quantity(name); got != want {
			t.Errorf("Quantity(%q) = %q, want %q", name, got, want)
		}
	}
}
