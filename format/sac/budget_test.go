package sac

import (
	"bytes"
	"errors"
	"os"
	"testing"

	"github.com/bmkg/mkggraph/format/budget"
	"github.com/bmkg/mkggraph/format/internal/fixture"
	"github.com/bmkg/mkggraph/format/internal/memtest"
	"github.com/bmkg/mkggraph/internal/golden"
)

// craftHostileNPTS builds testdata/hostile-npts.sac (see testdata/README):
// the HNE sample with NPTS, header word 79, set to 2^31-1.
func craftHostileNPTS(t testing.TB) []byte {
	t.Helper()
	data := bytes.Clone(fixture.Read(t, samples[0]))
	order, _, ok := byteOrder(data)
	if !ok || order.Uint32(data[4*79:]) != 15001 {
		t.Fatal("the sample's NPTS is not 15001 at word 79")
	}
	order.PutUint32(data[4*79:], 1<<31-1)
	return data
}

func TestHostileNPTSIsRefused(t *testing.T) {
	path := "testdata/hostile-npts.sac"
	golden.Check(t, path, craftHostileNPTS(t))
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	size := int64(len(data))
	memtest.Within(t, path, size, budget.Limit(size, MemoryFactor), func() {
		_, _, err := Parse(data, G)
		var e *budget.Error
		if !errors.As(err, &e) || e.Need != 8*(1<<31-1) {
			t.Errorf("%v", err)
		}
	})
}

func TestRealSamplesWithinBudget(t *testing.T) {
	for _, name := range samples {
		data := fixture.Read(t, name)
		size := int64(len(data))
		memtest.Within(t, name, size, budget.Limit(size, MemoryFactor), func() {
			if _, _, err := Parse(data, G); err != nil {
				t.Fatal(err)
			}
		})
	}
}
