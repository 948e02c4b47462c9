package bmkgrealtime

import (
	"testing"

	"github.com/bmkg/mkggraph/format/internal/quaketest"
	"github.com/bmkg/mkggraph/internal/golden"
)

func TestGolden(t *testing.T) {
	quaketest.Golden(t, Parse, golden.JSON, samples...)
}
