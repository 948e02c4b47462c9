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
	"errors"
	"strings"

	"github.com/bmkg/mkggraph/format/budget"
	"github.com/bmkg/mkggraph/format/internal/csvrows"
	"github.com/bmkg/mkggraph/format/internal/sniff"
	"github.com/bmkg/mkggraph/format/reject"
)

// MaxInputSize is the largest input Parse accepts. A national list holds
// at most a few thousand rows of about 120 bytes.
const MaxInputSize = 16 << 20

// ErrFormat is returned when the input is not a wis2box station list.
var ErrFormat = errors.New("wis2stations: not a wis2box station list CSV")

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

// Detect reports whether head, the first bytes of a file, starts with a
// station list header: a first line naming wigos_station_identifier,
// latitude and longitude.
func Detect(head []byte) bool {
	line := sniff.FirstLine(head)
	line = bytes.ToLower(line)
	for _, col := range []string{"wigos_station_identifier", "latitude", "longitude"} {
		if !bytes.Contains(line, []byte(col)) {
			return false
		}
	}
	return true
}

// Parse reads a station list. Rows that break the format are rejected,
// each with its 1-based line, and the rest of the file still loads; the
// error is non-nil only when data is not this format at all or is too
// large.
func Parse(data []byte) ([]Station, []reject.Reject, error) {
	if err := budget.CheckSize("wis2stations", int64(len(data)), MaxInputSize); err != nil {
		return nil, nil, err
	}
	return csvrows.Read(data, ErrFormat, locate, columns.station)
}

// columns holds the index of each known column in a row; -1 when absent.
type columns struct {
	name, wigos, tsi, facility, lat, lon, elev, baro, territory, region int
}

func locate(header []string) (columns, error) {
	var c columns
	err := csvrows.Columns{
		"station_name": &c.name, "wigos_station_identifier": &c.wigos,
		"traditional_station_identifier": &c.tsi, "facility_type": &c.facility,
		"latitude": &c.lat, "longitude": &c.lon, "elevation": &c.elev,
		"barometer_height": &c.baro, "territory_name": &c.territory, "wmo_region": &c.region,
	}.Locate(header, strings.ToLower, ErrFormat, "station_name", "wigos_station_identifier", "latitude", "longitude")
	return c, err
}
