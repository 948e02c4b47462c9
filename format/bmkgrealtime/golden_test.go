package bmkgrealtime

import (
	"testing"

	"github.com/bmkg/mkggraph/format/internal/quaketest"
)

func TestGolden(t *testing.T) {
	quaketest.Golden(t, Parse, samples...)
}
