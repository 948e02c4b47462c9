package glm

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
	"unsafe"

	"github.com/bmkg/mkggraph/format/budget"
	"github.com/bmkg/mkggraph/format/hdf5"
	"github.com/bmkg/mkggraph/format/internal/cftime"
)

// variable is a numeric variable read and unpacked: NaN where the file
// says a value is missing.
type variable struct {
	name   string
	values []float64
	units  string
	budget *budget.Budget
}

// packing is how a variable's raw integers become values.
type packing struct {
	unsigned      bool
	bits          int
	scale, offset float64
	fill          float64 // raw, after unsigned conversion; NaN if none
	lo, hi        float64 // valid range of raw values
	float32       bool    // give values to float32 precision
}

// readVar reads and unpacks a variable. narrow rounds values to float32
// precision when the variable or its packing attributes are 4-byte
// floats; times are not rounded, as float32 would cost them milliseconds.
func (g granule) readVar(name string, narrow bool) (*variable, error) {
	ds, err := g.root.Dataset(name)
	if err != nil {
		if errors.Is(err, hdf5.ErrNotFound) {
			return nil, fmt.Errorf("glm: no variable %s", name)
		}
		return nil, fmt.Errorf("glm: variable %s: %w", name, err)
	}
	if d := ds.Dims(); len(d) > 1 || len(d) == 1 && d[0] > MaxFlashes {
		return nil, fmt.Errorf("glm: variable %s has shape %v, want at most %d values", name, d, MaxFlashes)
	}
	attrs, err := ds.Attrs()
	if err != nil {
		return nil, fmt.Errorf("glm: variable %s: attributes: %w", name, err)
	}
	a := hdf5.AttrMap(attrs)
	p, err := newPacking(ds, a)
	if err != nil {
		return nil, fmt.Errorf("glm: variable %s: %w", name, err)
	}
	raw, err := ds.ReadFloat64()
	if err != nil {
		return nil, fmt.Errorf("glm: variable %s: %w", name, err)
	}
	p.float32 = narrow && p.float32
	for i, x := range raw {
		raw[i] = p.unpack(x)
	}
	return &variable{name: name, values: raw, units: strings.TrimSpace(stringAttr(a, "units")), budget: g.budget}, nil
}

func newPacking(ds *hdf5.Dataset, a map[string]any) (packing, error) {
	p := packing{bits: 8 * ds.Size(), scale: 1, fill: math.NaN(), lo: math.Inf(-1), hi: math.Inf(1)}
	isInt := ds.Kind() == "integer"
	if !isInt && ds.Kind() != "float" {
		return p, fmt.Errorf("holds %s data, not numbers", ds.Kind())
	}
	p.float32 = !isInt && ds.Size() == 4
	p.unsigned = isInt && strings.EqualFold(strings.TrimSpace(stringAttr(a, "_Unsigned")), "true")
	if s, ok := floatAttr(a, "scale_factor"); ok {
		p.scale = s
		p.float32 = p.float32 || isFloat32(s)
	}
	if o, ok := floatAttr(a, "add_offset"); ok {
		p.offset = o
		p.float32 = p.float32 || isFloat32(o)
	}
	if math.IsNaN(p.scale) || math.IsInf(p.scale, 0) || math.IsNaN(p.offset) || math.IsInf(p.offset, 0) {
		return p, errors.New("scale_factor or add_offset is not finite")
	}
	if isFloat32(p.scale) && isFloat32(p.offset) {
		p.scale, p.offset = shortest(p.scale), shortest(p.offset)
	}
	if f, ok := floatAttr(a, "_FillValue"); ok {
		p.fill = p.raw(f)
	}
	if r, ok := a["valid_range"]; ok {
		if v := floats(r); len(v) == 2 {
			p.lo, p.hi = p.raw(v[0]), p.raw(v[1])
		}
	}
	if v, ok := floatAttr(a, "valid_min"); ok {
		p.lo = p.raw(v)
	}
	if v, ok := floatAttr(a, "valid_max"); ok {
		p.hi = p.raw(v)
	}
	return p, nil
}

