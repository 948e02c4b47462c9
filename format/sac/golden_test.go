package sac

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
	Header  Header
	Records []strongmotion.Summary
}

func TestGolden(t *testing.T) {
	for _, name := range samples {
		t.Run(name, func(t *testing.T) {
			h, recs, err := Parse(fixture.Read(t, name), G)
			if err != nil {
				t.Fatal(err)
			}
			g := goldenFile{Header: h}
			for _, r := range recs {
				g.Records = append(g.Records, strongmotion.Summarize(r).Rounded())
			}
			golden.JSON(t, filepath.Join("testdata", "golden", name+".json"), g)
		})
	}
}
