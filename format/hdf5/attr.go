package hdf5

import (
	"errors"
	"fmt"
	"sort"

	"github.com/bmkg/mkggraph/format/budget"
)

// Attr is an attribute. Value is a string for one string element, a
// []string for several, an []int64 for integers (a []uint64 for unsigned
// 64-bit ones), a []float64 for floating point, or an Unsupported naming
// what could not be decoded, so one odd attribute (netCDF-4's
// DIMENSION_LIST of object references, say) does not hide the others.
type Attr struct {
	Name  string
	Value any
}

// AttrMap returns attrs by name: how a reader looks one up.
func AttrMap(attrs []Attr) map[string]any {
	m := make(map[string]any, len(attrs))
	for _, a := range attrs {
		m[a.Name] = a.Value
	}
	return m
}

// Unsupported stands in for an attribute value of a type this package
// does not decode.
type Unsupported struct{ Reason string }

func (u Unsupported) String() string { return "unsupported: " + u.Reason }

// maxAttrs bounds the attributes read from one object.
const maxAttrs = 1 << 16

// attrs gathers compact attribute messages and dense attributes, in
// creation order when the file tracks it.
func (f *File) attrs(o *object) ([]Attr, error) {
	type ordered struct {
		a     Attr
		order int64
	}
	var list []ordered
	for _, m := range o.msgs {
		if m.typ == msgAttribute {
			a, err := f.parseAttr(m.data, m.flags)
			if err != nil {
				return nil, err
			}
			order := m.order
			if order < 0 {
				order = int64(len(list)) // untracked: keep header order
			}
			list = append(list, ordered{a, order})
		}
	}
	if m := o.find(msgAttrInfo); m != nil {
		err := f.denseAttrs(m.data, func(a Attr, order int64) error {
			if len(list) >= maxAttrs {
				return fmt.Errorf("hdf5: more than %d attributes", maxAttrs)
			}
			list = append(list, ordered{a, order})
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	sort.SliceStable(list, func(i, j int) bool { return list[i].order < list[j].order })
	out := make([]Attr, len(list))
	for i, l := range list {
		out[i] = l.a
	}
	return out, nil
}

// denseAttrs walks the name index of attributes kept in a fractal heap.
// Its records carry the creation order, so no second index is needed.
func (f *File) denseAttrs(b []byte, add func(Attr, int64) error) error {
	c := f.cursor(b)
	c.skip(1) // version
	if flags := c.u8(); flags&1 != 0 {
		c.skip(2) // maximum creation index
	}
	heapAddr, nameIndex := c.addr(), c.addr()
	if c.err != nil {
		return fmt.Errorf("hdf5: bad attribute info message: %w", c.err)
	}
	if heapAddr == undef {
		return nil
	}
	h, err := f.openHeap(heapAddr)
	if err != nil {
		return err
	}
	return f.walkBTree2(nameIndex, 8, func(rec []byte) error {
		if len(rec) < 8+1+4 {
			return errShort
		}
		obj, err := h.get(rec[:8])
		if err != nil {
			return err
		}
		a, err := f.parseAttr(obj, rec[8])
		if err != nil {
			return err
		}
		order := int64(uint32(rec[9]) | uint32(rec[10])<<8 | uint32(rec[11])<<16 | uint32(rec[12])<<24)
		return add(a, order)
	})
}

// parseAttr decodes an attribute message (versions 1 to 3).
func (f *File) parseAttr(b []byte, msgFlags uint8) (Attr, error) {
	c := f.cursor(b)
	version, flags := c.u8(), c.u8()
	nameLen, typeLen, spaceLen := int(c.u16()), int(c.u16()), int(c.u16())
	pad := func(n int) int { return n }
	switch version {
	case 1:
		pad = func(n int) int { return (n + 7) &^ 7 }
	case 2:
	case 3:
		c.skip(1) // name character set
	default:
		return Attr{}, fmt.Errorf("hdf5: attribute message version %d not supported", version)
	}
	name := c.take(pad(nameLen))
	typ, space := c.take(pad(typeLen)), c.take(pad(spaceLen))
	if c.err != nil || nameLen == 0 {
		return Attr{}, fmt.Errorf("hdf5: bad attribute message: truncated")
	}
	a := Attr{Name: trimNUL(name[:nameLen])}
	if flags&3 != 0 || msgFlags&2 != 0 {
		a.Value = Unsupported{"shared datatype or dataspace"}
		return a, nil
	}
	var err error
	a.Value, err = f.attrValue(typ, space, b[c.off:])
	return a, err
}

func trimNUL(b []byte) string {
	for i, ch := range b {
		if ch == 0 {
			return string(b[:i])
		}
	}
	return string(b)
}

// attrValue decodes the data of an attribute, or says why it cannot. The
// only error is the budget's: values are widened to 8 bytes each.
func (f *File) attrValue(typ, space, data []byte) (any, error) {
	t, err := parseDatatype(typ)
	if err != nil {
		return Unsupported{err.Error()}, nil
	}
	s, err := f.parseDataspace(space)
	if err != nil {
		return Unsupported{err.Error()}, nil
	}
	if s.count*int64(t.size) > int64(len(data)) {
		return Unsupported{fmt.Sprintf("%d elements of %d bytes in %d bytes of data", s.count, t.size, len(data))}, nil
	}
	n := int(s.count)
	width := int64(8)
	if t.text() {
		width = stringHeader + int64(t.size)
	}
	if err := f.budget.ReserveN(int64(n), width, "hdf5: attribute values"); err != nil {
		return nil, err
	}
	switch {
	case t.class == classFixed:
		return integers(t, data, n), nil
	case t.class == classFloat:
		v, _ := t.float64s(data, n)
		return v, nil
	case t.text():
		v, err := f.strings(t, data, n)
		if errors.Is(err, budget.ErrTooLarge) {
			return nil, err
		}
		if err != nil {
			return Unsupported{err.Error()}, nil
		}
		if len(v) == 1 {
			return v[0], nil
		}
		return v, nil
	}
	return Unsupported{t.String() + " datatype"}, nil
}

func integers(t *datatype, data []byte, n int) any {
	if !t.signed && t.precision == 64 {
		out := make([]uint64, n)
		for i := range out {
			out[i] = t.uint(data[i*t.size:])
		}
		return out
	}
	out := make([]int64, n)
	for i := range out {
		if t.signed {
			out[i] = t.int(data[i*t.size:])
		} else {
			out[i] = int64(t.uint(data[i*t.size:]))
		}
	}
	return out
}

// strings decodes n string elements, fixed or variable length.
func (f *File) strings(t *datatype, data []byte, n int) ([]string, error) {
	if t.vlenString {
		return f.vlenStrings(data, n)
	}
	if len(data) < n*t.size {
		return nil, errShort
	}
	out := make([]string, n)
	for i := range out {
		out[i] = t.fixedString(data[i*t.size:])
	}
	return out, nil
}
