package cfradial

import (
	"bytes"
	"encoding/binary"
	"errors"
	"os"
	"testing"

	"github.com/bmkg/mkggraph/format/budget"
	"github.com/bmkg/mkggraph/format/hdf5"
	"github.com/bmkg/mkggraph/format/internal/fixture"
	"github.com/bmkg/mkggraph/format/internal/memtest"
	"github.com/bmkg/mkggraph/internal/golden"
)

// hostileRays is how many rays testdata/hostile-dims.nc claims: as many
// 8-byte times as the reader before the memory budget let a file of its
// size ask for (1100 times its size plus 1 MiB).
const hostileRays = 9_900_000

// craftHostileDims builds hostile-dims.nc (see testdata/README): the
// Py-ART sample with the current size of its time variable, 40 rays,
// rewritten in place. The rays it does not hold would read as fill.
func craftHostileDims(t testing.TB) []byte {
	t.Helper()
	data := bytes.Clone(fixture.Read(t, samples[0]))
	// Dataspace message version 2, rank 1, maximum given, simple: size
	// 40, maximum unlimited. time's is the first of six such.
	space := binary.LittleEndian.AppendUint64([]byte{2, 1, 1, 1}, 40)
	space = append(space, bytes.Repeat([]byte{0xff}, 8)...)
	if at := bytes.Index(data, space); at != 2026 {
		t.Fatalf("time's dataspace at %d, want 2026", at)
	}
	binary.LittleEndian.PutUint64(data[2026+4:], hostileRays)
	return data
}

// TestHostileFilesAreRefused: a file claiming far more rays than it
// holds is refused by Parse, one whose moment claims a 67 MB chunk (made
// for format/hdf5) by Decode, both before allocating for what they claim.
func TestHostileFilesAreRefused(t *testing.T) {
	golden.Check(t, "testdata/hostile-dims.nc", craftHostileDims(t))
	for _, c := range []struct {
		path   string
		decode bool
	}{{"testdata/hostile-dims.nc", false}, {"../hdf5/testdata/hostile-chunk.h5", true}} {
		data, err := os.ReadFile(c.path)
		if err != nil {
			t.Fatal(err)
		}
		size := int64(len(data))
		memtest.Within(t, c.path, size, budget.Limit(size, hdf5.MemoryFactor), func() {
			v, err := Parse(bytes.NewReader(data), size)
			if c.decode && err == nil {
				_, err = v.Decode(bytes.NewReader(data), size, 0, v.Sweeps[0].Moments[0].Name)
			}
			if !errors.Is(err, budget.ErrTooLarge) {
				t.Errorf("%s: %v", c.path, err)
			}
		})
	}
}

// TestRealSamplesWithinBudget parses and decodes every sample: each call
// stays within the file's budget (Parse and Decode have one each).
func TestRealSamplesWithinBudget(t *testing.T) {
	files := map[string][]byte{"testdata/ragged.nc": nil}
	for _, name := range samples {
		files[name] = fixture.Read(t, name)
	}
	for _, name := range []string{"layout-v4-superblock-v3.h5", "ea-superblocks.h5", "fa-paged.h5", "bt2.h5", "bt2-raw.h5", "fletcher.h5"} {
		files["../hdf5/testdata/"+name] = nil
	}
	for name, data := range files {
		if data == nil {
			var err error
			if data, err = os.ReadFile(name); err != nil {
				t.Fatal(err)
			}
		}
		size := int64(len(data))
		limit := budget.Limit(size, hdf5.MemoryFactor)
		var v *Volume
		memtest.Within(t, name+" Parse", size, limit, func() {
			var err error
			if v, err = Parse(bytes.NewReader(data), size); err != nil {
				t.Fatal(err)
			}
		})
		memtest.Within(t, name+" Decode", size, limit, func() {
			if _, err := v.Decode(bytes.NewReader(data), size, 0, v.Sweeps[0].Moments[0].Name); err != nil {
				t.Fatal(err)
			}
		})
	}
}
