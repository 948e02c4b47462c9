package glm

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/bmkg/mkggraph/internal/golden"
)

// TestGolden compares the complete result of Parse with testdata/golden.
func TestGolden(t *testing.T) {
	f, _ := parseFile(t, filepath.Join(sampleDir, sample))
	golden.JSON(t, filepath.Join("testdata", "golden", strings.TrimSuffix(sample, filepath.Ext(sample))+".json"), f)
}
