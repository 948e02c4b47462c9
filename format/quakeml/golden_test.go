package quakeml

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
	for _, s := range samples {
		t.Run(s.name, func(t *testing.T) {
			events, rejects, err := Parse(readSample(t, s.name))
			if err != nil {
				t.Fatal(err)
			}
			got, err := json.MarshalIndent(goldenFile{events, rejects}, "", "  ")
			if err != nil {
				t.Fatal(err)
			}
			got = append(got, '\n')
			path := filepath.Join("testdata", "golden", strings.TrimSuffix(s.name, filepath.Ext(s.name))+".json")
			golden.Check(t, path, got)
		})
	}
}
