package glm

import (
	"encoding/json"
	"github.com/bmkg/mkggraph/internal/golden"
	"path/filepath"
	"strings"
	"testing"
)

// TestGolden compares the complete result of Parse with testdata/golden.
func TestGolden(t *testing.T) {
	f, _ := parseFile(t, filepath.Join(sampleDir, sample))
	got, err := json.MarshalIndent(f, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	got = append(got, '\n')
	path := filepath.Join("testdata", "golden", strings.TrimSuffix(sample, filepath.Ext(sample))+".json")
	golden.Check(t, path, got)
}
