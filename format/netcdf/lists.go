package netcdf

import (
	"encoding/binary"
	"fmt"
	"math"
)

func (d *decoder) dims() ([]Dim, error) {
	n, err := d.list(tagDimension, "dimension", 8)
	if err != nil {
		return nil, err
	}
	var dims []Dim
	for i := range n {
		dim, err := d.dim()
		if err != nil {
			return nil, fmt.Errorf("dimension %d: %w", i, err)
		}
		if dim.Unlimited {
			for _, o := range dims {
				if o.Unlimited {
					return nil, fmt.Errorf("dimensions %q and %q are both unlimited", o.Name, dim.Name)
				}
			}
		}
		dims = append(dims, dim)
	}
	return dims, nil
}

func (d *decoder) dim() (Dim, error) {
	name, err := d.name()
	if err != nil {
		return Dim{}, err
	}
	n, err := d.nonNeg()
	if err != nil {
		return Dim{}, fmt.Errorf("%q: %w", name, err)
	}
	return Dim{Name: name, Len: n, Unlimited: n == 0}, nil
}

func (d *decoder) attrs() ([]Attr, error) {
	n, err := d.list(tagAttribute, "attribute", 12)
	if err != nil {
		return nil, err
	}
	var attrs []Attr
	for i := range n {
		a, err := d.attr()
		if err != nil {
			return nil, fmt.Errorf("attribute %d: %w", i, err)
		}
		attrs = append(attrs, a)
	}
	return attrs, nil
}

func (d *decoder) attr() (Attr, error) {
	name, err := d.name()
	if err != nil {
		return Attr{}, err
	}
	t, err := d.typ()
	if err != nil {
		return Attr{}, fmt.Errorf("%q: %w", name, err)
	}
	n, err := d.count(t.Size())
	if err != nil {
		return Attr{}, fmt.Errorf("%q: %w", name, err)
	}
	b, err := d.bytes(pad4(n * t.Size()))
	if err == nil {
		err = d.budget.Reserve(int64(len(b)), "netcdf: attribute values") // copied once
	}
	if err != nil {
		return Attr{}, fmt.Errorf("%q: %w", name, err)
	}
	return Attr{Name: name, Type: t, Value: attrValue(t, b[:n*t.Size()])}, nil
}

func (d *decoder) typ() (Type, error) {
	u, err := d.u32()
	if err != nil {
		return 0, err
	}
	t := Type(int32(u))
	if u > math.MaxInt32 || !t.validIn(d.version) {
		return 0, fmt.Errorf("type %d not valid in CDF-%d", u, d.version)
	}
	return t, nil
}

// attrValue converts big-endian attribute bytes to a Go value.
func attrValue(t Type, b []byte) any {
	switch t {
	case Byte:
		return values(b, 1, func(b []byte) int8 { return int8(b[0]) })
	case Char:
		return string(b)
	case Short:
		return values(b, 2, func(b []byte) int16 { return int16(binary.BigEndian.Uint16(b)) })
	case Int:
		return values(b, 4, func(b []byte) int32 { return int32(binary.BigEndian.Uint32(b)) })
	case Float:
		return values(b, 4, func(b []byte) float32 { return math.Float32frombits(binary.BigEndian.Uint32(b)) })
	case Double:
		return values(b, 8, func(b []byte) float64 { return math.Float64frombits(binary.BigEndian.Uint64(b)) })
	case UByte:
		return values(b, 1, func(b []byte) uint8 { return b[0] })
	case UShort:
		return values(b, 2, binary.BigEndian.Uint16)
	case UInt:
		return values(b, 4, binary.BigEndian.Uint32)
	case Int64:
		return values(b, 8, func(b []byte) int64 { return int64(binary.BigEndian.Uint64(b)) })
	case UInt64:
		return values(b, 8, binary.BigEndian.Uint64)
	}
	return nil
}

func values[T any](b []byte, size int, get func([]byte) T) []T {
	out := make([]T, len(b)/size)
	for i := range out {
		out[i] = get(b[i*size:])
	}
	return out
}

func (d *decoder) vars(dims []Dim) ([]Var, error) {
	n, err := d.list(tagVariable, "variable", 24)
	if err != nil {
		return nil, err
	}
	var vars []Var
	for i := range n {
		v, err := d.variable(dims)
		if err != nil {
			return nil, fmt.Errorf("variable %d: %w", i, err)
		}
		vars = append(vars, v)
	}
	return vars, nil
}

func (d *decoder) variable(dims []Dim) (Var, error) {
	name, err := d.name()
	if err != nil {
		return Var{}, err
	}
	v := Var{Name: name}
	if v.Dims, err = d.dimIDs(dims); err != nil {
		return Var{}, fmt.Errorf("%q: %w", name, err)
	}
	if v.Attrs, err = d.attrs(); err != nil {
		return Var{}, fmt.Errorf("%q: %w", name, err)
	}
	if v.Type, err = d.typ(); err != nil {
		return Var{}, fmt.Errorf("%q: %w", name, err)
	}
	// vsize is kept as stated; layout computes the size from the shape.
	if v.StatedVSize, err = d.nonNeg(); err != nil {
		return Var{}, fmt.Errorf("%q: %w", name, err)
	}
	if v.Begin, err = d.offset(); err != nil {
		return Var{}, fmt.Errorf("%q: %w", name, err)
	}
	return v, nil
}

func (d *decoder) dimIDs(dims []Dim) ([]int, error) {
	n, err := d.count(4)
	if err != nil {
		return nil, err
	}
	if n > MaxVarDims {
		return nil, fmt.Errorf("%d dimensions, more than %d", n, MaxVarDims)
	}
	if err := d.budget.ReserveN(n, 8, "netcdf: dimension ids"); err != nil {
		return nil, err
	}
	ids := make([]int, n)
	for i := range ids {
		id, err := d.nonNeg()
		if err != nil {
			return nil, err
		}
		if id >= int64(len(dims)) {
			return nil, fmt.Errorf("dimension id %d, but there are %d dimensions", id, len(dims))
		}
		if i > 0 && dims[id].Unlimited {
			return nil, fmt.Errorf("unlimited dimension %q is not the first", dims[id].Name)
		}
		ids[i] = int(id)
	}
	return ids, nil
}
