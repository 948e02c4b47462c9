package shakemap

import (
	"fmt"
	"math"
	"runtime"
	"strings"
	"testing"
)

// synthGrid writes a ShakeMap 3.5 style grid.xml of nlon×nlat nodes half
// a degree apart from lon0, lat0 (the south-west corner), northern row
// first, with fields LON LAT PGA MMI; PGA = 10×row + col, counting rows
// from the north, and MMI = row + col/2.
func synthGrid(nlon, nlat int, lon0, lat0 float64) string {
	var b strings.Builder
	fmt.Fprintf(&b, `<?xml version="1.0" encoding="US-ASCII" standalone="yes"?>
<shakemap_grid xmlns="http://earthquake.usgs.gov/eqcenter/shakemap" event_id="synth1" shakemap_version="3" process_timestamp="2020-01-01T00:00:00Z">
<event magnitude="5.5" depth="12" lat="%g" lon="%g" event_timestamp="2020-01-01T07:00:00WIB" event_network="" event_description="synthetic" />
<grid_specification lon_min="%g" lat_min="%g" lon_max="%g" lat_max="%g" nominal_lon_spacing="0.5" nominal_lat_spacing="0.5" nlon="%d" nlat="%d" />
<grid_field index="1" name="LON" units="dd" />
<grid_field index="2" name="LAT" units="dd" />
<grid_field index="3" name="PGA" units="pctg" />
<grid_field index="4" name="MMI" units="intensity" />
<grid_data>
`, lat0, lon0, lon0, lat0, lon0+0.5*float64(nlon-1), lat0+0.5*float64(nlat-1), nlon, nlat)
	for r := range nlat {
		for c := range nlon {
			fmt.Fprintf(&b, "%.4f %.4f %d %g\n", lon0+0.5*float64(c), lat0+0.5*float64(nlat-1-r), 10*r+c, float64(r)+float64(c)/2)
		}
	}
	b.WriteString("</grid_data>\n</shakemap_grid>\n")
	return b.String()
}

func TestSynthGrid(t *testing.T) {
	g, err := ParseGrid([]byte(synthGrid(3, 2, 100, 0)))
	if err != nil {
		t.Fatal(err)
	}
	if g.Event.ID != "synth1" || g.Event.Time.Format("15:04Z07:00") != "00:00Z" || g.Version != 3 {
		t.Errorf("%+v version %d", g.Event, g.Version)
	}
	for _, c := range []struct {
		lat, lon float64
		field    string
		want     float64
	}{
		{0.5, 100, "PGA", 0}, {0.5, 101, "PGA", 2}, {0, 100, "PGA", 10}, {0, 101, "PGA", 12},
		{0.25, 100.25, "PGA", 5.5},       // the mean of 0, 1, 10, 11
		{0.5, 100.75, "PGA", 1.5},        // along the northern edge
		{0.4, 100.1, "MMI", 0.2 + 0.1},   // row 0.2 from the north, col 0.2
		{0.5, 100 + 1e-12, "PGA", 2e-12}, // within the edge tolerance
	} {
		got, err := g.At(c.lat, c.lon, c.field)
		if err != nil || math.Abs(got-c.want) > 1e-9 {
			t.Errorf("At(%g, %g, %s) = %v, %v; want %v", c.lat, c.lon, c.field, got, err, c.want)
		}
	}
	for _, p := range [][2]float64{{0.6, 100}, {-0.1, 100}, {0, 99.9}, {0, 101.1}, {math.NaN(), 100}} {
		if _, err := g.At(p[0], p[1], "PGA"); !contains(err, "outside the grid (lat 0..0.5, lon 100..101)") {
			t.Errorf("At(%v) error %v", p, err)
		}
	}
}

