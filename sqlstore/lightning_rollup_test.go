package sqlstore

import (
	"context"
	"math"
	"math/rand/v2"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/bmkg/mkggraph/mkg"
)

var rollupStart = time.Date(2025, 3, 2, 20, 0, 0, 0, time.UTC) // a Sunday evening: weeks and days change in the data

// edgyStrikes are strikes around (-6, 106): many exactly on, or one ulp
// beside, lattice lines and hour boundaries, where a roll-up and a count
// computed differently would disagree.
func edgyStrikes(rng *rand.Rand, n int, network string) []mkg.Strike {
	out := make([]mkg.Strike, n)
	for i := range out {
		lat, lon := -7+rng.Float64()*2, 105+rng.Float64()*2
		ms := rng.Int64N(int64(30 * time.Hour / time.Millisecond))
		if rng.IntN(3) == 0 { // on a lattice line, or beside it
			lat = float64(mkg.LatticeRow(lat, 1))/mkg.LatticePerDegree - 90
			lon = float64(mkg.LatticeCol(lon, 1))/mkg.LatticePerDegree - 180
			lat = math.Nextafter(lat, lat+float64(rng.IntN(3)-1))
			lon = math.Nextafter(lon, lon+float64(rng.IntN(3)-1))
		}
		if rng.IntN(5) == 0 { // on an hour, or a millisecond beside it
			ms = ms - ms%hourMs + int64(rng.IntN(3)-1)
		}
		out[i] = mkg.Strike{Time: rollupStart.Add(time.Duration(ms) * time.Millisecond), Latitude: lat, Longitude: lon,
			Type: mkg.StrikeCloudToGround, Network: network}
	}
	return out
}

// countInGo is the density by definition: each stored strike put in its
// cell by mkg.DensityGrid.Cell.
func countInGo(strikes []mkg.Strike, f mkg.LightningFilter, g mkg.DensityGrid) []mkg.DensityCell {
	n := map[[2]int]int{}
	for _, st := range strikes {
		if st.Time.Before(f.From) || !st.Time.Before(f.To) {
			continue
		}
		if r, c, ok := g.Cell(st.Latitude, st.Longitude); ok {
			n[[2]int{r, c}]++
		}
	}
	var out []mkg.DensityCell
	for k, v := range n {
		out = append(out, mkg.DensityCell{Row: k[0], Col: k[1], Count: v})
	}
	slices.SortFunc(out, func(a, b mkg.DensityCell) int {
		if a.Row != b.Row {
			return a.Row - b.Row
		}
		return a.Col - b.Col
	})
	return out
}

// TestLightningDensityRollupsAreExact: on random boxes, windows and cell
// sizes, the density (from the roll-ups where the grid allows) equals the
// count of the strikes in SQL and the count by definition in Go. The
// strikes come in overlapping batches, so both the copy and the
// conflict paths write roll-ups.
func TestLightningDensityRollupsAreExact(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		rng := rand.New(rand.NewPCG(7, 8))
		all := append(edgyStrikes(rng, 6000, "A"), edgyStrikes(rng, 2000, "B")...)
		slices.SortFunc(all, func(a, b mkg.Strike) int { return a.Time.Compare(b.Time) })
		stored := 0
		for _, part := range [][]mkg.Strike{all[:3000], all[2000:5000], all[4500:], all[:8000]} {
			n, err := s.InsertStrikes(ctx, part)
			if err != nil {
				t.Fatal(err)
			}
			stored += n
		}
		if stored != len(all) {
			t.Fatalf("stored %d strikes of %d", stored, len(all))
		}
		fromRollups := 0
		for i := range 60 {
			box := mkg.BBox{South: -7.5 + rng.Float64(), West: 104.5 + rng.Float64()}
			box.North, box.East = box.South+0.2+rng.Float64()*2, box.West+0.2+rng.Float64()*2
			from := rollupStart.Add(time.Duration(rng.Int64N(int64(20*time.Hour))) - time.Hour)
			if i%2 == 0 {
				from = from.Truncate(time.Hour)
			}
			f := mkg.LightningFilter{BBox: box, From: from, To: from.Add(time.Duration(1+rng.Int64N(int64(12*time.Hour))) + time.Hour)}
			km := []float64{5, 10, 12, 20, 25, 50, 0.8, 3, 100}[i%9]
			g, err := mkg.NewDensityGrid(box, km)
			if err != nil {
				t.Fatal(err)
			}
			got, err := s.LightningDensity(ctx, f, g)
			if err != nil {
				t.Fatal(err)
			}
			raw, err := s.densityFromStrikes(ctx, f, g)
			if err != nil {
				t.Fatal(err)
			}
			want := countInGo(all, f, g)
			if !slices.Equal(got, want) || !slices.Equal(raw, want) {
				t.Fatalf("%g km over %+v, %s to %s: %d cells, %d counted from the strikes, %d by definition",
					km, box, f.From, f.To, len(got), len(raw), len(want))
			}
			if cellKmFor(g) != 0 {
				fromRollups++
			}
		}
		if fromRollups < 20 {
			t.Fatalf("only %d of 60 grids used the roll-ups", fromRollups)
		}
	})
}

