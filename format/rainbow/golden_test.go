package rainbow

import (
	"encoding/json"
	"github.com/bmkg/mkggraph/internal/golden"
	"path/filepath"
	"strings"
	"testing"
)

// TestGolden compares the whole Volume of each sample with its golden file.
// The sample's was checked by hand against the XML header: 143DEX at
// 50.856633N 6.379967E 116.7 m, slices at 00:00:06 ... 00:03:04 UTC with
// posangles 0.6 ... 30.0, 361 rays x 400 bins, rangestep 0.25 km.
func TestGolden(t *testing.T) {
	for _, name := range samples {
		t.Run(name, func(t *testing.T) {
			v, err := Parse(readSample(t, name))
			if err != nil {
				t.Fatal(err)
			}
			got, err := json.MarshalIndent(v, "", "  ")
			if err != nil {
				t.Fatal(err)
			}
			got = append(got, '\n')
			path := filepath.Join("testdata", "golden", strings.TrimSuffix(name, filepath.Ext(name))+".json")
			golden.Check(t, path, got)
		})
	}
}
