package netcdf

import (
	"bytes"
	"testing"
)

// records has a fixed variable and three record variables whose records
// need padding (3 shorts, 1 byte) or not (a double), so that reading
// depends on interleaving and padding both being right.
func records(version int, n int64) *tfile {
	tf := &tfile{version: version, numRecs: n,
		dims: []Dim{{Name: "time", Len: 0}, {Name: "x", Len: 3}}}
	seq := func(k int64, scale float64) []float64 {
		out := make([]float64, k)
		for i := range out {
			out[i] = float64(i+1) * scale
		}
		return out
	}
	tf.vars = []tvar{
		{name: "time", dims: []int{0}, typ: Double, data: seq(n, 60)},
		{name: "fixed", dims: []int{1}, typ: Short, data: []float64{7, 8, 9}},
		{name: "obs", dims: []int{0, 1}, typ: Short, data: seq(n*3, -1)},
		{name: "flag", dims: []int{0}, typ: Byte, data: seq(n, 1)},
	}
	return tf
}

// singleRecord has one record variable, of n values per record, so its
// records are packed without padding.
func singleRecord(typ Type, n int64) *tfile {
	tf := &tfile{version: 1, numRecs: 4,
		dims: []Dim{{Name: "rec", Len: 0}, {Name: "n", Len: n}}}
	data := make([]float64, 4*n)
	for i := range data {
		data[i] = float64(i % 100)
	}
	tf.vars = []tvar{
		{name: "before", typ: Int, data: []float64{42}},
		{name: "packed", dims: []int{0, 1}, typ: typ, data: data},
	}
	return tf
}

func TestRecordVariables(t *testing.T) {
	for _, version := range []int{1, 2, 5} {
		tf := records(version, 3)
		data := tf.bytes()
		f := open(t, data)
		if f.NumRecs != 3 || f.Dims[0] != (Dim{"time", 3, true}) {
			t.Errorf("CDF-%d: %d records, dims %+v", version, f.NumRecs, f.Dims)
		}
		if f.recSize != 8+8+4 {
			t.Errorf("CDF-%d: record size %d, want 20 (double, 3 shorts padded, byte padded)", version, f.recSize)
		}
		checkValues(t, f, data, tf)
	}
}

func TestSingleRecordVariable(t *testing.T) {
	for _, typ := range []Type{Byte, Short, Int, Double} {
		tf := singleRecord(typ, 3)
		data := tf.bytes()
		f := open(t, data)
		if want := 3 * typ.Size(); f.recSize != want {
			t.Errorf("%v: record size %d, want %d (unpadded)", typ, f.recSize, want)
		}
		checkValues(t, f, data, tf)
	}
}

func TestStreaming(t *testing.T) {
	for _, version := range []int{1, 5} {
		tf := records(version, 4)
		tf.numRecs = -1
		data := tf.bytes()
		f := open(t, data)
		if f.NumRecs != 4 {
			t.Errorf("CDF-%d streaming: %d records, want 4 from the file size", version, f.NumRecs)
		}
		tf.numRecs = 4
		checkValues(t, f, data, tf)
	}
}

func TestZeroRecords(t *testing.T) {
	tf := records(2, 0)
	data := tf.bytes()
	f := open(t, data)
	v, _ := f.Var("obs")
	got, err := f.ReadFloat64(bytes.NewReader(data), v)
	if err != nil || len(got) != 0 {
		t.Errorf("%v, %v", got, err)
	}
}
