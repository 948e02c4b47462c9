package wdss2

import (
	"encoding/json"
	"github.com/bmkg/mkggraph/internal/golden"
	"path/filepath"
	"strings"
	"testing"
)

func TestGolden(t *testing.T) {
	for _, name := range samples {
		t.Run(name, func(t *testing.T) {
			s, err := parse(readSample(t, name))
			if err != nil {
				t.Fatal(err)
			}
			got, err := json.MarshalIndent(s, "", "  ")
			if err != nil {
				t.Fatal(err)
			}
			got = append(got, '\n')
			path := filepath.Join("testdata", "golden", strings.TrimSuffix(name, filepath.Ext(name))+".json")
			golden.Check(t, path, got)
		})
	}
}
