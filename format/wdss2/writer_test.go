package wdss2

import (
	"encoding/binary"
	"math"

	"github.com/bmkg/mkggraph/format/netcdf"
)

// A minimal CDF-1 writer for building radial sets in tests: fixed-size
// variables only, attributes of text, int or double.

type dim struct {
	name string
	len  int
}

type attr struct {
	name  string
	value any // string, int32 or float64
}

type variable struct {
	name  string
	dims  []int
	typ   netcdf.Type // Short, Int or Float
	attrs []attr
	data  []float64
}

type cdf struct {
	dims  []dim
	attrs []attr
	vars  []variable
}

type buf []byte

func (b *buf) u32(v uint32) { *b = binary.BigEndian.AppendUint32(*b, v) }

func (b *buf) name(s string) {
	b.u32(uint32(len(s)))
	*b = append(*b, s...)
	b.pad()
}

func (b *buf) pad() {
	for len(*b)%4 != 0 {
		*b = append(*b, 0)
	}
}

func (b *buf) list(tag uint32, n int) {
	if n == 0 {
		tag = 0
	}
	b.u32(tag)
	b.u32(uint32(n))
}

func (b *buf) attrs(attrs []attr) {
	b.list(0x0C, len(attrs))
	for _, a := range attrs {
		b.name(a.name)
		switch v := a.value.(type) {
		case string:
			b.u32(uint32(netcdf.Char))
			b.u32(uint32(len(v)))
			*b = append(*b, v...)
			b.pad()
		case int32:
			b.u32(uint32(netcdf.Int))
			b.u32(1)
			b.u32(uint32(v))
		case float64:
			b.u32(uint32(netcdf.Double))
			b.u32(1)
			*b = binary.BigEndian.AppendUint64(*b, math.Float64bits(v))
		}
	}
}

func (c *cdf) header(begins []int) buf {
	b := buf("CDF\x01")
	b.u32(0)
	b.list(0x0A, len(c.dims))
	for _, d := range c.dims {
		b.name(d.name)
		b.u32(uint32(d.len))
	}
	b.attrs(c.attrs)
	b.list(0x0B, len(c.vars))
	for i, v := range c.vars {
		b.name(v.name)
		b.u32(uint32(len(v.dims)))
		for _, d := range v.dims {
			b.u32(uint32(d))
		}
		b.attrs(v.attrs)
		b.u32(uint32(v.typ))
		b.u32(uint32(c.size(v)))
		b.u32(uint32(begins[i]))
	}
	return b
}

func (c *cdf) size(v variable) int {
	n := int(v.typ.Size())
	for _, d := range v.dims {
		n *= c.dims[d].len
	}
	return (n + 3) &^ 3
}

func (c *cdf) bytes() []byte {
	begins := make([]int, len(c.vars))
	off := len(c.header(begins))
	for i, v := range c.vars {
		begins[i] = off
		off += c.size(v)
	}
	b := c.header(begins)
	for _, v := range c.vars {
		for _, x := range v.data {
			switch v.typ {
			case netcdf.Short:
				b = binary.BigEndian.AppendUint16(b, uint16(int16(x)))
			case netcdf.Int:
				b.u32(uint32(int32(x)))
			case netcdf.Float:
				b.u32(math.Float32bits(float32(x)))
			}
		}
		b.pad()
	}
	return b
}
