package sqlstore

import (
	"context"
	"math"
	"math/rand/v2"
	"os"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/bmkg/mkggraph/mkg"
)

// BenchmarkLightningVolume loads MKG_BENCH_STRIKES strikes (default 5
// million) into a fresh store of each kind, in time order and batches of
// 100,000 as a feed or an archive delivers them, then times the queries
// dashboards make. Run it alone, it takes minutes:
//
//	TEST_DATABASE_URL=… go test ./sqlstore -run '^$' -bench LightningVolume -benchtime 20x -timeout 60m
//
// On PostgreSQL the partitions of all of 2025 exist before the load, as
// they would with a year of data.
func BenchmarkLightningVolume(b *testing.B) {
	n := 5_000_000
	if v, err := strconv.Atoi(os.Getenv("MKG_BENCH_STRIKES")); err == nil && v > 0 {
		n = v
	}
	for _, kind := range []string{"sqlite", "postgres"} {
		b.Run(kind, func(b *testing.B) {
			var s *Store
			if kind == "sqlite" {
				s = newSQLiteStore(b)
			} else {
				if url := os.Getenv("MKG_BENCH_KEEP_URL"); url != "" {
					s = openStore(b, url) // a database of your own, kept for EXPLAIN afterwards
				} else {
					s = newPostgresStore(b)
				}
				if err := s.ensurePartitions(context.Background(), "lightning_strikes", everyDay(benchStart, 365)); err != nil {
					b.Fatal(err)
				}
			}
			benchLightning(b, s, n)
		})
	}
}

var benchStart = time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)

func everyDay(from time.Time, days int) func(func(time.Time) bool) {
	return func(yield func(time.Time) bool) {
		for d := range days {
			if !yield(from.AddDate(0, 0, d)) {
				return
			}
		}
	}
}

// syntheticStrikes makes n strikes over days days from benchStart, oldest
// first, none real (no public dataset of this size was available): storm
// cells of 5,000 strikes over Indonesia's box, each living 30 to 180
// minutes and moving at 20 to 60 km/h, its strikes spread 0.1° (1σ)
// around its centre; a quarter cloud-to-ground.
func syntheticStrikes(rng *rand.Rand, n, days int) []mkg.Strike {
	const perStorm = 5000
	out := make([]mkg.Strike, 0, n)
	for len(out) < n {
		start := benchStart.Add(time.Duration(rng.Int64N(int64(days) * int64(24*time.Hour))))
		life := time.Duration(30+rng.IntN(150)) * time.Minute
		lat, lon := -11+rng.Float64()*17, 94+rng.Float64()*48
		speed, dir := (20+rng.Float64()*40)/111.32, rng.Float64()*2*math.Pi // degrees per hour
		for range min(perStorm, n-len(out)) {
			age := time.Duration(rng.Int64N(int64(life)))
			h := age.Hours()
			st := mkg.Strike{Time: start.Add(age).Truncate(time.Millisecond), Network: "SYNTHETIC", Type: mkg.StrikeInCloud,
				Latitude:  math.Max(-11, math.Min(6, lat+h*speed*math.Sin(dir)+rng.NormFloat64()*0.1)),
				Longitude: math.Max(94, math.Min(142, lon+h*speed*math.Cos(dir)+rng.NormFloat64()*0.1))}
			if rng.IntN(4) == 0 {
				st.Type, st.Polarity = mkg.StrikeCloudToGround, -1
			}
			out = append(out, st)
		}
	}
	slices.SortFunc(out, func(a, b mkg.Strike) int { return a.Time.Compare(b.Time) })
	return out
}

