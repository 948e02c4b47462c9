package quakeml

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite testdata/golden from the current output")

// golden is what a golden file holds: the complete result of Parse.
type golden struct {
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
			got, err := json.MarshalIndent(golden{events, rejects}, "", "  ")
			if err != nil {
				t.Fatal(err)
			}
			got = append(got, '\n')
			path := filepath.Join("testdata", "golden", strings.TrimSuffix(s.name, filepath.Ext(s.name))+".json")
			if *update {
				if err := os.WriteFile(path, got, 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run go test -update to create it)", err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("output differs from %s; run go test -update and review the diff", path)
			}
		})
	}
}
