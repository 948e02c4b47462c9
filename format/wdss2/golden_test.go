package wdss2

import (
	"testing"

	"github.com/bmkg/mkggraph/format/internal/fixture"
	"github.com/bmkg/mkggraph/internal/golden"
)

func TestGolden(t *testing.T) {
	for _, name := range samples {
		t.Run(name, func(t *testing.T) {
			s, err := parse(fixture.Read(t, name))
			if err != nil {
				t.Fatal(err)
			}
			golden.JSON(t, golden.PathOf(name), s)
		})
	}
}
