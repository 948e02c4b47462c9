// Package synopstations parses a directory of WMO SYNOP stations keyed by
// their WMO index: a JSON object whose keys are 5-digit station indices and
// whose values give the place name ("kota", Indonesian for city) and the
// position in decimal degrees:
//
//	{"96001": {"kota": "Sabang / Cut Bau", "lat": 5.8667, "lon": 95.3167}, …}
//
// This is the shape of the station table used by Indonesian OGIMET
// downloaders. Entries are returned in file order. lat and lon may be JSON
// numbers or numeric strings; other members of an entry are ignored.
//
// An entry with a bad key or value is rejected and the rest still loads.
// A file that is not a single well-formed JSON object is not this format:
// a JSON syntax error anywhere fails the whole parse, since nothing after it
// can be read reliably.
package synopstations

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"

	"github.com/bmkg/mkggraph/format/budget"
	"github.com/bmkg/mkggraph/format/internal/sniff"
	"github.com/bmkg/mkggraph/format/reject"
)

// MaxInputSize is the largest input Parse accepts. The whole WMO station
// catalogue (about 12 000 stations) would take about 1 MB in this shape.
const MaxInputSize = 16 << 20

// ErrFormat is returned when the input is not a JSON station directory.
var ErrFormat = errors.New("synopstations: not a JSON object of SYNOP stations keyed by WMO index")

// Station is one entry of the directory.
type Station struct {
	WMOIndex  string  `json:"wmoIndex"`  // the entry's key, 5 digits
	Name      string  `json:"name"`      // "kota" as given, e.g. "Sabang / Cut Bau"
	Latitude  float64 `json:"latitude"`  // decimal degrees north
	Longitude float64 `json:"longitude"` // decimal degrees east
}

// Detect reports whether head, the first bytes of a file, starts like a
// station directory: an object whose first key is 5 digits and whose first
// value is an object.
func Detect(head []byte) bool {
	b := bytes.TrimLeft(sniff.TrimBOM(head), " \t\r\n")
	if len(b) == 0 || b[0] != '{' {
		return false
	}
	b = bytes.TrimLeft(b[1:], " \t\r\n")
	if len(b) < 7 || b[0] != '"' || b[6] != '"' || !isDigits(string(b[1:6])) {
		return false
	}
	b = bytes.TrimLeft(b[7:], " \t\r\n")
	if len(b) == 0 || b[0] != ':' {
		return false
	}
	b = bytes.TrimLeft(b[1:], " \t\r\n")
	return len(b) > 0 && b[0] == '{'
}

// Parse reads a station directory. Entries that break the format are
// rejected, each with the 1-based line of its key; the error is non-nil
// only when data is not this format at all or is too large.
func Parse(data []byte) ([]Station, []reject.Reject, error) {
	if err := budget.CheckSize("synopstations", int64(len(data)), MaxInputSize); err != nil {
		return nil, nil, err
	}
	data = sniff.TrimBOM(data)
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		return nil, nil, fmt.Errorf("%w: does not start with an object", ErrFormat)
	}
	lines := lineCounter{data: data}
	first := map[string]int{} // WMO index → line of its first entry
	var stations []Station
	var rejects []reject.Reject
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, nil, fmt.Errorf("%w: %v", ErrFormat, err)
		}
		key, _ := tok.(string)
		line := lines.at(dec.InputOffset())
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return nil, nil, fmt.Errorf("%w: line %d: %v", ErrFormat, line, err)
		}
		st, reason := entry(key, raw)
		if reason == "" {
			if l, dup := first[key]; dup {
				reason = fmt.Sprintf("key %q: duplicate WMO index, first given at line %d", key, l)
			}
		}
		if reason != "" {
			rejects = append(rejects, reject.Reject{Record: line, Reason: reason})
			continue
		}
		first[key] = line
		stations = append(stations, st)
	}
	if _, err := dec.Token(); err != nil {
		return nil, nil, fmt.Errorf("%w: %v", ErrFormat, err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, nil, fmt.Errorf("%w: data after the closing brace", ErrFormat)
	}
	return stations, rejects, nil
}

// lineCounter turns increasing byte offsets into 1-based line numbers
// without rescanning the input from the start each time.
type lineCounter struct {
	data []byte
	off  int64
	line int
}

func (c *lineCounter) at(off int64) int {
	if off > int64(len(c.data)) {
		off = int64(len(c.data))
	}
	if off > c.off {
		c.line += bytes.Count(c.data[c.off:off], []byte("\n"))
		c.off = off
	}
	return c.line + 1
}
