package netcdf

import (
	"errors"
	"fmt"
	"math"
)

var errTooLarge = errors.New("size overflows 64 bits")

// layout computes each variable's size and the record size from the
// shapes, fixes the number of records of a streaming file, and checks that
// all data lies between the end of the header and the end of the input.
func (f *File) layout(headerEnd, size int64) error {
	var recVars []*Var
	for i := range f.Vars {
		v := &f.Vars[i]
		if err := f.sizeVar(v); err != nil {
			return fmt.Errorf("variable %q: %w", v.Name, err)
		}
		if v.record {
			recVars = append(recVars, v)
		}
	}
	if err := f.sizeRecord(recVars); err != nil {
		return err
	}
	f.fixNumRecs(recVars, size)
	for i := range f.Dims {
		if f.Dims[i].Unlimited {
			f.Dims[i].Len = f.NumRecs
		}
	}
	for i := range f.Vars {
		if err := f.checkExtent(&f.Vars[i], headerEnd, size); err != nil {
			return err
		}
	}
	if err := f.checkOverlap(recVars); err != nil {
		return err
	}
	return checkRecord(recVars, f.recSize, f.NumRecs)
}

// sizeVar sets the bytes of one variable, or of one record of it.
func (f *File) sizeVar(v *Var) error {
	n := v.Type.Size()
	for i, id := range v.Dims {
		if i == 0 && f.Dims[id].Unlimited {
			v.record = true
			continue
		}
		var ok bool
		if n, ok = mul(n, f.Dims[id].Len); !ok {
			return errTooLarge
		}
	}
	if n > math.MaxInt64-3 {
		return errTooLarge
	}
	v.dataSize, v.VSize = n, pad4(n)
	return nil
}

// StatedVSizeAgrees reports whether the vsize the header states matches
// the size the type and shape give. Writers store the padded size (a few
// the unpadded one), and CDF-1 and CDF-2 writers store 2^32-1 for a
// variable, or a record of one, too large for 32 bits. The specification
// calls vsize redundant and the netCDF-C library recomputes it on reading,
// so a disagreement is not a reason to refuse a file: sizes come from the
// shapes, and the begin offsets are checked against them (checkOverlap,
// checkRecord, the bounds of the input), which is where a header that lies
// about its sizes shows.
func (v *Var) StatedVSizeAgrees(version int) bool {
	switch {
	case v.StatedVSize == v.VSize, v.StatedVSize == v.dataSize:
		return true
	case version != 5 && v.StatedVSize == math.MaxUint32 && v.VSize >= math.MaxUint32-3:
		return true
	}
	return false
}

// sizeRecord sets the distance between records: the padded sizes of the
// record variables added up, except that a lone record variable is not
// padded (the specification's special case, which matters for byte, char
// and short variables).
func (f *File) sizeRecord(recVars []*Var) error {
	if len(recVars) == 1 {
		f.recSize = recVars[0].dataSize
		return nil
	}
	for _, v := range recVars {
		var ok bool
		if f.recSize, ok = add(f.recSize, v.VSize); !ok {
			return errors.New("record size overflows 64 bits")
		}
	}
	return nil
}

// fixNumRecs gives a streaming file as many records as fit after the first
// record variable's data begins.
func (f *File) fixNumRecs(recVars []*Var, size int64) {
	if f.NumRecs != streaming {
		return
	}
	f.NumRecs = 0
	if len(recVars) == 0 || f.recSize == 0 {
		return
	}
	start := recVars[0].Begin
	for _, v := range recVars {
		start = min(start, v.Begin)
	}
	if start < size {
		f.NumRecs = (size - start) / f.recSize
	}
}

func (f *File) checkExtent(v *Var, headerEnd, size int64) error {
	if v.Begin < headerEnd {
		return fmt.Errorf("variable %q begins at %d, inside the header (which ends at %d)", v.Name, v.Begin, headerEnd)
	}
	if v.record && f.NumRecs == 0 {
		return nil // no data, and writers point begin at or past the end
	}
	end, ok := v.Begin, true
	if v.record {
		var skip int64
		skip, ok = mul(f.NumRecs-1, f.recSize)
		end, ok = addOK(end, skip, ok)
		end, ok = addOK(end, v.dataSize, ok)
	} else {
		end, ok = add(end, v.dataSize)
	}
	if !ok || end > size {
		return fmt.Errorf("variable %q data (begin %d, %d bytes%s) extends past the end of the input (%d bytes)",
			v.Name, v.Begin, v.dataSize, f.recordNote(v), size)
	}
	return nil
}

func (f *File) recordNote(v *Var) string {
	if !v.record {
		return ""
	}
	return fmt.Sprintf(" per record, %d records of %d bytes", f.NumRecs, f.recSize)
}

func mul(a, b int64) (int64, bool) {
	if a == 0 || b == 0 {
		return 0, true
	}
	if a < 0 || b < 0 || a > math.MaxInt64/b {
		return 0, false
	}
	return a * b, true
}

func add(a, b int64) (int64, bool) {
	if a < 0 || b < 0 || a > math.MaxInt64-b {
		return 0, false
	}
	return a + b, true
}

// addOK is add for a chain of checked operations.
func addOK(a, b int64, ok bool) (int64, bool) {
	if !ok {
		return 0, false
	}
	return add(a, b)
}
