package cfradial

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/bmkg/mkggraph/format/budget"
	"github.com/bmkg/mkggraph/format/hdf5"
	"github.com/bmkg/mkggraph/format/internal/cftime"
)

// file is an open netCDF-4 file seen as netCDF: global attributes and
// variables by name, in file order.
type file struct {
	global map[string]any
	vars   map[string]*hdf5.Dataset
	bad    map[string]error // variables that could not be opened, and why
	order  []string
	budget *budget.Budget // the HDF5 file's, charged for what is derived from it
}

// dimensionOnly marks datasets that are netCDF dimensions, not variables.
const dimensionOnly = "This is a netCDF dimension but not a netCDF variable"

func newFile(h *hdf5.File) (*file, error) {
	root := h.Root()
	attrs, err := root.Attrs()
	if err != nil {
		return nil, fmt.Errorf("cfradial: global attributes: %w", err)
	}
	f := &file{global: hdf5.AttrMap(attrs), vars: map[string]*hdf5.Dataset{}, bad: map[string]error{}, budget: h.Budget()}
	names, err := root.Names()
	if err != nil {
		return nil, fmt.Errorf("cfradial: %w", err)
	}
	for _, n := range names {
		ds, err := root.Dataset(n)
		if err != nil {
			f.bad[n] = err // a group, or a type this reader refuses
			continue
		}
		if a, err := ds.Attrs(); err == nil {
			if s, _ := hdf5.AttrMap(a)["NAME"].(string); strings.HasPrefix(s, dimensionOnly) {
				continue
			}
		}
		f.vars[n] = ds
		f.order = append(f.order, n)
	}
	return f, nil
}

func (f *file) has(name string) bool { return f.vars[name] != nil }

func (f *file) dataset(name string) (*hdf5.Dataset, error) {
	if ds := f.vars[name]; ds != nil {
		return ds, nil
	}
	if err := f.bad[name]; err != nil {
		return nil, fmt.Errorf("cfradial: variable %s: %w", name, err)
	}
	return nil, fmt.Errorf("cfradial: no variable %s", name)
}

// floats reads a numeric variable. Values stored as 4-byte floats are
// given as the shortest decimal that round-trips in float32 (1.2, not
// 1.2000000476837158), which is what the writer meant.
func (f *file) floats(name string) ([]float64, error) {
	ds, err := f.dataset(name)
	if err != nil {
		return nil, err
	}
	v, err := ds.ReadFloat64()
	if err != nil {
		return nil, fmt.Errorf("cfradial: variable %s: %w", name, err)
	}
	if ds.Kind() == "float" && ds.Size() == 4 {
		for i, x := range v {
			v[i] = narrow(x)
		}
	}
	return v, nil
}

// rows reads n rows of a numeric one-dimensional variable from row
// first, as floats does.
func (f *file) rows(name string, first, n int) ([]float64, error) {
	c, err := f.values(name, first, n)
	if err != nil {
		return nil, err
	}
	if err := f.budget.ReserveN(int64(c.Len()), 8, "cfradial: variable "+name); err != nil {
		return nil, err
	}
	out := make([]float64, c.Len())
	for i := range out {
		out[i] = c.Float64(i)
		if c.float32 {
			out[i] = narrow(out[i])
		}
	}
	return out, nil
}

// column is rows of a numeric variable as stored, and whether they are
// 4-byte floats, which are read as their shortest decimal.
type column struct {
	*hdf5.Values
	float32 bool
}

func (f *file) values(name string, first, n int) (column, error) {
	ds, err := f.dataset(name)
	if err != nil {
		return column{}, err
	}
	v, err := ds.ReadRows(int64(first), int64(n))
	if err != nil {
		return column{}, fmt.Errorf("cfradial: variable %s: %w", name, err)
	}
	return column{v, ds.Kind() == "float" && ds.Size() == 4}, nil
}

func narrow(x float64) float64 {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return x
	}
	y, _ := strconv.ParseFloat(strconv.FormatFloat(x, 'g', -1, 32), 64)
	return y
}

// scalar is the first value of a numeric variable.
func (f *file) scalar(name string) (float64, error) {
	v, err := f.floats(name)
	if err != nil {
		return 0, err
	}
	if len(v) == 0 || math.IsNaN(v[0]) || math.IsInf(v[0], 0) {
		return 0, fmt.Errorf("cfradial: variable %s has no finite value", name)
	}
	return v[0], nil
}

func (f *file) strings(name string) ([]string, error) {
	ds, err := f.dataset(name)
	if err != nil {
		return nil, err
	}
	s, err := ds.ReadStrings()
	if err != nil {
		return nil, fmt.Errorf("cfradial: variable %s: %w", name, err)
	}
	for i := range s {
		s[i] = strings.TrimSpace(s[i])
	}
	return s, nil
}

// varAttrs are a variable's attributes; none if they cannot be read.
func (f *file) varAttrs(name string) map[string]any {
	ds := f.vars[name]
	if ds == nil {
		return nil
	}
	a, err := ds.Attrs()
	if err != nil {
		return nil
	}
	return hdf5.AttrMap(a)
}

func (f *file) globalString(name string) string {
	s, _ := f.global[name].(string)
	return strings.TrimSpace(s)
}

func (f *file) globalFloat(name string) (float64, bool) {
	return firstFloat(f.global[name])
}

// firstFloat is the first element of a numeric attribute value.
func firstFloat(v any) (float64, bool) {
	switch x := v.(type) {
	case []float64:
		if len(x) > 0 {
			return x[0], true
		}
	case []int64:
		if len(x) > 0 {
			return float64(x[0]), true
		}
	}
	return 0, false
}

// timeString reads a time stated as text, in a char variable (CfRadial's
// way) or a global attribute (how some writers do it).
func (f *file) timeString(name string) (time.Time, bool) {
	s := f.globalString(name)
	if f.has(name) {
		if v, err := f.strings(name); err == nil && len(v) > 0 {
			s = v[0]
		}
	}
	t, err := parseTime(s)
	return t, err == nil
}

// parseTime reads an ISO 8601 time; without a zone it is UTC, as
// CfRadial requires.
func parseTime(s string) (time.Time, error) {
	t, err := cftime.ParseTime(s)
	if err != nil {
		return time.Time{}, fmt.Errorf("cfradial: %w", err)
	}
	return t, nil
}

// rayTimes reads the time variable in the units it states.
func (f *file) rayTimes() ([]time.Time, error) {
	units, _ := f.varAttrs("time")["units"].(string)
	unit, ref, err := cftime.ParseUnits(units)
	if err != nil {
		return nil, fmt.Errorf("cfradial: %w", err)
	}
	secs, err := f.floats("time")
	if err != nil {
		return nil, err
	}
	if err := f.budget.ReserveN(int64(len(secs)), 24, "cfradial: ray times"); err != nil {
		return nil, err
	}
	rays := make([]time.Time, len(secs))
	for i, s := range secs {
		if math.IsNaN(s) || math.Abs(s*unit.Seconds()) > 1e9 {
			return nil, errors.New("cfradial: ray time out of range")
		}
		rays[i] = ref.Add(time.Duration(math.Round(s*unit.Seconds()*1000)) * time.Millisecond)
	}
	return rays, nil
}
