package feeds_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/bmkg/mkggraph/feeds"
	"github.com/bmkg/mkggraph/ingest"
)

func TestDefaultsAreValidAndDisabled(t *testing.T) {
	for _, in := range feeds.Defaults() {
		if err := in.Validate("default", ingest.FormatNames()); err != nil {
			t.Errorf("%s: %v", in.Name, err)
		}
		if in.Enabled == nil || *in.Enabled || in.Format == "" || !strings.HasPrefix(in.URL, "https://") {
			t.Errorf("%s: enabled %v, format %q, url %q", in.Name, in.Enabled, in.Format, in.URL)
		}
	}
}

func TestReadConfigNamesTheFault(t *testing.T) {
	for doc, want := range map[string]string{
		`{"feeds": [{"name": "a", "kind": "http", "url": "https://example.org/a.json", "interval": "30s"}, {"name": "b", "kind": "http", "url": "gopher://x", "interval": "30s"}]}`: "feeds[1].url",
		`{"feeds": [{"name": "a", "kind": "http", "url": "https://example.org/a.json", "interval": "soon"}]}`:                                                                       "feeds[0].interval",
		`{"feeds": [{"name": "a", "kind": "http", "url": "https://example.org/a.json", "interval": "1s"}]}`:                                                                         "feeds[0].interval",
		`{"feeds": [{"name": "a", "kind": "spool", "path": "../up", "interval": "5s"}]}`:                                                                                            "feeds[0].path",
		`{"feeds": [{"name": "a", "kind": "ftp", "url": "https://example.org/a.json", "interval": "5s"}]}`:                                                                          "feeds[0].kind",
		`{"feeds": [{"name": "a", "kind": "http", "uri": "https://example.org/a.json", "interval": "5s"}]}`:                                                                         `unknown field "uri"`,
		`{"feeds": [`: "unexpected EOF",
	} {
		file := filepath.Join(t.TempDir(), "feeds.json")
		if err := os.WriteFile(file, []byte(doc), 0o644); err != nil {
			t.Fatal(err)
		}
		if _, err := feeds.ReadConfig(file); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: %v, want %q", doc, err, want)
		}
	}
}
