package shakemap

import (
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/bmkg/mkggraph/format/internal/fixture"
	"github.com/bmkg/mkggraph/internal/golden"
)

// TestGolden compares what each sample parses to with testdata/golden: the
// whole result for stationlists and infos, a summary for the grid (its
// 81,608 values would bury any change in noise).
func TestGolden(t *testing.T) {
	for _, s := range samples {
		t.Run(s.name, func(t *testing.T) {
			data := fixture.Read(t, s.name)
			var out any
			var err error
			switch s.kind {
			case "grid":
				var g *Grid
				if g, err = ParseGrid(data); err == nil {
					out = summarize(g)
				}
			case "stationlist":
				out, err = ParseStationList(data)
			case "info":
				out, err = ParseInfo(data)
			}
			if err != nil {
				t.Fatal(err)
			}
			compareGolden(t, strings.TrimSuffix(s.name, filepath.Ext(s.name))+".json", out)
		})
	}
}

func compareGolden(t *testing.T, name string, v any) {
	t.Helper()
	golden.JSON(t, filepath.Join("testdata", "golden", name), v)
}

type gridSummary struct {
	Event                                      Event
	LonMin, LatMin, LonMax, LatMax, DLon, DLat float64
	NLon, NLat                                 int
	SouthFirst                                 bool
	ProcessTime                                time.Time
	Version                                    int
	Fields                                     []fieldSummary
	Nodes                                      []nodeSample  // every field at a few nodes
	Epicentre                                  []pointSample // At at the epicentre
}

type fieldSummary struct {
	Field
	Min, Max float32
}

type nodeSample struct {
	Row, Col int // 0-based, rows from the first in the file
	Why      string
	Values   []float32
}

type pointSample struct {
	Field string
	Value float64
}

func summarize(g *Grid) gridSummary {
	s := gridSummary{Event: g.Event, LonMin: g.LonMin, LatMin: g.LatMin, LonMax: g.LonMax, LatMax: g.LatMax,
		DLon: g.DLon, DLat: g.DLat, NLon: g.NLon, NLat: g.NLat, SouthFirst: g.SouthFirst,
		ProcessTime: g.ProcessTime, Version: g.Version}
	for _, f := range g.Fields {
		lo, hi := fieldRange(g, f.Name)
		s.Fields = append(s.Fields, fieldSummary{f, lo, hi})
	}
	nf := len(g.Fields)
	node := func(r, c int, why string) {
		i := (r*g.NLon + c) * nf
		s.Nodes = append(s.Nodes, nodeSample{r, c, why, g.Values[i : i+nf]})
	}
	node(0, 0, "first")
	node(0, g.NLon-1, "end of first row")
	node(g.NLat/2, g.NLon/2, "centre")
	if k, ok := g.field("PGA"); ok {
		best := 0
		for i := k; i < len(g.Values); i += nf {
			if g.Values[i] > g.Values[best*nf+k] {
				best = i / nf
			}
		}
		node(best/g.NLon, best%g.NLon, "first maximum of PGA")
	}
	node(g.NLat-1, g.NLon-1, "last")
	for _, f := range g.Fields {
		if v, err := g.At(g.Event.Latitude, g.Event.Longitude, f.Name); err == nil {
			s.Epicentre = append(s.Epicentre, pointSample{f.Name, v})
		}
	}
	return s
}
