package wdss2

import (
	"bytes"
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/bmkg/mkggraph/format/internal/fixture"
	"github.com/bmkg/mkggraph/format/netcdf"
)

// fromSample describes the real dense sample, values included, so that
// tests can write it again as the other layouts WDSS-II writers use.
func fromSample(t *testing.T) *cdf {
	t.Helper()
	data := fixture.Read(t, samples[0])
	f, err := netcdf.Open(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	c := &cdf{}
	for _, d := range f.Dims {
		c.dims = append(c.dims, dim{d.Name, int(d.Len)})
	}
	c.attrs = toAttrs(t, f.Attrs)
	for i := range f.Vars {
		v := &f.Vars[i]
		vals, err := f.ReadFloat64(bytes.NewReader(data), v)
		if err != nil {
			t.Fatal(err)
		}
		c.vars = append(c.vars, variable{name: v.Name, dims: v.Dims, typ: v.Type, attrs: toAttrs(t, v.Attrs), data: vals})
	}
	return c
}

func toAttrs(t *testing.T, in []netcdf.Attr) []attr {
	var out []attr
	for _, a := range in {
		switch v := a.Value.(type) {
		case string:
			out = append(out, attr{a.Name, v})
		case []int32:
			out = append(out, attr{a.Name, v[0]})
		case []float64:
			out = append(out, attr{a.Name, v[0]})
		default:
			t.Fatalf("attribute %s of type %v", a.Name, a.Type)
		}
	}
	return out
}

func (c *cdf) setAttr(name string, value any) {
	for i := range c.attrs {
		if c.attrs[i].name == name {
			c.attrs[i].value = value
			return
		}
	}
	c.attrs = append(c.attrs, attr{name, value})
}

// sparsify rewrites the dense sample as a SparseRadialSet the way WDSS-II
// (and RAPIO, its successor) writes one: cells equal to the background
// (MissingData) are left out, and a cell equal to the one before it,
// along the gates and on across rays, extends that run. With counts false
// every stored cell is its own pixel and pixel_count is left out; with
// record true the pixel dimension is the unlimited one.
func sparsify(t *testing.T, counts, record bool) *cdf {
	c := fromSample(t)
	dense := c.vars[3]
	c.setAttr("DataType", "SparseRadialSet")
	const background = -99900
	var vals, xs, ys, ns []float64
	last := float64(background)
	for i, v := range dense.data {
		if v != background {
			if counts && v == last {
				ns[len(ns)-1]++
			} else {
				vals, ns = append(vals, v), append(ns, 1)
				xs, ys = append(xs, float64(i/c.dims[1].len)), append(ys, float64(i%c.dims[1].len))
			}
		}
		last = v
	}
	pixels := dim{"pixel", len(vals)}
	if record {
		c.numRecs, pixels.len = len(vals), 0
	}
	c.dims = append(c.dims, pixels)
	p := []int{2}
	c.vars = append(c.vars[:3],
		variable{name: dense.name, dims: p, typ: netcdf.Float, data: vals,
			attrs: append(dense.attrs, attr{"BackgroundValue", float64(background)})},
		variable{name: "pixel_x", dims: p, typ: netcdf.Short, data: xs},
		variable{name: "pixel_y", dims: p, typ: netcdf.Short, data: ys})
	if counts {
		c.vars = append(c.vars, variable{name: "pixel_count", dims: p, typ: netcdf.Int, data: ns})
	}
	return c
}

// TestSparseFromSample decodes the sample rewritten as sparse sets, and
// packed, and must find the dense sample's values and metadata.
func TestSparseFromSample(t *testing.T) {
	want, err := decode(fixture.Read(t, samples[0]))
	if err != nil {
		t.Fatal(err)
	}
	wantSweep, _ := parse(fixture.Read(t, samples[0]))
	for name, c := range map[string]*cdf{
		"runs":                 sparsify(t, true, false),
		"runs, record pixel":   sparsify(t, true, true),
		"single cells":         sparsify(t, false, false),
		"dense, short, scaled": packed(t),
	} {
		t.Run(name, func(t *testing.T) {
			data := c.bytes()
			got, err := decode(data)
			if err != nil {
				t.Fatal(err)
			}
			if !sameValues(got.Values, want.Values) || got.Rays != want.Rays || got.Bins != want.Bins {
				t.Errorf("values differ from the dense sample's")
			}
			s, err := parse(data)
			if err != nil {
				t.Fatal(err)
			}
			s.Azimuths, wantSweep.Azimuths = nil, nil
			if s.SiteCode != wantSweep.SiteCode || s.Start != wantSweep.Start || s.Moment != wantSweep.Moment ||
				s.RangeResolutionM != wantSweep.RangeResolutionM || s.ElevationDeg != wantSweep.ElevationDeg {
				t.Errorf("sweep %+v\nwant %+v", s, wantSweep)
			}
		})
	}
	runs := sparsify(t, true, false)
	if n := runs.dims[2].len; n == 0 || n >= len(want.Values)/2 {
		t.Errorf("%d runs for %d cells: the sample does not exercise run lengths", n, len(want.Values))
	}
}

// packed stores the sample's dBZ, all multiples of 0.5, as shorts with a
// scale_factor of 0.5 and MissingData as the short _FillValue.
func packed(t *testing.T) *cdf {
	c := fromSample(t)
	v := &c.vars[3]
	v.typ = netcdf.Short
	v.attrs = append(v.attrs, attr{"scale_factor", 0.5}, attr{"add_offset", 0.0}, attr{"_FillValue", int32(-32768)})
	for i, x := range v.data {
		switch {
		case x == -99900:
			v.data[i] = -32768
		case x*2 != math.Trunc(x*2):
			t.Fatalf("value %v is not a multiple of 0.5", x)
		default:
			v.data[i] = x * 2
		}
	}
	return c
}

// TestEmptySparse is a sparse set of no pixels, written as netCDF must
// write a zero-length dimension: as the record dimension with no records.
// Every cell is the background.
func TestEmptySparse(t *testing.T) {
	c := sparsify(t, true, true)
	c.numRecs = 0
	for i := 3; i < len(c.vars); i++ {
		c.vars[i].data = nil
	}
	f, err := decode(c.bytes())
	if err != nil {
		t.Fatal(err)
	}
	for i, v := range f.Values {
		if !math.IsNaN(float64(v)) {
			t.Fatalf("cell %d = %v, want the background (missing)", i, v)
		}
	}
}

// TestSampleRefused edits the real sample's attributes into what must be
// refused, with a message that says why.
func TestSampleRefused(t *testing.T) {
	for _, c := range []struct {
		name, attr string
		value      any
		want       string
		notRadial  bool
	}{
		{"LatLonGrid", "DataType", "LatLonGrid", `DataType "LatLonGrid" is a latitude-longitude grid`, true},
		{"SparseLatLonGrid", "DataType", "SparseLatLonGrid", "latitude-longitude grid", true},
		{"RHI", "DataType", "RHISet", `DataType "RHISet"`, true},
		{"range units", "RangeToFirstGateUnits", "Leagues", `range to first gate in unknown units "Leagues"`, false},
		{"elevation units", "ElevationUnits", "Grads", `elevation in unknown units "Grads"`, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			s := fromSample(t)
			s.setAttr(c.attr, c.value)
			if c.attr == "RangeToFirstGateUnits" {
				s.setAttr("RangeToFirstGate", 0.0)
			}
			_, err := parse(s.bytes())
			if err == nil || !strings.Contains(err.Error(), c.want) || errors.Is(err, ErrNotRadialSet) != c.notRadial {
				t.Errorf("error %v, want one mentioning %q", err, c.want)
			}
		})
	}
}

// TestRangeToFirstGateKilometres reads a RangeToFirstGate given in km.
func TestRangeToFirstGateKilometres(t *testing.T) {
	s := fromSample(t)
	s.setAttr("RangeToFirstGate", 2.125)
	s.setAttr("RangeToFirstGateUnits", "Kilometers")
	sw, err := parse(s.bytes())
	if err != nil || sw.RangeStartM != 2125 {
		t.Errorf("range start %v m, %v; want 2125", sw, err)
	}
}
