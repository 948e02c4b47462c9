// Package shakemaps answers "what shaking at this point" from the ShakeMap
// grids in the store, with the grid reader's bilinear interpolation.
package shakemaps

import (
	"context"
	"strconv"
	"strings"

	"github.com/bmkg/mkggraph/format/shakemap"
	"github.com/bmkg/mkggraph/mkg"
)

// Grids is where grids are kept.
type Grids interface {
	EachShakemapGrid(ctx context.Context, ids []int64, fn func(*mkg.ShakemapGrid) error) error
}

// Reader implements mkg.ShakemapReader.
type Reader struct {
	Grids Grids
}

var _ mkg.ShakemapReader = Reader{}

// ShakemapsAt implements mkg.ShakemapReader: one read of the grids, each
// grid sampled at its queries' points as it arrives and then let go. PGA
// comes out in gal (grids hold %g), PGV in cm/s, MMI as is; a field the
// grid lacks is null.
func (r Reader) ShakemapsAt(ctx context.Context, qs []mkg.ShakemapQuery) ([]*mkg.ShakemapPoint, []error) {
	out := make([]*mkg.ShakemapPoint, len(qs))
	errs := make([]error, len(qs))
	asked := map[int64][]int{} // earthquake → its queries
	var ids []int64
	for i, q := range qs {
		if errs[i] = q.Point.Validate("point"); errs[i] != nil {
			continue
		}
		if _, seen := asked[q.EarthquakeID]; !seen {
			ids = append(ids, q.EarthquakeID)
		}
		asked[q.EarthquakeID] = append(asked[q.EarthquakeID], i)
	}
	err := r.Grids.EachShakemapGrid(ctx, ids, func(sg *mkg.ShakemapGrid) error {
		if sg.EarthquakeID == nil {
			return nil
		}
		for _, i := range asked[*sg.EarthquakeID] {
			out[i], errs[i] = sample(sg, qs[i].Point)
		}
		delete(asked, *sg.EarthquakeID)
		return nil
	})
	for _, waiting := range asked {
		for _, i := range waiting {
			if err != nil {
				errs[i] = err
			} else {
				errs[i] = mkg.NotFound("ShakeMap grid")
			}
		}
	}
	return out, errs
}

// sample is what grid sg says at point pt.
func sample(sg *mkg.ShakemapGrid, pt mkg.Point) (*mkg.ShakemapPoint, error) {
	g := &shakemap.Grid{LonMin: sg.LonMin, LatMin: sg.LatMin, LonMax: sg.LonMax, LatMax: sg.LatMax, NLon: sg.NLon, NLat: sg.NLat,
		SouthFirst: sg.SouthFirst, Values: sg.Values}
	for i, name := range sg.Fields {
		g.Fields = append(g.Fields, shakemap.Field{Index: i + 1, Name: name, Units: sg.Units[i]})
	}
	p := &mkg.ShakemapPoint{EventID: sg.EventID}
	for _, f := range []struct {
		name  string
		dst   **float64
		scale func(float64) float64
	}{{"MMI", &p.MMI, nil}, {"PGA", &p.PGAGal, pgaToGal(sg)}, {"PGV", &p.PGVCmS, nil}} {
		if !has(sg.Fields, f.name) {
			continue
		}
		v, err := g.At(pt.Latitude, pt.Longitude, f.name)
		if err != nil {
			return nil, mkg.Invalid("point", "%s", strings.TrimPrefix(err.Error(), "shakemap: "))
		}
		v = decimal32(v) // the grid holds float32: no more digits than that
		if f.scale != nil {
			v = significant(f.scale(v), 7)
		}
		*f.dst = mkg.Ptr(v)
	}
	return p, nil
}

// decimal32 is a float32's value as the shortest decimal that reads back
// as it (2.91, not 2.9100000858306885).
func decimal32(v float64) float64 {
	x, _ := strconv.ParseFloat(strconv.FormatFloat(v, 'g', -1, 32), 64)
	return x
}

func significant(v float64, digits int) float64 {
	x, _ := strconv.ParseFloat(strconv.FormatFloat(v, 'g', digits, 64), 64)
	return x
}

func has(fields []string, name string) bool {
	for _, f := range fields {
		if strings.EqualFold(f, name) {
			return true
		}
	}
	return false
}

// pgaToGal converts the grid's PGA unit (ShakeMap 3.5 writes "pctg", %g).
func pgaToGal(g *mkg.ShakemapGrid) func(float64) float64 {
	for i, f := range g.Fields {
		if strings.EqualFold(f, "PGA") && strings.EqualFold(g.Units[i], "pctg") {
			return shakemap.PctGToGal
		}
	}
	return nil
}
