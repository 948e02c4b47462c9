package netcdf

import (
	"bytes"
	"testing"

	"github.com/bmkg/mkggraph/format/budget"
	"github.com/bmkg/mkggraph/format/internal/fixture"
	"github.com/bmkg/mkggraph/format/internal/memtest"
)

// TestRealSamplesWithinBudget reads every variable of every sample, the
// most a caller could ask: it fits the budget with half of it to spare.
// Data must lie in the file, so no classic file can claim more than its
// size widened to float64; the hostile netCDF is a WDSS-II sparse set
// (format/wdss2), whose grid comes from its dimensions alone.
func TestRealSamplesWithinBudget(t *testing.T) {
	for _, name := range samples {
		data := fixture.Read(t, name)
		size := int64(len(data))
		var used int64
		memtest.Within(t, name, size, budget.Limit(size, MemoryFactor), func() {
			f, err := Open(bytes.NewReader(data), size)
			if err != nil {
				t.Fatal(err)
			}
			for i := range f.Vars {
				if f.Vars[i].Type == Char {
					continue
				}
				if _, err := f.ReadFloat64(bytes.NewReader(data), &f.Vars[i]); err != nil {
					t.Fatal(err)
				}
			}
			used = f.Budget().Used()
		})
		t.Logf("%s: %d bytes charged to the budget (%.2f per byte)", name, used, float64(used)/float64(size))
		if 2*used > budget.Limit(size, MemoryFactor) {
			t.Errorf("%s: used %d of its budget of %d", name, used, budget.Limit(size, MemoryFactor))
		}
	}
}
