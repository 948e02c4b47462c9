package wdss2

import (
	"encoding/binary"
	"math"

	"github.com/bmkg/mkggraph/format/netcdf"
)

// A minimal CDF-1 writer for building radial sets in tests: attributes of
// text, int or double; a dimension of length 0 is the record dimension,
// of numRecs records, its variables interleaved record by record (each
// slice padded, so there must be more than one record variable).

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
	numRecs int
	dims    []dim
	attrs   []attr
	vars    []variable
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
	b.u32(uint32(c.numRecs))
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

// size is the padded bytes of v, or of one record of it.
func (c *cdf) size(v variable) int {
	return (c.count(v)*int(v.typ.Size()) + 3) &^ 3
}

// count is the number of values of v, or of one record of it.
func (c *cdf) count(v variable) int {
	n := 1
	for _, d := range v.dims {
		if c.dims[d].len > 0 {
			n *= c.dims[d].len
		}
	}
	return n
}

func (c *cdf) record(v variable) bool {
	return len(v.dims) > 0 && c.dims[v.dims[0]].len == 0
}

func (c *cdf) bytes() []byte {
	begins := make([]int, len(c.vars))
	off := len(c.header(begins))
	var recVars []variable
	for i, v := range c.vars {
		if !c.record(v) {
			begins[i] = off
			off += c.size(v)
		}
	}
	for i, v := range c.vars {
		if c.record(v) {
			begins[i] = off
			off += c.size(v)
			recVars = append(recVars, v)
		}
	}
	b := c.header(begins)
	for _, v := range c.vars {
		if !c.record(v) {
			b.values(v.typ, v.data)
		}
	}
	for r := range c.numRecs {
		for _, v := range recVars {
			n := c.count(v)
			b.values(v.typ, v.data[r*n:(r+1)*n])
		}
	}
	return b
}

func (b *buf) values(typ netcdf.Type, data []float64) {
	for _, x := range data {
		switch typ {
		case netcdf.Short:
			*b = binary.BigEndian.AppendUint16(*b, uint16(int16(x)))
		case netcdf.Int:
			b.u32(uint32(int32(x)))
		case netcdf.Float:
			b.u32(math.Float32bits(float32(x)))
		}
	}
	b.pad()
}
