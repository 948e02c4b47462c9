package shakemap

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// Event is the earthquake a ShakeMap product is about.
type Event struct {
	ID        string
	Time      time.Time // UTC
	Latitude  float64
	Longitude float64
	DepthKm   float64
	Magnitude float64
	// Description is the place name: event_description in grid.xml,
	// locstring in stationlist.xml.
	Description string
}

// zoneOffsets are the zone abbreviations ShakeMap 3.5 writes, in hours east
// of UTC: the three Indonesian zones, UTC under its names, and the US zones
// of ShakeMap's home networks. Abbreviations that mean different offsets in
// different countries (CST, IST, BST) are read as the US ones or left out.
var zoneOffsets = map[string]float64{
	"": 0, "Z": 0, "UTC": 0, "UT": 0, "GMT": 0,
	"WIB": 7, "WITA": 8, "WIT": 9,
	"HST": -10, "AKST": -9, "AKDT": -8, "PST": -8, "PDT": -7,
	"MST": -7, "MDT": -6, "CST": -6, "CDT": -5, "EST": -5, "EDT": -4,
	"JST": 9, "NZST": 12, "NZDT": 13,
}

// zoneOffset reads a zone: an abbreviation from zoneOffsets, or a numeric
// offset (+07, +0700, +07:00, optionally after UTC or GMT). An empty zone is
// UTC.
func zoneOffset(zone string) (time.Duration, error) {
	zone = strings.TrimSpace(zone)
	if h, ok := zoneOffsets[strings.ToUpper(zone)]; ok {
		return time.Duration(h * float64(time.Hour)), nil
	}
	num := zone
	if len(num) > 3 && (strings.EqualFold(num[:3], "UTC") || strings.EqualFold(num[:3], "GMT")) {
		num = num[3:]
	}
	if len(num) < 2 || (num[0] != '+' && num[0] != '-') {
		return 0, fmt.Errorf("unknown time zone %q", zone)
	}
	sign, digits := num[0], strings.Replace(num[1:], ":", "", 1)
	var h, m int
	var err error
	switch len(digits) {
	case 1, 2:
		h, err = strconv.Atoi(digits)
	case 4:
		h, err = strconv.Atoi(digits[:2])
		if err == nil {
			m, err = strconv.Atoi(digits[2:])
		}
	default:
		err = fmt.Errorf("bad length")
	}
	if err != nil || h > 14 || m > 59 || strings.ContainsAny(digits, "+-") {
		return 0, fmt.Errorf("unknown time zone %q", zone)
	}
	d := time.Duration(h)*time.Hour + time.Duration(m)*time.Minute
	if sign == '-' {
		d = -d
	}
	return d, nil
}

// parseTimestamp reads grid.xml's event_timestamp and process_timestamp:
// "2006-01-02T15:04:05" (or a space for the T), optional fractional
// seconds, then a zone as zoneOffset reads it.
func parseTimestamp(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	const layout = "2006-01-02T15:04:05"
	if len(s) < len(layout) {
		return time.Time{}, fmt.Errorf("timestamp %q is not YYYY-MM-DDThh:mm:ss[zone]", s)
	}
	head := []byte(s[:len(layout)])
	if head[10] == ' ' {
		head[10] = 'T'
	}
	t, err := time.ParseInLocation(layout, string(head), time.UTC)
	if err != nil {
		return time.Time{}, fmt.Errorf("timestamp %q is not YYYY-MM-DDThh:mm:ss[zone]", s)
	}
	rest := s[len(layout):]
	if strings.HasPrefix(rest, ".") {
		n := 1
		for n < len(rest) && rest[n] >= '0' && rest[n] <= '9' {
			n++
		}
		if n == 1 || n > 10 {
			return time.Time{}, fmt.Errorf("timestamp %q has bad fractional seconds", s)
		}
		frac, _ := strconv.ParseFloat("0"+rest[:n], 64)
		t = t.Add(time.Duration(math.Round(frac * 1e9)))
		rest = rest[n:]
	}
	off, err := zoneOffset(rest)
	if err != nil {
		return time.Time{}, fmt.Errorf("timestamp %q: %v", s, err)
	}
	return t.Add(-off), nil
}

// civilTime builds a UTC time from stationlist.xml's separate fields.
func civilTime(a attrs) (time.Time, error) {
	var f [5]int
	for i, name := range []string{"year", "month", "day", "hour", "minute"} {
		n, err := a.integer(name)
		if err != nil {
			return time.Time{}, err
		}
		f[i] = n
	}
	sec, err := a.float("second")
	if err != nil {
		return time.Time{}, err
	}
	year, month, day, hour, minute := f[0], f[1], f[2], f[3], f[4]
	if year < 1 || year > 9999 || month < 1 || month > 12 || day < 1 || day > 31 ||
		hour < 0 || hour > 23 || minute < 0 || minute > 59 || sec < 0 || sec >= 61 {
		return time.Time{}, fmt.Errorf("date %d-%d-%d %d:%d:%g is out of range", year, month, day, hour, minute, sec)
	}
	t := time.Date(year, time.Month(month), day, hour, minute, 0, 0, time.UTC)
	if t.Day() != day {
		return time.Time{}, fmt.Errorf("date %d-%02d-%02d does not exist", year, month, day)
	}
	t = t.Add(time.Duration(math.Round(sec * 1e9)))
	off, err := zoneOffset(a.str("timezone"))
	if err != nil {
		return time.Time{}, err
	}
	return t.Add(-off), nil
}

// checkPosition refuses coordinates off the globe. Longitudes up to 360
// are allowed: grids that cross the antimeridian may run past 180.
func checkPosition(lat, lon float64) error {
	if lat < -90 || lat > 90 || lon < -360 || lon > 360 {
		return fmt.Errorf("position %g, %g is off the globe", lat, lon)
	}
	return nil
}
