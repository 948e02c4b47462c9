package bmkgquake

//lint:file-ignore ST1005 error messages begin with the field names of the source format, capitalised as the files spell them (Tanggal, Jam, Magnitude, Kedalaman)

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/bmkg/mkggraph/format/internal/isotime"
)

// zones are the offsets BMKG writes after a local time. Indonesia has three
// zones; UTC appears in some derived feeds.
var zones = map[string]int{
	"WIB": 7 * 3600, "WITA": 8 * 3600, "WIT": 9 * 3600,
	"UTC": 0, "GMT": 0, "Z": 0,
}

// months maps the first three letters of a month name, Indonesian or
// English, to the month. "Agt" and "Agu" are both used for Agustus; "Peb"
// and "Nop" are older Indonesian spellings.
var months = map[string]time.Month{
	"jan": 1, "feb": 2, "peb": 2, "mar": 3, "apr": 4, "mei": 5, "may": 5,
	"jun": 6, "jul": 7, "agu": 8, "agt": 8, "aug": 8, "sep": 9,
	"okt": 10, "oct": 10, "nov": 11, "nop": 11, "des": 12, "dec": 12,
}

// parseISO reads DateTime ("2021-10-05T11:00:27+00:00") and returns UTC.
func parseISO(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	if t, ok := isotime.Parse(s); ok {
		return t, nil
	}
	return time.Time{}, fmt.Errorf("DateTime %q is not an ISO-8601 time", s)
}

// parseLocal reads Tanggal and Jam ("05 Okt 2021", "18:00:27 WIB"), or a
// legacy Tanggal that holds both ("07/11/2013-17:47:32 WIB"), and returns
// UTC.
func parseLocal(tanggal, jam string) (time.Time, error) {
	datePart, clockPart := splitTanggal(tanggal)
	if strings.TrimSpace(jam) != "" {
		clockPart = jam
	}
	y, m, d, err := parseDate(datePart)
	if err != nil {
		return time.Time{}, err
	}
	if strings.TrimSpace(clockPart) == "" {
		return time.Time{}, fmt.Errorf("Tanggal %q has no time and Jam is missing", tanggal)
	}
	hh, mm, ss, ns, off, err := parseClock(clockPart)
	if err != nil {
		return time.Time{}, err
	}
	return time.Date(y, m, d, hh, mm, ss, ns, time.FixedZone("", off)).UTC(), nil
}

// splitTanggal separates the date from a time written in the same field:
// the time starts at the digits before the first colon.
func splitTanggal(s string) (date, clock string) {
	s = strings.TrimSpace(s)
	colon := strings.IndexByte(s, ':')
	if colon < 0 {
		return s, ""
	}
	i := colon
	for i > 0 && s[i-1] >= '0' && s[i-1] <= '9' {
		i--
	}
	return strings.TrimRight(s[:i], " -T,/"), s[i:]
}

// parseDate reads "05 Okt 2021", "08-Nov-13", "07/11/2013" or "2021-10-05".
func parseDate(s string) (int, time.Month, int, error) {
	parts := strings.FieldsFunc(s, func(r rune) bool {
		return r == ' ' || r == '-' || r == '/' || r == '.' || r == ','
	})
	if len(parts) != 3 {
		return 0, 0, 0, fmt.Errorf("Tanggal %q is not a date", s)
	}
	dayS, monS, yearS := parts[0], parts[1], parts[2]
	if len(parts[0]) == 4 { // ISO order
		dayS, yearS = parts[2], parts[0]
	}
	day, err1 := strconv.Atoi(dayS)
	year, err2 := strconv.Atoi(yearS)
	mon, ok := parseMonth(monS)
	if err1 != nil || err2 != nil || !ok || len(yearS) == 3 || len(yearS) > 4 {
		return 0, 0, 0, fmt.Errorf("Tanggal %q is not a date", s)
	}
	if len(yearS) <= 2 { // legacy "08-Nov-13"; the feeds began in the 2000s
		year += 2000
	}
	if day < 1 || day > daysIn(year, mon) {
		return 0, 0, 0, fmt.Errorf("Tanggal %q has no day %d", s, day)
	}
	return year, mon, day, nil
}

