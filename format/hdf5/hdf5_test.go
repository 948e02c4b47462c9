package hdf5

import (
	"bytes"
	"errors"
	"math/rand"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/bmkg/mkggraph/format/budget"
)

const sampleDir = "testdata"

// Files made from the Py-ART sample with the HDF5 tools, to reach
// structures the netCDF library does not write (see testdata/README).
const (
	userBlockFile = "testdata/userblock-v0-symtab.h5"
	layoutV4File  = "testdata/layout-v4-superblock-v3.h5"
)

var samples = []string{
	filepath.Join(sampleDir, "example_cfradial_ppi.nc"),
	filepath.Join(sampleDir, "Z__C_RJTD_20230801200000_RDR_JMAGPV_RS47937_Gar0p250km0p70deg_PRref_N18_ANAL_cfrad.nc"),
	userBlockFile,
	layoutV4File,
	"testdata/ea-superblocks.h5",
	"testdata/fa-paged.h5",
	"testdata/bt2.h5",
	"testdata/fletcher.h5",
}

func open(t testing.TB, path string) (*File, []byte) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	f, err := Open(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	return f, data
}

func attr(t *testing.T, attrs []Attr, name string) any {
	t.Helper()
	for _, a := range attrs {
		if a.Name == name {
			return a.Value
		}
	}
	t.Fatalf("no attribute %s", name)
	return nil
}

// Values checked against h5dump / ncdump of the sample.
func TestPyARTSample(t *testing.T) {
	f, data := open(t, samples[0])
	if !Detect(data) {
		t.Error("Detect = false")
	}
	root := f.Root()
	names, err := root.Names()
	if err != nil {
		t.Fatal(err)
	}
	// Creation order, from the dense link storage.
	if len(names) != 22 || names[0] != "time" || names[len(names)-1] != "volume_number" {
		t.Errorf("names %v", names)
	}
	attrs, err := root.Attrs() // dense attribute storage
	if err != nil {
		t.Fatal(err)
	}
	if v := attr(t, attrs, "instrument_name"); v != "xsapr-sgp" || len(attrs) != 10 {
		t.Errorf("instrument_name %v, %d attributes", v, len(attrs))
	}
	ds, err := root.Dataset("reflectivity_horizontal") // chunked, shuffle + deflate
	if err != nil {
		t.Fatal(err)
	}
	v, err := ds.ReadFloat64()
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(ds.Dims(), []int64{40, 42}) || len(v) != 40*42 || float32(v[0]) != -6.05 || float32(v[1]) != 17.45 {
		t.Errorf("dims %v, values %v", ds.Dims(), v[:2])
	}
	a, _ := ds.Attrs()
	if fill := attr(t, a, "_FillValue"); !reflect.DeepEqual(fill, []float64{-9999}) {
		t.Errorf("_FillValue %v", fill)
	}
	if _, ok := attr(t, a, "DIMENSION_LIST").(Unsupported); !ok {
		t.Error("DIMENSION_LIST not reported as Unsupported")
	}
	checkStrings(t, root, "sweep_mode", "azimuth_surveillance")
	checkStrings(t, root, "time_coverage_start", "2011-05-20T10:54:16Z")
}

func checkStrings(t *testing.T, g *Group, name string, want ...string) {
	t.Helper()
	ds, err := g.Dataset(name)
	if err != nil {
		t.Fatal(err)
	}
	got, err := ds.ReadStrings()
	if err != nil || !reflect.DeepEqual(got, want) {
		t.Errorf("%s = %q, %v; want %q", name, got, err, want)
	}
}

func TestJMASample(t *testing.T) {
	f, _ := open(t, samples[1])
	ds, err := f.Root().Dataset("DBZH") // contiguous
	if err != nil {
		t.Fatal(err)
	}
	v, err := ds.ReadFloat64()
	if err != nil || len(v) != 512*600 || float32(v[2]) != 42.3 {
		t.Fatalf("%d values, %v", len(v), err)
	}
	attrs, _ := f.Root().Attrs()
	if s := attr(t, attrs, "_NCProperties"); s != "version=2,netcdf=4.9.1,hdf5=1.12.2" {
		t.Errorf("_NCProperties %v", s)
	}
}