func benchLightning(b *testing.B, s *Store, n int) {
	ctx := context.Background()
	strikes := syntheticStrikes(rand.New(rand.NewPCG(1, 2)), n, 10)
	const batch = 100_000
	var load time.Duration
	for i := 0; i < n; i += batch {
		part := strikes[i:min(i+batch, n)]
		t0 := time.Now()
		got, err := s.InsertStrikes(ctx, part)
		load += time.Since(t0)
		if err != nil || got != len(part) {
			b.Fatalf("inserted %d of %d: %v", got, len(part), err)
		}
	}
	// A batch again: all of it goes the conflict path, none is new.
	t0 := time.Now()
	if got, err := s.InsertStrikes(ctx, strikes[n/2:n/2+batch]); err != nil || got != 0 {
		b.Fatalf("re-insert: %d, %v", got, err)
	}
	again := time.Since(t0)
	// What autovacuum does after a bulk load (PostgreSQL: the visibility
	// map lets an index answer alone; both: planner statistics).
	maintain := []string{"ANALYZE lightning_strikes", "ANALYZE lightning_cells"}
	if s.dialect.name == "postgres" {
		maintain = []string{"VACUUM ANALYZE lightning_strikes", "VACUUM ANALYZE lightning_cells"}
	}
	for _, m := range maintain {
		if _, err := s.db.ExecContext(ctx, m); err != nil {
			b.Fatal(err)
		}
	}
	java := mkg.BBox{South: -9, West: 105, North: -5, East: 115}
	indonesia := mkg.BBox{South: -11, West: 94, North: 6, East: 142}
	hour := mkg.LightningFilter{BBox: java, From: benchStart.Add(36 * time.Hour), To: benchStart.Add(37 * time.Hour)}
	day := mkg.LightningFilter{BBox: indonesia, From: benchStart.Add(24 * time.Hour), To: benchStart.Add(48 * time.Hour)}
	grid, err := mkg.NewDensityGrid(indonesia, 10)
	if err != nil {
		b.Fatal(err)
	}
	odd, err := mkg.NewDensityGrid(indonesia, 12) // 12 km: no roll-up tiles it, counted from the strikes
	if err != nil {
		b.Fatal(err)
	}
	var cells5, cells25, dayStrikes int
	for km, n := range map[int]*int{5: &cells5, 25: &cells25} {
		s.db.GetContext(ctx, n, s.rebind(`SELECT COUNT(*) FROM lightning_cells WHERE cell_km = ? AND hour_ms >= ? AND hour_ms < ?`),
			km, day.From.UnixMilli(), day.To.UnixMilli())
	}
	s.db.GetContext(ctx, &dayStrikes, s.rebind(`SELECT COUNT(*) FROM lightning_strikes WHERE time_ms >= ? AND time_ms < ?`),
		day.From.UnixMilli(), day.To.UnixMilli())
	b.ResetTimer()
	var listTime, densityTime, rawTime, oddTime time.Duration
	var listed int
	for b.Loop() {
		t0 := time.Now()
		page, err := s.LightningStrikes(ctx, hour, mkg.Page{Limit: 500})
		if err != nil {
			b.Fatalf("list: %v", err)
		}
		listed = len(page.Strikes)
		t1 := time.Now()
		fromCells, err := s.LightningDensity(ctx, day, grid)
		if err != nil {
			b.Fatalf("density: %v", err)
		}
		t2 := time.Now()
		fromStrikes, err := s.densityFromStrikes(ctx, day, grid)
		if err != nil || !slices.Equal(fromCells, fromStrikes) {
			b.Fatalf("density from the strikes: %v, %d cells against %d from the roll-ups", err, len(fromStrikes), len(fromCells))
		}
		t3 := time.Now()
		if _, err := s.LightningDensity(ctx, day, odd); err != nil {
			b.Fatalf("density 12 km: %v", err)
		}
		listTime += t1.Sub(t0)
		densityTime += t2.Sub(t1)
		rawTime += t3.Sub(t2)
		oddTime += time.Since(t3)
	}
	b.ReportMetric(float64(n)/load.Seconds(), "strikes/s-ingest")
	b.ReportMetric(float64(batch)/again.Seconds(), "strikes/s-reingest")
	b.ReportMetric(float64(listTime.Microseconds())/1000/float64(b.N), "ms-list-500-java-1h")
	b.ReportMetric(float64(densityTime.Microseconds())/1000/float64(b.N), "ms-density-10km-indonesia-1d")
	b.ReportMetric(float64(rawTime.Microseconds())/1000/float64(b.N), "ms-density-10km-from-strikes")
	b.ReportMetric(float64(oddTime.Microseconds())/1000/float64(b.N), "ms-density-12km")
	b.Logf("%d strikes loaded in %s; the day: %d strikes, %d roll-up rows of 5 km, %d of 25 km; the page: %d strikes",
		n, load.Round(time.Second), dayStrikes, cells5, cells25, listed)
}
