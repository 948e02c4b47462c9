package glm

import (
	"bytes"
	"encoding/binary"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/bmkg/mkggraph/format/budget"
	"github.com/bmkg/mkggraph/format/hdf5"
	"github.com/bmkg/mkggraph/format/internal/memtest"
	"github.com/bmkg/mkggraph/internal/golden"
)

// hostileFlashes is how many flashes testdata/hostile-flashes.nc claims,
// just under MaxFlashes.
const hostileFlashes = 1_000_000

// craftHostileFlashes builds hostile-flashes.nc (see testdata/README)
// from small.nc: each of its eight flash variables, 5 values stored
// contiguously, claims 1,000,000 values and no storage, which reads as
// fill. The offsets are small.nc's, checked against what they must hold.
func craftHostileFlashes(t testing.TB) []byte {
	t.Helper()
	sample, err := os.ReadFile("testdata/small.nc")
	if err != nil {
		t.Fatal(err)
	}
	data := bytes.Clone(sample)
	le := binary.LittleEndian
	for _, v := range []struct {
		space, addr, size int // the dataspace message, where the data is, its bytes
	}{
		{3043, 16273, 10}, {3427, 16283, 10}, {4018, 16293, 10}, {5614, 16303, 20},
		{5882, 16323, 20}, {6150, 16343, 10}, {6691, 16353, 10}, {7230, 16363, 10},
	} {
		// Dataspace version 2, rank 1, maximum given, simple: 5 of 5.
		space := le.AppendUint64(le.AppendUint64([]byte{2, 1, 1, 1}, 5), 5)
		if !bytes.Equal(data[v.space:v.space+20], space) {
			t.Fatalf("no dataspace of 5 values at %d", v.space)
		}
		le.PutUint64(data[v.space+4:], hostileFlashes)
		le.PutUint64(data[v.space+12:], hostileFlashes)
		// Layout message version 3, contiguous, at addr, size bytes.
		layout := le.AppendUint64(le.AppendUint64([]byte{3, 1}, uint64(v.addr)), uint64(v.size))
		at := bytes.Index(data, layout)
		if at < 0 || bytes.Count(data, layout) != 1 {
			t.Fatalf("no single layout message for the data at %d", v.addr)
		}
		le.PutUint64(data[at+2:], ^uint64(0)) // undefined address: never written
	}
	return data
}

func TestHostileFileIsRefused(t *testing.T) {
	path := "testdata/hostile-flashes.nc"
	golden.Check(t, path, craftHostileFlashes(t))
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	size := int64(len(data))
	memtest.Within(t, path, size, budget.Limit(size, hdf5.MemoryFactor), func() {
		if _, err := Parse(bytes.NewReader(data), size); !errors.Is(err, budget.ErrTooLarge) {
			t.Errorf("%v", err)
		}
	})
}

func TestRealSamplesWithinBudget(t *testing.T) {
	for _, p := range []string{"testdata/small.nc", "testdata/empty.nc", filepath.Join(sampleDir, sample)} {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		size := int64(len(data))
		memtest.Within(t, p, size, budget.Limit(size, hdf5.MemoryFactor), func() {
			if _, err := Parse(bytes.NewReader(data), size); err != nil {
				t.Fatal(err)
			}
		})
	}
}