// A superblock version 0 after a 512-byte user block, an old-style group
// (symbol table, version 1 B-tree, local heap) and big-endian doubles.
func TestUserBlockSymbolTable(t *testing.T) {
	f, data := open(t, userBlockFile)
	if Detect(data) {
		t.Error("Detect sniffs offset 0 only")
	}
	g, err := f.Root().Group("grp")
	if err != nil {
		t.Fatal(err)
	}
	ds, err := g.Dataset("data")
	if err != nil {
		t.Fatal(err)
	}
	v, err := ds.ReadFloat64()
	if err != nil || !reflect.DeepEqual(v, []float64{1.5, 2.5, 3.5, 4.5, 5.5, 6.5}) {
		t.Errorf("%v, %v", v, err)
	}
	if _, err := f.Root().Dataset("grp"); err == nil {
		t.Error("a group opened as a dataset")
	}
	if _, err := g.Dataset("nope"); !errors.Is(err, ErrNotFound) {
		t.Errorf("missing member: %v", err)
	}
}

// Superblock version 3 with layout version 4: the single-chunk index and
// the extensible array (time, one unlimited dimension, filtered chunks)
// read back the values of the original file.
func TestLayoutV4(t *testing.T) {
	f, _ := open(t, layoutV4File)
	ds, err := f.Root().Dataset("range")
	if err != nil {
		t.Fatal(err)
	}
	v, err := ds.ReadFloat64()
	if err != nil || len(v) != 42 || v[1] != 960 {
		t.Errorf("range %v, %v", v, err)
	}
	for _, name := range []string{"time", "reflectivity_horizontal"} {
		if got, want := readFloats(t, layoutV4File, name), readFloats(t, samples[0], name); !reflect.DeepEqual(got, want) {
			t.Errorf("%s: %v, want %v", name, got, want)
		}
	}
}

// Chunk indexes of layout version 4, each a repack of the Py-ART sample
// (see testdata/README), must give the original reflectivity.
func TestChunkIndexes(t *testing.T) {
	want := readFloats(t, samples[0], "reflectivity_horizontal")
	for _, name := range []string{
		"ea-superblocks.h5", // extensible array reaching its super blocks
		"fa-paged.h5",       // paged fixed array
		"bt2.h5",            // version 2 B-tree, filtered (record type 11)
		"bt2-raw.h5",        // version 2 B-tree, unfiltered (type 10)
		"fletcher.h5",       // Fletcher-32 checksums verified
	} {
		if got := readFloats(t, "testdata/"+name, "reflectivity_horizontal"); !reflect.DeepEqual(got, want) {
			t.Errorf("%s: reflectivity differs from the original", name)
		}
	}
}

func readFloats(t *testing.T, path, name string) []float64 {
	t.Helper()
	f, _ := open(t, path)
	ds, err := f.Root().Dataset(name)
	if err != nil {
		t.Fatal(err)
	}
	v, err := ds.ReadFloat64()
	if err != nil {
		t.Fatalf("%s %s: %v", path, name, err)
	}
	return v
}

