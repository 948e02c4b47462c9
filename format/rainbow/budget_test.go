package rainbow

import (
	"bytes"
	"compress/zlib"
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"testing"

	"github.com/bmkg/mkggraph/format/budget"
	"github.com/bmkg/mkggraph/format/internal/fixture"
	"github.com/bmkg/mkggraph/format/internal/memtest"
	"github.com/bmkg/mkggraph/internal/golden"
)

// hostileBins is how many bins the first sweep of
// testdata/hostile-blob.vol claims, 361 rays of them: 23.7 MB of 8-bit
// data, 118 MB once decoded to float32 and with the raw bytes.
const hostileBins = 65535

// craftHostileBlob builds hostile-blob.vol (see testdata/README): the
// sample with its first sweep's <rawdata> claiming hostileBins bins
// instead of 400, and blob 1, that sweep's reflectivity, replaced by a
// qCompress stream (4-byte length, then zlib) of as many zero bytes.
func craftHostileBlob(t testing.TB) []byte {
	t.Helper()
	data := fixture.Read(t, samples[0])
	rawdata := []byte(`<rawdata blobid="1" rays="361" type="dBZ" bins="400"`)
	at := bytes.Index(data, rawdata)
	if at < 0 {
		t.Fatal("no rawdata of blob 1 with 361 rays of 400 bins")
	}
	out := append(bytes.Clone(data[:at]), bytes.Replace(rawdata, []byte(`"400"`), fmt.Appendf(nil, "%q", fmt.Sprint(hostileBins)), 1)...)
	rest := data[at+len(rawdata):]
	tag := []byte(`<BLOB blobid="1" size="15171" compression="qt">` + "\n")
	start := bytes.Index(rest, tag)
	end := bytes.Index(rest[start:], []byte("\n</BLOB>"))
	if start < 0 || end != len(tag)+15171 {
		t.Fatal("blob 1 is not where the sample has it")
	}
	var z bytes.Buffer
	z.Write(binary.BigEndian.AppendUint32(nil, 361*hostileBins))
	zw, _ := zlib.NewWriterLevel(&z, zlib.BestCompression)
	zw.Write(make([]byte, 361*hostileBins))
	zw.Close()
	out = append(out, rest[:start]...)
	out = fmt.Appendf(out, "<BLOB blobid=\"1\" size=\"%d\" compression=\"qt\">\n", z.Len())
	out = append(out, z.Bytes()...)
	return append(out, rest[start+end:]...)
}

// TestHostileBlobIsRefused: the sweep claiming 361×65535 gates, which its
// blob honestly inflates to, is refused by Parse, before any blob is
// inflated, and by Decode if asked directly.
func TestHostileBlobIsRefused(t *testing.T) {
	path := "testdata/hostile-blob.vol"
	golden.Check(t, path, craftHostileBlob(t))
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	size := int64(len(data))
	memtest.Within(t, path, size, budget.Limit(size, MemoryFactor), func() {
		if _, err := Parse(data); !errors.Is(err, budget.ErrTooLarge) {
			t.Errorf("Parse: %v", err)
		}
	})
	// The volume as Parse would read it without its checks: blobs indexed
	// under a budget of 2^30 bytes per byte, the first sweep's bins set.
	v, err := Parse(fixture.Read(t, samples[0]))
	if err != nil {
		t.Fatal(err)
	}
	if v.blobs, err = indexBlobs(data, bytes.Index(data, endXML)+len(endXML), budget.New(size, 1<<30)); err != nil {
		t.Fatal(err)
	}
	v.fileSize, v.Sweeps[0].Moments[0].bins = len(data), hostileBins
	memtest.Within(t, path+" Decode", size, budget.Limit(size, MemoryFactor), func() {
		if _, err := v.Decode(data, 0, "dBZ"); !errors.Is(err, budget.ErrTooLarge) {
			t.Errorf("Decode: %v", err)
		}
	})
}

// TestRealSamplesWithinBudget parses the sample and decodes each sweep.
func TestRealSamplesWithinBudget(t *testing.T) {
	for _, name := range samples {
		data := fixture.Read(t, name)
		size := int64(len(data))
		var v *Volume
		memtest.Within(t, name+" Parse", size, budget.Limit(size, MemoryFactor), func() {
			var err error
			if v, err = Parse(data); err != nil {
				t.Fatal(err)
			}
		})
		for i := range v.Sweeps {
			memtest.Within(t, fmt.Sprintf("%s Decode %d", name, i), size, budget.Limit(size, MemoryFactor), func() {
				if _, err := v.Decode(data, i, "dBZ"); err != nil {
					t.Fatal(err)
				}
			})
		}
	}
}