func TestGridSouthFirst(t *testing.T) {
	// The same grid with its rows in the other order.
	text := synthGrid(2, 3, 100, 0)
	head, body, _ := strings.Cut(text, "<grid_data>\n")
	body, tail, _ := strings.Cut(body, "</grid_data>")
	rows := strings.Split(strings.TrimSpace(body), "\n")
	var rev []string
	for r := 2; r >= 0; r-- {
		rev = append(rev, rows[2*r:2*r+2]...)
	}
	g, err := ParseGrid([]byte(head + "<grid_data>\n" + strings.Join(rev, "\n") + "\n</grid_data>" + tail))
	if err != nil {
		t.Fatal(err)
	}
	if !g.SouthFirst {
		t.Error("SouthFirst not set")
	}
	if got, err := g.At(1, 100.5, "PGA"); err != nil || got != 1 {
		t.Errorf("north-east corner PGA = %v, %v; want 1", got, err)
	}
	if got, err := g.At(0, 100, "PGA"); err != nil || got != 20 {
		t.Errorf("south-west corner PGA = %v, %v; want 20", got, err)
	}
}

func TestGridAntimeridian(t *testing.T) {
	// ShakeMap may give a box past 180°E and still write LON as -179.5.
	text := strings.Replace(synthGrid(3, 2, 179.5, -20), "\n180.5000 ", "\n-179.5000 ", -1)
	g, err := ParseGrid([]byte(text))
	if err != nil {
		t.Fatal(err)
	}
	for _, lon := range []float64{180.5, -179.5} {
		if got, err := g.At(-20, lon, "PGA"); err != nil || got != 12 {
			t.Errorf("At(-20, %g) = %v, %v; want 12", lon, got, err)
		}
	}
}

func TestGridLatin1Header(t *testing.T) {
	// Non-ASCII bytes in a single-byte encoding shift the decoder's offsets
	// against the raw bytes; grid_data must still be found.
	text := strings.Replace(synthGrid(3, 2, 100, 0), `encoding="US-ASCII"`, `encoding="ISO-8859-1"`, 1)
	text = strings.Replace(text, "synthetic", "Sel\xe9bes \xe9\xe9\xe9", 1)
	g, err := ParseGrid([]byte(text))
	if err != nil {
		t.Fatal(err)
	}
	if g.Event.Description != "Selébes ééé" || len(g.Values) != 24 {
		t.Errorf("%q, %d values", g.Event.Description, len(g.Values))
	}
}

