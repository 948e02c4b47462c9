package shakemap

import (
	"fmt"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/bmkg/mkggraph/format/internal/fixture"
)

const (
	kepahiangGrid  = "bmkg-shakemap-20171016085300-grid.xml"
	kepahiangInfo  = "bmkg-shakemap-20171016085300-info.xml"
	kepahiangList  = "bmkg-shakemap-20171016085300-stationlist.xml"
	bandungList    = "bmkg-shakemap-bmg2010attp-stationlist.xml"
	bandungInfo    = "bmkg-shakemap-bmg2010attp-info.xml"
	kepahiangEvent = "20171016085300"
)

// samples maps each sample to the kind Detect must report.
var samples = []struct{ name, kind string }{
	{kepahiangGrid, "grid"},
	{kepahiangInfo, "info"},
	{kepahiangList, "stationlist"},
	{bandungList, "stationlist"},
	{bandungInfo, "info"},
}

func TestDetect(t *testing.T) {
	for _, s := range samples {
		if kind, ok := Detect(fixture.Read(t, s.name)); !ok || kind != s.kind {
			t.Errorf("%s: Detect = %q, %v; want %q", s.name, kind, ok, s.kind)
		}
	}
	for _, junk := range []string{"", "{}", "<quakeml/>", "text <info/>", "<?xml version='1.0'?>"} {
		if kind, ok := Detect([]byte(junk)); ok {
			t.Errorf("Detect(%q) = %q", junk, kind)
		}
	}
}

func TestKepahiangGrid(t *testing.T) {
	g, err := ParseGrid(fixture.Read(t, kepahiangGrid))
	if err != nil {
		t.Fatal(err)
	}
	wantTime := time.Date(2017, 10, 16, 1, 53, 0, 0, time.UTC) // 08:53 WIB
	if g.Event.ID != kepahiangEvent || !g.Event.Time.Equal(wantTime) || g.Event.Time.Location() != time.UTC ||
		g.Event.Magnitude != 3.1 || g.Event.DepthKm != 10 || g.Event.Latitude != -3.56 || g.Event.Longitude != 102.59 {
		t.Errorf("event %+v", g.Event)
	}
	if g.NLon != 101 || g.NLat != 101 || len(g.Fields) != 8 || len(g.Values) != 101*101*8 || g.SouthFirst {
		t.Fatalf("%d×%d, %d fields, %d values, south first %v", g.NLon, g.NLat, len(g.Fields), len(g.Values), g.SouthFirst)
	}
	if g.Version != 1 || g.ProcessTime.Format(time.RFC3339) != "2017-12-06T02:56:33Z" {
		t.Errorf("version %d, processed %v", g.Version, g.ProcessTime)
	}
	// info.xml's maxima are the grid's, rounded to two decimals.
	info, err := ParseInfo(fixture.Read(t, kepahiangInfo))
	if err != nil {
		t.Fatal(err)
	}
	for field, tag := range map[string]string{"PGA": "pga_max", "PGV": "pgv_max", "MMI": "mi_max"} {
		_, hi := fieldRange(g, field)
		if got := fmt.Sprintf("%.2f", hi); got != info[tag] {
			t.Errorf("max %s = %s, info %s = %s", field, got, tag, info[tag])
		}
	}
	if _, hi := fieldRange(g, "PGA"); hi != float32(1.35) {
		t.Errorf("max PGA %v %%g, want 1.35", hi)
	}
}

// fieldRange is the minimum and maximum of one field over the grid.
func fieldRange(g *Grid, name string) (lo, hi float32) {
	k, _ := g.field(name)
	nf := len(g.Fields)
	lo, hi = float32(math.Inf(1)), float32(math.Inf(-1))
	for i := k; i < len(g.Values); i += nf {
		lo, hi = min(lo, g.Values[i]), max(hi, g.Values[i])
	}
	return lo, hi
}

