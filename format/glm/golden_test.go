package glm

import (
	"path/filepath"
	"testing"

	"github.com/bmkg/mkggraph/internal/golden"
)

// TestGolden compares the complete result of Parse with testdata/golden.
func TestGolden(t *testing.T) {
	f, _ := parseFile(t, filepath.Join(sampleDir, sample))
	golden.JSON(t, golden.PathOf(sample), f)
}
