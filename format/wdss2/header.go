package wdss2

import (
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/bmkg/mkggraph/format/netcdf"
)

// radialSet is an opened file whose DataType, dimensions and data variable
// have been checked.
type radialSet struct {
	f          *netcdf.File
	r          io.ReaderAt
	sparse     bool
	typeName   string
	data       *netcdf.Var
	rays, bins int
	azDim      int // index of the Azimuth dimension
}

func open(r io.ReaderAt, size int64) (*radialSet, error) {
	f, err := netcdf.Open(r, size)
	if err != nil {
		return nil, fmt.Errorf("wdss2: %w", err)
	}
	rs := &radialSet{f: f, r: r}
	if err := rs.checkType(); err != nil {
		return nil, err
	}
	if err := rs.shape(); err != nil {
		return nil, fmt.Errorf("wdss2: %s %s: %w", rs.dataType(), rs.typeName, err)
	}
	return rs, nil
}

func (rs *radialSet) dataType() string {
	dt, _ := rs.text("DataType")
	return dt
}

func (rs *radialSet) checkType() error {
	switch dt := rs.dataType(); {
	case dt == "RadialSet":
	case dt == "SparseRadialSet":
		rs.sparse = true
	case dt == "":
		return fmt.Errorf("%w: no DataType attribute", ErrNotRadialSet)
	case strings.Contains(dt, "LatLonGrid"):
		return fmt.Errorf("%w: DataType %q is a latitude-longitude grid", ErrNotRadialSet, dt)
	default:
		return fmt.Errorf("%w: DataType %q", ErrNotRadialSet, dt)
	}
	rs.typeName, _ = rs.text("TypeName")
	if rs.typeName == "" {
		return fmt.Errorf("wdss2: %s without a TypeName attribute", rs.dataType())
	}
	return nil
}

// shape finds the Azimuth and Gate dimensions and checks that the data
// variable is laid out over them, or over a pixel dimension when sparse.
func (rs *radialSet) shape() error {
	az, azOK := rs.dim("Azimuth")
	gate, gateOK := rs.dim("Gate")
	if !azOK || !gateOK {
		return fmt.Errorf("no Azimuth and Gate dimensions")
	}
	rays, bins := rs.f.Dims[az].Len, rs.f.Dims[gate].Len
	if rays == 0 || bins == 0 || rays > MaxCells/bins {
		return fmt.Errorf("%d rays of %d gates; want 1 to %d cells", rays, bins, MaxCells)
	}
	rs.rays, rs.bins, rs.azDim = int(rays), int(bins), az
	v, ok := rs.f.Var(rs.typeName)
	if !ok {
		return fmt.Errorf("no data variable %q", rs.typeName)
	}
	rs.data = v
	if rs.sparse {
		return rs.checkPixels()
	}
	if len(v.Dims) != 2 || v.Dims[0] != az || v.Dims[1] != gate {
		return fmt.Errorf("data variable is not (Azimuth, Gate)")
	}
	return nil
}

// checkPixels checks that the data variable and the pixel index variables
// share one dimension.
func (rs *radialSet) checkPixels() error {
	if len(rs.data.Dims) != 1 {
		return fmt.Errorf("sparse data variable has %d dimensions, want 1 (pixel)", len(rs.data.Dims))
	}
	for _, name := range []string{"pixel_x", "pixel_y", "pixel_count"} {
		v, ok := rs.f.Var(name)
		if !ok && name == "pixel_count" {
			continue
		}
		if !ok {
			return fmt.Errorf("sparse set without %s", name)
		}
		if len(v.Dims) != 1 || v.Dims[0] != rs.data.Dims[0] {
			return fmt.Errorf("%s is not over the data variable's dimension", name)
		}
	}
	return nil
}

func (rs *radialSet) dim(name string) (int, bool) {
	for i, d := range rs.f.Dims {
		if d.Name == name {
			return i, true
		}
	}
	return 0, false
}

// text returns a global text attribute.
func (rs *radialSet) text(name string) (string, bool) {
	a, ok := rs.f.Attr(name)
	if !ok {
		return "", false
	}
	s, ok := a.String()
	return strings.TrimSpace(s), ok
}

// number returns a global numeric attribute. Values written under the
// name-value convention are often text ("27.50"), so text that parses as
// a number is accepted too.
func (rs *radialSet) number(name string) (float64, bool) {
	a, ok := rs.f.Attr(name)
	if !ok {
		return 0, false
	}
	if x, ok := a.Float64(); ok {
		return x, finite(x)
	}
	s, ok := a.String()
	if !ok {
		return 0, false
	}
	x, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
	return x, err == nil && finite(x)
}

func (rs *radialSet) required(name string) (float64, error) {
	x, ok := rs.number(name)
	if !ok {
		return 0, fmt.Errorf("no numeric %s attribute", name)
	}
	return x, nil
}

func (rs *radialSet) siteCode() string {
	if s, ok := rs.text("radarName-value"); ok {
		return s
	}
	s, _ := rs.text("radarName")
	return s
}

func (rs *radialSet) location() (lat, lon, alt float64, err error) {
	if lat, err = rs.required("Latitude"); err != nil {
		return
	}
	if lon, err = rs.required("Longitude"); err != nil {
		return
	}
	if alt, err = rs.required("Height"); err != nil {
		return
	}
	if math.Abs(lat) > 90 || math.Abs(lon) > 360 || math.Abs(alt) > 10000 {
		err = fmt.Errorf("radar location %v, %v, %v m out of range", lat, lon, alt)
	}
	return
}

// maxTime keeps times within what time.Time and JSON handle sensibly.
const maxTime = 1e11

// start is Time (Unix seconds, integral or not) plus FractionalTime.
func (rs *radialSet) start() (time.Time, error) {
	sec, err := rs.required("Time")
	if err != nil {
		return time.Time{}, err
	}
	frac, _ := rs.number("FractionalTime")
	if math.Abs(sec) > maxTime || math.Abs(frac) > maxTime {
		return time.Time{}, fmt.Errorf("time %v + %v s out of range", sec, frac)
	}
	whole := math.Floor(sec)
	ns := math.Round((sec - whole + frac) * 1e9)
	return time.Unix(int64(whole), 0).Add(time.Duration(ns)).UTC(), nil
}

func (rs *radialSet) elevation() (float64, error) {
	el, err := rs.required("Elevation")
	if err != nil {
		return 0, err
	}
	switch units, _ := rs.text("ElevationUnits"); strings.ToLower(units) {
	case "", "degrees", "degree", "deg", "dimensionless":
	case "radians", "radian", "rad":
		el *= 180 / math.Pi
	default:
		return 0, fmt.Errorf("elevation in unknown units %q", units)
	}
	if math.Abs(el) > 90 {
		return 0, fmt.Errorf("elevation %v° out of range", el)
	}
	return el, nil
}

func (rs *radialSet) units() string {
	for _, name := range []string{"Units", "units"} {
		if a, ok := rs.data.Attr(name); ok {
			if s, ok := a.String(); ok {
				return strings.TrimSpace(s)
			}
		}
	}
	return ""
}