func TestGridBadInput(t *testing.T) {
	good := synthGrid(3, 2, 100, 0)
	cut := good[:strings.Index(good, "100.5000 0.0000")+9]
	for _, c := range []struct{ name, text, want string }{
		{"truncated grid_data", cut, "<grid_data> is not closed: the file is cut short after line 14"},
		{"truncated header", good[:strings.Index(good, "<grid_field")], "no <grid_data> element: the file is cut short (line 5)"},
		{"a row missing", strings.Replace(good, "101.0000 0.0000 12 2\n", "", 1), "<grid_data> has 5 rows, but nlon×nlat = 3×2 = 6"},
		{"nlat says more rows", noPositions(strings.Replace(good, `nlat="2"`, `nlat="3"`, 1)), "<grid_data> has 6 rows, but nlon×nlat = 3×3 = 9"},
		{"nlat says fewer rows", strings.Replace(good, `nlat="2"`, `nlat="1"`, 1), "box 100..101°E, 0..0.5°N does not fit nlon 3, nlat 1"},
		{"nlon says fewer rows", strings.Replace(strings.Replace(good, `nlon="3"`, `nlon="2"`, 1), `lon_max="101"`, `lon_max="100.5"`, 1),
			"line 12 (row 3): LON 101, but grid_specification puts column 1 at 100"},
		{"extra row", strings.Replace(good, "</grid_data>", "101.0000 0.0000 12 1.5\n</grid_data>", 1), "line 16: more rows than nlon×nlat = 3×2 = 6"},
		{"short row", strings.Replace(good, "100.5000 0.0000 11 1.5", "100.5000 0.0000 11", 1), "line 14: 3 numbers, want 4 (one per grid_field)"},
		{"long row", strings.Replace(good, "100.5000 0.0000 11 1.5", "100.5000 0.0000 11 1.5 7 8", 1), "line 14: 6 numbers, want 4"},
		{"field missing", strings.Replace(good, `<grid_field index="4" name="MMI" units="intensity" />`, "", 1), "line 10: 4 numbers, want 3"},
		{"field index gap", strings.Replace(good, `index="4"`, `index="5"`, 1), `indexes are not 1..4: "MMI" has index 5`},
		{"field twice", strings.Replace(good, `name="MMI"`, `name="pga"`, 1), `grid_field "pga" appears twice`},
		{"absurd nlon×nlat", strings.Replace(good, `nlon="3"`, `nlon="1000000000"`, 1), "more than the 4194304 points allowed"},
		{"negative nlat", strings.Replace(good, `nlat="2"`, `nlat="-2"`, 1), "is not a grid"},
		{"LON off its node", strings.Replace(good, "100.5000 0.5000", "100.7000 0.5000", 1), "line 11 (row 2): LON 100.7, but grid_specification puts column 2 at 100.5"},
		{"LAT off its node", strings.Replace(good, "100.0000 0.0000", "100.0000 0.2500", 1), "line 13 (row 4): LAT 0.25, but grid_specification puts row 2 at 0"},
		{"not a number", strings.Replace(good, " 11 ", " 1x ", 1), `line 14: "1x" is not a number`},
		{"out of float32 range", strings.Replace(good, " 11 ", " 1e39 ", 1), `line 14: "1e39" is not a number within float32 range`},
		{"markup in data", strings.Replace(good, "100.5000 0.0000", "<x/>", 1), "line 14: markup inside <grid_data>"},
		{"empty grid_data", good[:strings.Index(good, "<grid_data>")] + "<grid_data/></shakemap_grid>", "<grid_data/> is empty"},
		{"no event", strings.Replace(good, "<event ", "<evnt ", 1), "no <event> before <grid_data>"},
		{"bad timestamp", strings.Replace(good, "07:00:00WIB", "07:00:00XYZ", 1), `event_timestamp: timestamp "2020-01-01T07:00:00XYZ": unknown time zone "XYZ"`},
		{"bad latitude", strings.Replace(good, `lat="0"`, `lat="95"`, 1), "<event>: position 95, 100 is off the globe"},
		{"wrong root", "<shakemap-data/>", "XML root is <shakemap-data>, not <shakemap_grid>"},
		{"garbage", "\x00\x01garbage", "not XML"},
		{"empty", "", "no XML root element"},
		{"unknown encoding", `<?xml version="1.0" encoding="EBCDIC"?><shakemap_grid/>`, `unsupported XML encoding "EBCDIC"`},
	} {
		t.Run(c.name, func(t *testing.T) {
			g, err := ParseGrid([]byte(c.text))
			if !contains(err, c.want) {
				t.Errorf("error %v; want one containing %q", err, c.want)
			}
			if g != nil {
				t.Error("grid returned with an error")
			}
		})
	}
}

// noPositions renames the LON and LAT fields, so that only the row count
// can tell a lying nlon×nlat.
func noPositions(text string) string {
	return strings.NewReplacer(`name="LON"`, `name="X"`, `name="LAT"`, `name="Y"`).Replace(text)
}

// TestGridRefusedBeforeAllocation: a header promising 4M nodes over a body
// of a few bytes must not cost 64 MB of values.
func TestGridRefusedBeforeAllocation(t *testing.T) {
	text := strings.Replace(synthGrid(3, 2, 100, 0), `nlon="3" nlat="2"`, `nlon="2048" nlat="2048"`, 1)
	text = strings.Replace(text, `lon_max="101" lat_max="0.5"`, `lon_max="1123.5" lat_max="1023.5"`, 1)
	text = strings.Replace(text, `lon_max="1123.5"`, `lon_max="100.2047"`, 1)
	text = strings.Replace(text, `lat_max="1023.5"`, `lat_max="20.47"`, 1)
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	_, err := ParseGrid([]byte(text))
	runtime.ReadMemStats(&after)
	if !contains(err, "too few for nlon×nlat = 2048×2048 = 4194304 rows of 4 numbers") {
		t.Errorf("error %v", err)
	}
	if n := after.TotalAlloc - before.TotalAlloc; n > 1<<20 {
		t.Errorf("allocated %d bytes before refusing", n)
	}
}
