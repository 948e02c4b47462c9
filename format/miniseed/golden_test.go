package miniseed

import (
	"encoding/json"
	"github.com/bmkg/mkggraph/internal/golden"
	"math"
	"path/filepath"
	"testing"

	"github.com/bmkg/mkggraph/format/strongmotion"
)

// goldenFile is what a goldenFile file holds: the header and, per record, its
// metadata and peak values (not the samples).
type goldenFile struct {
	Volume  *Volume
	Records []strongmotion.Summary
}

func TestGolden(t *testing.T) {
	inv := inventory(t)
	for _, s := range samples {
		name := s.name
		t.Run(name, func(t *testing.T) {
			v, recs, err := Parse(readSample(t, name), inv)
			if err != nil {
				t.Fatal(err)
			}
			g := goldenFile{Volume: v}
			for _, r := range recs {
				g.Records = append(g.Records, rounded(strongmotion.Summarize(r)))
			}
			got, err := json.MarshalIndent(g, "", "  ")
			if err != nil {
				t.Fatal(err)
			}
			got = append(got, '\n')
			path := filepath.Join("testdata", "golden", name+".json")
			golden.Check(t, path, got)
		})
	}
}

// rounded keeps goldenFile files stable across architectures that fuse
// multiply-adds differently.
func rounded(s strongmotion.Summary) strongmotion.Summary {
	r := func(x float64) float64 { return math.Round(x*1e6) / 1e6 }
	s.PGAGal, s.PGVCmS, s.MMI = r(s.PGAGal), r(s.PGVCmS), r(s.MMI)
	return s
}
