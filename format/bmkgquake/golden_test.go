package bmkgquake

import (
	"testing"

	"github.com/bmkg/mkggraph/format/internal/quaketest"
	"github.com/bmkg/mkggraph/internal/golden"
)

func TestGolden(t *testing.T) {
	var names []string
	for _, s := range samples {
		names = append(names, s.name)
	}
	quaketest.Golden(t, Parse, golden.JSON, names...)
}
