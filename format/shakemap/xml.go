package shakemap

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"github.com/bmkg/mkggraph/format/internal/sniff"
	"github.com/bmkg/mkggraph/format/internal/xmlread"
)

// sniffLen caps what Detect reads: enough for the stationlist's inline DTD
// (about 2 KB) many times over.
const sniffLen = 64 << 10

// Detect reports which ShakeMap product data holds, by its root element:
// "grid" (shakemap_grid), "stationlist" (shakemap-data) or "info" (info).
// Only the first 64 KB are looked at.
func Detect(data []byte) (kind string, ok bool) {
	start, err := rootElement(xmlread.NewDecoder(data[:min(len(data), sniffLen)]))
	if err != nil {
		return "", false
	}
	switch start.Name.Local {
	case "shakemap_grid":
		return "grid", true
	case "shakemap-data":
		return "stationlist", true
	case "info":
		return "info", true
	}
	return "", false
}

// errJSON refuses ShakeMap 4's JSON products (stationlist.json, a GeoJSON
// FeatureCollection; info.json), which this package does not read.
var errJSON = errors.New("shakemap: ShakeMap 4 JSON (stationlist.json, info.json) is not supported, only ShakeMap 3.5 XML")

// isJSON reports whether data starts like a JSON object.
func isJSON(data []byte) bool {
	data = bytes.TrimLeft(sniff.TrimBOM(data), " \t\r\n")
	return len(data) > 0 && data[0] == '{'
}

// rootElement reads the prolog (declaration, comments, DOCTYPE) and returns
// the root element's start tag.
func rootElement(d *xml.Decoder) (xml.StartElement, error) {
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			return xml.StartElement{}, errors.New("no XML root element")
		}
		if err != nil {
			return xml.StartElement{}, fmt.Errorf("not XML: %v", readErr(err))
		}
		switch t := tok.(type) {
		case xml.StartElement:
			return t, nil
		case xml.CharData:
			if len(bytes.TrimSpace(t)) > 0 {
				return xml.StartElement{}, errors.New("not XML: text before the root element")
			}
		}
	}
}

// expectRoot reads up to the root element and refuses any other root.
func expectRoot(d *xml.Decoder, name string) (xml.StartElement, error) {
	start, err := rootElement(d)
	if err != nil {
		return start, err
	}
	if start.Name.Local != name {
		return start, fmt.Errorf("XML root is <%s>, not <%s>", start.Name.Local, name)
	}
	return start, nil
}

// readErr describes an error from the decoder, saying plainly when the
// input ended too soon.
func readErr(err error) error {
	var se *xml.SyntaxError
	if errors.Is(err, io.EOF) || errors.As(err, &se) && se.Msg == "unexpected EOF" {
		line := 0
		if se != nil {
			line = se.Line
		}
		return fmt.Errorf("the file is cut short (line %d): XML elements are left open", line)
	}
	return err
}

// attrs gives access to an element's attributes by local name.
type attrs []xml.Attr

func (a attrs) get(name string) (string, bool) {
	for _, x := range a {
		if x.Name.Local == name {
			return strings.TrimSpace(x.Value), true
		}
	}
	return "", false
}

func (a attrs) str(name string) string {
	v, _ := a.get(name)
	return v
}

// float returns a required finite number.
// floats reads the attributes names into dsts, in order; the first one
// missing or not a number stops it.
func (a attrs) floats(names []string, dsts ...*float64) error {
	for i, name := range names {
		var err error
		if *dsts[i], err = a.float(name); err != nil {
			return err
		}
	}
	return nil
}

func (a attrs) float(name string) (float64, error) {
	v, ok := a.get(name)
	if !ok || v == "" {
		return 0, fmt.Errorf("%s is missing", name)
	}
	return parseFinite(name, v)
}

// optFloat returns nil for an absent or empty attribute.
func (a attrs) optFloat(name string) (*float64, error) {
	v, ok := a.get(name)
	if !ok || v == "" {
		return nil, nil
	}
	f, err := parseFinite(name, v)
	if err != nil {
		return nil, err
	}
	return &f, nil
}

// integer returns a required integer.
func (a attrs) integer(name string) (int, error) {
	v, ok := a.get(name)
	if !ok || v == "" {
		return 0, fmt.Errorf("%s is missing", name)
	}
	n, err := strconv.Atoi(v)
	if err != nil {
		return 0, fmt.Errorf("%s %q is not an integer", name, v)
	}
	return n, nil
}

func parseFinite(name, v string) (float64, error) {
	f, err := strconv.ParseFloat(v, 64)
	if err != nil || math.IsInf(f, 0) || math.IsNaN(f) {
		return 0, fmt.Errorf("%s %q is not a finite number", name, v)
	}
	return f, nil
}
