package shakemap

import (
	"bytes"
	"fmt"
	"math"
	"strconv"
	"strings"
)

// readData reads grid_data straight from the bytes, not through the XML
// decoder: it is plain ASCII numbers, and this way a grid of millions of
// values costs one string copy rather than a token per number. off is
// where the text after <grid_data> starts.
func (g *Grid) readData(data []byte, off int) error {
	nodes, nf := g.NLon*g.NLat, len(g.Fields)
	if off >= 2 && string(data[off-2:off]) == "/>" {
		return fmt.Errorf("<grid_data/> is empty; nlon×nlat = %d rows expected", nodes)
	}
	line := 1 + bytes.Count(data[:off], []byte{'\n'})
	n := bytes.IndexByte(data[off:], '<')
	if n < 0 {
		return fmt.Errorf("<grid_data> is not closed: the file is cut short after line %d", line+bytes.Count(data[off:], []byte{'\n'}))
	}
	body := data[off : off+n]
	if !isEndTag(data[off+n:], "grid_data") {
		return fmt.Errorf("line %d: markup inside <grid_data>, which holds only numbers", line+bytes.Count(body, []byte{'\n'}))
	}
	// Each number takes at least a digit and a separator: refuse a header
	// the body cannot satisfy before allocating for it.
	if len(body) < 2*nodes*nf-1 {
		return fmt.Errorf("<grid_data> has %d lines (%d bytes), too few for nlon×nlat = %d×%d = %d rows of %d numbers",
			bytes.Count(body, []byte{'\n'}), len(body), g.NLon, g.NLat, nodes, nf)
	}
	g.Values = make([]float32, 0, nodes*nf)
	pc := g.newPosCheck()
	s := string(body)
	for first := true; len(s) > 0; first = false {
		text := s
		if i := strings.IndexByte(s, '\n'); i >= 0 {
			text, s = s[:i], s[i+1:]
		} else {
			s = ""
		}
		if !first {
			line++
		}
		row := len(g.Values) / nf
		if row == nodes && strings.TrimSpace(text) != "" {
			return fmt.Errorf("line %d: more rows than nlon×nlat = %d×%d = %d", line, g.NLon, g.NLat, nodes)
		}
		k, err := g.appendRow(text, nf)
		if err != nil {
			return fmt.Errorf("line %d: %v", line, err)
		}
		switch {
		case k == 0:
			continue
		case k != nf:
			return fmt.Errorf("line %d: %d numbers, want %d (one per grid_field)", line, k, nf)
		}
		if err := pc.check(g, row); err != nil {
			return fmt.Errorf("line %d (row %d): %v", line, row+1, err)
		}
	}
	if rows := len(g.Values) / nf; rows != nodes {
		return fmt.Errorf("<grid_data> has %d rows, but nlon×nlat = %d×%d = %d", rows, g.NLon, g.NLat, nodes)
	}
	return nil
}

// appendRow parses the numbers of one line onto g.Values and returns how
// many there were. Past nf it only counts, so that a long line cannot grow
// Values past its capacity.
func (g *Grid) appendRow(text string, nf int) (int, error) {
	k := 0
	for {
		text = strings.TrimLeft(text, " \t\r")
		if text == "" {
			return k, nil
		}
		end := strings.IndexAny(text, " \t\r")
		if end < 0 {
			end = len(text)
		}
		tok := text[:end]
		text = text[end:]
		if k++; k > nf {
			continue
		}
		v, err := strconv.ParseFloat(tok, 32)
		if err != nil || math.IsInf(v, 0) {
			return k, fmt.Errorf("%q is not a number within float32 range", tok)
		}
		g.Values = append(g.Values, float32(v))
	}
}

// isEndTag reports whether b starts with </name> or </prefix:name>.
func isEndTag(b []byte, name string) bool {
	if !bytes.HasPrefix(b, []byte("</")) {
		return false
	}
	b = b[2:]
	if i := bytes.IndexByte(b, '>'); i >= 0 {
		tag := strings.TrimRight(string(b[:i]), " \t\r\n")
		if j := strings.IndexByte(tag, ':'); j >= 0 {
			tag = tag[j+1:]
		}
		return tag == name
	}
	return false
}

// posCheck holds what checking the LON and LAT columns needs.
type posCheck struct {
	lon, lat         int // columns; -1 when the grid has none
	stepLon, stepLat float64
	tolLon, tolLat   float64
}

func (g *Grid) newPosCheck() posCheck {
	pc := posCheck{lon: -1, lat: -1}
	if i, ok := g.field("LON"); ok {
		pc.lon = i
	}
	if i, ok := g.field("LAT"); ok {
		pc.lat = i
	}
	pc.stepLon, pc.tolLon = step(g.LonMin, g.LonMax, g.NLon)
	pc.stepLat, pc.tolLat = step(g.LatMin, g.LatMax, g.NLat)
	return pc
}

// step is the node spacing implied by the box, and how far a written
// coordinate may stray from its node: a quarter step, or 1e-4° (ShakeMap
// writes four decimals).
func step(lo, hi float64, n int) (float64, float64) {
	if n == 1 {
		return 0, 1e-4
	}
	s := (hi - lo) / float64(n-1)
	return s, max(s/4, 1e-4)
}

// check compares a row's LON and LAT with its node. The first row decides
// whether rows run north to south (ShakeMap) or south to north.
func (pc posCheck) check(g *Grid, row int) error {
	nf := len(g.Fields)
	col, r := row%g.NLon, row/g.NLon
	if pc.lon >= 0 {
		v := g.Values[row*nf+pc.lon]
		want := g.LonMin + float64(col)*pc.stepLon
		if !(math.Abs(math.Remainder(float64(v)-want, 360)) <= pc.tolLon) {
			return fmt.Errorf("LON %g, but grid_specification puts column %d at %g", v, col+1, want)
		}
	}
	if pc.lat < 0 {
		return nil
	}
	v := g.Values[row*nf+pc.lat]
	if row == 0 && g.NLat > 1 && math.Abs(float64(v)-g.LatMin) <= pc.tolLat {
		g.SouthFirst = true
	}
	want := g.LatMax - float64(r)*pc.stepLat
	if g.SouthFirst {
		want = g.LatMin + float64(r)*pc.stepLat
	}
	if !(math.Abs(float64(v)-want) <= pc.tolLat) {
		return fmt.Errorf("LAT %g, but grid_specification puts row %d at %g", v, r+1, want)
	}
	return nil
}
