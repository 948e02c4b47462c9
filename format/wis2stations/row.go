package wis2stations

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/bmkg/mkggraph/format/internal/csvrows"
)

// station converts one row; a non-empty reason rejects it.
func (c columns) station(rec []string) (Station, string) {
	s := Station{
		WIGOSID:       csvrows.Field(rec, c.wigos),
		TraditionalID: csvrows.Field(rec, c.tsi),
		Name:          csvrows.Field(rec, c.name),
		FacilityType:  csvrows.Field(rec, c.facility),
		Territory:     csvrows.Field(rec, c.territory),
		WMORegion:     csvrows.Field(rec, c.region),
	}
	if s.Name == "" {
		return s, "station_name is empty"
	}
	if !ValidWIGOS(s.WIGOSID) {
		return s, fmt.Sprintf("wigos_station_identifier %q: want series-issuer-issue-local, e.g. 0-20000-0-15015", s.WIGOSID)
	}
	s.WMOIndex = wmoIndex(s.TraditionalID, s.WIGOSID)
	var reason string
	if s.Latitude, s.Longitude, reason = csvrows.LatLon(csvrows.Field(rec, c.lat), csvrows.Field(rec, c.lon)); reason != "" {
		return s, reason
	}
	if s.Elevation, reason = csvrows.Optional("elevation", csvrows.Field(rec, c.elev)); reason != "" {
		return s, reason
	}
	if s.BarometerHeight, reason = csvrows.Optional("barometer_height", csvrows.Field(rec, c.baro)); reason != "" {
		return s, reason
	}
	return s, ""
}

// ValidWIGOS reports whether id has the shape of a WIGOS station
// identifier: series, issuer and issue number (numbers up to 65535) and a
// local identifier of 1–16 letters and digits, joined by hyphens.
func ValidWIGOS(id string) bool {
	parts := strings.Split(id, "-")
	if len(parts) != 4 {
		return false
	}
	for _, p := range parts[:3] {
		_, err := strconv.ParseUint(p, 10, 16)
		if err != nil || len(p) > 5 {
			return false
		}
	}
	local := parts[3]
	if len(local) == 0 || len(local) > 16 {
		return false
	}
	for _, r := range local {
		if !('0' <= r && r <= '9' || 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z') {
			return false
		}
	}
	return true
}

// wmoIndex returns the 5-digit WMO index from the traditional identifier or,
// failing that, from a 0-20000-0-NNNNN WIGOS identifier.
func wmoIndex(tsi, wigos string) string {
	if isDigits(tsi, 5) {
		return tsi
	}
	if local, ok := strings.CutPrefix(wigos, "0-20000-0-"); ok && isDigits(local, 5) {
		return local
	}
	return ""
}

func isDigits(s string, n int) bool {
	if len(s) != n {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}
