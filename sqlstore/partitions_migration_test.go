package sqlstore

import (
	"context"
	"math/rand/v2"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/bmkg/mkggraph/internal/testenv"
	"github.com/bmkg/mkggraph/mkg"
)

// TestMigration0012KeepsData: a database holding observations and strikes
// before migration 0012 keeps every row and id through it, hands out new
// ids after the old ones, and has roll-ups of its old strikes.
func TestMigration0012KeepsData(t *testing.T) {
	for _, kind := range []string{"sqlite", "postgres"} {
		t.Run(kind, func(t *testing.T) {
			url := "sqlite:" + filepath.Join(t.TempDir(), "old.db")
			if kind == "postgres" {
				url = testenv.PostgresURL(t)
			}
			ctx := context.Background()
			s, err := Connect(ctx, url, Options{Logger: quiet})
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			if _, err := s.db.ExecContext(ctx, migrationsTable); err != nil {
				t.Fatal(err)
			}
			all, err := migrations(s.dialect.name)
			if err != nil || all[11].Version != 12 {
				t.Fatalf("migrations: %v", err)
			}
			for _, m := range all[:11] {
				if _, err := s.applyMigration(ctx, m); err != nil {
					t.Fatal(err)
				}
			}
			strikes := edgyStrikes(rand.New(rand.NewPCG(11, 12)), 1500, "OLD")
			fillBefore0012(t, s, strikes)
			type ids struct {
				Obs, Strikes []int64
			}
			var before, after ids
			readIDs := func(into *ids) {
				if err := s.db.Select(&into.Obs, `SELECT id FROM observations ORDER BY id`); err != nil {
					t.Fatal(err)
				}
				if err := s.db.Select(&into.Strikes, `SELECT id FROM lightning_strikes ORDER BY id`); err != nil {
					t.Fatal(err)
				}
			}
			readIDs(&before)
			if _, err := s.Migrate(ctx); err != nil {
				t.Fatal(err)
			}
			readIDs(&after)
			if !slices.Equal(before.Obs, after.Obs) || !slices.Equal(before.Strikes, after.Strikes) || len(after.Strikes) != len(strikes) {
				t.Fatalf("ids before %d observations, %d strikes; after %d, %d", len(before.Obs), len(before.Strikes), len(after.Obs), len(after.Strikes))
			}
			o := obs("96749", 0, "96749 new =", "")
			o.ObservedAt = time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)
			if res := upsertObs(t, s, o); res[0].Outcome != mkg.Inserted || res[0].ID <= slices.Max(before.Obs) {
				t.Fatalf("a new observation: %+v; want an id after %d", res[0], slices.Max(before.Obs))
			}
			if _, err := s.InsertStrikes(ctx, strikesAt(time.Date(2025, 6, 2, 0, 0, 0, 0, time.UTC), 3, "NEW")); err != nil {
				t.Fatal(err)
			}
			var newest int64
			if err := s.db.Get(&newest, `SELECT MIN(id) FROM lightning_strikes WHERE network = 'NEW'`); err != nil || newest <= slices.Max(before.Strikes) {
				t.Fatalf("a new strike has id %d (%v); want one after %d", newest, err, slices.Max(before.Strikes))
			}
			box := mkg.BBox{South: -7.2, West: 104.8, North: -4.8, East: 107.2}
			f := mkg.LightningFilter{BBox: box, From: rollupStart, To: rollupStart.Add(31 * time.Hour)}
			for _, km := range []float64{5, 25} {
				g, _ := mkg.NewDensityGrid(box, km)
				cells, err := s.LightningDensity(ctx, f, g)
				if want := countInGo(strikes, f, g); err != nil || !slices.Equal(cells, want) {
					t.Fatalf("%g km from the migrated roll-ups: %v, %d cells, want %d", km, err, len(cells), len(want))
				}
			}
			if kind == "postgres" {
				if names := partitionNames(t, s, "observations"); !slices.Equal(names, []string{"observations_p20240101",
					"observations_p20240201", "observations_p20250601"}) {
					t.Errorf("observation partitions %v", names)
				}
				if names := partitionNames(t, s, "lightning_cells"); !slices.Equal(names, []string{"lightning_cells_p20250302",
					"lightning_cells_p20250303", "lightning_cells_p20250304", "lightning_cells_p20250602"}) {
					t.Errorf("roll-up partitions %v", names)
				}
			}
		})
	}
}

// fillBefore0012 writes rows as the schema before 0012 holds them.
func fillBefore0012(t *testing.T, s *Store, strikes []mkg.Strike) {
	t.Helper()
	ctx := context.Background()
	err := s.tx(ctx, func(q sqlx.ExtContext) error {
		for _, at := range []time.Time{time.Date(2024, 1, 31, 23, 0, 0, 0, time.UTC), time.Date(2024, 2, 1, 0, 0, 0, 0, time.UTC)} {
			if _, err := q.ExecContext(ctx, s.rebind(`INSERT INTO observations (station_wmo, observed_at, ttaaii, cccc, yygggg,
				report_text, is_nil, problems_json, source, received_at, updated_at) VALUES ('96749', ?, 'SMID01', 'WIIX', '', 'x', ?, '[]', 't', ?, ?)`),
				dbTime{at}, false, dbTime{at}, dbTime{at}); err != nil {
				return err
			}
		}
		for _, st := range strikes {
			if _, err := q.ExecContext(ctx, s.rebind(`INSERT INTO lightning_strikes (time_ms, latitude, longitude, type, network)
				VALUES (?, ?, ?, ?, ?)`), st.Time.UnixMilli(), st.Latitude, st.Longitude, st.Type, st.Network); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
