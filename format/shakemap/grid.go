package shakemap

import (
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"math"
	"sort"
	"strings"
	"time"

	"github.com/bmkg/mkggraph/format/internal/sniff"
	"github.com/bmkg/mkggraph/format/internal/xmlread"
)

// MaxGridPoints caps nlon×nlat. ShakeMap's own grids are far smaller (a
// few hundred thousand points); the cap keeps a lying header from making
// ParseGrid allocate gigabytes.
const MaxGridPoints = 4 << 20

// maxFields caps the grid_field count; ShakeMap writes 8 to 15.
const maxFields = 64

// Field describes one column of grid_data.
type Field struct {
	Index int // 1-based column number
	Name  string
	Units string
}

// Grid is a ShakeMap grid.xml: a regular grid of NLat rows by NLon columns
// covering LonMin..LonMax, LatMin..LatMax, nodes included.
type Grid struct {
	Event                          Event
	LonMin, LatMin, LonMax, LatMax float64
	DLon, DLat                     float64 // nominal spacing as written
	NLon, NLat                     int
	Fields                         []Field // in column order
	// Values holds the rows of grid_data as in the file: node after node,
	// len(Fields) numbers per node, NLat*NLon*len(Fields) in all. ShakeMap
	// writes the northern row first, west to east.
	Values []float32
	// SouthFirst is set when the first row is the southern one (LatMin),
	// as some non-ShakeMap writers do; it is read from the LAT column.
	SouthFirst  bool
	ProcessTime time.Time // UTC; zero when the file gives none
	Version     int       // shakemap_version
}

// ParseGrid reads a grid.xml. The header is read and checked first, so an
// absurd nlon×nlat, or one the data cannot possibly hold, is refused before
// the values are allocated. Every row must have one number per field, the
// row count must be nlon×nlat, and the LON and LAT columns must put each row
// on its node; the first inconsistency is reported with its line number.
func ParseGrid(data []byte) (*Grid, error) {
	if isJSON(data) {
		return nil, errJSON
	}
	data = sniff.TrimBOM(data)
	d := xmlread.NewDecoder(data)
	transcoded := false
	d.CharsetReader = func(label string, in io.Reader) (io.Reader, error) {
		r, err := xmlread.CharsetReader(label, in)
		transcoded = err == nil
		return r, err
	}
	root, err := expectRoot(d, "shakemap_grid")
	if err != nil {
		return nil, fmt.Errorf("shakemap: %v", err)
	}
	g, err := readGridHeader(d, attrs(root.Attr))
	if err != nil {
		return nil, fmt.Errorf("shakemap: %v", err)
	}
	off := int(d.InputOffset())
	if transcoded {
		off = rawOffset(data, off)
	}
	if err := g.readData(data, off); err != nil {
		return nil, fmt.Errorf("shakemap: %v", err)
	}
	return g, nil
}

// rawOffset maps an offset in the UTF-8 the decoder read back to the
// single-byte input, where each byte from 0x80 up became two.
func rawOffset(data []byte, off int) int {
	p, n := 0, 0
	for p < len(data) && n < off {
		n++
		if data[p] >= 0x80 {
			n++
		}
		p++
	}
	return p
}

// readGridHeader reads the elements before <grid_data> and leaves the
// decoder just after its start tag.
func readGridHeader(d *xml.Decoder, root attrs) (*Grid, error) {
	g := &Grid{}
	var haveEvent, haveSpec bool
	for {
		tok, err := d.Token()
		if err != nil {
			return nil, fmt.Errorf("no <grid_data> element: %v", readErr(err))
		}
		start, ok := tok.(xml.StartElement)
		if !ok {
			continue
		}
		a := attrs(start.Attr)
		switch start.Name.Local {
		case "event":
			haveEvent = true
			if g.Event, err = gridEvent(a, root.str("event_id")); err != nil {
				return nil, fmt.Errorf("<event>: %v", err)
			}
		case "grid_specification":
			haveSpec = true
			if err := g.readSpec(a); err != nil {
				return nil, fmt.Errorf("<grid_specification>: %v", err)
			}
		case "grid_field":
			if err := g.addField(a); err != nil {
				return nil, fmt.Errorf("<grid_field>: %v", err)
			}
		case "grid_data":
			switch {
			case !haveEvent:
				return nil, errors.New("no <event> before <grid_data>")
			case !haveSpec:
				return nil, errors.New("no <grid_specification> before <grid_data>")
			}
			if err := g.finishFields(); err != nil {
				return nil, err
			}
			return g, g.readRootAttrs(root)
		}
		if err := d.Skip(); err != nil {
			return nil, readErr(err)
		}
	}
}

func (g *Grid) readRootAttrs(root attrs) error {
	if v, ok := root.get("shakemap_version"); ok && v != "" {
		n, err := root.integer("shakemap_version")
		if err != nil {
			return err
		}
		g.Version = n
	}
	if v, ok := root.get("process_timestamp"); ok && v != "" {
		t, err := parseTimestamp(v)
		if err != nil {
			return fmt.Errorf("process_timestamp: %v", err)
		}
		g.ProcessTime = t
	}
	return nil
}

