package sqlstore

import (
	"context"
	"slices"
	"testing"

	"github.com/jmoiron/sqlx"
)

// TestDialectsAgree proves that the two migration folders end in the same
// tables with the same columns, so the shared SQL runs on both.
func TestDialectsAgree(t *testing.T) {
	lite := columnsOf(t, newSQLiteStore(t))
	pg := columnsOf(t, newPostgresStore(t))
	for table, cols := range lite {
		if !slices.Equal(cols, pg[table]) {
			t.Errorf("table %s: sqlite columns %v, postgres columns %v", table, cols, pg[table])
		}
	}
	for table := range pg {
		if _, ok := lite[table]; !ok {
			t.Errorf("table %s exists only on postgres", table)
		}
	}
	if len(lite) < 7 {
		t.Fatalf("expected at least 7 tables, found %v", lite)
	}
}

func columnsOf(t *testing.T, s *Store) map[string][]string {
	t.Helper()
	ctx := context.Background()
	out := map[string][]string{}
	var tables []string
	switch s.Dialect() {
	case "sqlite":
		if err := sqlx.SelectContext(ctx, s.db, &tables, `SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'`); err != nil {
			t.Fatal(err)
		}
		for _, tb := range tables {
			var cols []string
			if err := sqlx.SelectContext(ctx, s.db, &cols, `SELECT name FROM pragma_table_info(?)`, tb); err != nil {
				t.Fatal(err)
			}
			slices.Sort(cols)
			out[tb] = cols
		}
	default:
		// Partitions (observations_p…, lightning_strikes_p…) are PostgreSQL's
		// own; their parents are the tables.
		if err := sqlx.SelectContext(ctx, s.db, &tables, `SELECT table_name FROM information_schema.tables
			WHERE table_schema = current_schema() AND NOT EXISTS (SELECT 1 FROM pg_inherits i
				WHERE i.inhrelid = to_regclass(quote_ident(table_schema) || '.' || quote_ident(table_name)))`); err != nil {
			t.Fatal(err)
		}
		for _, tb := range tables {
			var cols []string
			if err := sqlx.SelectContext(ctx, s.db, &cols, `SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = $1`, tb); err != nil {
				t.Fatal(err)
			}
			slices.Sort(cols)
			out[tb] = cols
		}
	}
	return out
}

func TestMigrateIsIdempotentAndRecorded(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		applied, err := s.Migrate(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(applied) != 0 {
			t.Fatalf("second Migrate applied %v again", applied)
		}
		versions, err := s.AppliedMigrations(ctx)
		if err != nil {
			t.Fatal(err)
		}
		all, _ := migrations(s.Dialect())
		if len(versions) != len(all) || versions[0] != 1 {
			t.Fatalf("recorded migrations %v, want 1..%d", versions, len(all))
		}
	})
}
