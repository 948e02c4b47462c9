package netcdf

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"reflect"
	"testing"

	"github.com/bmkg/mkggraph/format/internal/fixture"
)

// fromFile describes an opened file, values included, so that the real
// sample can be written again in other versions and layouts.
func fromFile(t *testing.T, f *File, data []byte) *tfile {
	t.Helper()
	tf := &tfile{version: f.Version, numRecs: f.NumRecs, attrs: f.Attrs}
	for _, d := range f.Dims {
		if d.Unlimited {
			d.Len = 0
		}
		tf.dims = append(tf.dims, d)
	}
	for i := range f.Vars {
		v := &f.Vars[i]
		vals, err := f.ReadFloat64(bytes.NewReader(data), v)
		if err != nil {
			t.Fatal(err)
		}
		tf.vars = append(tf.vars, tvar{name: v.Name, dims: v.Dims, attrs: v.Attrs, typ: v.Type, data: vals})
	}
	return tf
}

// sameContent checks that got holds the sample's dimensions, attributes
// and values.
func sameContent(t *testing.T, what string, got []byte, want *tfile) {
	t.Helper()
	f, err := Open(bytes.NewReader(got), int64(len(got)))
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
	if !reflect.DeepEqual(f.Attrs, want.attrs) {
		t.Errorf("%s: global attributes differ", what)
	}
	for i, d := range want.dims {
		if f.Dims[i].Name != d.Name || (d.Len != 0 && f.Dims[i].Len != d.Len) {
			t.Errorf("%s: dimension %d is %+v, want %+v", what, i, f.Dims[i], d)
		}
	}
	if len(f.Vars) != len(want.vars) {
		t.Fatalf("%s: %d variables, want %d", what, len(f.Vars), len(want.vars))
	}
	for i, w := range want.vars {
		v := &f.Vars[i]
		vals, err := f.ReadFloat64(bytes.NewReader(got), v)
		if err != nil || v.Name != w.name || !reflect.DeepEqual(v.Attrs, w.attrs) || !reflect.DeepEqual(vals, w.data) {
			t.Errorf("%s: variable %q differs (%v)", what, w.name, err)
		}
	}
}

// TestSampleRewritten writes the real CDF-1 sample again: as CDF-1 it must
// come out byte for byte the same (which shows the test writer lays files
// out as the netCDF-C library did), and as CDF-2 and CDF-5 it must read
// back the same header and values.
func TestSampleRewritten(t *testing.T) {
	sample := fixture.Read(t, samples[0])
	tf := fromFile(t, open(t, sample), sample)
	if !bytes.Equal(tf.bytes(), sample) {
		t.Fatal("the sample written again as CDF-1 differs from the sample")
	}
	for _, version := range []int{2, 5} {
		tf.version = version
		data := tf.bytes()
		if v, _ := Detect(data); v != version {
			t.Fatalf("wrote CDF-%d", v)
		}
		sameContent(t, fmt.Sprintf("CDF-%d", version), data, tf)
	}
}

// TestSampleAsRecords makes Azimuth the record dimension of the real
// sample: its four variables become record variables, interleaved ray by
// ray, and must read back the same, with the record count stated or
// left to the streaming marker.
func TestSampleAsRecords(t *testing.T) {
	sample := fixture.Read(t, samples[0])
	tf := fromFile(t, open(t, sample), sample)
	tf.dims[0].Len = 0
	for _, version := range []int{1, 2, 5} {
		for _, numRecs := range []int64{360, -1} {
			tf.version, tf.numRecs = version, numRecs
			data := tf.bytes()
			f := open(t, data)
			if f.NumRecs != 360 || f.recSize != 4+4+4+240*4 || !f.Dims[0].Unlimited || f.Dims[0].Len != 360 {
				t.Errorf("CDF-%d numrecs %d: %d records of %d bytes, dims %+v", version, numRecs, f.NumRecs, f.recSize, f.Dims)
			}
			sameContent(t, "records", data, tf)
		}
	}
}

// TestStatedVSizeNotTrusted: a vsize that disagrees with the shape is
// redundant (the specification says so; netCDF-C recomputes it), so the
// file reads the same, and StatedVSizeAgrees tells.
func TestStatedVSizeNotTrusted(t *testing.T) {
	const beamVSize, intensityVSize = 0x4e8, 0x580
	sample := fixture.Read(t, samples[0])
	want := fromFile(t, open(t, sample), sample)
	for _, w := range []struct{ at, word int }{{beamVSize, 1436}, {intensityVSize, 360 * 241 * 4}} {
		data := bytes.Clone(sample)
		binary.BigEndian.PutUint32(data[w.at:], uint32(w.word))
		got := open(t, data)
		agree := 0
		for i := range got.Vars {
			if got.Vars[i].StatedVSizeAgrees(got.Version) {
				agree++
			}
		}
		if agree != len(got.Vars)-1 {
			t.Errorf("vsize %d at %#x: %d of %d variables agree, want all but one", w.word, w.at, agree, len(got.Vars))
		}
		sameContent(t, "vsize edited", data, want)
	}
}

