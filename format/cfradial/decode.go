package cfradial

import (
	"fmt"
	"io"
	"math"

	"github.com/bmkg/mkggraph/format/radar"
)

// Field is one moment of one sweep, decoded.
type Field = radar.Field

// Decode reads one moment of one sweep from the file v was parsed from:
// only that sweep's rays, kept at their stored width until each becomes
// a float32 pixel. _FillValue and missing_value mark missing gates;
// scale_factor and add_offset are applied to the rest. Elevation is the
// sweep's fixed angle.
func (v *Volume) Decode(r io.ReaderAt, size int64, sweep int, moment string) (*Field, error) {
	if sweep < 0 || sweep >= len(v.Sweeps) {
		return nil, fmt.Errorf("cfradial: no sweep %d of %d", sweep, len(v.Sweeps))
	}
	s := v.Sweeps[sweep]
	m, ok := s.moment(moment)
	if !ok {
		return nil, fmt.Errorf("cfradial: sweep %d has no moment %q", sweep, moment)
	}
	f, err := open(r, size)
	if err != nil {
		return nil, err
	}
	az, err := f.rows("azimuth", s.firstRay, s.Rays)
	if err != nil {
		return nil, err
	}
	g := grid{rays: s.Rays, bins: s.Bins, first: s.firstRay}
	if s.ragged != nil {
		g.ragged = s.ragged
		g.from, g.to = s.ragged.span(s.firstRay, s.Rays)
	} else {
		g.from, g.to = s.firstRay, s.firstRay+s.Rays
	}
	raw, err := f.values(m.Name, g.from, g.to-g.from)
	if err != nil {
		return nil, err
	}
	values, err := f.unpack(raw, g, f.varAttrs(m.Name))
	if err != nil {
		return nil, err
	}
	return &Field{
		Azimuths: az, Elevation: s.FixedAngle, RangeStartM: s.RangeStartM, GateWidthM: s.RangeResolutionM,
		Rays: s.Rays, Bins: s.Bins, Units: m.Units, Values: values,
	}, nil
}

func (s Sweep) moment(name string) (Moment, bool) {
	for _, m := range s.Moments {
		if m.Name == name {
			return m, true
		}
	}
	return Moment{}, false
}

// grid is where a sweep's gates are in a moment's rows [from, to): rows
// are rays of bins gates each, or for ragged rays points, each ray's
// gates starting at its start index.
type grid struct {
	rays, bins, first int
	from, to          int
	ragged            *ragged
}

// at is the index in the rows read of gate k of ray i (of the sweep), and
// whether the ray has that gate.
func (g grid) at(i, k int) (int, bool) {
	if g.ragged == nil {
		return i*g.bins + k, true
	}
	return g.ragged.start[g.first+i] - g.from + k, k < g.ragged.n[g.first+i]
}

// unpack applies the CF packing attributes, gate by gate, straight from
// the stored values to float32. The fill and missing values are compared
// before scaling, as they are stated in the stored type; both went
// through the same float32 narrowing as the data.
func (f *file) unpack(raw column, g grid, attrs map[string]any) ([]float32, error) {
	if err := f.budget.ReserveN(int64(g.rays)*int64(g.bins), 4, "cfradial: decoded sweep"); err != nil {
		return nil, err
	}
	scale, ok := firstFloat(attrs["scale_factor"])
	if !ok {
		scale = 1
	}
	offset, _ := firstFloat(attrs["add_offset"])
	var missing []float64
	for _, k := range []string{"_FillValue", "missing_value"} {
		if x, ok := firstFloat(attrs[k]); ok {
			missing = append(missing, narrow(x), x)
		}
	}
	out := make([]float32, g.rays*g.bins)
	for i := range g.rays {
		for k := range g.bins {
			j, ok := g.at(i, k)
			if !ok {
				out[i*g.bins+k] = float32(math.NaN())
				continue
			}
			if j >= raw.Len() {
				return nil, fmt.Errorf("cfradial: ray %d runs past its moment's points", g.first+i)
			}
			out[i*g.bins+k] = gate(raw, j, scale, offset, missing)
		}
	}
	return out, nil
}

func gate(raw column, j int, scale, offset float64, missing []float64) float32 {
	x := raw.Float64(j)
	if raw.float32 {
		x = narrow(x)
	}
	for _, m := range missing {
		if x == m {
			return float32(math.NaN())
		}
	}
	return float32(x*scale + offset)
}