// raw reads a stored value as the writer meant it: signed integers
// tagged _Unsigned are taken modulo 2^bits.
func (p packing) raw(x float64) float64 {
	if p.unsigned && x < 0 && p.bits > 0 && p.bits <= 64 {
		return x + math.Ldexp(1, p.bits)
	}
	return x
}

func (p packing) unpack(x float64) float64 {
	x = p.raw(x)
	if x == p.fill || x < p.lo || x > p.hi || math.IsNaN(x) {
		return math.NaN()
	}
	v := x*p.scale + p.offset
	if p.float32 {
		v = shortest(v)
	}
	return v
}

// isFloat32 reports whether x is exactly a float32, as a 4-byte float
// attribute read into a float64 is.
func isFloat32(x float64) bool { return float64(float32(x)) == x }

// shortest rounds x to float32 and gives it as the shortest decimal that
// reads back as the same float32 (1.52597e-15, not 1.5259700e-15 plus
// binary noise), which is what a writer of 4-byte floats meant.
func shortest(x float64) float64 {
	if math.IsNaN(x) || math.IsInf(x, 0) || math.Abs(x) > math.MaxFloat32 {
		return x
	}
	y, err := strconv.ParseFloat(strconv.FormatFloat(x, 'g', -1, 32), 64)
	if err != nil {
		return x
	}
	return y
}

// times reads the variable as times in the units it states, "<unit>
// since <epoch>", or as a bare unit ("seconds") counted from ref, the
// product's reference time, when ref is not zero; a missing value is the
// zero time. Times are rounded to the microsecond, below any GLM timing.
func (v *variable) times(ref time.Time) ([]time.Time, error) {
	unit, epoch, err := cftime.ParseUnits(v.units)
	if bare, ok := cftime.Unit(v.units); err != nil && ok && !ref.IsZero() {
		unit, epoch, err = bare, ref, nil
	}
	if err != nil {
		return nil, fmt.Errorf("glm: variable %s: %w", v.name, err)
	}
	if err := v.budget.ReserveN(int64(len(v.values)), int64(unsafe.Sizeof(time.Time{})), "glm: variable "+v.name); err != nil {
		return nil, err
	}
	out := make([]time.Time, len(v.values))
	for i, x := range v.values {
		us := x * unit.Seconds() * 1e6
		if math.IsNaN(us) || math.Abs(us) > maxOffsetUs {
			continue
		}
		out[i] = epoch.Add(time.Duration(math.Round(us)) * time.Microsecond)
	}
	return out, nil
}

// maxOffsetUs bounds an offset from a time unit's epoch: a century.
const maxOffsetUs = 100 * 366 * 86400 * 1e6

// parseTime reads an ISO 8601 time (see cftime.ParseTime).
func parseTime(s string) (time.Time, error) {
	t, err := cftime.ParseTime(s)
	if err != nil {
		return time.Time{}, fmt.Errorf("glm: %w", err)
	}
	return t, nil
}

func stringAttr(a map[string]any, name string) string {
	switch v := a[name].(type) {
	case string:
		return v
	case []string:
		if len(v) > 0 {
			return v[0]
		}
	}
	return ""
}

func floatAttr(a map[string]any, name string) (float64, bool) {
	v := floats(a[name])
	if len(v) == 0 {
		return 0, false
	}
	return v[0], true
}

// floats gives a numeric attribute value as float64s.
func floats(v any) []float64 {
	switch x := v.(type) {
	case []float64:
		return x
	case []int64:
		out := make([]float64, len(x))
		for i, n := range x {
			out[i] = float64(n)
		}
		return out
	case []uint64:
		out := make([]float64, len(x))
		for i, n := range x {
			out[i] = float64(n)
		}
		return out
	}
	return nil
}
