package feeds_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/bmkg/mkggraph/feeds"
	"github.com/bmkg/mkggraph/mkg"
	"github.com/bmkg/mkggraph/sqlstore"
)

// TestSpoolFolder: settled files are ingested once and moved to done/, a
// refused one to failed/ with its reason; files still being written (a
// .part name, a dotfile, one that grew since the last scan) are left.
func TestSpoolFolder(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *sqlstore.Store) {
		root := t.TempDir()
		dir := filepath.Join(root, "gts")
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		put := func(name string, data []byte) {
			if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		put("autogempa.json", sample(t, "bmkg-autogempa-20211005-dompu.json"))
		put("garbage.json", []byte("<html><body>switch error</body></html>"))
		put("terkini.json.part", sample(t, "bmkg-gempaterkini-20230712.json"))
		put(".terkini.json", sample(t, "bmkg-gempaterkini-20230712.json"))
		dirasakan := sample(t, "bmkg-gempadirasakan-20251224.json")
		put("dirasakan.json", dirasakan[:len(dirasakan)/2])

		h := newHarness(t, s, feeds.Options{SpoolRoot: root, Settle: 2 * time.Second})
		on := true
		if _, err := s.CreateFeed(context.Background(), mkg.Actor{Label: "test"}, mkg.FeedInput{Name: "switch", Kind: mkg.FeedSpool, Path: "gts",
			Interval: 5 * time.Second, Enabled: &on}); err != nil {
			t.Fatal(err)
		}
		h.clock.advance(3 * time.Second)
		if f := h.poll(t, "switch"); f.State.Totals != (mkg.FeedCounts{}) || h.quakes(t) != 0 {
			t.Fatalf("first scan read files not seen settled before: %+v", f.State)
		}
		// dirasakan.json is still being written: it grows between scans.
		put("dirasakan.json", dirasakan)
		h.clock.advance(5 * time.Second)
		f := h.poll(t, "switch")
		if f.State.Totals.Inserted != 1 || h.quakes(t) != 1 {
			t.Fatalf("second scan: %+v, %d events", f.State, h.quakes(t))
		}
		if !strings.Contains(f.State.LastError, "garbage.json: not in a recognised format") {
			t.Errorf("last error %q", f.State.LastError)
		}
		if f.State.Failures != 0 {
			t.Errorf("refused files backed the folder off: failures %d", f.State.Failures)
		}
		exists := func(rel string) bool { _, err := os.Stat(filepath.Join(dir, rel)); return err == nil }
		for _, rel := range []string{"done/autogempa.json", "failed/garbage.json", "terkini.json.part", ".terkini.json", "dirasakan.json"} {
			if !exists(rel) {
				t.Errorf("%s missing", rel)
			}
		}
		for _, rel := range []string{"autogempa.json", "garbage.json", "done/autogempa.json.reason"} {
			if exists(rel) {
				t.Errorf("%s should not be there", rel)
			}
		}
		reason, err := os.ReadFile(filepath.Join(dir, "failed", "garbage.json.reason"))
		if err != nil || !strings.Contains(string(reason), "HTML page") {
			t.Errorf("reason file: %q, %v", reason, err)
		}
		// The grown file has settled now; nothing is read twice.
		h.clock.advance(5 * time.Second)
		f = h.poll(t, "switch")
		if f.State.Totals.Inserted != 16 || h.quakes(t) != 16 || f.State.LastError != "" || !exists("done/dirasakan.json") {
			t.Fatalf("third scan: %+v, %d events", f.State, h.quakes(t))
		}
		h.clock.advance(5 * time.Second)
		if w := writes(s, func() { h.poll(t, "switch") }); len(w) > 0 {
			t.Errorf("a scan with nothing new wrote %v", w)
		}
	})
}

// TestSpoolRootRequired: without a spool root a spool feed fails with the
// reason, touching no folder.
func TestSpoolRootRequired(t *testing.T) {
	s := openStore(t, "sqlite:"+filepath.Join(t.TempDir(), "feeds.db"))
	h := newHarness(t, s, feeds.Options{})
	on := true
	if _, err := s.CreateFeed(context.Background(), mkg.Actor{Label: "test"}, mkg.FeedInput{Name: "switch", Kind: mkg.FeedSpool, Path: "gts", Interval: 5 * time.Second, Enabled: &on}); err != nil {
		t.Fatal(err)
	}
	if f := h.poll(t, "switch"); !strings.Contains(f.State.LastError, "no spool root") || f.State.Failures != 1 {
		t.Fatalf("%+v", f.State)
	}
}
