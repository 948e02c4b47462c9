package netcdf

import (
	"bytes"
	"errors"
	"strconv"
	"strings"

	"github.com/bmkg/mkggraph/format/budget"
)

// Limits on what Open accepts. They are far above what real files use and
// keep a hostile header from costing more than a few tens of megabytes.
const (
	MaxHeaderSize = 16 << 20 // bytes of header read before giving up
	MaxNameLen    = 256      // NC_MAX_NAME of the netCDF-C library
	MaxVarDims    = 1024     // NC_MAX_VAR_DIMS of the netCDF-C library
	MaxReadValues = 1 << 26  // values ReadFloat64 returns at most
)

// MemoryFactor sets the memory budget of an open file (see format/budget):
// its header and everything read from it may take at most MemoryFactor
// times the file's size plus budget.Base. Data lies in the file, so
// reading all of it as float64 costs at most 8 times its size (bytes);
// reading every variable of the real sample charges 3 times.
const MemoryFactor = 16

var (
	// ErrNotNetCDF is returned when the input does not start with a
	// classic netCDF signature.
	ErrNotNetCDF = errors.New("netcdf: not a classic netCDF file (no CDF\\x01, CDF\\x02 or CDF\\x05 signature)")
	// ErrHDF5 is returned for netCDF-4 files, which are HDF5 files.
	ErrHDF5 = errors.New("netcdf: netCDF-4/HDF5 file; only classic netCDF (CDF-1, CDF-2, CDF-5) is supported")
)

// File is the header of a classic netCDF file.
type File struct {
	Version int   // 1 (classic), 2 (64-bit offset) or 5 (64-bit data)
	NumRecs int64 // records of the unlimited dimension; computed from the size when the header says "streaming"
	Dims    []Dim
	Attrs   []Attr // global attributes
	Vars    []Var

	recSize int64 // bytes from one record to the next
	budget  *budget.Budget
}

// Budget is the file's memory budget, which Open and every read charge;
// callers charge it too for what they derive from the data.
func (f *File) Budget() *budget.Budget { return f.budget }

// Dim is a named dimension. The unlimited (record) dimension has Len equal
// to NumRecs.
type Dim struct {
	Name      string
	Len       int64
	Unlimited bool
}

// Attr is a named attribute. Value holds a string for Char and otherwise a
// slice of the type's Go equivalent: []int8, []int16, []int32, []float32,
// []float64, []uint8, []uint16, []uint32, []int64 or []uint64.
type Attr struct {
	Name  string
	Type  Type
	Value any
}

// Var describes a variable and where its data lies.
type Var struct {
	Name  string
	Dims  []int // indices into File.Dims; a record variable's first dimension is the unlimited one
	Attrs []Attr
	Type  Type
	VSize int64 // bytes of the variable (of one record for a record variable), padded to 4, computed from the shape
	Begin int64 // offset of the data (of the first record for a record variable)
	// StatedVSize is the vsize the header states (see StatedVSizeAgrees);
	// VSize is what the type and shape give, and what is used.
	StatedVSize int64

	record   bool
	dataSize int64 // VSize without padding
}

// Detect reports whether b starts with a classic netCDF signature, and which.
func Detect(b []byte) (version int, ok bool) {
	if len(b) < 4 || string(b[:3]) != "CDF" {
		return 0, false
	}
	switch b[3] {
	case 1, 2, 5:
		return int(b[3]), true
	}
	return 0, false
}

var hdf5Signature = []byte("\x89HDF\r\n\x1a\n")

// IsHDF5 reports whether b, the start of a file, holds an HDF5 signature.
// HDF5 allows a user block before the superblock, so the signature may sit
// at 0, 512, 1024, 2048 and so on.
func IsHDF5(b []byte) bool {
	for off := 0; off+len(hdf5Signature) <= len(b); off = nextHDF5Offset(off) {
		if bytes.Equal(b[off:off+len(hdf5Signature)], hdf5Signature) {
			return true
		}
	}
	return false
}

func nextHDF5Offset(off int) int {
	if off == 0 {
		return 512
	}
	return off * 2
}

// Var returns the variable with the given name.
func (f *File) Var(name string) (*Var, bool) {
	for i := range f.Vars {
		if f.Vars[i].Name == name {
			return &f.Vars[i], true
		}
	}
	return nil, false
}

// Attr returns the global attribute with the given name.
func (f *File) Attr(name string) (Attr, bool) {
	return findAttr(f.Attrs, name)
}

// Attr returns the variable's attribute with the given name.
func (v *Var) Attr(name string) (Attr, bool) {
	return findAttr(v.Attrs, name)
}

// Dim returns the dimension with the given name.
func (f *File) Dim(name string) (Dim, bool) {
	for _, d := range f.Dims {
		if d.Name == name {
			return d, true
		}
	}
	return Dim{}, false
}

// Shape returns the length of each of v's dimensions, the record dimension
// counting NumRecs.
func (f *File) Shape(v *Var) []int64 {
	shape := make([]int64, len(v.Dims))
	for i, d := range v.Dims {
		if d >= 0 && d < len(f.Dims) {
			shape[i] = f.Dims[d].Len
		}
	}
	return shape
}

func findAttr(attrs []Attr, name string) (Attr, bool) {
	for _, a := range attrs {
		if a.Name == name {
			return a, true
		}
	}
	return Attr{}, false
}

// String returns the text of a Char attribute. Writers commonly include the
// C string terminator, so trailing NULs are removed.
func (a Attr) String() (string, bool) {
	s, ok := a.Value.(string)
	if !ok {
		return "", false
	}
	return strings.TrimRight(s, "\x00"), true
}

// Float64 returns the value of a numeric attribute holding exactly one
// value.
func (a Attr) Float64() (float64, bool) {
	var v []float64
	switch x := a.Value.(type) {
	case []int8:
		v = convert(x)
	case []int16:
		v = convert(x)
	case []int32:
		v = convert(x)
	case []float32:
		v = decimal32(x)
	case []float64:
		v = x
	case []uint8:
		v = convert(x)
	case []uint16:
		v = convert(x)
	case []uint32:
		v = convert(x)
	case []int64:
		v = convert(x)
	case []uint64:
		v = convert(x)
	}
	if len(v) != 1 {
		return 0, false
	}
	return v[0], true
}

// decimal32 widens float32 values to the float64 of their shortest decimal
// form: a writer that stored 14.142 as a float means 14.142, not the
// 14.142129898071289 a plain conversion gives.
func decimal32(x []float32) []float64 {
	out := make([]float64, len(x))
	for i, f := range x {
		out[i], _ = strconv.ParseFloat(strconv.FormatFloat(float64(f), 'g', -1, 32), 64)
	}
	return out
}

type number interface {
	~int8 | ~int16 | ~int32 | ~int64 | ~uint8 | ~uint16 | ~uint32 | ~uint64 | ~float32 | ~float64
}

func convert[T number](x []T) []float64 {
	out := make([]float64, len(x))
	for i, v := range x {
		out[i] = float64(v)
	}
	return out
}
