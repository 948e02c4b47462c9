package aqicn

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/bmkg/mkggraph/format/budget"
	"github.com/bmkg/mkggraph/format/internal/csvrows"
	"github.com/bmkg/mkggraph/format/internal/sniff"
	"github.com/bmkg/mkggraph/format/reject"
)

// MaxInputSize is the largest input Parse accepts; a station's full
// history is well under 100 kB.
const MaxInputSize = 16 << 20

// maxAQI is the largest value accepted. The EPA scale ends at 500 but WAQI
// reports beyond it during smoke episodes; four digits are a typing error.
const maxAQI = 999

// ErrFormat is returned when the input is not a WAQI daily CSV.
var ErrFormat = errors.New("aqicn: not a WAQI daily AQI CSV")

// Day is one day of a station's history.
type Day struct {
	Date time.Time `json:"date"` // 00:00 UTC of the calendar date
	// AQI maps each pollutant column ("pm25", "pm10", … as in the header)
	// to the day's US-EPA AQI; nil = missing.
	AQI map[string]*int `json:"aqi"`
	Row int             `json:"row"` // 1-based line number in the file
}

// pollutantColumns are the columns WAQI exports.
var pollutantColumns = []string{"pm25", "pm10", "o3", "no2", "so2", "co"}

// now is replaced in tests.
var now = time.Now

// Detect reports whether data, or its first bytes, starts with a WAQI
// header: a "date" column and at least one known pollutant column.
func Detect(data []byte) bool {
	line := sniff.FirstLine(data)
	_, err := locate(strings.Split(strings.TrimSpace(string(line)), ","))
	return err == nil
}

// Parse reads a WAQI daily CSV. Rows that break the rules in the package
// comment are rejected, each with its 1-based line, and the rest still
// loads; the error is non-nil only when data is not this format or is too
// large, and then no days or rejects come with it.
func Parse(data []byte) ([]Day, []reject.Reject, error) {
	if err := budget.CheckSize("aqicn", int64(len(data)), MaxInputSize); err != nil {
		return nil, nil, err
	}
	r := csvrows.NewReader(data)
	r.TrimLeadingSpace = true
	header, err := csvrows.Header(r, ErrFormat)
	if err != nil {
		return nil, nil, err
	}
	cols, err := locate(header)
	if err != nil {
		return nil, nil, err
	}
	latest := tomorrow()
	seen := map[time.Time]int{}
	var days []Day
	rejects, err := csvrows.Each(r, len(header), func(line int, rec []string) string {
		d, reason := cols.day(rec, latest)
		if reason != "" {
			return reason
		}
		if first, dup := seen[d.Date]; dup {
			return fmt.Sprintf("duplicate: %s already given on line %d", d.Date.Format(time.DateOnly), first)
		}
		seen[d.Date] = line
		d.Row = line
		days = append(days, d)
		return ""
	})
	if err != nil {
		return nil, nil, err
	}
	slices.SortFunc(days, func(a, b Day) int { return a.Date.Compare(b.Date) })
	return days, rejects, nil
}

// layout is where the date and each pollutant are in a row.
type layout struct {
	date       int
	pollutants []column
}

type column struct {
	name string // one of pollutantColumns
	i    int
}

// aliases are other spellings of the pollutant columns.
var aliases = map[string]string{"pm2.5": "pm25", "pm2_5": "pm25"}

// locate finds the date and pollutant columns by name, trimmed and in any
// case and order. Other columns are ignored.
func locate(header []string) (layout, error) {
	l := layout{date: -1}
	var seen []string
	for i, h := range header {
		name := strings.ToLower(strings.Trim(strings.TrimSpace(h), `"`))
		if a, ok := aliases[name]; ok {
			name = a
		}
		if name == "" || !(name == "date" || slices.Contains(pollutantColumns, name)) {
			continue
		}
		if slices.Contains(seen, name) {
			return l, fmt.Errorf("%w: column %q twice", ErrFormat, name)
		}
		seen = append(seen, name)
		if name == "date" {
			l.date = i
		} else {
			l.pollutants = append(l.pollutants, column{name, i})
		}
	}
	if l.date < 0 {
		return l, fmt.Errorf("%w: no date column", ErrFormat)
	}
	if len(l.pollutants) == 0 {
		return l, fmt.Errorf("%w: no pollutant column", ErrFormat)
	}
	return l, nil
}

// day converts one row; a non-empty reason rejects it.
func (l layout) day(rec []string, latest time.Time) (Day, string) {
	date, reason := parseDate(rec[l.date], latest)
	if reason != "" {
		return Day{}, reason
	}
	d := Day{Date: date, AQI: make(map[string]*int, len(l.pollutants))}
	measured := false
	for _, p := range l.pollutants {
		v, reason := parseAQI(p.name, rec[p.i])
		if reason != "" {
			return Day{}, reason
		}
		d.AQI[p.name] = v
		measured = measured || v != nil
	}
	if !measured {
		return Day{}, "no value"
	}
	return d, ""
}

// parseAQI reads one value: blank or dashes are missing; a whole number
// written with a decimal point ("57.0") is that number.
func parseAQI(name, s string) (*int, string) {
	s = strings.TrimSpace(s)
	if strings.Trim(s, "-") == "" {
		return nil, ""
	}
	if whole, frac, ok := strings.Cut(s, "."); ok && whole != "" && strings.Trim(frac, "0") == "" {
		s = whole
	}
	v, err := strconv.Atoi(s)
	switch {
	case err != nil || s[0] == '+':
		return nil, fmt.Sprintf("%s: %q is not an integer", name, s)
	case v < 0 || v > maxAQI || s[0] == '-':
		return nil, fmt.Sprintf("%s: %s outside 0..%d", name, s, maxAQI)
	}
	return &v, ""
}

// parseDate reads YYYY/M/D, or YYYY-MM-DD, as 00:00 UTC of that date.
func parseDate(s string, latest time.Time) (time.Time, string) {
	s = strings.TrimSpace(s)
	sep := "/"
	if !strings.Contains(s, "/") {
		sep = "-"
	}
	parts := strings.Split(s, sep)
	if len(parts) != 3 || len(parts[0]) != 4 || len(parts[1]) > 2 || len(parts[2]) > 2 {
		return time.Time{}, fmt.Sprintf("date: %q is not YYYY/M/D", s)
	}
	var n [3]int
	for i, p := range parts {
		v, err := strconv.Atoi(p)
		if err != nil || p == "" || p[0] < '0' || p[0] > '9' {
			return time.Time{}, fmt.Sprintf("date: %q is not YYYY/M/D", s)
		}
		n[i] = v
	}
	t := time.Date(n[0], time.Month(n[1]), n[2], 0, 0, 0, 0, time.UTC)
	switch {
	case t.Year() != n[0] || int(t.Month()) != n[1] || t.Day() != n[2]:
		return time.Time{}, fmt.Sprintf("date: %q is not a calendar date", s)
	case n[0] < 1980:
		return time.Time{}, fmt.Sprintf("date: %q is before 1980", s)
	case t.After(latest):
		return time.Time{}, fmt.Sprintf("date: %q is in the future", s)
	}
	return t, ""
}

// tomorrow is the UTC date after today, as 00:00 UTC: stations east of
// Greenwich are already a day ahead of UTC for part of each day.
func tomorrow() time.Time {
	t := now().UTC().AddDate(0, 0, 1)
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
}
