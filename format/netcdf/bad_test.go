package netcdf

import (
	"bytes"
	"encoding/binary"
	"errors"
	"runtime"
	"strings"
	"testing"

	"github.com/bmkg/mkggraph/format/internal/fixture"
)

// openErr opens data and returns the error, which must not be nil.
func openErr(t *testing.T, data []byte) error {
	t.Helper()
	f, err := Open(bytes.NewReader(data), int64(len(data)))
	if err == nil {
		t.Fatalf("accepted: %+v", f)
	}
	return err
}

func wantErr(t *testing.T, data []byte, substr string) {
	t.Helper()
	if err := openErr(t, data); !strings.Contains(err.Error(), substr) {
		t.Errorf("error %q does not mention %q", err, substr)
	}
}

func TestTruncated(t *testing.T) {
	data := fixture.Read(t, samples[0])
	const headerEnd = 1416 // where the first variable begins
	for n := 4; n < headerEnd; n++ {
		wantErr(t, data[:n], "truncated header")
	}
	for _, n := range []int{headerEnd, headerEnd + 100, len(data) - 1} {
		wantErr(t, data[:n], "extends past the end of the input")
	}
}

func TestWrongMagic(t *testing.T) {
	for _, in := range []string{"", "CD", "CDF\x03\x00\x00\x00\x00", "GRIB", "<?xml version"} {
		if err := openErr(t, []byte(in)); !errors.Is(err, ErrNotNetCDF) {
			t.Errorf("%q: %v, want ErrNotNetCDF", in, err)
		}
	}
}

// header builds the start of a header by hand: magic, numrecs, then words
// of the given widths.
func header(version int, words ...uint64) []byte {
	b := []byte{'C', 'D', 'F', byte(version)}
	wide := version == 5
	b = appendWord(b, 0, wide) // numrecs
	for _, w := range words {
		b = binary.BigEndian.AppendUint32(b, uint32(w>>32))
		b = binary.BigEndian.AppendUint32(b, uint32(w))
	}
	return b
}

func appendWord(b []byte, w uint64, wide bool) []byte {
	if wide {
		return binary.BigEndian.AppendUint64(b, w)
	}
	return binary.BigEndian.AppendUint32(b, uint32(w))
}

func TestAbsurdCounts(t *testing.T) {
	cases := map[string][]byte{
		"dimensions CDF-1": append(header(1), 0, 0, 0, tagDimension, 0x7f, 0xff, 0xff, 0xff),
		"dimensions CDF-5": append(appendWord(header(5), tagDimension, false), 0x3f, 0xff, 0, 0, 0, 0, 0, 0),
		"attributes": append(header(1), 0, 0, 0, 0, 0, 0, 0, 0,
			0, 0, 0, tagAttribute, 0xff, 0xff, 0xff, 0xf0),
		"attribute values": append(header(1), 0, 0, 0, 0, 0, 0, 0, 0,
			0, 0, 0, tagAttribute, 0, 0, 0, 1, 0, 0, 0, 1, 'a', 0, 0, 0, 0, 0, 0, byte(Double), 0x10, 0, 0, 0),
	}
	for name, data := range cases {
		t.Run(name, func(t *testing.T) {
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			wantErr(t, data, "cannot fit in the")
			runtime.ReadMemStats(&after)
			if n := after.TotalAlloc - before.TotalAlloc; n > 1<<20 {
				t.Errorf("allocated %d bytes rejecting it", n)
			}
		})
	}
}

func TestBadHeaders(t *testing.T) {
	type tc struct {
		name, want string
		tf         *tfile
	}
	for _, c := range []tc{
		{"unlimited not first", "is not the first", &tfile{version: 1,
			dims: []Dim{{"x", 2, false}, {"t", 0, true}},
			vars: []tvar{{name: "v", dims: []int{0, 1}, typ: Int}}}},
		{"two unlimited", "both unlimited", &tfile{version: 1,
			dims: []Dim{{"t", 0, true}, {"u", 0, true}}}},
		{"CDF-5 type in CDF-1", "not valid in CDF-1", &tfile{version: 1,
			attrs: []Attr{{"u", UByte, []uint8{1}}}}},
		{"dimension id", "dimension id 3", &tfile{version: 2,
			dims: []Dim{{"x", 2, false}},
			vars: []tvar{{name: "v", dims: []int{3}, typ: Int}}}},
		{"empty name", "name length 0", &tfile{version: 1, dims: []Dim{{"", 2, false}}}},
		{"long name", "name length 300", &tfile{version: 1, dims: []Dim{{strings.Repeat("n", 300), 2, false}}}},
		{"shape overflow", "overflows", &tfile{version: 5,
			dims: []Dim{{"x", 1 << 40, false}, {"y", 1 << 40, false}},
			vars: []tvar{{name: "v", dims: []int{0, 1}, typ: Int}}}},
		{"huge variable", "extends past the end", &tfile{version: 5,
			dims: []Dim{{"x", 1 << 40, false}},
			vars: []tvar{{name: "v", dims: []int{0}, typ: Int}}}},
	} {
		t.Run(c.name, func(t *testing.T) {
			wantErr(t, c.tf.bytes(), c.want)
		})
	}
}

func TestBadOffsets(t *testing.T) {
	tf := everyType(2)
	begins := make([]int64, len(tf.vars))
	wantErr(t, tf.header(begins), "inside the header")

	good := tf.bytes()
	for i := range begins {
		begins[i] = int64(len(good)) - 2
	}
	data := append(tf.header(begins), make([]byte, len(good)-len(tf.header(begins)))...)
	wantErr(t, data, `variable "v_byte" data (begin`)

	rec := records(1, 3).bytes()
	open(t, rec[:len(rec)-3]) // only the last record's padding is missing
	wantErr(t, rec[:len(rec)-4], `variable "flag" data (begin 232, 1 bytes per record, 3 records of 20 bytes) extends past`)
}

func TestNegativeSize(t *testing.T) {
	if _, err := Open(bytes.NewReader(nil), -1); err == nil {
		t.Error("negative size accepted")
	}
}
