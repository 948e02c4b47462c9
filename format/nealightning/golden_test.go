package nealightning

import (
	"testing"

	"github.com/bmkg/mkggraph/format/internal/fixture"
	"github.com/bmkg/mkggraph/format/reject"
	"github.com/bmkg/mkggraph/internal/golden"
)

// goldenFile is what a golden file holds: the complete result of Parse.
type goldenFile struct {
	Strikes    []Strike
	Rejects    []reject.Reject
	Duplicates int
}

func TestGolden(t *testing.T) {
	for _, s := range samples {
		t.Run(s.name, func(t *testing.T) {
			strikes, rejects, dups, err := Parse(fixture.Read(t, s.name))
			if err != nil {
				t.Fatal(err)
			}
			golden.JSON(t, golden.PathOf(s.name), goldenFile{strikes, rejects, dups})
		})
	}
}
