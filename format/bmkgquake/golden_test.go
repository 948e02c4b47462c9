package bmkgquake

import (
	"testing"

	"github.com/bmkg/mkggraph/format/internal/quaketest"
)

func TestGolden(t *testing.T) {
	var names []string
	for _, s := range samples {
		names = append(names, s.name)
	}
	quaketest.Golden(t, Parse, names...)
}
