package ingest_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/bmkg/mkggraph/format/budget"
	"github.com/bmkg/mkggraph/ingest"
	"github.com/bmkg/mkggraph/mkg"
)

// TestHostileFilesAreRefusedWhole feeds ingest the crafted files of the
// format packages' testdata, each small and declaring far more data than
// it holds (see the READMEs there): each is refused with a message that
// says so, names no path and no Go type, and nothing of it is stored, not
// even the file (a CfRadial file whose metadata cannot be read is
// otherwise kept; a quick-look that cannot be drawn is otherwise a note).
func TestHostileFilesAreRefusedWhole(t *testing.T) {
	sm := "strong-motion/"
	cases := []struct {
		path, format string
		opt          func(t *testing.T) ingest.Options
	}{
		{"cfradial/testdata/hostile-dims.nc", "cfradial-netcdf4", nil},
		{"hdf5/testdata/hostile-chunk.h5", "cfradial-netcdf4", nil}, // refused at the quick-look
		{"wdss2/testdata/hostile-sparse.nc", "wdss2-netcdf", nil},   // refused at the quick-look
		{"rainbow/testdata/hostile-blob.vol", "rainbow5", nil},
		{"glm/testdata/hostile-flashes.nc", "goes-glm", nil},
		{"dataonline/testdata/hostile-bomb.xlsx", "bmkg-dataonline", nil},
		{"miniseed/testdata/hostile-samples.mseed", "miniseed", func(t *testing.T) ingest.Options {
			return ingest.Options{Inventory: sample(t, sm+"mseed-nc72282711/BK.CMB.xml")}
		}},
		{"sac/testdata/hostile-npts.sac", "sac", func(t *testing.T) ingest.Options {
			return ingest.Options{SACUnit: "g", Event: sample(t, sm+"sac-ci38457511/event.json")}
		}},
	}
	for _, c := range cases {
		t.Run(filepath.Base(c.path), func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join("../format", c.path))
			if err != nil {
				t.Fatal(err)
			}
			var opt ingest.Options
			if c.opt != nil {
				opt = c.opt(t)
			}
			ctx := context.Background()
			s, in, dir := sqliteIngester(t)
			sum, err := in.File(ctx, filepath.Base(c.path), data, opt)
			if !errors.Is(err, budget.ErrTooLarge) || sum.Format != c.format {
				t.Fatalf("%s: error %v, want the memory budget's", sum.Format, err)
			}
			msg := err.Error()
			if !strings.Contains(msg, "the file declares more data than its size can justify") ||
				strings.Contains(msg, dir) || strings.Contains(msg, "*") || strings.Contains(msg, "budget.") {
				t.Errorf("message %q", msg)
			}
			if sum.Inserted+sum.Updated+sum.Unchanged != 0 {
				t.Errorf("summary %+v", sum)
			}
			scans, err := s.RadarScans(ctx, mkg.RadarScanFilter{}, mkg.Page{Limit: 5})
			if err != nil {
				t.Fatal(err)
			}
			// The GLM granule's day, over the whole globe.
			day := time.Date(2018, 7, 2, 0, 0, 0, 0, time.UTC)
			strikes, err := s.LightningStrikes(ctx, mkg.LightningFilter{BBox: mkg.BBox{South: -90, West: -180, North: 90, East: 180},
				From: day, To: day.Add(24 * time.Hour)}, mkg.Page{Limit: 5})
			if err != nil {
				t.Fatal(err)
			}
			if n := storedFiles(t, filepath.Join(dir, "files")); n != 0 || len(scans.Scans) != 0 || len(strikes.Strikes) != 0 {
				t.Errorf("refused file left %d stored files, %d scans, %d strikes", n, len(scans.Scans), len(strikes.Strikes))
			}
			t.Logf("refused: %s", msg)
		})
	}
}
