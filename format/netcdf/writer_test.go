package netcdf

import (
	"encoding/binary"
	"math"
)

// This file writes classic netCDF the way the netCDF-C library lays it out,
// so tests can build files of every version and shape the reader must
// handle.

// tfile describes a file to write. numRecs < 0 writes the streaming marker.
type tfile struct {
	version int
	numRecs int64
	dims    []Dim // Len 0 is the unlimited dimension
	attrs   []Attr
	vars    []tvar
}

// tvar is a variable and its values, records one after another.
type tvar struct {
	name  string
	dims  []int
	attrs []Attr
	typ   Type
	data  []float64
}

type writer struct {
	version int
	b       []byte
}

func (w *writer) u32(v uint32) { w.b = binary.BigEndian.AppendUint32(w.b, v) }
func (w *writer) u64(v uint64) { w.b = binary.BigEndian.AppendUint64(w.b, v) }

func (w *writer) nonNeg(n int64) {
	if w.version == 5 {
		w.u64(uint64(n))
	} else {
		w.u32(uint32(n))
	}
}

func (w *writer) pad() {
	for len(w.b)%4 != 0 {
		w.b = append(w.b, 0)
	}
}

func (w *writer) name(s string) {
	w.nonNeg(int64(len(s)))
	w.b = append(w.b, s...)
	w.pad()
}

func (w *writer) list(tag uint32, n int) {
	if n == 0 {
		tag = 0
	}
	w.u32(tag)
	w.nonNeg(int64(n))
}

func (w *writer) attrs(attrs []Attr) {
	w.list(tagAttribute, len(attrs))
	for _, a := range attrs {
		w.name(a.Name)
		w.u32(uint32(a.Type))
		start := len(w.b)
		w.nonNeg(0)
		n := w.attrValue(a.Value)
		if w.version == 5 {
			binary.BigEndian.PutUint64(w.b[start:], uint64(n))
		} else {
			binary.BigEndian.PutUint32(w.b[start:], uint32(n))
		}
		w.pad()
	}
}

func (w *writer) attrValue(v any) int {
	be := binary.BigEndian
	switch x := v.(type) {
	case string:
		w.b = append(w.b, x...)
		return len(x)
	case []int8:
		for _, e := range x {
			w.b = append(w.b, byte(e))
		}
		return len(x)
	case []uint8:
		w.b = append(w.b, x...)
		return len(x)
	case []int16:
		return appendAll(w, x, func(b []byte, e int16) []byte { return be.AppendUint16(b, uint16(e)) })
	case []uint16:
		return appendAll(w, x, be.AppendUint16)
	case []int32:
		return appendAll(w, x, func(b []byte, e int32) []byte { return be.AppendUint32(b, uint32(e)) })
	case []uint32:
		return appendAll(w, x, be.AppendUint32)
	case []float32:
		return appendAll(w, x, func(b []byte, e float32) []byte { return be.AppendUint32(b, math.Float32bits(e)) })
	case []float64:
		return appendAll(w, x, func(b []byte, e float64) []byte { return be.AppendUint64(b, math.Float64bits(e)) })
	case []int64:
		return appendAll(w, x, func(b []byte, e int64) []byte { return be.AppendUint64(b, uint64(e)) })
	case []uint64:
		return appendAll(w, x, be.AppendUint64)
	}
	panic("unknown attribute value")
}

func appendAll[T any](w *writer, x []T, put func([]byte, T) []byte) int {
	for _, e := range x {
		w.b = put(w.b, e)
	}
	return len(x)
}

// encode appends one value as type t.
func encode(b []byte, t Type, v float64) []byte {
	be := binary.BigEndian
	switch t {
	case Byte, Char:
		return append(b, byte(int8(v)))
	case UByte:
		return append(b, byte(v))
	case Short:
		return be.AppendUint16(b, uint16(int16(v)))
	case UShort:
		return be.AppendUint16(b, uint16(v))
	case Int:
		return be.AppendUint32(b, uint32(int32(v)))
	case UInt:
		return be.AppendUint32(b, uint32(v))
	case Float:
		return be.AppendUint32(b, math.Float32bits(float32(v)))
	case Double:
		return be.AppendUint64(b, math.Float64bits(v))
	case Int64:
		return be.AppendUint64(b, uint64(int64(v)))
	case UInt64:
		return be.AppendUint64(b, uint64(v))
	}
	panic("unknown type")
}

// perRecord is the number of values of one record of v, or of all of a
// non-record variable.
func (tf *tfile) perRecord(v tvar) (n int64, record bool) {
	n = 1
	for i, d := range v.dims {
		if d >= len(tf.dims) {
			continue // a deliberately bad id
		}
		if i == 0 && tf.dims[d].Len == 0 {
			record = true
			continue
		}
		n *= tf.dims[d].Len
	}
	return n, record
}

func (tf *tfile) header(begins []int64) []byte {
	w := &writer{version: tf.version}
	w.b = append(w.b, 'C', 'D', 'F', byte(tf.version))
	if tf.numRecs < 0 {
		w.nonNeg(-1)
	} else {
		w.nonNeg(tf.numRecs)
	}
	w.list(tagDimension, len(tf.dims))
	for _, d := range tf.dims {
		w.name(d.Name)
		w.nonNeg(d.Len)
	}
	w.attrs(tf.attrs)
	w.list(tagVariable, len(tf.vars))
	for i, v := range tf.vars {
		w.name(v.name)
		w.nonNeg(int64(len(v.dims)))
		for _, d := range v.dims {
			w.nonNeg(int64(d))
		}
		w.attrs(v.attrs)
		w.u32(uint32(v.typ))
		n, _ := tf.perRecord(v)
		w.nonNeg(pad4(n * v.typ.Size()))
		if tf.version == 1 {
			w.u32(uint32(begins[i]))
		} else {
			w.u64(uint64(begins[i]))
		}
	}
	return w.b
}

// bytes lays out the file: header, non-record variables in order, then
// the records, each holding every record variable's slice padded to 4
// unless there is just one record variable.
func (tf *tfile) bytes() []byte {
	begins := make([]int64, len(tf.vars))
	off := int64(len(tf.header(begins)))
	var recVars []int
	for i, v := range tf.vars {
		n, record := tf.perRecord(v)
		if record {
			recVars = append(recVars, i)
			continue
		}
		begins[i] = off
		off += pad4(n * v.typ.Size())
	}
	for _, i := range recVars {
		begins[i] = off
		n, _ := tf.perRecord(tf.vars[i])
		off += pad4(n * tf.vars[i].typ.Size())
	}
	out := tf.header(begins)
	for _, v := range tf.vars {
		if _, record := tf.perRecord(v); !record {
			out = appendData(out, v.typ, v.data, true)
		}
	}
	records := max(tf.numRecs, 0)
	if tf.numRecs < 0 && len(recVars) > 0 {
		n, _ := tf.perRecord(tf.vars[recVars[0]])
		records = int64(len(tf.vars[recVars[0]].data)) / n
	}
	for r := range records {
		for _, i := range recVars {
			v := tf.vars[i]
			n, _ := tf.perRecord(v)
			out = appendData(out, v.typ, v.data[r*n:(r+1)*n], len(recVars) > 1)
		}
	}
	return out
}

func appendData(b []byte, t Type, data []float64, pad bool) []byte {
	for _, v := range data {
		b = encode(b, t, v)
	}
	for pad && len(b)%4 != 0 {
		b = append(b, 0)
	}
	return b
}
