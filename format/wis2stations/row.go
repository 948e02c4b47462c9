package wis2stations

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// station converts one row; a non-empty reason rejects it.
func (c columns) station(rec []string) (Station, string) {
	s := Station{
		WIGOSID:       field(rec, c.wigos),
		TraditionalID: field(rec, c.tsi),
		Name:          field(rec, c.name),
		FacilityType:  field(rec, c.facility),
		Territory:     field(rec, c.territory),
		WMORegion:     field(rec, c.region),
	}
	if s.Name == "" {
		return s, "station_name is empty"
	}
	if !ValidWIGOS(s.WIGOSID) {
		return s, fmt.Sprintf("wigos_station_identifier %q: want series-issuer-issue-local, e.g. 0-20000-0-15015", s.WIGOSID)
	}
	s.WMOIndex = wmoIndex(s.TraditionalID, s.WIGOSID)
	var ok bool
	lat, lon := field(rec, c.lat), field(rec, c.lon)
	if s.Latitude, ok = decimal(lat); !ok || s.Latitude < -90 || s.Latitude > 90 {
		return s, fmt.Sprintf("latitude %q: want decimal degrees in [-90, 90]", lat)
	}
	if s.Longitude, ok = decimal(lon); !ok || s.Longitude < -180 || s.Longitude > 180 {
		return s, fmt.Sprintf("longitude %q: want decimal degrees in [-180, 180]", lon)
	}
	var reason string
	if s.Elevation, reason = optional("elevation", field(rec, c.elev)); reason != "" {
		return s, reason
	}
	if s.BarometerHeight, reason = optional("barometer_height", field(rec, c.baro)); reason != "" {
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

// optional parses a column that may be empty (nil).
func optional(col, s string) (*float64, string) {
	if s == "" {
		return nil, ""
	}
	v, ok := decimal(s)
	if !ok {
		return nil, fmt.Sprintf("%s %q: not a number", col, s)
	}
	return &v, ""
}

// decimal parses a decimal number, optionally with an exponent. Unlike
// strconv.ParseFloat alone it refuses "NaN", "Inf" and hexadecimal.
func decimal(s string) (float64, bool) {
	if s == "" || strings.ContainsFunc(s, func(r rune) bool {
		return !('0' <= r && r <= '9' || r == '.' || r == '+' || r == '-' || r == 'e' || r == 'E')
	}) {
		return 0, false
	}
	v, err := strconv.ParseFloat(s, 64)
	return v, err == nil && !math.IsInf(v, 0)
}
