package shakemaps

import (
	"context"
	"testing"

	"github.com/bmkg/mkggraph/mkg"
)

// grids is an in-memory grid store.
type grids map[int64]*mkg.ShakemapGrid

func (g grids) ShakemapGridOf(_ context.Context, id int64) (*mkg.ShakemapGrid, error) {
	if sg, ok := g[id]; ok {
		return sg, nil
	}
	return nil, mkg.NotFound("ShakeMap grid")
}

// A 2 × 2 grid, northern row first as ShakeMap writes it: LON, LAT, PGA
// (%g), MMI at each node.
var square = &mkg.ShakemapGrid{EventID: "ev1", LonMin: 100, LatMin: -1, LonMax: 101, LatMax: 0, NLon: 2, NLat: 2,
	Fields: []string{"LON", "LAT", "PGA", "MMI"}, Units: []string{"dd", "dd", "pctg", "intensity"},
	Values: []float32{
		100, 0, 1, 2, 101, 0, 3, 4, // north row
		100, -1, 5, 6, 101, -1, 7, 8, // south row
	}}

func TestShakemapAt(t *testing.T) {
	r := Reader{Grids: grids{7: square}}
	ctx := context.Background()
	p, err := r.ShakemapAt(ctx, 7, 0, 100) // the north-west node
	if err != nil || *p.MMI != 2 || *p.PGAGal != 9.80665 || p.PGVCmS != nil || p.EventID != "ev1" {
		t.Fatalf("at a node: %+v, %v", p, err)
	}
	p, err = r.ShakemapAt(ctx, 7, -0.5, 100.5) // the centre: the mean of the four
	if err != nil || *p.MMI != 5 || *p.PGAGal != 4*9.80665 {
		t.Fatalf("at the centre: MMI %v, PGA %v, %v", p.MMI, p.PGAGal, err)
	}
	if _, err := r.ShakemapAt(ctx, 7, 5, 100.5); mkg.ErrorCode(err) != mkg.EINVALID {
		t.Fatalf("outside the grid: %v, want BAD_USER_INPUT", err)
	}
	if _, err := r.ShakemapAt(ctx, 8, 0, 100); mkg.ErrorCode(err) != mkg.ENOTFOUND {
		t.Fatalf("an earthquake without a grid: %v, want NOT_FOUND", err)
	}
	if _, err := r.ShakemapAt(ctx, 7, 95, 100); mkg.ErrorCode(err) != mkg.EINVALID {
		t.Fatalf("latitude 95: %v, want BAD_USER_INPUT", err)
	}
}
