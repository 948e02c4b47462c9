package mkg

import (
	"math"
	"testing"
	"time"
)

func TestDensityGrid(t *testing.T) {
	g, err := NewDensityGrid(BBox{South: 0, West: 100, North: 1, East: 101}, 11.132)
	if err != nil || g.DLat != 0.1 || g.DLon != 0.1 || g.Rows != 11 || g.Scale != 100 || g.RowSpan != 10 || g.Row0 != 9000 {
		t.Fatalf("0.1° cells at the equator: %+v, %v", g, err)
	}
	if b := g.Bounds(2, 3); b.South != 0.2 || math.Abs(b.West-100.3) > 1e-12 || math.Abs(b.North-0.3) > 1e-12 {
		t.Fatalf("cell (2,3) = %+v", b)
	}
	// 10 km over Indonesia: 0.09° cells from the box's corner (already on
	// the lattice), the last row and column reaching past the box.
	g, err = NewDensityGrid(BBox{South: -11, West: 94, North: 6, East: 142}, 10)
	if err != nil || g.DLat != 0.09 || g.DLon != 0.09 || g.South != -11 || g.West != 94 || g.Rows != 189 || g.Cols != 534 {
		t.Fatalf("10 km over Indonesia: %+v, %v", g, err)
	}
	// A corner off the lattice snaps south-west; longitude cells widen
	// away from the equator; every size is within 10 % of the request.
	g, err = NewDensityGrid(BBox{South: -45.123, West: 10.987, North: -44, East: 12}, 3)
	if err != nil || g.Scale != 1000 || g.Row0 != 44877 || g.Col0 != 190987 || g.RowSpan != 27 || g.ColSpan != 38 {
		t.Fatalf("3 km at 45°S: %+v, %v", g, err)
	}
	for _, km := range []float64{0.5, 0.7, 1, 2.5, 5, 5.6, 9, 10, 25, 55, 56, 100, 499, 500} {
		g, err := NewDensityGrid(BBox{South: -11, West: 94, North: -10, East: 95}, km)
		if err != nil {
			t.Fatalf("%g km: %v", km, err)
		}
		if got := g.DLat * 111.32; math.Abs(got-km)/km > 0.1 {
			t.Errorf("%g km: cells of %g km", km, got)
		}
	}
	g, _ = NewDensityGrid(BBox{South: -11, West: 94, North: 6, East: 142}, 10)
	for _, c := range []struct {
		lat, lon float64
		row, col int
		ok       bool
	}{{-11, 94, 0, 0, true}, {-10.91, 94.0899, 1, 0, true}, {6.005, 142.05, 188, 533, true}, {6.011, 142, 0, 0, false}, {-11.001, 94, 0, 0, false}, {6.02, 100, 0, 0, false}} {
		if r, col, ok := g.Cell(c.lat, c.lon); r != c.row || col != c.col || ok != c.ok {
			t.Errorf("(%g, %g) is in cell (%d, %d) %v; want (%d, %d) %v", c.lat, c.lon, r, col, ok, c.row, c.col, c.ok)
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
