package netcdf

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
)

// chunkSize bounds the bytes read at once, so reading a variable costs its
// values and not also a copy of its bytes.
const chunkSize = 256 << 10

// ReadFloat64 reads the whole of v, which must come from f, converting
// every value to float64: all records of a record variable, in order. The
// values are raw: no fill value, scale_factor or add_offset is applied.
// Char variables are text and are refused, as are variables of more than
// MaxReadValues values.
func (f *File) ReadFloat64(r io.ReaderAt, v *Var) ([]float64, error) {
	if v.Type == Char || !v.Type.known() {
		return nil, fmt.Errorf("netcdf: variable %q is of type %v, not numeric", v.Name, v.Type)
	}
	size := v.Type.Size()
	records := int64(1)
	if v.record {
		records = f.NumRecs
	}
	perRecord := v.dataSize / size
	if records > 0 && perRecord > MaxReadValues/records {
		return nil, fmt.Errorf("netcdf: variable %q has more than %d values", v.Name, MaxReadValues)
	}
	buf := make([]byte, 0, min(v.dataSize, chunkSize/size*size))
	if err := f.budget.Reserve(8*records*perRecord+int64(cap(buf)), fmt.Sprintf("netcdf: variable %q", v.Name)); err != nil {
		return nil, err
	}
	out := make([]float64, 0, records*perRecord)
	for i := range records {
		var err error
		out, err = f.readSpan(r, v, v.Begin+i*f.recSize, buf[:cap(buf)], out)
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}

// readSpan appends the values of one record (or of the whole of a
// non-record variable), which starts at off, reading through buf.
func (f *File) readSpan(r io.ReaderAt, v *Var, off int64, buf []byte, out []float64) ([]float64, error) {
	for done := int64(0); done < v.dataSize; {
		b := buf[:min(int64(len(buf)), v.dataSize-done)]
		n, err := r.ReadAt(b, off+done)
		if n < len(b) {
			if err == nil || errors.Is(err, io.EOF) {
				err = io.ErrUnexpectedEOF
			}
			return nil, fmt.Errorf("netcdf: reading variable %q: %w", v.Name, err)
		}
		out = decodeValues(v.Type, b, out)
		done += int64(len(b))
	}
	return out, nil
}

func decodeValues(t Type, b []byte, out []float64) []float64 {
	be := binary.BigEndian
	switch t {
	case Byte:
		return appendValues(out, b, 1, func(b []byte) float64 { return float64(int8(b[0])) })
	case Short:
		return appendValues(out, b, 2, func(b []byte) float64 { return float64(int16(be.Uint16(b))) })
	case Int:
		return appendValues(out, b, 4, func(b []byte) float64 { return float64(int32(be.Uint32(b))) })
	case Float:
		return appendValues(out, b, 4, func(b []byte) float64 { return float64(math.Float32frombits(be.Uint32(b))) })
	case Double:
		return appendValues(out, b, 8, func(b []byte) float64 { return math.Float64frombits(be.Uint64(b)) })
	case UByte:
		return appendValues(out, b, 1, func(b []byte) float64 { return float64(b[0]) })
	case UShort:
		return appendValues(out, b, 2, func(b []byte) float64 { return float64(be.Uint16(b)) })
	case UInt:
		return appendValues(out, b, 4, func(b []byte) float64 { return float64(be.Uint32(b)) })
	case Int64:
		return appendValues(out, b, 8, func(b []byte) float64 { return float64(int64(be.Uint64(b))) })
	case UInt64:
		return appendValues(out, b, 8, func(b []byte) float64 { return float64(be.Uint64(b)) })
	}
	return out
}

func appendValues(out []float64, b []byte, size int, get func([]byte) float64) []float64 {
	for i := 0; i+size <= len(b); i += size {
		out = append(out, get(b[i:]))
	}
	return out
}
