package seismicsensors

import (
	"fmt"
	"strings"
	"time"

	"github.com/bmkg/mkggraph/format/internal/csvrows"
)

// station converts one row; a non-empty reason rejects it.
func (c columns) station(rec []string) (Station, string) {
	s := Station{Code: csvrows.Field(rec, c.code)}
	if !validCode(s.Code) {
		return s, fmt.Sprintf("code %q: want 1-16 letters, digits, '.', '_' or '-'", s.Code)
	}
	var reason string
	if s.Latitude, s.Longitude, reason = csvrows.LatLon(csvrows.Field(rec, c.lat), csvrows.Field(rec, c.lon)); reason != "" {
		return s, reason
	}
	if s.Elevation, reason = csvrows.Optional("elevation", csvrows.Field(rec, c.elev)); reason != "" {
		return s, reason
	}
	s.StationType, s.Location = SplitType(csvrows.Field(rec, c.loc))
	if dt := csvrows.Field(rec, c.datetime); dt != "" {
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
