package hdf5

import (
	"fmt"
)

// Dataset is an HDF5 dataset: its type, shape, storage layout and filters,
// read from its object header when opened. Data is read on request.
type Dataset struct {
	f       *File
	obj     *object
	name    string
	dt      *datatype
	space   dataspace
	layout  layout
	filters []filter
	fill    []byte // one element, or nil for zeros
}

func (f *File) dataset(name string, o *object) (*Dataset, error) {
	d := &Dataset{f: f, obj: o, name: name}
	tm, sm, lm := o.find(msgDatatype), o.find(msgDataspace), o.find(msgLayout)
	if tm == nil || sm == nil || lm == nil {
		return nil, fmt.Errorf("hdf5: %q is not a dataset", name)
	}
	if tm.flags&2 != 0 {
		return nil, fmt.Errorf("hdf5: dataset %q: shared (committed) datatypes are not supported", name)
	}
	var err error
	if d.dt, err = parseDatatype(tm.data); err != nil {
		return nil, fmt.Errorf("dataset %q: %w", name, err)
	}
	if d.space, err = f.parseDataspace(sm.data); err != nil {
		return nil, fmt.Errorf("dataset %q: %w", name, err)
	}
	if d.layout, err = f.parseLayout(lm.data, len(d.space.dims)); err != nil {
		return nil, fmt.Errorf("dataset %q: %w", name, err)
	}
	if m := o.find(msgFilters); m != nil {
		if d.filters, err = parseFilters(m.data); err != nil {
			return nil, fmt.Errorf("dataset %q: %w", name, err)
		}
	}
	d.fill = d.fillValue()
	return d, nil
}

// Name is the dataset's link name.
func (d *Dataset) Name() string { return d.name }

// Dims is the dataset's current shape; empty for a scalar.
func (d *Dataset) Dims() []int64 { return append([]int64(nil), d.space.dims...) }

// Attrs reads the dataset's attributes.
func (d *Dataset) Attrs() ([]Attr, error) { return d.f.attrs(d.obj) }

// Kind names the element type: "integer", "float", "string", or the HDF5
// class of types this package does not read ("compound", "reference"...).
func (d *Dataset) Kind() string {
	switch {
	case d.dt.class == classFixed:
		return "integer"
	case d.dt.class == classFloat:
		return "float"
	case d.dt.text():
		return "string"
	}
	return d.dt.String()
}

// ReadFloat64 reads a numeric dataset, converting every element.
func (d *Dataset) ReadFloat64() ([]float64, error) {
	v, err := d.ReadValues()
	if err != nil {
		return nil, err
	}
	if err := d.f.budget.ReserveN(int64(v.n), 8, d.what()); err != nil {
		return nil, err
	}
	return d.dt.float64s(v.raw, v.n)
}

// Values are numeric elements kept as stored and converted one at a
// time, so that a caller that narrows them (to float32 pixels, say) never
// holds them widened to float64.
type Values struct {
	dt  *datatype
	raw []byte
	n   int
}

// Len is the number of elements.
func (v *Values) Len() int { return v.n }

// Float64 is element i.
func (v *Values) Float64(i int) float64 { return v.dt.float64(v.raw[i*v.dt.size:]) }

// ReadValues reads a numeric dataset whole.
func (d *Dataset) ReadValues() (*Values, error) { return d.values(d.all()) }

// ReadRows reads n rows of a numeric dataset from row first: along its
// first dimension, every element of the others. Only the chunks that hold
// them are decoded.
func (d *Dataset) ReadRows(first, n int64) (*Values, error) {
	if first < 0 || n < 0 || first > d.all().hi-n {
		return nil, fmt.Errorf("hdf5: dataset %q has %d rows, not %d from %d", d.name, d.all().hi, n, first)
	}
	return d.values(rows{first, first + n})
}

func (d *Dataset) values(w rows) (*Values, error) {
	if !d.dt.numeric() {
		return nil, fmt.Errorf("hdf5: dataset %q holds %s data, not numbers", d.name, d.dt)
	}
	raw, err := d.read(w)
	if err != nil {
		return nil, err
	}
	return &Values{dt: d.dt, raw: raw, n: len(raw) / d.dt.size}, nil
}

// ReadStrings reads a string dataset. Arrays of one-byte strings, which
// is how netCDF stores char variables, are joined along their last
// dimension, so a char(sweep, string_length) variable yields one string
// per sweep; strings end at their first NUL.
func (d *Dataset) ReadStrings() ([]string, error) {
	if !d.dt.text() {
		return nil, fmt.Errorf("hdf5: dataset %q holds %s data, not strings", d.name, d.dt)
	}
	raw, err := d.read(d.all())
	if err != nil {
		return nil, err
	}
	if d.dt.class == classString && d.dt.size == 1 && len(d.space.dims) > 0 {
		width := d.space.dims[len(d.space.dims)-1]
		if err := d.reserveStrings(int64(len(raw)), width); err != nil {
			return nil, err
		}
		return charRows(raw, width), nil
	}
	if !d.dt.vlenString {
		if err := d.reserveStrings(int64(len(raw)), int64(d.dt.size)); err != nil {
			return nil, err
		}
	}
	return d.f.strings(d.dt, raw, int(d.space.count))
}

// reserveStrings charges the budget for n bytes of text cut into strings
// of width bytes: the text and a string header each.
func (d *Dataset) reserveStrings(n, width int64) error {
	if width <= 0 {
		return nil
	}
	return d.f.budget.Reserve(n+n/width*stringHeader, d.what())
}

// stringHeader is the memory of a Go string besides its bytes.
const stringHeader = 16

// charRows splits a char array into rows of width bytes.
func charRows(raw []byte, width int64) []string {
	if width == 0 {
		return nil
	}
	var out []string
	if n := int64(len(raw)) / width; n > 0 {
		out = make([]string, 0, n)
	}
	for i := int64(0); i+width <= int64(len(raw)); i += width {
		out = append(out, trimNUL(raw[i:i+width]))
	}
	return out
}

// fillValue is the element unallocated storage reads as: the fill value
// message's, else the old-style fill value message's, else nil (zeros).
func (d *Dataset) fillValue() []byte {
	if m := d.obj.find(msgFill); m != nil {
		if v := parseFill(m.data); len(v) == d.dt.size {
			return v
		}
	}
	if m := d.obj.find(msgFillOld); m != nil && len(m.data) >= 4 {
		c := &cursor{b: m.data}
		if v := c.take(int(c.u32())); len(v) == d.dt.size {
			return v
		}
	}
	return nil
}

func parseFill(b []byte) []byte {
	c := &cursor{b: b}
	switch c.u8() {
	case 1, 2:
		c.skip(2) // allocation and write times
		if defined := c.u8(); defined == 0 && b[0] == 2 {
			return nil
		}
	case 3:
		if c.u8()&0x20 == 0 {
			return nil
		}
	default:
		return nil
	}
	return c.take(int(c.u32()))
}

// Size is the size of one element in bytes (for strings, of one
// fixed-length string or of a variable-length string's heap reference).
func (d *Dataset) Size() int { return d.dt.size }
