package shakemaps

import (
	"context"
	"errors"
	"testing"

	"github.com/bmkg/mkggraph/mkg"
)

// grids is an in-memory grid store that counts its reads.
type grids struct {
	byID  map[int64]*mkg.ShakemapGrid
	reads int
	fail  error
}

func (g *grids) EachShakemapGrid(_ context.Context, ids []int64, fn func(*mkg.ShakemapGrid) error) error {
	g.reads++
	if g.fail != nil {
		return g.fail
	}
	for _, id := range ids {
		if sg, ok := g.byID[id]; ok {
			c := *sg
			c.EarthquakeID = &id
			if err := fn(&c); err != nil {
				return err
			}
		}
	}
	return nil
}

// A 2 × 2 grid, northern row first as ShakeMap writes it: LON, LAT, PGA
// (%g), MMI at each node.
var square = &mkg.ShakemapGrid{EventID: "ev1", LonMin: 100, LatMin: -1, LonMax: 101, LatMax: 0, NLon: 2, NLat: 2,
	Fields: []string{"LON", "LAT", "PGA", "MMI"}, Units: []string{"dd", "dd", "pctg", "intensity"},
	Values: []float32{
		100, 0, 1, 2, 101, 0, 3, 4, // north row
		100, -1, 5, 6, 101, -1, 7, 8, // south row
	}}

func at(id int64, lat, lon float64) mkg.ShakemapQuery {
	return mkg.ShakemapQuery{EarthquakeID: id, Point: mkg.Point{Latitude: lat, Longitude: lon}}
}

func TestShakemapsAt(t *testing.T) {
	store := &grids{byID: map[int64]*mkg.ShakemapGrid{7: square, 9: square}}
	r := Reader{Grids: store}
	ps, errs := r.ShakemapsAt(context.Background(), []mkg.ShakemapQuery{
		at(7, 0, 100),      // the north-west node
		at(7, -0.5, 100.5), // the centre: the mean of the four
		at(7, 5, 100.5),    // outside the grid
		at(8, 0, 100),      // an earthquake without a grid
		at(7, 95, 100),     // not a latitude
		at(9, 0, 100),      // another earthquake's grid
	})
	if store.reads != 1 {
		t.Fatalf("%d reads of the store for six queries, want 1", store.reads)
	}
	if p := ps[0]; errs[0] != nil || *p.MMI != 2 || *p.PGAGal != 9.80665 || p.PGVCmS != nil || p.EventID != "ev1" {
		t.Fatalf("at a node: %+v, %v", p, errs[0])
	}
	if p := ps[1]; errs[1] != nil || *p.MMI != 5 || *p.PGAGal != 4*9.80665 {
		t.Fatalf("at the centre: MMI %v, PGA %v, %v", p.MMI, p.PGAGal, errs[1])
	}
	for i, want := range map[int]string{2: mkg.EINVALID, 3: mkg.ENOTFOUND, 4: mkg.EINVALID} {
		if ps[i] != nil || mkg.ErrorCode(errs[i]) != want {
			t.Errorf("query %d: %+v, %v, want %s", i, ps[i], errs[i], want)
		}
	}
	if errs[5] != nil || *ps[5].MMI != 2 {
		t.Fatalf("the second earthquake: %+v, %v", ps[5], errs[5])
	}
}

// A failed read is every waiting query's error, not NOT_FOUND.
func TestShakemapsAtReadFails(t *testing.T) {
	down := errors.New("database unavailable")
	_, errs := Reader{Grids: &grids{fail: down}}.ShakemapsAt(context.Background(), []mkg.ShakemapQuery{at(7, 0, 100), at(7, 95, 100)})
	if !errors.Is(errs[0], down) || mkg.ErrorCode(errs[1]) != mkg.EINVALID {
		t.Fatalf("errors %v, want the read's error and the invalid point's", errs)
	}
}
