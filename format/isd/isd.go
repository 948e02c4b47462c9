// Package isd parses the station history of NOAA NCEI's Integrated Surface
// Database, the file published as isd-history.csv: one quoted CSV row per
// station with the columns USAF, WBAN, STATION NAME, CTRY, STATE, ICAO, LAT,
// LON, ELEV(M), BEGIN and END.
//
// Columns are located by their header name, so a reordered or extended file
// still parses; USAF, WBAN, STATION NAME, LAT and LON are required.
//
// Normalisation rules:
//
//   - The station is identified by USAF+WBAN (see [Station.ID]); neither is
//     unique on its own (USAF 999999 is shared by thousands of WBAN-only US
//     stations, WBAN 99999 by most of the rest of the world).
//   - The WMO index is derived from USAF only where USAF is WMO-based; see
//     [WMOFromUSAF] for the rule.
//   - An empty LAT/LON, or the pair +00.000/+000.000 that ISD writes for
//     stations whose position it does not know, gives nil coordinates: the
//     station is kept. Coordinates out of range are rejected.
//   - ELEV(M) is nil when empty or a missing-value sentinel (-0999.0, -0999.9,
//     +9999.0, …: anything at or below -999 or at or above 9999 metres).
//   - BEGIN and END (YYYYMMDD) become dates at 00:00 UTC; an invalid date or
//     an END before BEGIN rejects the row.
package isd

import (
	"bytes"
	"errors"
	"strings"
	"time"

	"github.com/bmkg/mkggraph/format/budget"
	"github.com/bmkg/mkggraph/format/internal/csvrows"
	"github.com/bmkg/mkggraph/format/internal/sniff"
	"github.com/bmkg/mkggraph/format/reject"
)

// MaxInputSize is the largest input Parse accepts. The complete worldwide
// isd-history.csv is about 3 MB.
const MaxInputSize = 32 << 20

// ErrFormat is returned when the input is not an ISD station history CSV.
var ErrFormat = errors.New("isd: not an ISD station history CSV")

// Station is one row of the ISD station history.
type Station struct {
	USAF      string     `json:"usaf"`               // Air Force catalogue id, 6 characters ("967490")
	WBAN      string     `json:"wban"`               // NCDC WBAN number, 5 digits ("99999" = none)
	WMOIndex  string     `json:"wmoIndex,omitempty"` // 5 digits, derived from USAF; "" when USAF is not WMO-based
	ICAO      string     `json:"icao,omitempty"`     // ICAO location indicator, upper case
	Name      string     `json:"name"`               // STATION NAME as given
	Country   string     `json:"country,omitempty"`  // CTRY: FIPS 10-4 country code ("ID")
	State     string     `json:"state,omitempty"`    // STATE: US state or Canadian province code
	Latitude  *float64   `json:"latitude"`           // decimal degrees north; nil when unknown
	Longitude *float64   `json:"longitude"`          // decimal degrees east; nil when unknown
	Elevation *float64   `json:"elevation"`          // metres; nil when unknown
	Begin     *time.Time `json:"begin,omitempty"`    // first day with data
	End       *time.Time `json:"end,omitempty"`      // last day with data
}

// ID returns the ISD station identifier "USAF-WBAN", the name of the
// station's files in the ISD archive ("967490-99999").
func (s Station) ID() string { return s.USAF + "-" + s.WBAN }

// Detect reports whether head, the first bytes of a file, starts like an ISD
// station history CSV: a header whose first two columns are USAF and WBAN.
func Detect(head []byte) bool {
	head = sniff.TrimBOM(head)
	line, _, _ := bytes.Cut(head, []byte("\n"))
	line = bytes.ToUpper(bytes.ReplaceAll(line, []byte(`"`), nil))
	return bytes.HasPrefix(line, []byte("USAF,WBAN,"))
}

// Parse reads an ISD station history. Rows that break the format are
// rejected, each with its 1-based line, and the rest of the file still
// loads; the error is non-nil only when data is not this format at all or
// is too large.
func Parse(data []byte) ([]Station, []reject.Reject, error) {
	if err := budget.CheckSize("isd", int64(len(data)), MaxInputSize); err != nil {
		return nil, nil, err
	}
	return csvrows.Read(data, ErrFormat, locate, columns.station)
}

// columns holds the index of each known column in a row; -1 when absent.
type columns struct {
	usaf, wban, name, ctry, state, icao, lat, lon, elev, begin, end int
}

func locate(header []string) (columns, error) {
	var c columns
	err := csvrows.Columns{
		"USAF": &c.usaf, "WBAN": &c.wban, "STATION NAME": &c.name,
		"CTRY": &c.ctry, "STATE": &c.state, "ICAO": &c.icao,
		"LAT": &c.lat, "LON": &c.lon, "ELEV(M)": &c.elev,
		"BEGIN": &c.begin, "END": &c.end,
	}.Locate(header, strings.ToUpper, ErrFormat, "USAF", "WBAN", "STATION NAME", "LAT", "LON")
	return c, err
}
