package netcdf

import (
	"bytes"
	"reflect"
	"testing"

	"github.com/bmkg/mkggraph/format/internal/fixture"
)

var samples = []string{"TAG-20120801-140046-02-Z.nc"}

// hdf5Samples are netCDF-4 files, which Open must recognise and refuse.
var hdf5Samples = []string{
	"example_cfradial_ppi.nc",
	"Z__C_RJTD_20230801200000_RDR_JMAGPV_RS47937_Gar0p250km0p70deg_PRref_N18_ANAL_cfrad.nc",
}

func open(t *testing.T, data []byte) *File {
	t.Helper()
	f, err := Open(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func TestSample(t *testing.T) {
	data := fixture.Read(t, samples[0])
	if v, ok := Detect(data); !ok || v != 1 {
		t.Fatalf("Detect = %d, %v", v, ok)
	}
	f := open(t, data)
	if len(f.Dims) != 2 || f.Dims[0] != (Dim{"Azimuth", 360, false}) || f.Dims[1] != (Dim{"Gate", 240, false}) {
		t.Errorf("dims %+v", f.Dims)
	}
	if a, _ := f.Attr("radarName-value"); !isString(a, "TAG") {
		t.Errorf("radarName-value = %+v", a)
	}
	if a, _ := f.Attr("Elevation"); !isNumber(a, 0.5) {
		t.Errorf("Elevation = %+v", a)
	}
	v, ok := f.Var("Corrected_Intensity")
	if !ok || v.Type != Float || !reflect.DeepEqual(v.Dims, []int{0, 1}) || v.VSize != 360*240*4 {
		t.Fatalf("Corrected_Intensity = %+v", v)
	}
	vals, err := f.ReadFloat64(bytes.NewReader(data), v)
	if err != nil || len(vals) != 360*240 {
		t.Fatalf("%d values, %v", len(vals), err)
	}
	if vals[3] != -99900 {
		t.Errorf("value 3 = %v, want the missing marker -99900", vals[3])
	}
}

func isString(a Attr, want string) bool {
	s, ok := a.String()
	return ok && s == want
}

func isNumber(a Attr, want float64) bool {
	x, ok := a.Float64()
	return ok && x == want
}

func TestHDF5(t *testing.T) {
	for _, name := range hdf5Samples {
		data := fixture.Read(t, name)
		if !IsHDF5(data) {
			t.Errorf("%s: IsHDF5 = false", name)
		}
		if _, err := Open(bytes.NewReader(data), int64(len(data))); err != ErrHDF5 {
			t.Errorf("%s: Open error %v, want ErrHDF5", name, err)
		}
	}
	block := make([]byte, 1024+8)
	copy(block[1024:], hdf5Signature)
	if !IsHDF5(block) {
		t.Error("signature after a 1024-byte user block not found")
	}
	copy(block[1024:], "\x00\x00\x00\x00")
	copy(block[700:], hdf5Signature)
	if IsHDF5(block) {
		t.Error("signature at 700, not a power of two, accepted")
	}
}

func TestDetect(t *testing.T) {
	for in, want := range map[string]int{"CDF\x01": 1, "CDF\x02xx": 2, "CDF\x05": 5, "CDF\x03": 0, "CD": 0, "\x89HDF\r\n\x1a\n": 0} {
		if v, ok := Detect([]byte(in)); v != want || ok != (want != 0) {
			t.Errorf("Detect(%q) = %d, %v", in, v, ok)
		}
	}
}

var classicTypes = []Type{Byte, Short, Int, Float, Double}
var cdf5Types = []Type{Byte, Short, Int, Float, Double, UByte, UShort, UInt, Int64, UInt64}

// everyType has one variable of each numeric type the version allows, of 3
// values so that byte and short data needs padding, a scalar, and
// attributes of every type.
func everyType(version int) *tfile {
	tf := &tfile{version: version, dims: []Dim{{Name: "x", Len: 3}}}
	types := classicTypes
	if version == 5 {
		types = cdf5Types
	}
	for _, typ := range types {
		tf.vars = append(tf.vars, tvar{name: "v_" + typ.String(), dims: []int{0}, typ: typ, data: []float64{1, -2, 3}})
	}
	for i := range tf.vars {
		if tf.vars[i].typ.String()[0] == 'u' {
			tf.vars[i].data[1] = 200
		}
	}
	tf.vars = append(tf.vars, tvar{name: "scalar", typ: Double, data: []float64{2.5},
		attrs: []Attr{{Name: "units", Type: Char, Value: "m\x00"}}})
	tf.attrs = everyAttr(version)
	return tf
}

func everyAttr(version int) []Attr {
	attrs := []Attr{
		{"b", Byte, []int8{-1, 2, 3}}, {"c", Char, "text"}, {"s", Short, []int16{-300}},
		{"i", Int, []int32{1 << 20, -7}}, {"f", Float, []float32{1.5}}, {"d", Double, []float64{-0.25}},
		{"empty", Char, ""},
	}
	if version == 5 {
		attrs = append(attrs, Attr{"ub", UByte, []uint8{255}}, Attr{"us", UShort, []uint16{65535, 1}},
			Attr{"ui", UInt, []uint32{1 << 31}}, Attr{"i64", Int64, []int64{-1 << 40}}, Attr{"u64", UInt64, []uint64{1 << 63}})
	}
	return attrs
}

func TestEveryType(t *testing.T) {
	for _, version := range []int{1, 2, 5} {
		tf := everyType(version)
		data := tf.bytes()
		f := open(t, data)
		if f.Version != version || f.NumRecs != 0 {
			t.Errorf("CDF-%d: version %d, %d records", version, f.Version, f.NumRecs)
		}
		if !reflect.DeepEqual(f.Attrs, tf.attrs) {
			t.Errorf("CDF-%d attributes:\n got %#v\nwant %#v", version, f.Attrs, tf.attrs)
		}
		checkValues(t, f, data, tf)
		if u, _ := f.Vars[len(f.Vars)-1].Attr("units"); !isString(u, "m") {
			t.Errorf("CDF-%d: units %+v: trailing NUL not removed", version, u)
		}
	}
}

// checkValues reads every variable and compares it with what was written.
func checkValues(t *testing.T, f *File, data []byte, tf *tfile) {
	t.Helper()
	if len(f.Vars) != len(tf.vars) {
		t.Fatalf("%d variables, want %d", len(f.Vars), len(tf.vars))
	}
	for i, want := range tf.vars {
		v := &f.Vars[i]
		if v.Name != want.name || v.Type != want.typ || !reflect.DeepEqual(v.Dims, want.dims) && len(want.dims) > 0 {
			t.Errorf("variable %d: %+v, want %+v", i, v, want)
		}
		got, err := f.ReadFloat64(bytes.NewReader(data), v)
		if err != nil || !reflect.DeepEqual(got, want.data) {
			t.Errorf("CDF-%d %s: %v, %v; want %v", f.Version, want.name, got, err, want.data)
		}
	}
}

func TestAttrHelpers(t *testing.T) {
	for _, a := range everyAttr(5) {
		_, isNum := a.Float64()
		_, isStr := a.String()
		wantNum := a.Type != Char && reflect.ValueOf(a.Value).Len() == 1
		if isNum != wantNum || isStr != (a.Type == Char) {
			t.Errorf("%s: Float64 ok %v, String ok %v", a.Name, isNum, isStr)
		}
	}
	if x, _ := (Attr{Value: []uint64{1 << 63}}).Float64(); x != 1<<63 {
		t.Errorf("uint64 attribute = %v", x)
	}
}
