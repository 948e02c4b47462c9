package nealightning

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/bmkg/mkggraph/format/internal/sniff"
	"github.com/bmkg/mkggraph/format/reject"
)

// Strike is one lightning strike.
type Strike struct {
	Time      time.Time // UTC, with the fractional seconds of the file
	Latitude  float64
	Longitude float64
	Type      string // "CG" cloud to ground, or "IC" intra- or inter-cloud
	Row       int    // line in the file, counting the header as line 1
}

// Strike types.
const (
	CloudToGround = "CG"
	IntraCloud    = "IC"
)

// MaxRows bounds the data rows Parse reads; a day of Singapore's
// lightning is a few thousand.
const MaxRows = 1 << 20

// futureSlack is how far past the present a strike time may be before it
// is taken for a wrong date or offset rather than clock skew.
const futureSlack = 24 * time.Hour

// required are the columns Parse reads; others are allowed and ignored.
var required = []string{"latitude", "longitude", "strike_type", "description", "strike_time"}

// strikeTypes maps NEA's strike_type code to the description it must
// come with and the type it becomes.
var strikeTypes = map[string]struct{ description, typ string }{
	"G": {"Cloud to Ground", CloudToGround},
	"C": {"Cloud to Cloud", IntraCloud},
}

// Detect reports whether b, the start of a file, begins with the header
// row of an NEA lightning CSV, or with a strike row in the scraper's
// column order when the file has no header.
func Detect(b []byte) bool {
	lines := strings.Split(string(sniff.TrimBOM(b)), "\n")
	_, _, err := findLayout(lines, time.Unix(1<<40, 0))
	return err == nil
}

// scraperLayout is the column order the scraper writes: a file it appended
// to before writing a header has rows in this order and no header.
var scraperLayout = layout{n: 8, lat: 3, lon: 4, typ: 5, desc: 6, strTime: 7}

// findLayout finds the columns from the first non-blank line: a header,
// or a row that reads as a strike in the scraper's order. It returns the
// index of the first data line.
func findLayout(lines []string, latest time.Time) (*layout, int, error) {
	for i, line := range lines {
		line = strings.TrimSuffix(line, "\r")
		if strings.TrimSpace(line) == "" {
			continue
		}
		cols, err := columns(line)
		switch {
		case err != nil:
			return nil, 0, err
		case cols != nil:
			return cols, i + 1, nil
		}
		if _, reason := scraperLayout.strike(line, latest); reason == "" {
			return &scraperLayout, i, nil
		}
		break
	}
	return nil, 0, errors.New("nealightning: no header row naming latitude, longitude, strike_type, description and strike_time")
}

// Parse reads the strikes of a file. Rows that cannot be read, or that
// hold impossible values, are rejected, each with its line (the header is
// line 1); repeated strikes are
// dropped and counted. An error means the data is not an NEA lightning
// CSV at all, and comes with no strikes.
func Parse(data []byte) (strikes []Strike, rejects []reject.Reject, duplicates int, err error) {
	return parse(data, time.Now())
}

// key identifies a strike for finding repeats: the instant, whatever
// form it was written in, the position and the type.
type key struct {
	sec      int64
	nsec     int
	lat, lon float64
	typ      string
}

func parse(data []byte, now time.Time) ([]Strike, []reject.Reject, int, error) {
	text := string(sniff.TrimBOM(data))
	if n := strings.Count(text, "\n"); n > MaxRows {
		return nil, nil, 0, fmt.Errorf("nealightning: %d rows, more than %d", n, MaxRows)
	}
	latest := now.Add(futureSlack)
	lines := strings.Split(text, "\n")
	cols, first, err := findLayout(lines, latest)
	if err != nil {
		return nil, nil, 0, err
	}
	var (
		strikes []Strike
		rejects []reject.Reject
		dups    int
		seen    = map[key]bool{}
	)
	for i, line := range lines[first:] {
		row := first + i + 1
		line = strings.TrimSuffix(line, "\r")
		if strings.TrimSpace(line) == "" || isHeader(line) {
			continue // blank, or a header where files were joined
		}
		s, reason := cols.strike(line, latest)
		if reason != "" {
			rejects = append(rejects, reject.Reject{Record: row, Reason: reason})
			continue
		}
		k := key{s.Time.Unix(), s.Time.Nanosecond(), s.Latitude, s.Longitude, s.Type}
		if seen[k] {
			dups++
			continue
		}
		seen[k] = true
		s.Row = row
		strikes = append(strikes, s)
	}
	return strikes, rejects, dups, nil
}

