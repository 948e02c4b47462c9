package ispu

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/bmkg/mkggraph/format/internal/slashdate"
)

// maxSubIndex is the largest sub-index or ISPU accepted; anything above is
// taken for a unit or typing error rather than air.
const maxSubIndex = 1000

// columns holds the index of each column in a row; -1 when absent.
type columns struct {
	date, station, max, critical, category int
	year, month                            int            // periode_data or tahun, and bulan: a date split into parts
	pollutants                             []pollutantCol // in header order
	dayFirst                               bool           // slash dates are D/M/YYYY
}

type pollutantCol struct {
	name string // the package's name for it, lower case: "pm10"
	i    int
}

// aliases maps the column names of the yearly files, lower case with
// spaces as underscores, to this package's names. The 2010–2021 files say
// tanggal, stasiun, pm10 … categori; the later ones periode_data, bulan,
// tanggal (the day of the month), stasiun, pm_sepuluh, pm_duakomalima,
// sulfur_dioksida, karbon_monoksida, ozon, nitrogen_dioksida, max,
// parameter_pencemar_kritis, kategori.
var aliases = map[string]string{
	"tanggal": "tanggal", "date": "tanggal",
	"periode_data": "year", "tahun": "year", "bulan": "month",
	"stasiun": "stasiun", "lokasi_spku": "stasiun", "nama_stasiun": "stasiun", "station": "stasiun",
	"max": "max", "ispu": "max",
	"critical": "critical", "parameter_pencemar_kritis": "critical", "pencemar_kritis": "critical", "kritis": "critical",
	"categori": "categori", "kategori": "categori", "category": "categori",
	"pm10": "pm10", "pm_10": "pm10", "pm_sepuluh": "pm10",
	"pm25": "pm25", "pm2.5": "pm25", "pm_2.5": "pm25", "pm2_5": "pm25", "pm_25": "pm25", "pm_duakomalima": "pm25",
	"so2": "so2", "sulfur_dioksida": "so2",
	"co": "co", "karbon_monoksida": "co",
	"o3": "o3", "ozon": "o3",
	"no2": "no2", "nitrogen_dioksida": "no2",
	"hc": "hc", "hidrokarbon": "hc",
}