func parseMonth(s string) (time.Month, bool) {
	if n, err := strconv.Atoi(s); err == nil {
		return time.Month(n), n >= 1 && n <= 12
	}
	if len(s) < 3 {
		return 0, false
	}
	m, ok := months[strings.ToLower(s[:3])]
	return m, ok
}

func daysIn(year int, m time.Month) int {
	return time.Date(year, m+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

// parseClock reads "18:00:27 WIB", "18:00 WITA", "18:00:27.5WIT" and, when
// no colon is used, the dotted Indonesian form "18.00.27 WIB".
func parseClock(s string) (hh, mm, ss, ns, offset int, err error) {
	s = strings.TrimSpace(s)
	cut := strings.IndexFunc(s, func(r rune) bool { return r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z' })
	if cut < 0 {
		return 0, 0, 0, 0, 0, fmt.Errorf("Jam %q has no time zone (WIB, WITA or WIT)", s)
	}
	zone := strings.ToUpper(strings.TrimSpace(s[cut:]))
	off, ok := zones[zone]
	if !ok {
		return 0, 0, 0, 0, 0, fmt.Errorf("Jam %q has unknown time zone %q", s, zone)
	}
	hh, mm, ss, ns, err = parseHMS(strings.TrimSpace(s[:cut]))
	if err != nil {
		return 0, 0, 0, 0, 0, fmt.Errorf("Jam %q: %v", s, err)
	}
	return hh, mm, ss, ns, off, nil
}

// parseHMS reads "HH:MM", "HH:MM:SS" or "HH:MM:SS.fff".
func parseHMS(s string) (hh, mm, ss, ns int, err error) {
	sep := ":"
	if !strings.Contains(s, ":") {
		sep = "."
	}
	parts := strings.Split(s, sep)
	if len(parts) < 2 || len(parts) > 4 || (sep == "." && len(parts) == 4) {
		return 0, 0, 0, 0, fmt.Errorf("%q is not a clock time", s)
	}
	if sep == ":" && len(parts) == 4 {
		return 0, 0, 0, 0, fmt.Errorf("%q is not a clock time", s)
	}
	secs := "0"
	if len(parts) == 3 {
		secs = parts[2]
	}
	hh, err1 := atoiRange(parts[0], 0, 23)
	mm, err2 := atoiRange(parts[1], 0, 59)
	ss, ns, err3 := parseSeconds(secs)
	if err1 != nil || err2 != nil || err3 != nil {
		return 0, 0, 0, 0, fmt.Errorf("%q is not a clock time", s)
	}
	return hh, mm, ss, ns, nil
}

// parseSeconds reads "27" or "27.941369" into seconds and nanoseconds.
func parseSeconds(s string) (int, int, error) {
	whole, frac, _ := strings.Cut(s, ".")
	sec, err := atoiRange(whole, 0, 60)
	if err != nil || len(frac) > 9 {
		return 0, 0, fmt.Errorf("bad seconds %q", s)
	}
	ns := 0
	if frac != "" {
		n, err := atoiRange(frac, 0, 999999999)
		if err != nil {
			return 0, 0, fmt.Errorf("bad seconds %q", s)
		}
		ns = n
		for i := len(frac); i < 9; i++ {
			ns *= 10
		}
	}
	return sec, ns, nil
}

func atoiRange(s string, lo, hi int) (int, error) {
	if s == "" || len(s) > 9 || strings.TrimLeft(s, "0123456789") != "" {
		return 0, fmt.Errorf("%q is not a number", s)
	}
	n, _ := strconv.Atoi(s)
	if n < lo || n > hi {
		return 0, fmt.Errorf("%d is outside %d..%d", n, lo, hi)
	}
	return n, nil
}
