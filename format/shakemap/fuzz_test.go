package shakemap

import (
	"math"
	"testing"
	"time"

	"github.com/bmkg/mkggraph/format/internal/fixture"
)

// FuzzParseGrid checks that no input makes ParseGrid panic or allocate past
// its cap, and that an accepted grid is whole: one value per field per
// node, each node's LON/LAT on the grid, At defined at every corner.
func FuzzParseGrid(f *testing.F) {
	f.Add([]byte(synthGrid(3, 2, 100, 0)))
	f.Add([]byte(synthGrid(1, 1, 179.5, -20)))
	f.Add([]byte(noPositions(synthGrid(2, 2, -10, 5))))
	f.Fuzz(func(t *testing.T, data []byte) {
		Detect(data)
		g, err := ParseGrid(data)
		if err != nil {
			if g != nil {
				t.Fatalf("grid returned with error %v", err)
			}
			return
		}
		nodes := g.NLon * g.NLat
		if nodes < 1 || nodes > MaxGridPoints || len(g.Fields) == 0 || len(g.Values) != nodes*len(g.Fields) {
			t.Fatalf("%d×%d nodes, %d fields, %d values", g.NLon, g.NLat, len(g.Fields), len(g.Values))
		}
		if g.Event.Time.Location() != time.UTC {
			t.Fatalf("event time not in UTC: %v", g.Event.Time)
		}
		nf := len(g.Fields)
		for _, corner := range [][2]float64{{g.LatMin, g.LonMin}, {g.LatMin, g.LonMax}, {g.LatMax, g.LonMin}, {g.LatMax, g.LonMax}} {
			r := 0 // the row the corner is on, counted from the file's first
			if (corner[0] == g.LatMin) != g.SouthFirst {
				r = g.NLat - 1
			}
			c := 0
			if corner[1] == g.LonMax {
				c = g.NLon - 1
			}
			for k, fl := range g.Fields {
				v, err := g.At(corner[0], corner[1], fl.Name)
				want := float64(g.Values[(r*g.NLon+c)*nf+k])
				if err != nil || !(v == want || math.IsNaN(v) && math.IsNaN(want)) {
					t.Fatalf("At corner %v %s = %v, %v; node (%d,%d) holds %v", corner, fl.Name, v, err, r, c, want)
				}
			}
		}
	})
}

// FuzzParseStationList checks that no input makes ParseStationList panic
// and that what it accepts has finite numbers, positions on the globe and
// a UTC time.
func FuzzParseStationList(f *testing.F) {
	f.Add(fixture.Read(f, bandungList))
	f.Add(fixture.Read(f, kepahiangList))
	f.Add([]byte(minimalList))
	f.Fuzz(func(t *testing.T, data []byte) {
		Detect(data)
		ParseInfo(data)
		sl, err := ParseStationList(data)
		if err != nil {
			if sl != nil {
				t.Fatalf("stationlist returned with error %v", err)
			}
			return
		}
		if sl.Event.Time.Location() != time.UTC {
			t.Fatalf("event time not in UTC: %v", sl.Event.Time)
		}
		for _, st := range sl.Stations {
			if checkPosition(st.Latitude, st.Longitude) != nil {
				t.Fatalf("station %q off the globe: %v, %v", st.Code, st.Latitude, st.Longitude)
			}
			for _, c := range st.Components {
				for _, p := range []*float64{c.PGAPctG, c.PGVCmS, c.PSA03, c.PSA10, c.PSA30, st.DistanceKm, st.Intensity} {
					if p != nil && (math.IsNaN(*p) || math.IsInf(*p, 0)) {
						t.Fatalf("station %q: non-finite value %v", st.Code, *p)
					}
				}
			}
		}
	})
}
