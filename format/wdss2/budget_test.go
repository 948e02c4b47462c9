package wdss2

import (
	"errors"
	"os"
	"testing"

	"github.com/bmkg/mkggraph/format/budget"
	"github.com/bmkg/mkggraph/format/internal/fixture"
	"github.com/bmkg/mkggraph/format/internal/memtest"
	"github.com/bmkg/mkggraph/format/netcdf"
	"github.com/bmkg/mkggraph/internal/golden"
)

// hostileSide is the number of rays and of gates of
// testdata/hostile-sparse.nc: a grid of MaxCells cells, 64 MB of float32.
const hostileSide = 4096

// craftHostileSparse builds hostile-sparse.nc (see testdata/README): the
// three-pixel SparseRadialSet of sparse_test.go, made reflectivity (so
// that ingest draws its quick-look), with its Azimuth and Gate dimensions
// at 4096, its per-ray variables grown to match. A sparse set stores only
// the pixels that hold echoes; the grid they are spread over comes from
// the dimensions alone.
func craftHostileSparse() []byte {
	c := sparseSet()
	c.attrs[0] = attr{"TypeName", "Reflectivity"}
	c.vars[3].name = "Reflectivity"
	c.vars[3].attrs[0] = attr{"Units", "dBZ"}
	c.dims[0].len, c.dims[1].len = hostileSide, hostileSide
	for i := range c.vars[:3] { // Azimuth, BeamWidth, GateWidth
		v := c.vars[i].data[0]
		c.vars[i].data = make([]float64, hostileSide)
		for k := range c.vars[i].data {
			c.vars[i].data[k] = v
			if c.vars[i].name == "Azimuth" {
				c.vars[i].data[k] = float64(k) * 360 / hostileSide
			}
		}
	}
	return c.bytes()
}

func TestHostileSparseSetIsRefused(t *testing.T) {
	path := "testdata/hostile-sparse.nc"
	golden.Check(t, path, craftHostileSparse())
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	size := int64(len(data))
	if _, err := parse(data); err != nil {
		t.Fatalf("the metadata of the hostile set should read: %v", err)
	}
	memtest.Within(t, path, size, budget.Limit(size, netcdf.MemoryFactor), func() {
		_, err := decode(data)
		var e *budget.Error
		if !errors.As(err, &e) || e.Need != 4*hostileSide*hostileSide {
			t.Errorf("decoded a grid of %d cells with %v", hostileSide*hostileSide, err)
		}
	})
}

func TestRealSamplesWithinBudget(t *testing.T) {
	files := map[string][]byte{"sparse": sparseSet().bytes()}
	for _, name := range samples {
		files[name] = fixture.Read(t, name)
	}
	for name, data := range files {
		size := int64(len(data))
		limit := budget.Limit(size, netcdf.MemoryFactor)
		memtest.Within(t, name+" Parse", size, limit, func() {
			if _, err := parse(data); err != nil {
				t.Fatal(err)
			}
		})
		memtest.Within(t, name+" Decode", size, limit, func() {
			if _, err := decode(data); err != nil {
				t.Fatal(err)
			}
		})
	}
}