func TestKepahiangAt(t *testing.T) {
	g, err := ParseGrid(fixture.Read(t, kepahiangGrid))
	if err != nil {
		t.Fatal(err)
	}
	nf := len(g.Fields)
	node := func(r, c, k int) float64 { return float64(g.Values[(r*g.NLon+c)*nf+k]) }
	pga, _ := g.field("PGA")
	// Every node's own LON/LAT gives back its value exactly.
	for _, rc := range [][2]int{{0, 0}, {0, 100}, {100, 0}, {100, 100}, {50, 50}, {49, 50}, {37, 81}} {
		r, c := rc[0], rc[1]
		lat, lon := g.LatMax-float64(r)*0.02495, g.LonMin+float64(c)*0.025
		for k, f := range g.Fields {
			got, err := g.At(lat, lon, f.Name)
			if err != nil || math.Abs(got-node(r, c, k)) > 1e-6 {
				t.Errorf("At node (%d,%d) %s = %v, %v; want %v", r, c, f.Name, got, err, node(r, c, k))
			}
		}
	}
	// A quarter of the way east and a third of the way south of node
	// (49,50): the bilinear mix of the four nodes around.
	lat, lon := g.LatMax-(49+1/3.0)*0.02495, g.LonMin+50.25*0.025
	want := (node(49, 50, pga)*0.75+node(49, 51, pga)*0.25)*(2/3.0) +
		(node(50, 50, pga)*0.75+node(50, 51, pga)*0.25)*(1/3.0)
	if got, err := g.At(lat, lon, "pga"); err != nil || math.Abs(got-want) > 1e-6 {
		t.Errorf("At between nodes = %v, %v; want %v", got, err, want)
	}
	if node(49, 50, pga) == node(50, 51, pga) {
		t.Error("test point has flat surroundings; pick another")
	}
	if _, err := g.At(-5, 102, "MMI"); err == nil || !contains(err, "lat -4.8075..-2.3125, lon 101.34..103.84") {
		t.Errorf("outside the grid: %v", err)
	}
	if _, err := g.At(-3, 102, "PSA30"); err == nil || !contains(err, `no field "PSA30"`) {
		t.Errorf("unknown field: %v", err)
	}
	if got := PctGToGal(1.35); math.Abs(got-13.2389775) > 1e-9 {
		t.Errorf("PctGToGal(1.35) = %v", got)
	}
}

func TestBandungStationList(t *testing.T) {
	sl, err := ParseStationList(fixture.Read(t, bandungList))
	if err != nil {
		t.Fatal(err)
	}
	e := sl.Event
	if e.ID != "bmg2010attp" || e.Time.Format(time.RFC3339) != "2010-01-19T06:38:56Z" || e.Magnitude != 6.2 ||
		e.DepthKm != 14 || e.Latitude != -7.74 || e.Longitude != 107.29 || e.Description != "97 km Barat Daya Bandung JAWA Barat" {
		t.Errorf("event %+v", e)
	}
	if len(sl.Stations) != 2 {
		t.Fatalf("%d stations", len(sl.Stations))
	}
	b := sl.Stations[1]
	c := b.Components[0]
	if b.Code != "Bandung" || b.Latitude != -6.92 || *b.DistanceKm != 94.346064 || *b.Intensity != 6.4 ||
		c.Name != "DERIVED" || *c.PGAPctG != 14.19 || *c.PGVCmS != 15.10 || *c.PSA30 != 4.46 {
		t.Errorf("Bandung %+v %+v", b, c)
	}
	if len(c.Flags) != 3 || c.Flags["vel"] != "T" || c.Flags["psa10"] != "T" || c.Flags["psa30"] != "T" {
		t.Errorf("Bandung flags %v", c.Flags)
	}
	if sl.Stations[0].Components[0].Flags != nil {
		t.Errorf("Cianjur flags %v; flag 0 is no flag", sl.Stations[0].Components[0].Flags)
	}
}

func TestKepahiangStationList(t *testing.T) {
	sl, err := ParseStationList(fixture.Read(t, kepahiangList))
	if err != nil {
		t.Fatal(err)
	}
	if len(sl.Stations) != 0 || sl.Event.ID != kepahiangEvent || sl.Event.Time.Format(time.RFC3339) != "2017-10-16T01:53:00Z" {
		t.Errorf("%+v", sl)
	}
}

func contains(err error, s string) bool {
	return err != nil && strings.Contains(err.Error(), s)
}
