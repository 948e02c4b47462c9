package hdf5

import (
	"bytes"
	"compress/zlib"
	"encoding/binary"
	"errors"
	"os"
	"testing"

	"github.com/bmkg/mkggraph/format/budget"
	"github.com/bmkg/mkggraph/format/internal/memtest"
	"github.com/bmkg/mkggraph/internal/golden"
)

// hostileChunk is testdata/hostile-chunk.h5 (see testdata/README): the
// Py-ART sample whose reflectivity_horizontal claims chunks of
// hostileChunkRows×42 floats (67 MB), the first of them a zlib stream
// that inflates to exactly that, appended to the file.
const (
	hostileChunkFile = "testdata/hostile-chunk.h5"
	hostileChunkRows = 400_000
)

// craftHostileChunk builds hostile-chunk.h5 from the sample. The offsets
// are the sample's, checked against what they must hold.
func craftHostileChunk(t testing.TB) []byte {
	t.Helper()
	_, sample := open(t, samples[0])
	data := bytes.Clone(sample)
	le := binary.LittleEndian
	// Layout message version 3, chunked, 3 dimensions, B-tree at 27262,
	// chunks of 1×42 elements of 4 bytes.
	layout := append([]byte{3, 2, 3}, le.AppendUint64(nil, 27262)...)
	layout = le.AppendUint32(le.AppendUint32(le.AppendUint32(layout, 1), 42), 4)
	at := bytes.Index(data, layout)
	if at != 18746 || bytes.Count(data, layout) != 1 {
		t.Fatalf("reflectivity_horizontal's layout message at %d, want 18746", at)
	}
	le.PutUint32(data[at+3+8:], hostileChunkRows)
	// The chunk B-tree's first key: stored size, filter mask, offset
	// (0, 0, 0); then the chunk's address.
	if string(data[27262:27266]) != "TREE" || le.Uint32(data[27286:]) != 151 || le.Uint64(data[27318:]) != 29878 {
		t.Fatal("the chunk B-tree is not where the sample has it")
	}
	var bomb bytes.Buffer
	z, _ := zlib.NewWriterLevel(&bomb, zlib.BestCompression)
	z.Write(make([]byte, hostileChunkRows*42*4))
	z.Close()
	le.PutUint32(data[27286:], uint32(bomb.Len()))
	le.PutUint64(data[27318:], uint64(len(data)))
	return append(data, bomb.Bytes()...)
}

func TestHostileChunkIsRefused(t *testing.T) {
	golden.Check(t, hostileChunkFile, craftHostileChunk(t))
	data, err := os.ReadFile(hostileChunkFile)
	if err != nil {
		t.Fatal(err)
	}
	limit := budget.Limit(int64(len(data)), MemoryFactor)
	memtest.Within(t, "hostile-chunk.h5", int64(len(data)), limit, func() {
		f, err := Open(bytes.NewReader(data), int64(len(data)))
		if err != nil {
			t.Fatal(err)
		}
		ds, err := f.Root().Dataset("reflectivity_horizontal")
		if err != nil {
			t.Fatal(err)
		}
		_, err = ds.ReadFloat64()
		var e *budget.Error
		if !errors.As(err, &e) || e.Need != hostileChunkRows*42*4 {
			t.Errorf("read the 67 MB chunk with %v", err)
		}
	})
}

// TestRealSamplesWithinBudget reads every dataset of every sample, the
// most any caller could ask of the files: all of it fits the budget,
// with half of it to spare.
func TestRealSamplesWithinBudget(t *testing.T) {
	for _, p := range append(samples, "testdata/OR_GLM-L2-LCFA_G16_s20181830433000_e20181830433200_c20181830433231.nc",
		"../cfradial/testdata/ragged.nc", "testdata/bt2-raw.h5") {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		size := int64(len(data))
		var used int64
		memtest.Within(t, p, size, budget.Limit(size, MemoryFactor), func() {
			f, err := Open(bytes.NewReader(data), size)
			if err != nil {
				t.Fatal(err)
			}
			if err := walk(f.Root(), 0); err != nil {
				t.Fatal(err)
			}
			used = f.Budget().Used()
		})
		t.Logf("%s: %d bytes charged to the budget (%.2f per byte)", p, used, float64(used)/float64(size))
		if 2*used > budget.Limit(size, MemoryFactor) {
			t.Errorf("%s: used %d of its budget of %d", p, used, budget.Limit(size, MemoryFactor))
		}
	}
}

// TestReadRowsMatchesWholeRead reads runs of rows of every numeric dataset
// of every sample, whatever its storage and chunk index: each run is the
// same slice of the whole dataset.
func TestReadRowsMatchesWholeRead(t *testing.T) {
	for _, p := range append(samples, "testdata/bt2-raw.h5", "../cfradial/testdata/ragged.nc") {
		f, _ := open(t, p)
		names, err := f.Root().Names()
		if err != nil {
			t.Fatal(err)
		}
		for _, name := range names {
			ds, err := f.Root().Dataset(name)
			if err != nil || (ds.Kind() != "float" && ds.Kind() != "integer") || len(ds.Dims()) == 0 {
				continue
			}
			whole, err := ds.ReadFloat64()
			if err != nil {
				t.Fatal(err)
			}
			rows := ds.Dims()[0]
			if rows == 0 {
				continue
			}
			per := int64(len(whole)) / rows
			for _, w := range [][2]int64{{0, rows}, {1, rows - 1}, {rows / 2, 1}, {rows - 1, 1}, {rows / 3, rows / 2}, {rows, 0}} {
				if w[0] > rows || w[1] < 0 || w[0]+w[1] > rows {
					continue
				}
				v, err := ds.ReadRows(w[0], w[1])
				if err != nil {
					t.Fatalf("%s %s rows %v: %v", p, name, w, err)
				}
				want := whole[w[0]*per : (w[0]+w[1])*per]
				if v.Len() != len(want) {
					t.Fatalf("%s %s rows %v: %d values, want %d", p, name, w, v.Len(), len(want))
				}
				for i, x := range want {
					if y := v.Float64(i); y != x && !(x != x && y != y) {
						t.Fatalf("%s %s rows %v: value %d is %v, want %v", p, name, w, i, y, x)
					}
				}
			}
		}
	}
	f, _ := open(t, samples[0])
	ds, err := f.Root().Dataset("reflectivity_horizontal")
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range [][2]int64{{0, 41}, {40, 1}, {-1, 1}, {3, -1}} {
		if _, err := ds.ReadRows(w[0], w[1]); err == nil {
			t.Errorf("rows %v of 40 were read", w)
		}
	}
}
