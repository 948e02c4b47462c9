package miniseed

import (
	"path/filepath"
	"testing"

	"github.com/bmkg/mkggraph/format/internal/fixture"
	"github.com/bmkg/mkggraph/format/strongmotion"
	"github.com/bmkg/mkggraph/internal/golden"
)

// goldenFile is what a golden file holds: the header and, per record, its
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
			v, recs, err := Parse(fixture.Read(t, name), inv)
			if err != nil {
				t.Fatal(err)
			}
			g := goldenFile{Volume: v}
			for _, r := range recs {
				g.Records = append(g.Records, strongmotion.Summarize(r).Rounded())
			}
			golden.JSON(t, filepath.Join("testdata", "golden", name+".json"), g)
		})
	}
}
