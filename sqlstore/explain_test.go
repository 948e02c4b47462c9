package sqlstore

import (
	"context"
	"slices"
	"testing"
)

// TestTableScans: the plan check sees a data table read whole (by name or
// alias) and lets index seeks and ordered index walks pass, on both
// databases. With no rows PostgreSQL may prefer reading a table whole, so
// the reads that must seek are checked under enable_seqscan = off, which
// leaves a sequential scan only where no index can serve.
func TestTableScans(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		if s.Dialect() == "postgres" {
			s.db.SetMaxOpenConns(1) // the setting is per session
			if _, err := s.db.ExecContext(ctx, "SET enable_seqscan = off"); err != nil {
				t.Fatal(err)
			}
		}
		for _, c := range []struct {
			query string
			scans []string
		}{
			{"SELECT o.id FROM observations o WHERE o.report_text = ?", []string{"observations"}},
			{"SELECT id FROM earthquakes WHERE region = ?", []string{"earthquakes"}},
			{"SELECT o.id FROM observations o WHERE o.station_wmo = ?", nil},
			{"SELECT o.id FROM observations o JOIN stations s ON s.wmo_index = o.station_wmo WHERE o.station_wmo = ?", nil},
		} {
			got, err := s.TableScans(ctx, s.rebind(c.query), []any{"x"})
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(got, c.scans) {
				t.Errorf("%s: scans %v, want %v", c.query, got, c.scans)
			}
		}
	})
}
