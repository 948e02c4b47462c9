package bmkgrealtime

import (
	"testing"

	"github.com/bmkg/mkggraph/format/internal/fixture"
	"github.com/bmkg/mkggraph/format/quake"
	"github.com/bmkg/mkggraph/format/reject"
	"github.com/bmkg/mkggraph/internal/golden"
)

// goldenFile is what a golden file holds: the complete result of Parse.
type goldenFile struct {
	Events  []quake.Event
	Rejects []reject.Reject
}

func TestGolden(t *testing.T) {
	for _, name := range samples {
		t.Run(name, func(t *testing.T) {
			events, rejects, err := Parse(fixture.Read(t, name))
			if err != nil {
				t.Fatal(err)
			}
			golden.JSON(t, golden.PathOf(name), goldenFile{events, rejects})
		})
	}
}