// gridEvent reads <event>. ShakeMap 4 puts event_id on it; ShakeMap 3.5
// only on the root.
func gridEvent(a attrs, rootID string) (Event, error) {
	e := Event{ID: a.str("event_id"), Description: a.str("event_description")}
	if e.ID == "" {
		e.ID = rootID
	}
	var err error
	if err = a.floats([]string{"magnitude", "depth", "lat", "lon"}, &e.Magnitude, &e.DepthKm, &e.Latitude, &e.Longitude); err != nil {
		return e, err
	}
	if err := checkPosition(e.Latitude, e.Longitude); err != nil {
		return e, err
	}
	ts, ok := a.get("event_timestamp")
	if !ok {
		return e, errors.New("event_timestamp is missing")
	}
	if e.Time, err = parseTimestamp(ts); err != nil {
		return e, fmt.Errorf("event_timestamp: %v", err)
	}
	return e, nil
}

func (g *Grid) readSpec(a attrs) error {
	var err error
	if err = a.floats([]string{"lon_min", "lat_min", "lon_max", "lat_max"}, &g.LonMin, &g.LatMin, &g.LonMax, &g.LatMax); err != nil {
		return err
	}
	if g.NLon, err = a.integer("nlon"); err != nil {
		return err
	}
	if g.NLat, err = a.integer("nlat"); err != nil {
		return err
	}
	switch {
	case g.NLon < 1 || g.NLat < 1:
		return fmt.Errorf("nlon %d × nlat %d is not a grid", g.NLon, g.NLat)
	case g.NLon > MaxGridPoints || g.NLat > MaxGridPoints || g.NLon*g.NLat > MaxGridPoints:
		return fmt.Errorf("nlon %d × nlat %d is more than the %d points allowed", g.NLon, g.NLat, MaxGridPoints)
	case checkPosition(g.LatMin, g.LonMin) != nil || checkPosition(g.LatMax, g.LonMax) != nil:
		return fmt.Errorf("box %g..%g°E, %g..%g°N is off the globe", g.LonMin, g.LonMax, g.LatMin, g.LatMax)
	case !axisOK(g.LonMin, g.LonMax, g.NLon) || !axisOK(g.LatMin, g.LatMax, g.NLat):
		return fmt.Errorf("box %g..%g°E, %g..%g°N does not fit nlon %d, nlat %d", g.LonMin, g.LonMax, g.LatMin, g.LatMax, g.NLon, g.NLat)
	case g.LonMax-g.LonMin > 360:
		return fmt.Errorf("box %g..%g°E spans more than 360°", g.LonMin, g.LonMax)
	}
	if g.DLon, err = spacing(a, "nominal_lon_spacing", g.LonMin, g.LonMax, g.NLon); err != nil {
		return err
	}
	g.DLat, err = spacing(a, "nominal_lat_spacing", g.LatMin, g.LatMax, g.NLat)
	return err
}

// axisOK: a single node has min = max, several have min < max.
func axisOK(lo, hi float64, n int) bool {
	if n == 1 {
		return math.Abs(hi-lo) < 1e-6
	}
	return lo < hi
}

// spacing returns the nominal spacing, or the one implied by the box when
// the file gives none.
func spacing(a attrs, name string, lo, hi float64, n int) (float64, error) {
	v, err := a.optFloat(name)
	if err != nil {
		return 0, err
	}
	if v == nil || *v == 0 {
		if n == 1 {
			return 0, nil
		}
		return (hi - lo) / float64(n-1), nil
	}
	if *v < 0 {
		return 0, fmt.Errorf("%s %g is negative", name, *v)
	}
	return *v, nil
}

func (g *Grid) addField(a attrs) error {
	if len(g.Fields) == maxFields {
		return fmt.Errorf("more than %d fields", maxFields)
	}
	idx, err := a.integer("index")
	if err != nil {
		return err
	}
	name := a.str("name")
	if name == "" {
		return fmt.Errorf("field %d has no name", idx)
	}
	g.Fields = append(g.Fields, Field{Index: idx, Name: name, Units: a.str("units")})
	return nil
}

// finishFields puts the fields in column order and checks that the indexes
// run 1..n and the names are distinct.
func (g *Grid) finishFields() error {
	if len(g.Fields) == 0 {
		return errors.New("no <grid_field> before <grid_data>")
	}
	sort.SliceStable(g.Fields, func(i, j int) bool { return g.Fields[i].Index < g.Fields[j].Index })
	for i, f := range g.Fields {
		if f.Index != i+1 {
			return fmt.Errorf("grid_field indexes are not 1..%d: %q has index %d", len(g.Fields), f.Name, f.Index)
		}
		for _, h := range g.Fields[:i] {
			if strings.EqualFold(h.Name, f.Name) {
				return fmt.Errorf("grid_field %q appears twice", f.Name)
			}
		}
	}
	return nil
}

// field returns the column of a field, matched case-insensitively.
func (g *Grid) field(name string) (int, bool) {
	for i, f := range g.Fields {
		if strings.EqualFold(f.Name, name) {
			return i, true
		}
	}
	return 0, false
}
