package seismicsensors

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// station converts one row; a non-empty reason rejects it.
func (c columns) station(rec []string) (Station, string) {
	s := Station{Code: field(rec, c.code)}
	if !validCode(s.Code) {
		return s, fmt.Sprintf("code %q: want 1-16 letters, digits, '.', '_' or '-'", s.Code)
	}
	var ok bool
	lat, lon := field(rec, c.lat), field(rec, c.lon)
	if s.Latitude, ok = decimal(lat); !ok || s.Latitude < -90 || s.Latitude > 90 {
		return s, fmt.Sprintf("latitude %q: want decimal degrees in [-90, 90]", lat)
	}
	if s.Longitude, ok = decimal(lon); !ok || s.Longitude < -180 || s.Longitude > 180 {
		return s, fmt.Sprintf("longitude %q: want decimal degrees in [-180, 180]", lon)
	}
	if elev := field(rec, c.elev); elev != "" {
		v, ok := decimal(elev)
		if !ok {
			return s, fmt.Sprintf("elevation %q: not a number", elev)
		}
		s.Elevation = &v
	}
	s.StationType, s.Location = SplitType(field(rec, c.loc))
	if dt := field(rec, c.datetime); dt != "" {
		t, ok := parseTime(dt)
		if !ok {
			return s, fmt.Sprintf("datetime %q: want ISO 8601 such as 2020-10-01T00:00:00", dt)
		}
		s.Start = &t
	}
	return s, ""
}

func validCode(s string) bool {
	if s == "" || len(s) > 16 {
		return false
	}
	for _, r := range s {
		if !('0' <= r && r <= '9' || 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || r == '.' || r == '_' || r == '-') {
			return false
		}
	}
	return true
}

// SplitType takes the station type off the front of a location text and
// returns it with the rest of the text:
//
//	"Station Type MR, Alor Selatan, Alor, NTT" → "MR", "Alor Selatan, Alor, NTT"
//	"Station Type B Wonosalam, Jombang"        → "B", "Wonosalam, Jombang"
//	"Station LIBRA, Karang Panjang, Sirimau"   → "LIBRA", "Karang Panjang, Sirimau"
//	"Tide Gauge network"                       → "Tide Gauge", ""
//	"Station Bau Bau, Buton"                   → "", "Station Bau Bau, Buton"
func SplitType(loc string) (typ, rest string) {
	s := loc
	if after, ok := cutPrefixFold(s, "station "); ok {
		s = strings.TrimLeft(after, " ")
	}
	switch {
	case hasPrefixFold(s, "type "):
		word, tail := firstWord(strings.TrimLeft(s[len("type "):], " "))
		if !isTypeCode(word) {
			return "", loc
		}
		return word, trimJoin(tail)
	case hasPrefixFold(s, "libra") && (len(s) == 5 || strings.ContainsRune(" ,", rune(s[5]))):
		return "LIBRA", trimJoin(s[5:])
	case hasPrefixFold(s, "tide gauge"):
		tail := s[len("tide gauge"):]
		if after, ok := cutPrefixFold(strings.TrimLeft(tail, " "), "network"); ok {
			tail = after
		}
		return "Tide Gauge", trimJoin(tail)
	}
	return "", loc
}

// firstWord splits s at the first space or comma.
func firstWord(s string) (word, tail string) {
	if i := strings.IndexAny(s, " ,"); i >= 0 {
		return s[:i], s[i:]
	}
	return s, ""
}

// isTypeCode reports whether w looks like a station type code: 1-4 capital
// letters or digits (MR, A, B, …), not an ordinary word.
func isTypeCode(w string) bool {
	if w == "" || len(w) > 4 {
		return false
	}
	for _, r := range w {
		if !('A' <= r && r <= 'Z' || '0' <= r && r <= '9') {
			return false
		}
	}
	return true
}

// trimJoin removes the comma and spaces that joined a type to the rest.
func trimJoin(s string) string {
	return strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(s), ","))
}

func hasPrefixFold(s, prefix string) bool {
	return len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix)
}

func cutPrefixFold(s, prefix string) (string, bool) {
	if hasPrefixFold(s, prefix) {
		return s[len(prefix):], true
	}
	return s, false
}

// timeLayouts are tried in turn, the layout of the BMKG list first.
var timeLayouts = []string{
	"2006-01-02T15:04:05.999999999",
	"2006-01-02T15:04:05.999999999Z07:00",
	"2006-01-02 15:04:05.999999999",
	"2006-01-02 15:04:05.999999999Z07:00",
	"2006-01-02T15:04",
	"2006-01-02T15:04Z07:00",
	"2006-01-02",
}

// parseTime reads an ISO 8601 date-time; without a zone it is UTC.
func parseTime(s string) (time.Time, bool) {
	for _, layout := range timeLayouts {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC(), true
		}
	}
	return time.Time{}, false
}

// decimal parses a decimal number. Unlike strconv.ParseFloat alone it
// refuses "NaN", "Inf" and hexadecimal.
func decimal(s string) (float64, bool) {
	if s == "" || strings.ContainsFunc(s, func(r rune) bool {
		return !('0' <= r && r <= '9' || r == '.' || r == '+' || r == '-' || r == 'e' || r == 'E')
	}) {
		return 0, false
	}
	v, err := strconv.ParseFloat(s, 64)
	return v, err == nil && !math.IsInf(v, 0)
}