// TestLyingSample edits sizes in the real sample's header; each edit must
// be refused, saying what is wrong.
func TestLyingSample(t *testing.T) {
	const (
		gateLen        = 0x28  // length of dimension Gate
		beamVSize      = 0x4e8 // vsize of Beamwidth
		beamBegin      = 0x4ec // begin of Beamwidth
		intensityVSize = 0x580 // vsize of Corrected_Intensity
	)
	for _, c := range []struct {
		name string
		at   int
		word uint32
		want string
	}{
		{"more gates", gateLen, 241, `variable "Corrected_Intensity" data (begin`},
		{"overlapping begin", beamBegin, 1416 + 1436, `variable "Beamwidth" (bytes 2852 to 4292) overlaps variable "Azimuth"`},
		{"begin inside header", beamBegin, 1000, "inside the header"},
	} {
		t.Run(c.name, func(t *testing.T) {
			data := bytes.Clone(fixture.Read(t, samples[0]))
			binary.BigEndian.PutUint32(data[c.at:], c.word)
			wantErr(t, data, c.want)
		})
	}
}

// TestLyingRecords edits the record variant of the sample: a record count
// the file cannot hold, and begins that contradict the record size.
func TestLyingRecords(t *testing.T) {
	sample := fixture.Read(t, samples[0])
	tf := fromFile(t, open(t, sample), sample)
	tf.dims[0].Len = 0
	tf.numRecs = 360
	good := tf.bytes()

	data := bytes.Clone(good)
	binary.BigEndian.PutUint32(data[4:], 361)
	wantErr(t, data, `variable "Azimuth" data (begin 1416, 4 bytes per record, 361 records of 972 bytes) extends past the end`)

	// Corrected_Intensity's begin (the last word of the header) moved on by
	// 4 bytes: its slice no longer fits the record the vsizes give.
	data = bytes.Clone(good)
	binary.BigEndian.PutUint32(data[1412:], 1416+12+4)
	binary.BigEndian.PutUint32(data[4:], 359)
	wantErr(t, data, `record variable "Corrected_Intensity" ends 976 bytes into a record, but a record is 972 bytes`)

	// GateWidth's begin moved back onto Beamwidth's.
	data = bytes.Clone(good)
	binary.BigEndian.PutUint32(data[1412-0x580+0x530:], 1416+4)
	wantErr(t, data, `record variable "GateWidth" (bytes 1420 to 1424) overlaps record variable "Beamwidth"`)
}

func TestFillValue(t *testing.T) {
	for _, c := range []struct {
		v    Var
		want float64
		ok   bool
	}{
		{Var{Type: Float}, float64(float32(9.96921e36)), true},
		{Var{Type: Double}, 9.969209968386869e36, true},
		{Var{Type: Short}, -32767, true},
		{Var{Type: UByte}, 255, true},
		{Var{Type: Float, Attrs: []Attr{{"_FillValue", Float, []float32{-99900.5}}}}, -99900.5, true},
		{Var{Type: Short, Attrs: []Attr{{"_FillValue", Short, []int16{-1}}}}, -1, true},
		{Var{Type: Int, Attrs: []Attr{{"_FillValue", Char, "x"}}}, -2147483647, true},
		{Var{Type: Char}, 0, false},
	} {
		if got, ok := c.v.FillValue(); got != c.want || ok != c.ok {
			t.Errorf("%v %v: FillValue = %v, %v; want %v, %v", c.v.Type, c.v.Attrs, got, ok, c.want, c.ok)
		}
	}
	// A float _FillValue must compare equal to the data ReadFloat64 returns,
	// which Attr.Float64's decimal rounding would break.
	tf := &tfile{version: 1, dims: []Dim{{Name: "x", Len: 2}}, vars: []tvar{{name: "v", dims: []int{0}, typ: Float,
		attrs: []Attr{{"_FillValue", Float, []float32{0.1}}}, data: []float64{float64(float32(0.1)), 1}}}}
	data := tf.bytes()
	f := open(t, data)
	vals, _ := f.ReadFloat64(bytes.NewReader(data), &f.Vars[0])
	if fill, _ := f.Vars[0].FillValue(); vals[0] != fill {
		t.Errorf("fill %v does not match the value %v read", fill, vals[0])
	}
}
