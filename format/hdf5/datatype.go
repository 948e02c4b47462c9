package hdf5

import (
	"encoding/binary"
	"fmt"
	"math"
)

// Datatype classes of the datatype message.
const (
	classFixed    = 0
	classFloat    = 1
	classString   = 3
	classCompound = 6
	classRef      = 7
	classEnum     = 8
	classVlen     = 9
	classArray    = 10
)

var classNames = [...]string{"fixed-point", "floating-point", "time", "string", "bitfield", "opaque",
	"compound", "reference", "enumerated", "variable-length", "array"}

// datatype is a parsed datatype message, for the classes this package
// can decode; others keep only their class so that they can be named in
// an error.
type datatype struct {
	class     uint8
	size      int
	bigEndian bool
	signed    bool
	bitOff    int
	precision int
	// floating point
	signLoc, expLoc, expSize, manLoc, manSize, norm int
	bias                                            int64
	// strings: padding 0 NUL-terminated, 1 NUL-padded, 2 space-padded
	pad        uint8
	vlenString bool
}

func (t *datatype) String() string {
	if int(t.class) < len(classNames) {
		return classNames[t.class]
	}
	return fmt.Sprintf("class %d", t.class)
}

// numeric is whether elements convert to numbers.
func (t *datatype) numeric() bool { return t.class == classFixed || t.class == classFloat }

// text is whether elements are strings (fixed or variable length).
func (t *datatype) text() bool { return t.class == classString || t.vlenString }

func parseDatatype(b []byte) (*datatype, error) {
	c := &cursor{b: b}
	head := c.u32()
	t := &datatype{class: uint8(head & 0x0f), size: int(c.u32())}
	if c.err != nil {
		return nil, fmt.Errorf("hdf5: bad datatype message: %w", c.err)
	}
	bits := head >> 8
	if t.size <= 0 || t.size > 1<<16 {
		return nil, fmt.Errorf("hdf5: datatype of %d bytes", t.size)
	}
	switch t.class {
	case classFixed:
		t.bigEndian, t.signed = bits&1 != 0, bits&8 != 0
		t.bitOff, t.precision = int(c.u16()), int(c.u16())
	case classFloat:
		err := t.parseFloat(c, bits)
		if err != nil {
			return nil, err
		}
	case classString:
		t.pad = uint8(bits & 0x0f)
	case classVlen:
		t.vlenString = bits&0x0f == 1
		t.pad = uint8(bits >> 4 & 0x0f)
	}
	if c.err != nil {
		return nil, fmt.Errorf("hdf5: bad %s datatype: %w", t, c.err)
	}
	return t, t.check()
}

func (t *datatype) parseFloat(c *cursor, bits uint32) error {
	if bits&0x40 != 0 {
		return fmt.Errorf("hdf5: VAX byte order floats are not supported")
	}
	t.bigEndian = bits&1 != 0
	t.norm = int(bits >> 4 & 3)
	t.signLoc = int(bits >> 8 & 0xff)
	t.bitOff, t.precision = int(c.u16()), int(c.u16())
	t.expLoc, t.expSize = int(c.u8()), int(c.u8())
	t.manLoc, t.manSize = int(c.u8()), int(c.u8())
	t.bias = int64(c.u32())
	return nil
}

// check refuses numeric layouts this package would decode wrongly.
func (t *datatype) check() error {
	if !t.numeric() {
		return nil
	}
	if t.size > 8 {
		return fmt.Errorf("hdf5: %d-byte %s numbers are not supported", t.size, t)
	}
	width := 8 * t.size
	if t.precision <= 0 || t.bitOff+t.precision > width {
		return fmt.Errorf("hdf5: %s type with precision %d at bit %d in %d bytes", t, t.precision, t.bitOff, t.size)
	}
	if t.class == classFloat {
		if t.expSize <= 0 || t.expSize > 16 || t.manSize <= 0 || t.manSize > 63 ||
			t.expLoc+t.expSize > width || t.manLoc+t.manSize > width || t.signLoc >= width {
			return fmt.Errorf("hdf5: floating-point layout not supported")
		}
		if t.norm != 2 {
			return fmt.Errorf("hdf5: floating-point without an implied mantissa bit is not supported")
		}
	}
	return nil
}

// raw reads the element at b as an unsigned integer in file byte order.
func (t *datatype) raw(b []byte) uint64 {
	var v [8]byte
	if t.bigEndian {
		copy(v[8-t.size:], b[:t.size])
		return binary.BigEndian.Uint64(v[:])
	}
	copy(v[:], b[:t.size])
	return binary.LittleEndian.Uint64(v[:])
}

// float64s converts n numeric elements.
func (t *datatype) float64s(b []byte, n int) ([]float64, error) {
	if !t.numeric() {
		return nil, fmt.Errorf("hdf5: %s data is not numeric", t)
	}
	if len(b) < n*t.size {
		return nil, errShort
	}
	out := make([]float64, n)
	for i := range out {
		out[i] = t.float64(b[i*t.size:])
	}
	return out, nil
}

