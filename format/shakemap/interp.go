package shakemap

import (
	"errors"
	"fmt"
	"math"
	"strings"
)

// standardGravity is g in cm/s², so that 1 %g is 9.80665 gal.
const standardGravity = 980.665

// PctGToGal converts percent of g, ShakeMap's unit for PGA and PSA, to gal
// (cm/s²).
func PctGToGal(p float64) float64 { return p * standardGravity / 100 }

// edgeTol is how far outside the box a point may be and still be read as
// on its edge, so that a corner typed as a decimal literal is inside.
const edgeTol = 1e-9

// At interpolates a field ("MMI", "PGA", matched case-insensitively)
// bilinearly between the four nodes around lat, lon. At a node it returns
// the node's value. Values keep the grid's units (PGA in %g). A point
// outside the grid is an error naming the grid's box; a longitude may be
// given either side of the antimeridian.
func (g *Grid) At(lat, lon float64, field string) (float64, error) {
	k, ok := g.field(field)
	if !ok {
		names := make([]string, len(g.Fields))
		for i, f := range g.Fields {
			names[i] = f.Name
		}
		return 0, fmt.Errorf("shakemap: grid has no field %q (it has %s)", field, strings.Join(names, ", "))
	}
	nf := len(g.Fields)
	if g.NLon < 1 || g.NLat < 1 || len(g.Values) != g.NLon*g.NLat*nf ||
		!axisOK(g.LonMin, g.LonMax, g.NLon) || !axisOK(g.LatMin, g.LatMax, g.NLat) {
		return 0, errors.New("shakemap: grid values do not match its box and nlon×nlat")
	}
	x, okx := axisFrac(g.lonInBox(lon), g.LonMin, g.LonMax, g.NLon)
	y, oky := axisFrac(lat, g.LatMin, g.LatMax, g.NLat)
	if !okx || !oky {
		return 0, fmt.Errorf("shakemap: point %g°N %g°E is outside the grid (lat %g..%g, lon %g..%g)",
			lat, lon, g.LatMin, g.LatMax, g.LonMin, g.LonMax)
	}
	if !g.SouthFirst { // y counts from the south; rows from the north
		y = float64(g.NLat-1) - y
	}
	c0, tx := split(x, g.NLon)
	r0, ty := split(y, g.NLat)
	at := func(r, c int) float64 { return float64(g.Values[(r*g.NLon+c)*nf+k]) }
	v := at(r0, c0)
	if tx > 0 {
		v = v*(1-tx) + at(r0, c0+1)*tx
	}
	if ty > 0 {
		w := at(r0+1, c0)
		if tx > 0 {
			w = w*(1-tx) + at(r0+1, c0+1)*tx
		}
		v = v*(1-ty) + w*ty
	}
	return v, nil
}

// lonInBox shifts lon by ±360° when that brings it into the box.
func (g *Grid) lonInBox(lon float64) float64 {
	for _, l := range []float64{lon, lon + 360, lon - 360} {
		if l >= g.LonMin-edgeTol && l <= g.LonMax+edgeTol {
			return l
		}
	}
	return lon
}

// axisFrac returns v's position along an axis of n nodes from lo to hi, in
// node steps, and whether v lies on the axis.
func axisFrac(v, lo, hi float64, n int) (float64, bool) {
	if math.IsNaN(v) || v < lo-edgeTol || v > hi+edgeTol {
		return 0, false
	}
	if n == 1 {
		return 0, true
	}
	f := (v - lo) / (hi - lo) * float64(n-1)
	return min(max(f, 0), float64(n-1)), true
}

// split turns a position into a lower node and the weight of the next
// one; the last node is reached as the upper end of the last cell.
func split(f float64, n int) (int, float64) {
	i := int(math.Floor(f))
	if i >= n-1 {
		return n - 1, 0
	}
	return i, f - float64(i)
}
