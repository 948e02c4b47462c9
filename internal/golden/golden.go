// Package golden compares a test's output with its file under
// testdata/golden, and rewrites the file instead when the tests run with
// -update (go test ./format/<fmt> -update, then review the diff).
package golden

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

// PathOf is the golden file of a sample: testdata/golden/<name without its
// extension>.json.
func PathOf(sample string) string {
	return filepath.Join("testdata", "golden", strings.TrimSuffix(sample, filepath.Ext(sample))+".json")
}

// Check compares got with the file at path, or rewrites it under -update.
func Check(t testing.TB, path string, got []byte) {
	t.Helper()
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
}

// JSON checks v, written as indented JSON with a final newline, against
// the file at path (or rewrites it under -update).
func JSON(t testing.TB, path string, v any) {
	t.Helper()
	got, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	Check(t, path, append(got, '\n'))
}

// List is one named list of a golden object.
type List struct {
	Name  string
	Items []any
}

// Lines writes lists as one JSON object with an item per line: files of
// thousands of records stay small and diff well.
func Lines(lists ...List) ([]byte, error) {
	var b bytes.Buffer
	b.WriteString("{\n")
	for i, l := range lists {
		b.WriteString("\"" + l.Name + "\": [\n")
		for j, v := range l.Items {
			js, err := json.Marshal(v)
			if err != nil {
				return nil, err
			}
			b.Write(js)
			if j < len(l.Items)-1 {
				b.WriteByte(',')
			}
			b.WriteByte('\n')
		}
		b.WriteString("]")
		if i < len(lists)-1 {
			b.WriteByte(',')
		}
		b.WriteByte('\n')
	}
	b.WriteString("}\n")
	return b.Bytes(), nil
}

// Items converts a typed slice for a List.
func Items[T any](xs []T) []any {
	out := make([]any, len(xs))
	for i, x := range xs {
		out[i] = x
	}
	return out
}