// float64 converts the numeric element at b.
func (t *datatype) float64(b []byte) float64 {
	switch {
	case t.class == classFloat:
		return t.float(b)
	case t.signed:
		return float64(t.int(b))
	}
	return float64(t.uint(b))
}

// uint decodes an unsigned fixed-point element.
func (t *datatype) uint(b []byte) uint64 {
	v := t.raw(b) >> t.bitOff
	if t.precision < 64 {
		v &= 1<<t.precision - 1
	}
	return v
}

// int decodes a signed fixed-point element, extending its sign bit.
func (t *datatype) int(b []byte) int64 {
	v := t.uint(b)
	shift := 64 - t.precision
	return int64(v<<shift) >> shift
}

// float decodes a floating-point element with an implied mantissa bit;
// IEEE single and double take the fast path, anything else (half
// precision, 1-byte minifloats) the general one.
func (t *datatype) float(b []byte) float64 {
	v := t.raw(b)
	switch {
	case t.size == 4 && t.ieee(23, 8, 127):
		return float64(math.Float32frombits(uint32(v)))
	case t.size == 8 && t.ieee(52, 11, 1023):
		return math.Float64frombits(v)
	}
	sign := v >> t.signLoc & 1
	exp := int64(v >> t.expLoc & (1<<t.expSize - 1))
	man := float64(v>>t.manLoc&(1<<t.manSize-1)) / math.Exp2(float64(t.manSize))
	var f float64
	switch {
	case exp == 1<<t.expSize-1:
		f = math.Inf(1)
		if man != 0 {
			f = math.NaN()
		}
	case exp == 0:
		f = math.Ldexp(man, int(1-t.bias))
	default:
		f = math.Ldexp(1+man, int(exp-t.bias))
	}
	if sign == 1 {
		f = -f
	}
	return f
}

func (t *datatype) ieee(manSize, expSize int, bias int64) bool {
	return t.norm == 2 && t.manLoc == 0 && t.manSize == manSize && t.expLoc == manSize &&
		t.expSize == expSize && t.bias == bias && t.signLoc == 8*t.size-1 && t.bitOff == 0
}

// fixedString decodes one fixed-length string element by its padding.
func (t *datatype) fixedString(b []byte) string {
	b = b[:t.size]
	switch t.pad {
	case 0:
		for i, ch := range b {
			if ch == 0 {
				return string(b[:i])
			}
		}
	case 1:
		for len(b) > 0 && b[len(b)-1] == 0 {
			b = b[:len(b)-1]
		}
	case 2:
		for len(b) > 0 && b[len(b)-1] == ' ' {
			b = b[:len(b)-1]
		}
	}
	return string(b)
}

// dataspace is the shape of a dataset or attribute. A scalar has no
// dimensions and one element; a null dataspace has none.
type dataspace struct {
	dims  []int64
	count int64
	// max holds the maximum dimensions when the file gives them, with
	// unlimited for H5S_UNLIMITED; chunk indexes number chunks by them.
	max []int64
}

// unlimited marks an unlimited maximum dimension.
const unlimited = -1

// maxElements bounds the number of elements any dataspace may describe.
const maxElements = 1 << 40

func (f *File) parseDataspace(b []byte) (dataspace, error) {
	c := f.cursor(b)
	version, rank, flags := c.u8(), int(c.u8()), c.u8()
	kind := uint8(1)
	switch version {
	case 1:
		c.skip(5)
		if rank == 0 {
			kind = 0
		}
	case 2:
		kind = c.u8()
	default:
		return dataspace{}, fmt.Errorf("hdf5: dataspace version %d not supported", version)
	}
	if rank > 32 {
		return dataspace{}, fmt.Errorf("hdf5: dataspace of rank %d", rank)
	}
	s := dataspace{count: 1}
	for range rank {
		d := c.length()
		if d > maxElements {
			return dataspace{}, fmt.Errorf("hdf5: dimension of %d elements", d)
		}
		s.dims = append(s.dims, int64(d))
		s.count *= int64(d)
		if s.count > maxElements {
			return dataspace{}, fmt.Errorf("hdf5: dataspace of more than %d elements", int64(maxElements))
		}
	}
	if flags&1 != 0 {
		for range rank {
			m := c.length()
			switch {
			case m == 1<<(8*uint(c.lenSize))-1 || m == ^uint64(0):
				s.max = append(s.max, unlimited)
			case m > maxElements:
				return dataspace{}, fmt.Errorf("hdf5: maximum dimension of %d elements", m)
			default:
				s.max = append(s.max, int64(m))
			}
		}
	}
	if c.err != nil {
		return dataspace{}, fmt.Errorf("hdf5: bad dataspace message: %w", c.err)
	}
	if kind == 2 {
		s.dims, s.count = nil, 0
	}
	return s, nil
}