// TestLightningReingestAndConcurrentIngest: a batch again adds nothing,
// a batch half stored adds its other half, a strike twice in a batch is
// stored once, and two ingests of one batch at once store it once,
// roll-ups included.
func TestLightningReingestAndConcurrentIngest(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		rng := rand.New(rand.NewPCG(9, 10))
		a := edgyStrikes(rng, 3000, "A")
		b := edgyStrikes(rng, 3000, "A")
		if n, err := s.InsertStrikes(ctx, a); err != nil || n != len(a) {
			t.Fatalf("first = %d, %v", n, err)
		}
		if n, err := s.InsertStrikes(ctx, a); err != nil || n != 0 {
			t.Fatalf("again = %d, %v", n, err)
		}
		if n, err := s.InsertStrikes(ctx, append(slices.Clone(a[:1000]), b...)); err != nil || n != len(b) {
			t.Fatalf("half stored = %d, %v; want %d", n, err, len(b))
		}
		d := edgyStrikes(rng, 100, "D") // a batch holding each strike twice
		if n, err := s.InsertStrikes(ctx, append(slices.Clone(d), d...)); err != nil || n != len(d) {
			t.Fatalf("each twice = %d, %v; want %d", n, err, len(d))
		}
		c := edgyStrikes(rng, 5000, "C")
		var wg sync.WaitGroup
		got := make([]int, 2)
		errs := make([]error, 2)
		for i := range 2 {
			wg.Go(func() { got[i], errs[i] = s.InsertStrikes(ctx, c) })
		}
		wg.Wait()
		if errs[0] != nil || errs[1] != nil || got[0]+got[1] != len(c) {
			t.Fatalf("two at once: %v (%v, %v); want %d in all", got, errs[0], errs[1], len(c))
		}
		all := slices.Concat(a, b, c, d)
		var n int
		if err := s.db.GetContext(ctx, &n, `SELECT COUNT(*) FROM lightning_strikes`); err != nil || n != len(all) {
			t.Fatalf("%d strikes stored, %v; want %d", n, err, len(all))
		}
		box := mkg.BBox{South: -7.2, West: 104.8, North: -4.8, East: 107.2}
		f := mkg.LightningFilter{BBox: box, From: rollupStart, To: rollupStart.Add(31 * time.Hour)}
		for _, km := range []float64{5, 25} {
			g, _ := mkg.NewDensityGrid(box, km)
			cells, err := s.LightningDensity(ctx, f, g)
			if want := countInGo(all, f, g); err != nil || !slices.Equal(cells, want) {
				t.Fatalf("%g km roll-ups: %v, %d cells, want %d", km, err, len(cells), len(want))
			}
		}
	})
}
