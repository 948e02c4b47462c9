package sqlstore

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/bmkg/mkggraph/mkg"
)

func TestLightningInsertListDensity(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		t0 := time.Date(2025, 4, 10, 3, 0, 0, 0, time.UTC)
		var strikes []mkg.Strike
		// 3 strikes in the cell at the box's corner, 1 in the next cell
		// east, 1 outside the box, 1 outside the window.
		for i, p := range [][2]float64{{1.01, 103.01}, {1.02, 103.02}, {1.03, 103.03}, {1.01, 103.15}, {2.5, 103.01}} {
			strikes = append(strikes, mkg.Strike{Time: t0.Add(time.Duration(i) * time.Millisecond), Latitude: p[0], Longitude: p[1],
				Type: mkg.StrikeInCloud, Network: "NEA-SG"})
		}
		strikes = append(strikes, mkg.Strike{Time: t0.Add(2 * time.Hour), Latitude: 1.01, Longitude: 103.01, Network: "NEA-SG"})
		n, err := s.InsertStrikes(ctx, strikes)
		if err != nil || n != 6 {
			t.Fatalf("insert = %d, %v", n, err)
		}
		if again, err := s.InsertStrikes(ctx, strikes); err != nil || again != 0 {
			t.Fatalf("re-insert = %d, %v; want nothing new", again, err)
		}
		f := mkg.LightningFilter{BBox: mkg.BBox{South: 1, West: 103, North: 2, East: 104}, From: t0, To: t0.Add(time.Hour)}
		page, err := s.LightningStrikes(ctx, f, mkg.Page{Limit: 3})
		if err != nil || len(page.Strikes) != 3 || !page.HasNext || page.Strikes[1].Time.Sub(t0) != time.Millisecond {
			t.Fatalf("first page %+v, %v", page, err)
		}
		next, err := s.LightningStrikes(ctx, f, mkg.Page{Limit: 3, After: &page.Cursors[2]})
		if err != nil || len(next.Strikes) != 1 || next.HasNext || next.Strikes[0].Longitude != 103.15 {
			t.Fatalf("second page %+v, %v", next, err)
		}
		g, err := mkg.NewDensityGrid(f.BBox, 10)
		if err != nil {
			t.Fatal(err)
		}
		cells, err := s.LightningDensity(ctx, f, g)
		if err != nil {
			t.Fatal(err)
		}
		r, c, _ := g.Cell(1.02, 103.02)
		r2, c2, _ := g.Cell(1.01, 103.15)
		want := []mkg.DensityCell{{Row: r, Col: c, Count: 3}, {Row: r2, Col: c2, Count: 1}}
		if !slices.Equal(cells, want) {
			t.Fatalf("density = %+v; want %+v: 3 strikes in one cell, 1 in the next east, none from outside the window", cells, want)
		}
	})
}
