package sqlstore

import (
	"context"
	"math"
	"math/rand/v2"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/bmkg/mkggraph/mkg"
)

// BenchmarkLightningVolume loads MKG_BENCH_STRIKES strikes (default 5
// million) into a fresh store of each kind, then times the two queries
// dashboards make. Run it alone, it takes minutes:
//
//	TEST_DATABASE_URL=… go test ./sqlstore -run '^$' -bench LightningVolume -benchtime 1x -timeout 60m
//
// Strikes are synthetic (no public dataset of this size was available):
// storm cells over Indonesia's box, Gaussian around their centres, over
// ten days, as a network's feed would deliver them.
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
				s = newPostgresStore(b)
			}
			benchLightning(b, s, n)
		})
	}
}

var benchStart = time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)

func syntheticStrikes(rng *rand.Rand, n int) []mkg.Strike {
	out := make([]mkg.Strike, n)
	var cLat, cLon float64
	for i := range out {
		if i%5000 == 0 { // a new storm cell every 5,000 strikes
			cLat, cLon = -11+rng.Float64()*17, 94+rng.Float64()*48
		}
		lat := math.Max(-11, math.Min(6, cLat+rng.NormFloat64()*0.3))
		lon := math.Max(94, math.Min(142, cLon+rng.NormFloat64()*0.3))
		t := benchStart.Add(time.Duration(rng.Int64N(int64(10*24*time.Hour/time.Millisecond))) * time.Millisecond)
		typ := mkg.StrikeInCloud
		if rng.IntN(4) == 0 {
			typ = mkg.StrikeCloudToGround
		}
		out[i] = mkg.Strike{Time: t, Latitude: lat, Longitude: lon, Type: typ, Network: "SYNTHETIC"}
	}
	return out
}

func benchLightning(b *testing.B, s *Store, n int) {
	ctx := context.Background()
	rng := rand.New(rand.NewPCG(1, 2))
	const batch = 100_000
	start := time.Now()
	for done := 0; done < n; done += batch {
		strikes := syntheticStrikes(rng, min(batch, n-done))
		if _, err := s.InsertStrikes(ctx, strikes); err != nil {
			b.Fatal(err)
		}
	}
	load := time.Since(start)
	// What autovacuum does after a bulk load (PostgreSQL: the visibility
	// map lets the (time, lat, lon) index answer without the table; both:
	// planner statistics).
	maintain := "ANALYZE lightning_strikes"
	if s.dialect.name == "postgres" {
		maintain = "VACUUM ANALYZE lightning_strikes"
	}
	if _, err := s.db.ExecContext(ctx, maintain); err != nil {
		b.Fatal(err)
	}
	java := mkg.BBox{South: -9, West: 105, North: -5, East: 115}
	indonesia := mkg.BBox{South: -11, West: 94, North: 6, East: 142}
	hour := mkg.LightningFilter{BBox: java, From: benchStart.Add(36 * time.Hour), To: benchStart.Add(37 * time.Hour)}
	day := mkg.LightningFilter{BBox: indonesia, From: benchStart.Add(24 * time.Hour), To: benchStart.Add(48 * time.Hour)}
	grid, err := mkg.NewDensityGrid(indonesia, 10)
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	var listTime, densityTime time.Duration
	for b.Loop() {
		t0 := time.Now()
		page, err := s.LightningStrikes(ctx, hour, mkg.Page{Limit: 500})
		if err != nil || len(page.Strikes) == 0 {
			b.Fatalf("list: %v, %d strikes", err, len(page.Strikes))
		}
		t1 := time.Now()
		cells, err := s.LightningDensity(ctx, day, grid)
		if err != nil || len(cells) == 0 {
			b.Fatalf("density: %v, %d cells", err, len(cells))
		}
		listTime += t1.Sub(t0)
		densityTime += time.Since(t1)
	}
	b.ReportMetric(float64(n)/load.Seconds(), "strikes/s-ingest")
	b.ReportMetric(float64(listTime.Microseconds())/1000/float64(b.N), "ms-list-500-java-1h")
	b.ReportMetric(float64(densityTime.Microseconds())/1000/float64(b.N), "ms-density-10km-indonesia-1d")
	b.Logf("%d strikes loaded in %s", n, load.Round(time.Second))
}
