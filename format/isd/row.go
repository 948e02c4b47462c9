package isd

import (
	"fmt"
	"strings"
	"time"

	"github.com/bmkg/mkggraph/format/internal/csvrows"
	"github.com/bmkg/mkggraph/format/internal/decimal"
)

// station converts one row; a non-empty reason rejects it.
func (c columns) station(rec []string) (Station, string) {
	s := Station{
		USAF:    strings.ToUpper(csvrows.Field(rec, c.usaf)),
		WBAN:    csvrows.Field(rec, c.wban),
		Name:    csvrows.Field(rec, c.name),
		Country: csvrows.Field(rec, c.ctry),
		State:   csvrows.Field(rec, c.state),
		ICAO:    strings.ToUpper(csvrows.Field(rec, c.icao)),
	}
	if !isCode(s.USAF, 6, true) {
		return s, fmt.Sprintf("USAF %q: want 6 digits or capital letters", s.USAF)
	}
	if !isCode(s.WBAN, 5, false) {
		return s, fmt.Sprintf("WBAN %q: want 5 digits", s.WBAN)
	}
	s.WMOIndex = WMOFromUSAF(s.USAF)
	var reason string
	if s.Latitude, s.Longitude, reason = position(csvrows.Field(rec, c.lat), csvrows.Field(rec, c.lon)); reason != "" {
		return s, reason
	}
	if s.Elevation, reason = elevation(csvrows.Field(rec, c.elev)); reason != "" {
		return s, reason
	}
	if s.Begin, reason = date("BEGIN", csvrows.Field(rec, c.begin)); reason != "" {
		return s, reason
	}
	if s.End, reason = date("END", csvrows.Field(rec, c.end)); reason != "" {
		return s, reason
	}
	if s.Begin != nil && s.End != nil && s.End.Before(*s.Begin) {
		return s, fmt.Sprintf("END %s is before BEGIN %s", csvrows.Field(rec, c.end), csvrows.Field(rec, c.begin))
	}
	return s, ""
}

// isCode reports whether s is exactly n digits (or capital letters when
// letters is set).
func isCode(s string, n int, letters bool) bool {
	if len(s) != n {
		return false
	}
	for _, r := range s {
		if !('0' <= r && r <= '9' || letters && 'A' <= r && r <= 'Z') {
			return false
		}
	}
	return true
}

// WMOFromUSAF returns the WMO index a USAF identifier was built from, or ""
// when the identifier is not WMO-based. The Air Force catalogue numbers most
// stations as WMO index × 10, but also holds ids that only look like that.
// The rule applied:
//
//   - USAF is 6 digits and its last digit is 0; a non-zero last digit marks a
//     second station near a WMO one (967495 is not 96749);
//   - the WMO block (first two digits) is 01–98: block 00 is used by ISD for
//     temporary and test platforms, block 99 for ships, buoys and the
//     "no USAF" placeholder 999999;
//   - the block is not 69, which WMO has not allocated and the US uses for
//     military sites;
//   - the id is not in 720000–721999, which NCEI assigns to US stations that
//     have no WMO index;
//   - the station number (last three digits of the index) is not 000.
func WMOFromUSAF(usaf string) string {
	if !isCode(usaf, 6, false) || usaf[5] != '0' {
		return ""
	}
	wmo := usaf[:5]
	switch block := wmo[:2]; {
	case block == "00", block == "99", block == "69":
		return ""
	case wmo[:3] == "720" || wmo[:3] == "721":
		return ""
	case wmo[2:] == "000":
		return ""
	}
	return wmo
}

// position parses LAT and LON. Both empty, or both zero (ISD's marker for an
// unknown position), give nil.
func position(lat, lon string) (*float64, *float64, string) {
	if lat == "" && lon == "" {
		return nil, nil, ""
	}
	if lat == "" || lon == "" {
		return nil, nil, fmt.Sprintf("LAT %q and LON %q: only one is given", lat, lon)
	}
	la, ok := decimal.ParsePlain(lat)
	if !ok || la < -90 || la > 90 {
		return nil, nil, fmt.Sprintf("LAT %q: want decimal degrees in [-90, 90]", lat)
	}
	lo, ok := decimal.ParsePlain(lon)
	if !ok || lo < -180 || lo > 180 {
		return nil, nil, fmt.Sprintf("LON %q: want decimal degrees in [-180, 180]", lon)
	}
	if la == 0 && lo == 0 {
		return nil, nil, ""
	}
	return &la, &lo, ""
}

// elevation parses ELEV(M); empty and the -0999/+9999 sentinels give nil.
func elevation(s string) (*float64, string) {
	if s == "" {
		return nil, ""
	}
	v, ok := decimal.ParsePlain(s)
	if !ok {
		return nil, fmt.Sprintf("ELEV(M) %q: not a number", s)
	}
	if v <= -999 || v >= 9999 {
		return nil, ""
	}
	return &v, ""
}

// date parses a YYYYMMDD column; empty gives nil.
func date(col, s string) (*time.Time, string) {
	if s == "" {
		return nil, ""
	}
	if !isCode(s, 8, false) {
		return nil, fmt.Sprintf("%s %q: want YYYYMMDD", col, s)
	}
	t, err := time.Parse("20060102", s)
	if err != nil {
		return nil, fmt.Sprintf("%s %q: not a date", col, s)
	}
	return &t, ""
}
