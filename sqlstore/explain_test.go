package sqlstore

import (
	"context"
	"slices"
	"testing"
)

// TestTableScans: the plan check sees a data table read whole, by name or
// alias, by a sequential scan or an index walked end to end, and lets seeks
// and index walks cut by a LIMIT pass, on both databases.
func TestTableScans(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		for _, c := range []struct {
			query string
			scans []string
		}{
			{"SELECT o.id FROM observations o WHERE o.report_text = ?", []string{"observations"}},
			{"SELECT id FROM earthquakes WHERE region = ?", []string{"earthquakes"}},
			{"SELECT COUNT(*) FROM observations o WHERE o.source <> ?", []string{"observations"}},
			{"SELECT o.id FROM observations o WHERE o.station_wmo = ?", nil},
			{"SELECT o.id FROM observations o JOIN stations s ON s.wmo_index = o.station_wmo WHERE o.station_wmo = ?", nil},
			{"SELECT o.id FROM observations o WHERE o.source <> ? ORDER BY o.observed_at DESC, o.id DESC LIMIT 5", nil},
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

func TestHasLimit(t *testing.T) {
	for q, want := range map[string]bool{
		"SELECT 1 FROM t LIMIT 5":                              true,
		"SELECT * FROM (SELECT 1 FROM t LIMIT 5) x":            false,
		"SELECT 1 FROM t WHERE unlimited = 1":                  false,
		"select * from t where x in (select y from u) limit ?": true,
	} {
		if got := hasLimit(q); got != want {
			t.Errorf("hasLimit(%q) = %v", q, got)
		}
	}
}
