package ispu

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
)

// maxSubIndex is the largest sub-index or ISPU accepted; anything above is
// taken for a unit or typing error rather than air.
const maxSubIndex = 1000

// columns holds the index of each column in a row; -1 when absent.
type columns struct {
	date, station, max, critical, category int
	pollutants                             []pollutantCol // in header order
}

type pollutantCol struct {
	name string // as in the header, lower case: "pm10"
	i    int
}

// locate maps the header to columns, requiring tanggal, stasiun, max,
// critical, categori and at least one pollutant.
func locate(header []string) (columns, error) {
	c := columns{-1, -1, -1, -1, -1, nil}
	fixed := map[string]*int{"tanggal": &c.date, "stasiun": &c.station, "max": &c.max, "critical": &c.critical, "categori": &c.category}
	seen := map[string]bool{}
	for i, h := range header {
		name := strings.ToLower(strings.TrimSpace(h))
		if seen[name] {
			return c, fmt.Errorf("%w: column %q twice", ErrFormat, name)
		}
		seen[name] = true
		switch p, ok := fixed[name]; {
		case ok:
			*p = i
		case slices.Contains(pollutantColumns, name):
			c.pollutants = append(c.pollutants, pollutantCol{name, i})
		default:
			return c, fmt.Errorf("%w: unknown column %q", ErrFormat, h)
		}
	}
	for name, p := range fixed {
		if *p < 0 {
			return c, fmt.Errorf("%w: no %s column", ErrFormat, name)
		}
	}
	if len(c.pollutants) == 0 {
		return c, fmt.Errorf("%w: no pollutant column", ErrFormat)
	}
	return c, nil
}

// day converts one row; a non-empty reason rejects it.
func (c columns) day(rec []string, today time.Time) (Day, string) {
	var d Day
	var reason string
	if d.Date, reason = parseDate(rec[c.date], today); reason != "" {
		return d, reason
	}
	if d.Station, d.StationName = splitStation(rec[c.station]); d.Station == "" {
		return d, "stasiun: empty"
	}
	d.SubIndex = make(map[string]*int, len(c.pollutants))
	measured := false
	for _, p := range c.pollutants {
		v, reason := parseIndex(p.name, rec[p.i])
		if reason != "" {
			return d, reason
		}
		d.SubIndex[p.name] = v
		measured = measured || v != nil
	}
	if d.Max, reason = parseIndex("max", rec[c.max]); reason != "" {
		return d, reason
	}
	if !measured && d.Max == nil {
		return d, "no sub-index and no max"
	}
	if d.Critical, reason = parseCritical(rec[c.critical]); reason != "" {
		return d, reason
	}
	d.Category = strings.ToUpper(strings.Join(strings.Fields(rec[c.category]), " "))
	switch {
	case d.Category == "" && d.Max != nil:
		return d, "categori: empty"
	case d.Category != "" && !slices.ContainsFunc(categories, func(c category) bool { return c.code == d.Category }):
		return d, fmt.Sprintf("categori: unknown category %q", rec[c.category])
	}
	d.Notes = check(d)
	return d, ""
}

// parseDate reads M/D/YYYY as 00:00 UTC of that date.
func parseDate(s string, today time.Time) (time.Time, string) {
	s = strings.TrimSpace(s)
	parts := strings.Split(s, "/")
	if len(parts) != 3 || len(parts[0]) > 2 || len(parts[1]) > 2 || len(parts[2]) != 4 {
		return time.Time{}, fmt.Sprintf("tanggal: %q is not M/D/YYYY", s)
	}
	var n [3]int
	for i, p := range parts {
		v, err := strconv.Atoi(p)
		if err != nil || v < 0 || p == "" || p[0] == '+' || p[0] == '-' {
			return time.Time{}, fmt.Sprintf("tanggal: %q is not M/D/YYYY", s)
		}
		n[i] = v
	}
	t := time.Date(n[2], time.Month(n[0]), n[1], 0, 0, 0, 0, time.UTC)
	if t.Year() != n[2] || int(t.Month()) != n[0] || t.Day() != n[1] {
		return time.Time{}, fmt.Sprintf("tanggal: %q is not a calendar date", s)
	}
	if n[2] < 1997 {
		return time.Time{}, fmt.Sprintf("tanggal: %q is before ISPU existed (1997)", s)
	}
	if t.After(today) {
		return time.Time{}, fmt.Sprintf("tanggal: %q is in the future", s)
	}
	return t, ""
}

// splitStation splits "DKI1 (Bunderan HI)" into "DKI1" and "Bunderan HI".
func splitStation(s string) (code, name string) {
	s = strings.TrimSpace(s)
	if i := strings.IndexByte(s, '('); i >= 0 && strings.HasSuffix(s, ")") {
		return strings.TrimSpace(s[:i]), strings.TrimSpace(s[i+1 : len(s)-1])
	}
	return s, ""
}

// parseIndex reads a sub-index or ISPU cell: empty is missing (nil).
func parseIndex(col, s string) (*int, string) {
	s = strings.TrimSpace(s)
	if s == "" {
		return nil, ""
	}
	v, err := strconv.Atoi(s)
	switch {
	case err != nil || s[0] == '+':
		return nil, fmt.Sprintf("%s: %q is not an integer", col, s)
	case v < 0 || v > maxSubIndex:
		return nil, fmt.Sprintf("%s: %d outside 0..%d", col, v, maxSubIndex)
	}
	return &v, ""
}

// criticalNames are the pollutant names of package airquality.
var criticalNames = []string{"PM10", "PM25", "SO2", "CO", "O3", "NO2", "HC"}

// parseCritical normalises the critical pollutant to an airquality name.
func parseCritical(s string) (string, string) {
	name := strings.ToUpper(strings.TrimSpace(s))
	if name == "PM2.5" || name == "PM2,5" {
		name = "PM25"
	}
	if name != "" && !slices.Contains(criticalNames, name) {
		return "", fmt.Sprintf("critical: unknown pollutant %q", s)
	}
	return name, ""
}

// check lists the ways the row's max, critical and category disagree with
// its sub-indices (see the package comment).
func check(d Day) []string {
	if d.Max == nil {
		return nil
	}
	var notes []string
	top, topName := -1, ""
	for _, name := range pollutantColumns {
		if v := d.SubIndex[name]; v != nil && *v > top {
			top, topName = *v, name
		}
	}
	if top > *d.Max {
		notes = append(notes, fmt.Sprintf("max %d is below the %s sub-index %d", *d.Max, topName, top))
	}
	if v := d.SubIndex[strings.ToLower(d.Critical)]; v != nil && *v != *d.Max {
		notes = append(notes, fmt.Sprintf("critical %s has sub-index %d, not max %d", d.Critical, *v, *d.Max))
	}
	if code := categoryOf(*d.Max); code != d.Category {
		notes = append(notes, fmt.Sprintf("category %s disagrees with max %d (%s)", d.Category, *d.Max, code))
	}
	return notes
}

// category is one ISPU band. The bands are those of airquality.CategoryOf
// (ISPU2020), repeated here because format packages import nothing from the
// module; a test keeps the two equal.
type category struct {
	code string
	max  int // inclusive upper bound
}

var categories = []category{
	{"BAIK", 50}, {"SEDANG", 100}, {"TIDAK SEHAT", 200}, {"SANGAT TIDAK SEHAT", 300}, {"BERBAHAYA", maxSubIndex},
}

// categoryOf returns the code of the band holding ispu, 0..maxSubIndex.
func categoryOf(ispu int) string {
	for _, c := range categories {
		if ispu <= c.max {
			return c.code
		}
	}
	return ""
}
