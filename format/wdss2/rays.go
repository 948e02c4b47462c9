package wdss2

import (
	"fmt"
	"strings"
)

// perRay reads a variable with one value per ray; ok is false when the
// file has no such variable.
func (rs *radialSet) perRay(name string) (values []float64, ok bool, err error) {
	v, ok := rs.f.Var(name)
	if !ok {
		return nil, false, nil
	}
	if len(v.Dims) != 1 || v.Dims[0] != rs.azDim {
		return nil, true, fmt.Errorf("%s is not a variable over Azimuth", name)
	}
	values, err = rs.f.ReadFloat64(rs.r, v)
	return values, true, err
}

func (rs *radialSet) azimuths() ([]float64, error) {
	az, ok, err := rs.perRay("Azimuth")
	if !ok && err == nil {
		err = fmt.Errorf("no Azimuth variable")
	}
	if err != nil {
		return nil, err
	}
	for i, a := range az {
		if !finite(a) || a < -360 || a > 720 {
			return nil, fmt.Errorf("ray %d: azimuth %v out of range", i, a)
		}
	}
	return az, nil
}

// gates returns the range to the first gate and the gate width, in metres.
// The width is the first ray's: Field has one width for the sweep, and
// writers repeat the same width on every ray.
func (rs *radialSet) gates() (start, width float64, err error) {
	if _, present := rs.f.Attr("RangeToFirstGate"); present {
		if start, err = rs.required("RangeToFirstGate"); err != nil {
			return 0, 0, err
		}
		switch units, _ := rs.text("RangeToFirstGateUnits"); strings.ToLower(units) {
		case "", "meters", "meter", "m":
		case "kilometers", "kilometer", "km":
			start *= 1000
		default:
			return 0, 0, fmt.Errorf("range to first gate in unknown units %q", units)
		}
	}
	widths, ok, err := rs.perRay("GateWidth")
	switch {
	case err != nil:
		return 0, 0, err
	case ok && len(widths) > 0:
		width = widths[0]
	default:
		if width, err = rs.required("GateWidth"); err != nil {
			return 0, 0, fmt.Errorf("no GateWidth variable or attribute")
		}
	}
	if !finite(width) || width <= 0 || width > 1e5 || !finite(start) || start < -1e5 || start > 1e7 {
		return 0, 0, fmt.Errorf("gate width %v m, range to first gate %v m: out of range", width, start)
	}
	return start, width, nil
}

// beamWidth is the per-ray beam width when every ray has the same one,
// else a beam width attribute, else nil. EDGE writes the measured width of
// each ray, which varies, so its files usually yield nil.
func (rs *radialSet) beamWidth() (*float64, error) {
	for _, name := range []string{"BeamWidth", "Beamwidth"} {
		widths, ok, err := rs.perRay(name)
		if err != nil {
			return nil, err
		}
		if ok && constant(widths) && plausibleBeam(widths[0]) {
			return &widths[0], nil
		}
	}
	for _, name := range []string{"BeamWidth", "Beamwidth", "BeamWidth-value"} {
		if w, ok := rs.number(name); ok && plausibleBeam(w) {
			return &w, nil
		}
	}
	return nil, nil
}

func constant(x []float64) bool {
	for _, v := range x {
		if v != x[0] {
			return false
		}
	}
	return len(x) > 0
}

func plausibleBeam(w float64) bool { return finite(w) && w > 0 && w <= 30 }
