package mkg

import (
	"math"
	"testing"
	"time"
)

func TestDensityGrid(t *testing.T) {
	g, err := NewDensityGrid(BBox{South: 0, West: 100, North: 1, East: 101}, 11.132)
	if err != nil || math.Abs(g.DLat-0.1) > 1e-9 || g.Rows != 11 || g.DLon <= g.DLat {
		t.Fatalf("0.1° cells at the equator: %+v, %v", g, err)
	}
	if b := g.Bounds(2, 3); math.Abs(b.South-0.2) > 1e-9 || math.Abs(b.West-(100+3*g.DLon)) > 1e-9 {
		t.Fatalf("cell (2,3) = %+v", b)
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
