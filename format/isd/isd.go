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
	"encoding/csv"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/bmkg/mkggraph/format/budget"
	"github.com/bmkg/mkggraph/format/internal/csvrows"
)

// MaxSize is the largest input Parse accepts. The complete worldwide
// isd-history.csv is about 3 MB.
const MaxSize = 32 << 20

var (
	// ErrFormat is returned when the input is not an ISD station history CSV.
	ErrFormat = errors.New("isd: not an ISD station history CSV")
	// ErrTooLarge is returned when the input is larger than MaxSize; it
	// wraps budget.ErrTooLarge, as every parser's size refusal does.
	ErrTooLarge = fmt.Errorf("isd: %w: more than %d bytes", budget.ErrTooLarge, MaxSize)
)

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

// Reject is a row that could not be loaded.
type Reject struct {
	Record int    `json:"record"` // 1-based line number in the file
	Reason string `json:"reason"` // names the column and the bad value
}

var bom = []byte("\xef\xbb\xbf")

// Detect reports whether head, the first bytes of a file, starts like an ISD
// station history CSV: a header whose first two columns are USAF and WBAN.
func Detect(head []byte) bool {
	head = bytes.TrimPrefix(head, bom)
	line, _, _ := bytes.Cut(head, []byte("\n"))
	line = bytes.ToUpper(bytes.ReplaceAll(line, []byte(`"`), nil))
	return bytes.HasPrefix(line, []byte("USAF,WBAN,"))
}

// Parse reads an ISD station history. Rows that break the format are
// returned as rejects and the rest of the file still loads; the error is
// non-nil only when data is not this format at all or is too large.
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
	usaf, wban, name, ctry, state, icao, lat, lon, elev, begin, end int
}

func locate(header []string) (columns, error) {
	c := columns{-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1}
	fields := map[string]*int{
		"USAF": &c.usaf, "WBAN": &c.wban, "STATION NAME": &c.name,
		"CTRY": &c.ctry, "STATE": &c.state, "ICAO": &c.icao,
		"LAT": &c.lat, "LON": &c.lon, "ELEV(M)": &c.elev,
		"BEGIN": &c.begin, "END": &c.end,
	}
	for i, h := range header {
		if p, ok := fields[strings.ToUpper(strings.TrimSpace(h))]; ok && *p < 0 {
			*p = i
		}
	}
	for _, req := range []string{"USAF", "WBAN", "STATION NAME", "LAT", "LON"} {
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
