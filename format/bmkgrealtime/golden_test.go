package bmkgrealtime

import (
	"encoding/json"
	"github.com/bmkg/mkggraph/internal/golden"
	"path/filepath"
	"strings"
	"testing"
)

// goldenFile is what a goldenFile file holds: the complete result of Parse.
type goldenFile struct {
	Events  []Event
	Rejects []Reject
}

func TestGolden(t *testing.T) {
	for _, name := range samples {
		t.Run(name, func(t *testing.T) {
			events, rejects, err := Parse(readSample(t, name))
			if err != nil {
				t.Fatal(err)
			}
			got, err := json.MarshalIndent(goldenFile{events, rejects}, "", "  ")
			if err != nil {
				t.Fatal(err)
			}
			got = append(got, '\n')
			path := filepath.Join("testdata", "golden", strings.TrimSuffix(name, filepath.Ext(name))+".json")
			golden.Check(t, path, got)
		})
	}
}