func isHeader(line string) bool {
	cols, _ := columns(line)
	return cols != nil
}

// layout gives the position of each column Parse reads, and how many
// fields a row has.
type layout struct {
	n                            int
	lat, lon, typ, desc, strTime int
}

// columns reads the header row: nil if it does not name the required
// columns, an error if it names one twice.
func columns(header string) (*layout, error) {
	pos := map[string]int{}
	fields := split(strings.TrimSuffix(header, "\r"))
	for i, f := range fields {
		f = strings.ToLower(f)
		if _, dup := pos[f]; dup && f != "" {
			return nil, fmt.Errorf("nealightning: column %q appears twice in the header", f)
		}
		pos[f] = i
	}
	for _, c := range required {
		if _, ok := pos[c]; !ok {
			return nil, nil
		}
	}
	return &layout{
		n:   len(fields),
		lat: pos["latitude"], lon: pos["longitude"],
		typ: pos["strike_type"], desc: pos["description"], strTime: pos["strike_time"],
	}, nil
}

// split cuts a row at commas. NEA's values hold no commas, so quotes,
// which some CSV writers put around every field, are only trimmed.
func split(line string) []string {
	fields := strings.Split(line, ",")
	for i, f := range fields {
		f = strings.TrimSpace(f)
		if len(f) >= 2 && f[0] == '"' && f[len(f)-1] == '"' {
			f = f[1 : len(f)-1]
		}
		fields[i] = f
	}
	return fields
}

// strike reads one data row, or says why it cannot.
func (l *layout) strike(line string, latest time.Time) (Strike, string) {
	f := split(line)
	if len(f) != l.n {
		return Strike{}, fmt.Sprintf("%d fields, the header has %d", len(f), l.n)
	}
	t, err := parseTime(f[l.strTime])
	if err != nil {
		return Strike{}, err.Error()
	}
	if t.After(latest) {
		return Strike{}, fmt.Sprintf("strike time %s is in the future", t.Format(time.RFC3339))
	}
	lat, ok := coordinate(f[l.lat], 90)
	if !ok {
		return Strike{}, fmt.Sprintf("latitude %s is not a number within ±90", quote(f[l.lat]))
	}
	lon, ok := coordinate(f[l.lon], 180)
	if !ok {
		return Strike{}, fmt.Sprintf("longitude %s is not a number within ±180", quote(f[l.lon]))
	}
	if lat == 0 && lon == 0 {
		// The scraper writes 0 for a reading without a location.
		return Strike{}, "position 0, 0: the strike has no location"
	}
	typ, reason := strikeType(f[l.typ], f[l.desc])
	if reason != "" {
		return Strike{}, reason
	}
	return Strike{Time: t, Latitude: lat, Longitude: lon, Type: typ}, ""
}

func coordinate(s string, limit float64) (float64, bool) {
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(v) || v < -limit || v > limit {
		return 0, false
	}
	return v, true
}

func strikeType(code, description string) (string, string) {
	st, ok := strikeTypes[strings.ToUpper(code)]
	if !ok {
		return "", fmt.Sprintf("unknown strike type %s", quote(code))
	}
	if !strings.EqualFold(description, st.description) {
		return "", fmt.Sprintf("strike type %s but description %s", quote(code), quote(description))
	}
	return st.typ, ""
}

// timeLayouts are the forms of strike_time seen in the files, ISO 8601
// with T or with a space; Go reads any fractional seconds after the
// seconds field even though the layouts do not show them.
var timeLayouts = []string{
	"2006-01-02T15:04:05Z07:00",
	"2006-01-02 15:04:05Z07:00",
	"2006-01-02T15:04:05-0700",
	"2006-01-02 15:04:05-0700",
}

func parseTime(s string) (time.Time, error) {
	for _, l := range timeLayouts {
		if t, err := time.Parse(l, s); err == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, fmt.Errorf("strike time %s is not a date and time with a UTC offset", quote(s))
}

// quote quotes a value for a reason, cut short so a garbled row cannot
// make a long one.
func quote(s string) string {
	const max = 40
	if len(s) > max {
		s = s[:max] + "…"
	}
	return strconv.Quote(s)
}
