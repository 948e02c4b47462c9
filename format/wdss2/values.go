package wdss2

import (
	"fmt"
	"math"

	"github.com/bmkg/mkggraph/format/netcdf"
)

// dataUnavailable is WDSS-II's third marker, beside MissingData (-99900)
// and RangeFolded (-99901), for cells the radar did not sample.
const dataUnavailable = -99903

// markers are the values that mean "no measurement", compared as float32
// because the data is usually float while the attributes are double.
type markers []float32

// markers gathers WDSS-II's three markers, the file's MissingData and
// RangeFolded (global, or on the data variable), and the data variable's
// missing_value and fill value. The default fill of byte variables is left
// out, as the netCDF library leaves it: -127 is a real byte value.
func (rs *radialSet) markers() markers {
	m := markers{-99900, -99901, dataUnavailable}
	for _, name := range []string{"MissingData", "RangeFolded"} {
		if x, ok := rs.number(name); ok {
			m = append(m, float32(x))
		}
	}
	for _, name := range []string{"MissingData", "RangeFolded", "missing_value"} {
		if x, ok := varNumber(rs.data, name); ok {
			m = append(m, float32(x))
		}
	}
	_, explicit := rs.data.Attr("_FillValue")
	if fill, ok := rs.data.FillValue(); ok && (explicit || rs.data.Type.Size() > 1) {
		m = append(m, float32(fill))
	}
	return m
}

func (m markers) match(x float64) bool {
	v := float32(x)
	for _, mk := range m {
		if v == mk {
			return true
		}
	}
	return false
}

// unpack maps a stored value to the value it stands for: NaN for a marker,
// whether the marker is stated packed (a fill value) or unpacked
// (MissingData), else x*scale + offset.
type unpack struct {
	m             markers
	scale, offset float64
}

func (rs *radialSet) unpacker() (unpack, error) {
	u := unpack{m: rs.markers(), scale: 1}
	var ok bool
	if _, present := rs.data.Attr("scale_factor"); present {
		if u.scale, ok = varNumber(rs.data, "scale_factor"); !ok || u.scale == 0 {
			return u, fmt.Errorf("scale_factor of %s is not one non-zero number", rs.data.Name)
		}
	}
	if _, present := rs.data.Attr("add_offset"); present {
		if u.offset, ok = varNumber(rs.data, "add_offset"); !ok {
			return u, fmt.Errorf("add_offset of %s is not one number", rs.data.Name)
		}
	}
	return u, nil
}

func (u unpack) value(x float64) float32 {
	if u.m.match(x) {
		return float32(math.NaN())
	}
	y := x*u.scale + u.offset
	if u.m.match(y) {
		return float32(math.NaN())
	}
	return float32(y)
}

// varNumber returns a numeric attribute of v holding one finite value.
func varNumber(v *netcdf.Var, name string) (float64, bool) {
	a, ok := v.Attr(name)
	if !ok {
		return 0, false
	}
	x, ok := a.Float64()
	return x, ok && finite(x)
}

func (rs *radialSet) values() ([]float32, error) {
	raw, err := rs.f.ReadFloat64(rs.r, rs.data)
	if err != nil {
		return nil, err
	}
	u, err := rs.unpacker()
	if err != nil {
		return nil, err
	}
	if rs.sparse {
		return rs.expand(raw, u)
	}
	if len(raw) != rs.rays*rs.bins {
		return nil, fmt.Errorf("%d values for %d rays of %d gates", len(raw), rs.rays, rs.bins)
	}
	if err := rs.f.Budget().ReserveN(int64(len(raw)), 4, "the decoded sweep"); err != nil {
		return nil, err
	}
	out := make([]float32, len(raw))
	for i, x := range raw {
		out[i] = u.value(x)
	}
	return out, nil
}

// expand fills the grid with the background, then writes each run. The
// grid is what the header's dimensions say, whatever the pixels stored:
// it is charged to the budget before anything else.
func (rs *radialSet) expand(raw []float64, u unpack) ([]float32, error) {
	if err := rs.f.Budget().ReserveN(int64(rs.rays)*int64(rs.bins), 4, "the sparse grid of Azimuth×Gate cells"); err != nil {
		return nil, err
	}
	xs, ys, counts, err := rs.pixels()
	if err != nil {
		return nil, err
	}
	background := float64(-99900)
	if a, ok := rs.data.Attr("BackgroundValue"); ok {
		if x, ok := a.Float64(); ok {
			background = x
		}
	}
	grid := make([]float32, rs.rays*rs.bins)
	bg := u.value(background)
	for i := range grid {
		grid[i] = bg
	}
	for i, x := range raw {
		if err := rs.run(grid, xs[i], ys[i], counts[i], u.value(x)); err != nil {
			return nil, fmt.Errorf("pixel %d: %w", i, err)
		}
	}
	return grid, nil
}

// run writes count cells from ray x, gate y on, continuing into the next
// ray at the end of one.
func (rs *radialSet) run(grid []float32, x, y, count float64, v float32) error {
	if x < 0 || x >= float64(rs.rays) || y < 0 || y >= float64(rs.bins) || x != math.Trunc(x) || y != math.Trunc(y) {
		return fmt.Errorf("cell (%v, %v) outside %d rays of %d gates", x, y, rs.rays, rs.bins)
	}
	start := int(x)*rs.bins + int(y)
	if count < 1 || count > float64(len(grid)-start) || count != math.Trunc(count) {
		return fmt.Errorf("run of %v cells from (%v, %v) does not fit the grid", count, x, y)
	}
	for i := range int(count) {
		grid[start+i] = v
	}
	return nil
}

// pixels reads pixel_x, pixel_y and pixel_count (1 for every pixel when
// absent). open has checked that all share the data variable's dimension.
func (rs *radialSet) pixels() (xs, ys, counts []float64, err error) {
	read := func(name string) []float64 {
		v, ok := rs.f.Var(name)
		if !ok || err != nil {
			return nil
		}
		var vals []float64
		vals, err = rs.f.ReadFloat64(rs.r, v)
		return vals
	}
	xs, ys, counts = read("pixel_x"), read("pixel_y"), read("pixel_count")
	if err != nil {
		return nil, nil, nil, err
	}
	if counts == nil {
		if err := rs.f.Budget().ReserveN(int64(len(xs)), 8, "the pixel counts"); err != nil {
			return nil, nil, nil, err
		}
		counts = make([]float64, len(xs))
		for i := range counts {
			counts[i] = 1
		}
	}
	return xs, ys, counts, nil
}
