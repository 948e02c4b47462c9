// Package wis2stations parses the station list CSV of wis2box and
// synop2bufr (station_list.csv): one row per station with the columns
// station_name, wigos_station_identifier, traditional_station_identifier,
// facility_type, latitude, longitude, elevation, barometer_height,
// territory_name and, in newer lists, wmo_region.
//
// Columns are located by header name (case-insensitive), so lists with or
// without wmo_region or barometer_height, or with extra columns, all parse.
// station_name, wigos_station_identifier, latitude and longitude are
// required.
//
// Values are kept as the list states them. In particular the parser does not
// correct coordinates that contradict the territory: the Cuban list
// distributed with synop2bufr gives positive (eastern) longitudes for a
// western country, and a parser cannot know which of the two is wrong.
// Territory is exposed so that a caller who knows can decide.
//
// The WMO index is taken from traditional_station_identifier when that is
// five digits, otherwise from a WIGOS identifier of the form 0-20000-0-NNNNN
// (the series WMO allocated for stations that have a WMO index); it is empty
// when neither applies, as for 0-22000-0-7811080.
package wis2stations

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"strings"

	"github.com/bmkg/mkggraph/format/budget"
	"github.com/bmkg/mkggraph/format/internal/csvrows"
)

// MaxSize is the largest input Parse accepts. A national list holds at most
// a few thousand rows of about 120 bytes.
const MaxSize = 16 << 20

var (
	// ErrFormat is returned when the input is not a wis2box station list.
	ErrFormat = errors.New("wis2stations: not a wis2box station list CSV")
	// ErrTooLarge is returned when the input is larger than MaxSize; it
	// wraps budget.ErrTooLarge, as every parser's size refusal does.
	ErrTooLarge = fmt.Errorf("wis2stations: %w: more than %d bytes", budget.ErrTooLarge, MaxSize)
)

// Station is one row of a station list.
type Station struct {
	WIGOSID         string   `json:"wigosId"`                 // WIGOS station identifier, "0-20000-0-15015"
	WMOIndex        string   `json:"wmoIndex,omitempty"`      // 5 digits; "" when the station has none
	TraditionalID   string   `json:"traditionalId,omitempty"` // traditional_station_identifier as given
	Name            string   `json:"name"`                    // station_name as given
	FacilityType    string   `json:"facilityType,omitempty"`  // "Land (fixed)", "landFixed", "seaFixed", …
	Latitude        float64  `json:"latitude"`                // decimal degrees north
	Longitude       float64  `json:"longitude"`               // decimal degrees east, as given (see package doc)
	Elevation       *float64 `json:"elevation"`               // station height in metres; nil when empty
	BarometerHeight *float64 `json:"barometerHeight"`         // barometer height in metres; nil when empty
	Territory       string   `json:"territory,omitempty"`     // territory_name: "Cuba", "ROU", …
	WMORegion       string   `json:"wmoRegion,omitempty"`     // wmo_region as given: "6", "europe", …
}

// Reject is a row that could not be loaded.
type Reject struct {
	Record int    `json:"record"` // 1-based line number in the file
	Reason string `json:"reason"` // names the column and the bad value
}

var bom = []byte("\xef\xbb\xbf")

// Detect reports whether head, the first bytes of a file, starts with a
// station list header: a first line naming wigos_station_identifier,
// latitude and longitude.
func Detect(head []byte) bool {
	line, _, _ := bytes.Cut(bytes.TrimPrefix(head, bom), []byte("\n"))
	line = bytes.ToLower(line)
	for _, col := range []string{"wigos_station_identifier", "latitude", "longitude"} {
		if !bytes.Contains(line, []byte(col)) {
			return false
		}
	}
	return true
}

// Parse reads a station list. Rows that break the format are returned as
// rejects and the rest of the file still loads; the error is non-nil only
// when data is not this format at all or is too large.
func Parse(data []byte) ([]Station, []Reject, error) {
	if len(data) > MaxSize {
		return nil, nil, ErrTooLarge
	}
	r := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(data, bom)))
	r.FieldsPerRecord = -1
	header, err := r.Read()
	if err != nil {
		return nil, nil, fmt.Errorf("%w: reading header: %v", ErrFormat, err)
	}
	cols, err := locate(header)
	if err != nil {
		return nil, nil, err
	}
	var stations []Station
	var rejects []Reject
	reject := func(line int, reason string) { rejects = append(rejects, Reject{line, reason}) }
	err = csvrows.Each(r, len(header), func(line int, rec []string) {
		st, reason := cols.station(rec)
		if reason != "" {
			reject(line, reason)
			return
		}
		stations = append(stations, st)
	}, reject)
	if err != nil {
		return nil, nil, err
	}
	return stations, rejects, nil
}

// columns holds the index of each known column in a row; -1 when absent.
type columns struct {
	name, wigos, tsi, facility, lat, lon, elev, baro, territory, region int
}

func locate(header []string) (columns, error) {
	c := columns{-1, -1, -1, -1, -1, -1, -1, -1, -1, -1}
	fields := map[string]*int{
		"station_name": &c.name, "wigos_station_identifier": &c.wigos,
		"traditional_station_identifier": &c.tsi, "facility_type": &c.facility,
		"latitude": &c.lat, "longitude": &c.lon, "elevation": &c.elev,
		"barometer_height": &c.baro, "territory_name": &c.territory, "wmo_region": &c.region,
	}
	for i, h := range header {
		if p, ok := fields[strings.ToLower(strings.TrimSpace(h))]; ok && *p < 0 {
			*p = i
		}
	}
	for _, req := range []string{"station_name", "wigos_station_identifier", "latitude", "longitude"} {
		if *fields[req] < 0 {
			return c, fmt.Errorf("%w: no %s column", ErrFormat, req)
		}
	}
	return c, nil
}

func field(rec []string, i int) string {
	if i < 0 {
		return ""
	}
	return strings.TrimSpace(rec[i])
}