// locate maps the header to columns by name, requiring a date (tanggal,
// with periode_data or tahun and bulan when tanggal is only the day),
// stasiun, max, critical, categori and at least one pollutant. Columns it
// does not know (an id, a region) are ignored.
func locate(header []string) (columns, error) {
	c := columns{-1, -1, -1, -1, -1, -1, -1, nil, false}
	fixed := map[string]*int{"tanggal": &c.date, "stasiun": &c.station, "max": &c.max, "critical": &c.critical,
		"categori": &c.category, "year": &c.year, "month": &c.month}
	for i, h := range header {
		raw := strings.ToLower(strings.Join(strings.Fields(h), "_"))
		name, ok := aliases[raw]
		if !ok {
			continue
		}
		if p, ok := fixed[name]; ok {
			if *p >= 0 {
				return c, fmt.Errorf("%w: column %q twice", ErrFormat, raw)
			}
			*p = i
			continue
		}
		if slices.ContainsFunc(c.pollutants, func(p pollutantCol) bool { return p.name == name }) {
			return c, fmt.Errorf("%w: column %q twice", ErrFormat, raw)
		}
		c.pollutants = append(c.pollutants, pollutantCol{name, i})
	}
	for _, name := range []string{"tanggal", "stasiun", "max", "critical", "categori"} {
		if *fixed[name] < 0 {
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
	if d.Date, reason = c.dateOf(rec, today); reason != "" {
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
	cat := strings.ToUpper(strings.Join(strings.Fields(rec[c.category]), " "))
	if cat == noData {
		cat = ""
		switch {
		case d.Max != nil:
			return d, fmt.Sprintf("categori: %s but max is %d", noData, *d.Max)
		case !measured:
			return d, "no data: categori " + noData
		}
	}
	if !measured && d.Max == nil {
		return d, "no sub-index and no max"
	}
	if d.Critical, reason = parseCritical(rec[c.critical]); reason != "" {
		return d, reason
	}
	d.Category = cat
	switch {
	case d.Category == "" && d.Max != nil:
		return d, "categori: empty"
	case d.Category != "" && !slices.ContainsFunc(categories, func(c category) bool { return c.code == d.Category }):
		return d, fmt.Sprintf("categori: unknown category %q", rec[c.category])
	}
	d.Notes = check(d)
	return d, ""
}

// noData is the category of a day the station did not measure.
const noData = "TIDAK ADA DATA"

// dateOf reads the row's date: a whole date in tanggal, or tanggal as the
// day of the month with the year and month from their own columns.
func (c columns) dateOf(rec []string, today time.Time) (time.Time, string) {
	s := strings.TrimSpace(rec[c.date])
	if day, err := strconv.Atoi(s); err == nil && c.month >= 0 && c.year >= 0 && len(s) <= 2 {
		year, month, reason := c.yearMonth(rec)
		if reason != "" {
			return time.Time{}, reason
		}
		return checkDate(s, year, month, day, today)
	}
	return parseDate(s, c.dayFirst, today)
}

// yearMonth reads the year from periode_data (YYYY or YYYYMM) or tahun,
// and the month from bulan (a number or an Indonesian or English name).
func (c columns) yearMonth(rec []string) (year, month int, reason string) {
	p := strings.TrimSpace(rec[c.year])
	if len(p) != 4 && len(p) != 6 || !allDigits(p) {
		return 0, 0, fmt.Sprintf("periode_data: %q is not YYYY or YYYYMM", p)
	}
	year, _ = strconv.Atoi(p[:4])
	b := strings.ToLower(strings.TrimSpace(rec[c.month]))
	if m, err := strconv.Atoi(b); err == nil && m >= 1 && m <= 12 {
		return year, m, ""
	}
	if m := slices.Index(monthNames, b); m >= 0 {
		return year, m%12 + 1, ""
	}
	return 0, 0, fmt.Sprintf("bulan: %q is not a month", rec[c.month])
}

var monthNames = []string{
	"januari", "februari", "maret", "april", "mei", "juni", "juli", "agustus", "september", "oktober", "november", "desember",
	"january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december",
}

func allDigits(s string) bool {
	return s != "" && strings.Trim(s, "0123456789") == ""
}

// parseDate reads M/D/YYYY (or D/M/YYYY when dayFirst), or YYYY-MM-DD with
// an optional time of day, as 00:00 UTC of that date.
func parseDate(s string, dayFirst bool, today time.Time) (time.Time, string) {
	bad := fmt.Sprintf("tanggal: %q is not a date (M/D/YYYY, D/M/YYYY or YYYY-MM-DD)", s)
	var parts []string
	var y, m, d int
	switch {
	case strings.Count(s, "/") == 2:
		parts = strings.Split(s, "/")
		y, m, d = 2, 0, 1
		if dayFirst {
			m, d = 1, 0
		}
	case strings.Count(s, "-") >= 2:
		date, _, _ := strings.Cut(strings.Replace(s, "T", " ", 1), " ")
		parts = strings.Split(date, "-")
		y, m, d = 0, 1, 2
	default:
		return time.Time{}, bad
	}
	if len(parts) != 3 || len(parts[y]) != 4 || len(parts[m]) > 2 || len(parts[d]) > 2 || !allDigits(parts[m]) || !allDigits(parts[d]) || !allDigits(parts[y]) {
		return time.Time{}, bad
	}
	year, _ := strconv.Atoi(parts[y])
	month, _ := strconv.Atoi(parts[m])
	day, _ := strconv.Atoi(parts[d])
	return checkDate(s, year, month, day, today)
}

func checkDate(s string, year, month, day int, today time.Time) (time.Time, string) {
	t := time.Date(year, time.Month(month), day, 0, 0, 0, 0, time.UTC)
	switch {
	case t.Year() != year || int(t.Month()) != month || t.Day() != day:
		return time.Time{}, fmt.Sprintf("tanggal: %q is not a calendar date", s)
	case year < 1997:
		return time.Time{}, fmt.Sprintf("tanggal: %q is before ISPU existed (1997)", s)
	case t.After(today):
		return time.Time{}, fmt.Sprintf("tanggal: %q is in the future", s)
	}
	return t, ""
}

// slashDayFirst decides the order of the file's slash dates from the file
// itself: D/M/YYYY when some date has a first field above 12 and none a
// second field above 12. Otherwise M/D/YYYY stands, the order of the
// 2010–2021 files as published.
func slashDayFirst(rows []row, col int) bool {
	texts := make([]string, len(rows))
	for i, r := range rows {
		texts[i] = r.fields[col]
	}
	dayFirst, monthFirst := slashdate.Evidence(texts)
	return dayFirst && !monthFirst
}

// splitStation splits "DKI1 (Bunderan HI)" into "DKI1" and "Bunderan HI".
// The code is the leading letters and digits ("DKI5"), whatever follows:
// "DKI5 (Kebon Jeruk) Jakarta Barat" and "DKI5 Kebon Jeruk" are DKI5 too.
// The name is what the parentheses hold, or else the rest of the cell.
func splitStation(s string) (code, name string) {
	s = strings.Join(strings.Fields(s), " ")
	if i := strings.IndexAny(s, " ("); i > 0 && isCode(s[:i]) {
		code, rest := strings.ToUpper(s[:i]), strings.TrimSpace(s[i:])
		if open, end := strings.IndexByte(rest, '('), strings.IndexByte(rest, ')'); open >= 0 && end > open {
			return code, strings.TrimSpace(rest[open+1 : end])
		}
		return code, rest
	}
	if i := strings.IndexByte(s, '('); i >= 0 && strings.HasSuffix(s, ")") {
		return strings.TrimSpace(s[:i]), strings.TrimSpace(s[i+1 : len(s)-1])
	}
	return s, ""
}

// isCode reports whether s is a station code: letters, then digits.
func isCode(s string) bool {
	letters := strings.TrimLeft(strings.ToUpper(s), "ABCDEFGHIJKLMNOPQRSTUVWXYZ")
	return len(letters) < len(s) && allDigits(letters)
}

// parseIndex reads a sub-index or ISPU cell: empty or dashes ("-", "---")
// are missing (nil). A whole number written with a decimal point ("55.0",
// as pandas writes a column with gaps) is that number.
func parseIndex(col, s string) (*int, string) {
	s = strings.TrimSpace(s)
	if strings.Trim(s, "-") == "" {
		return nil, ""
	}
	whole, frac, _ := strings.Cut(s, ".")
	if strings.Trim(frac, "0") == "" && whole != "" {
		s = whole
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
	if strings.Trim(name, "-") == "" {
		return "", ""
	}
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
