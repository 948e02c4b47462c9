package cfradial

import (
	"fmt"
	"io"
	"math"
)

// Field is one moment of one sweep, decoded: Values holds Rays×Bins
// values, ray by ray, NaN where the file marks a gate missing.
type Field struct {
	Azimuths                []float64
	Elevation               float64
	RangeStartM, GateWidthM float64
	Rays, Bins              int
	Values                  []float32
	Units                   string
}

// Decode reads one moment of one sweep from the file v was parsed from.
// _FillValue and missing_value mark missing gates; scale_factor and
// add_offset are applied to the rest. Elevation is the sweep's fixed angle.
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
	az, err := f.floats("azimuth")
	if err != nil {
		return nil, err
	}
	raw, err := f.floats(m.Name)
	if err != nil {
		return nil, err
	}
	lo, hi := s.firstRay, s.firstRay+s.Rays
	if hi > len(az) || s.ragged == nil && hi*s.Bins > len(raw) {
		return nil, fmt.Errorf("cfradial: file changed since it was parsed")
	}
	if s.ragged != nil {
		raw, err = s.ragged.gather(raw, lo, s.Rays, s.Bins)
	} else {
		raw = raw[lo*s.Bins : hi*s.Bins]
	}
	if err != nil {
		return nil, err
	}
	return &Field{
		Azimuths: az[lo:hi], Elevation: s.FixedAngle, RangeStartM: s.RangeStartM, GateWidthM: s.RangeResolutionM,
		Rays: s.Rays, Bins: s.Bins, Units: m.Units,
		Values: unpack(raw, f.varAttrs(m.Name)),
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

// unpack applies the CF packing attributes. The fill and missing values
// are compared before scaling, as they are stated in the stored type;
// both went through the same float32 narrowing as the data.
func unpack(raw []float64, attrs map[string]any) []float32 {
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
	out := make([]float32, len(raw))
	for i, x := range raw {
		out[i] = float32(x*scale + offset)
		for _, m := range missing {
			if x == m {
				out[i] = float32(math.NaN())
			}
		}
	}
	return out
}
