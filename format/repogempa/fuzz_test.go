package repogempa

import (
	"testing"

	"github.com/bmkg/mkggraph/format/internal/fixture"
	"github.com/bmkg/mkggraph/format/internal/quaketest"
	"github.com/bmkg/mkggraph/format/quake"
)

// FuzzParse checks that no input makes Parse panic, and that whatever it
// accepts is within the ranges it promises.
func FuzzParse(f *testing.F) {
	for _, s := range samples {
		f.Add(fixture.Read(f, s.name))
	}
	f.Add(onePage(goodRow))
	f.Fuzz(func(t *testing.T, data []byte) {
		Detect(data)
		events, rejects, err := Parse(data)
		quaketest.Sound(t, events, rejects, err, quake.BelowSurface)
	})
}
