package mkg

import (
	"math"
	"math/rand/v2"
	"testing"
	"time"
)

func TestDensityGrid(t *testing.T) {
	indonesia := BBox{South: -11, West: 94, North: 6, East: 142}
	g, err := NewDensityGrid(indonesia, 10)
	if err != nil || g.PerKm != 1 || g.RowSpan != 10 || g.ColSpan != 10 || g.Rows*g.Cols > 200*540 {
		t.Fatalf("10 km over Indonesia: %+v, %v", g, err)
	}
	// The grid covers the box, and starts less than a cell south-west of it.
	last := g.Bounds(g.Rows-1, g.Cols-1)
	if g.South > -11 || g.South <= -11-g.DLat || g.West > 94 || g.West <= 94-g.DLon || last.North <= 6 || last.East <= 142 {
		t.Fatalf("grid from (%g, %g) to (%g, %g) does not cover the box", g.South, g.West, last.North, last.East)
	}
	// Cells tile the lattice: the same cell whatever box is asked for.
	java, err := NewDensityGrid(BBox{South: -9, West: 105, North: 4, East: 115}, 10) // same middle latitude
	if err != nil {
		t.Fatal(err)
	}
	r1, c1, _ := g.Cell(-7.25, 110.4)
	r2, c2, _ := java.Cell(-7.25, 110.4)
	if g.Bounds(r1, c1) != java.Bounds(r2, c2) {
		t.Errorf("the cell of (-7.25, 110.4): %+v over Indonesia, %+v over Java", g.Bounds(r1, c1), java.Bounds(r2, c2))
	}
	rng := rand.New(rand.NewPCG(3, 4))
	for range 10000 {
		lat, lon := -11+rng.Float64()*17, 94+rng.Float64()*48
		r, c, ok := g.Cell(lat, lon)
		b := g.Bounds(r, c)
		if !ok || lat < b.South-1e-9 || lat > b.North+1e-9 || lon < b.West-1e-9 || lon > b.East+1e-9 {
			t.Fatalf("(%g, %g) is in cell (%d, %d) %v, bounds %+v", lat, lon, r, c, ok, b)
		}
	}
	if _, _, ok := g.Cell(-11.2, 100); ok {
		t.Error("a strike south of the grid has a cell")
	}
	// Sizes within 10 % of the request, on the coarsest step that allows.
	for km, want := range map[float64]struct{ perKm, span int }{
		0.5: {10, 5}, 1.4: {10, 14}, 2.5: {10, 25}, 4.6: {1, 5}, 8: {1, 8}, 9: {1, 9}, 9.5: {1, 10}, 10: {1, 10}, 12: {1, 12},
		14: {1, 15}, 25: {1, 25}, 26: {1, 25}, 100: {1, 100}, 110: {1, 100}, 118: {1, 125}, 500: {1, 500},
	} {
		g, err := NewDensityGrid(BBox{South: -3, West: 94, North: -2, East: 95}, km)
		if err != nil {
			t.Fatalf("%g km: %v", km, err)
		}
		height := g.DLat * 111.32
		width := g.DLon * 111.32 * math.Cos(2.5*math.Pi/180)
		if math.Abs(height-km)/km > 0.1 || math.Abs(width-km)/km > 0.1 || g.PerKm != want.perKm || g.RowSpan != want.span || g.ColSpan != want.span {
			t.Errorf("%g km: cells of %.3g × %.3g km, %+v; want %d cells per km, spans of %d", km, height, width, g, want.perKm, want.span)
		}
	}
	for name, c := range map[string]struct {
		box  BBox
		cell float64
	}{
		"cell too small":        {BBox{South: 0, West: 100, North: 1, East: 101}, 0.1},
		"too many cells":        {BBox{South: -11, West: 94, North: 6, East: 142}, 0.6},
		"crosses antimeridian":  {BBox{South: 0, West: 179, North: 1, East: -179}, 10},
		"latitude out of range": {BBox{South: -95, West: 0, North: 1, East: 1}, 10},
	} {
		if _, err := NewDensityGrid(c.box, c.cell); ErrorCode(err) != EINVALID {
			t.Errorf("%s: %v, want BAD_USER_INPUT", name, err)
		}
	}
}

func TestLightningFilterAndStrike(t *testing.T) {
	t0 := time.Date(2025, 4, 10, 0, 0, 0, 0, time.UTC)
	box := BBox{South: 0, West: 100, North: 1, East: 101}
	if err := (LightningFilter{BBox: box, From: t0, To: t0.Add(32 * 24 * time.Hour)}).Validate(); ErrorCode(err) != EINVALID {
		t.Errorf("a 32-day window: %v", err)
	}
	if err := (LightningFilter{BBox: box, From: t0, To: t0}).Validate(); ErrorCode(err) != EINVALID {
		t.Errorf("an empty window: %v", err)
	}
	now := t0
	for name, s := range map[string]Strike{
		"future":  {Time: t0.Add(48 * time.Hour), Latitude: 1, Longitude: 100, Network: "n"},
		"type":    {Time: t0, Latitude: 1, Longitude: 100, Type: "XX", Network: "n"},
		"network": {Time: t0, Latitude: 1, Longitude: 100},
		"lat":     {Time: t0, Latitude: 91, Longitude: 100, Network: "n"},
	} {
		if err := s.Validate(now); ErrorCode(err) != EINVALID {
			t.Errorf("%s: %v, want BAD_USER_INPUT", name, err)
		}
	}
}