// A flipped byte in a chunk protected by Fletcher-32 is reported.
func TestFletcher32Corrupt(t *testing.T) {
	data, err := os.ReadFile("testdata/fletcher.h5")
	if err != nil {
		t.Fatal(err)
	}
	f, _ := open(t, "testdata/fletcher.h5")
	ds, err := f.Root().Dataset("reflectivity_horizontal")
	if err != nil {
		t.Fatal(err)
	}
	refs, err := ds.chunkRefs(chunkSize(ds))
	if err != nil || len(refs) == 0 {
		t.Fatal(refs, err)
	}
	bad := append([]byte(nil), data...)
	bad[f.base+refs[0].addr+refs[0].size-5] ^= 0x40 // last byte before the checksum
	g, err := Open(bytes.NewReader(bad), int64(len(bad)))
	if err != nil {
		t.Fatal(err)
	}
	ds, err = g.Root().Dataset("reflectivity_horizontal")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ds.ReadFloat64(); err == nil || !strings.Contains(err.Error(), "Fletcher-32") {
		t.Errorf("corrupt chunk read with %v", err)
	}
}

func chunkSize(d *Dataset) int64 {
	n := int64(d.dt.size)
	for _, c := range d.layout.chunk {
		n *= c
	}
	return n
}

func TestFilterNames(t *testing.T) {
	for id, name := range map[uint16]string{6: "scale-offset", 5: "n-bit"} {
		d := &Dataset{f: &File{budget: budget.New(0, 1)}, dt: &datatype{size: 1}, filters: []filter{{id: id}}}
		if _, err := d.chunkDecoder(1).decode([]byte{1}, 0); err == nil || !strings.Contains(err.Error(), name) {
			t.Errorf("%s: %v", name, err)
		}
	}
}

func TestBadInput(t *testing.T) {
	_, data := open(t, samples[0])
	cases := map[string][]byte{
		"empty":     nil,
		"random":    randomBytes(1, 8192),
		"signature": append([]byte("\x89HDF\r\n\x1a\n"), randomBytes(2, 100)...),
		"header":    data[:64],
		"truncated": data[:len(data)/2],
	}
	for name, b := range cases {
		t.Run(name, func(t *testing.T) {
			f, err := Open(bytes.NewReader(b), int64(len(b)))
			if err == nil {
				err = walk(f.Root(), 0)
			}
			if err == nil {
				t.Error("no error")
			}
		})
	}
}

// Corrupting single bytes must give errors or data, never a panic.
func TestCorruptBytes(t *testing.T) {
	_, data := open(t, samples[0])
	rng := rand.New(rand.NewSource(3))
	for range 300 {
		b := bytes.Clone(data)
		for range 4 {
			b[rng.Intn(4096)] = byte(rng.Intn(256))
		}
		if f, err := Open(bytes.NewReader(b), int64(len(b))); err == nil {
			_ = walk(f.Root(), 0)
		}
	}
}

func randomBytes(seed int64, n int) []byte {
	b := make([]byte, n)
	rand.New(rand.NewSource(seed)).Read(b)
	return b
}

// walk reads everything below g, returning the first error.
func walk(g *Group, depth int) error {
	if _, err := g.Attrs(); err != nil {
		return err
	}
	names, err := g.Names()
	if err != nil {
		return err
	}
	var first error
	for _, n := range names {
		ds, err := g.Dataset(n)
		if err == nil {
			err = readAll(ds)
		} else if sub, gerr := g.Group(n); gerr == nil && depth < 8 {
			err = walk(sub, depth+1)
		}
		if first == nil {
			first = err
		}
	}
	return first
}

func readAll(ds *Dataset) error {
	if _, err := ds.Attrs(); err != nil {
		return err
	}
	var err error
	switch ds.Kind() {
	case "string":
		_, err = ds.ReadStrings()
	default:
		_, err = ds.ReadFloat64()
	}
	return err
}

// A file cut short is refused at once: the superblock states where the
// file ends (all four files, superblocks v0 and v3, with a user block).
func TestTruncatedFileRefused(t *testing.T) {
	for _, path := range samples {
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		cut := data[:len(data)-1]
		_, err = Open(bytes.NewReader(cut), int64(len(cut)))
		if err == nil || !strings.Contains(err.Error(), "truncated") {
			t.Errorf("%s cut by one byte: %v, want a truncation error", filepath.Base(path), err)
		}
	}
}
