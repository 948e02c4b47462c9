package rainbow

import (
	"testing"

	"github.com/bmkg/mkggraph/format/internal/fixture"
	"github.com/bmkg/mkggraph/internal/golden"
)

// TestGolden compares the whole Volume of each sample with its golden file.
// The sample's was checked by hand against the XML header: 143DEX at
// 50.856633N 6.379967E 116.7 m, slices at 00:00:06 ... 00:03:04 UTC with
// posangles 0.6 ... 30.0, 361 rays x 400 bins, rangestep 0.25 km.
func TestGolden(t *testing.T) {
	for _, name := range samples {
		t.Run(name, func(t *testing.T) {
			v, err := Parse(fixture.Read(t, name))
			if err != nil {
				t.Fatal(err)
			}
			golden.JSON(t, golden.PathOf(name), v)
		})
	}
}
