// Package seismicsensors parses BMKG's list of seismic and accelerograph
// sensors, a tab-separated file with the columns
//
//	code  latitude  longitude  elevation  location  datetime
//
// where elevation is in metres (may be empty), location is free text that
// often starts with the station type ("Station Type MR, Alor Selatan, Alor,
// NTT") and datetime is the start of that row's epoch (ISO 8601 without a
// zone, "2020-10-01T00:00:00", sometimes with fractional seconds).
//
// Columns are located by header name (case-insensitive; a few aliases such
// as lat/lon are accepted); code, latitude and longitude are required. A file
// without a header is read in the column order above when its first line
// already holds numeric coordinates.
//
// A code can appear on several rows: the sensor was moved or re-installed,
// and each row is one epoch starting at its datetime. Every row is kept, in
// file order; merging epochs into one station is the caller's business.
//
// Normalisation rules:
//
//   - The station type is taken off the front of location when the text
//     starts with "Station Type X" or "Type X" (X a short capitalised code:
//     MR, A, B, …), "Station LIBRA" (LIBRA) or "Tide Gauge network"
//     (Tide Gauge). The rest, without the joining comma, is the location
//     description. Networks named elsewhere in the text (JISNET, CTBTO,
//     IA-Net, ex-CEA) stay in the description.
//   - datetime has no zone in the file and is read as UTC.
//   - Empty elevation or datetime give nil; values that do not parse, and
//     coordinates out of range, reject the row.
package seismicsensors

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/bmkg/mkggraph/format/budget"
	"github.com/bmkg/mkggraph/format/internal/csvrows"
	"github.com/bmkg/mkggraph/format/internal/decimal"
	"github.com/bmkg/mkggraph/format/internal/sniff"
	"github.com/bmkg/mkggraph/format/reject"
)

// MaxInputSize is the largest input Parse accepts. The national list of
// about 1300 sensors is about 120 KB.
const MaxInputSize = 16 << 20

// ErrFormat is returned when the input is not a sensor list.
var ErrFormat = errors.New("seismicsensors: not a BMKG sensor TSV")

// Station is one row of the sensor list: one epoch of one sensor site.
type Station struct {
	Code        string     `json:"code"`                  // station code as given, "AAFM"
	Latitude    float64    `json:"latitude"`              // decimal degrees north
	Longitude   float64    `json:"longitude"`             // decimal degrees east
	Elevation   *float64   `json:"elevation"`             // metres; nil when empty
	StationType string     `json:"stationType,omitempty"` // "MR", "A", "B", "LIBRA", "Tide Gauge"; "" when not stated
	Location    string     `json:"location"`              // location text without the station type
	Start       *time.Time `json:"start"`                 // start of this epoch (UTC); nil when empty
}

// Detect reports whether head, the first bytes of a file, starts like a
// sensor list: a tab-separated header naming code, latitude and longitude,
// or a first row with a code and numeric coordinates.
func Detect(head []byte) bool {
	line := sniff.FirstLine(head)
	fields := strings.Split(strings.TrimRight(string(line), "\r"), "\t")
	if len(fields) < 3 {
		return false
	}
	if _, err := locate(fields); err == nil {
		return true
	}
	return looksLikeRow(fields)
}

// Parse reads a sensor list. Rows that break the format are rejected, each
// with its 1-based line, and the rest of the file still loads; the error is
// non-nil only when data is not this format at all or is too large.
func Parse(data []byte) ([]Station, []reject.Reject, error) {
	if err := budget.CheckSize("seismicsensors", int64(len(data)), MaxInputSize); err != nil {
		return nil, nil, err
	}
	lines := strings.Split(string(sniff.TrimBOM(data)), "\n")
	first := 0
	for first < len(lines) && strings.TrimSpace(lines[first]) == "" {
		first++
	}
	if first == len(lines) {
		return nil, nil, fmt.Errorf("%w: empty", ErrFormat)
	}
	header := splitRow(lines[first])
	cols, err := locate(header)
	switch {
	case err == nil:
		first++
	case looksLikeRow(header):
		cols, header = defaultColumns, nil
	default:
		return nil, nil, err
	}
	width := cols.width(header)
	var stations []Station
	var rejects []reject.Reject
	for i := first; i < len(lines); i++ {
		if strings.TrimSpace(lines[i]) == "" {
			continue
		}
		rec := splitRow(lines[i])
		if len(rec) != width {
			rejects = append(rejects, reject.Reject{Record: i + 1, Reason: fmt.Sprintf("row has %d fields, want %d", len(rec), width)})
			continue
		}
		st, reason := cols.station(rec)
		if reason != "" {
			rejects = append(rejects, reject.Reject{Record: i + 1, Reason: reason})
			continue
		}
		stations = append(stations, st)
	}
	return stations, rejects, nil
}

func splitRow(line string) []string {
	return strings.Split(strings.TrimSuffix(line, "\r"), "\t")
}

// columns holds the index of each known column in a row; -1 when absent.
type columns struct {
	code, lat, lon, elev, loc, datetime int
}

// defaultColumns is the column order of a file without a header.
var defaultColumns = columns{0, 1, 2, 3, 4, 5}

// width is the number of fields a row must have.
func (c columns) width(header []string) int {
	if header != nil {
		return len(header)
	}
	return 6
}

// aliases maps the header names seen in copies of the list to the
// column each means.
var aliases = map[string]string{
	"code": "code", "sta": "code", "station": "code", "kode": "code",
	"latitude": "latitude", "lat": "latitude", "lintang": "latitude",
	"longitude": "longitude", "lon": "longitude", "long": "longitude", "lng": "longitude", "bujur": "longitude",
	"elevation": "elevation", "elevation(m)": "elevation", "elev": "elevation", "elevasi": "elevation", "height": "elevation",
	"location": "location", "lokasi": "location", "description": "location",
	"datetime": "datetime", "date": "datetime", "start": "datetime", "starttime": "datetime",
}

func locate(header []string) (columns, error) {
	var c columns
	err := csvrows.Columns{
		"code": &c.code, "latitude": &c.lat, "longitude": &c.lon,
		"elevation": &c.elev, "location": &c.loc, "datetime": &c.datetime,
	}.Locate(header, func(h string) string { return aliases[strings.ToLower(h)] }, ErrFormat, "code", "latitude", "longitude")
	return c, err
}

// looksLikeRow reports whether fields is a headerless data row in the
// default column order.
func looksLikeRow(fields []string) bool {
	if len(fields) != 6 || !validCode(strings.TrimSpace(fields[0])) {
		return false
	}
	_, okLat := decimal.Parse(strings.TrimSpace(fields[1]))
	_, okLon := decimal.Parse(strings.TrimSpace(fields[2]))
	return okLat && okLon
}
