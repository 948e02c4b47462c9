package repogempa

import (
	"fmt"
	"strings"
	"time"

	"github.com/bmkg/mkggraph/format/quake"
)

// row is a data row split into its columns, before interpretation.
type row struct {
	date, clock    string
	lat, latHemi   string
	lon, lonHemi   string
	depth, mag, mt string
	plainRegion    string // region text when the row has no link
	region, focal  *anchor
}

// parseRow reads one data row and checks it against its viewmap.php link.
func parseRow(line string) (quake.Event, error) {
	r, err := splitRow(line)
	if err != nil {
		return quake.Event{}, err
	}
	e, err := r.event()
	if err != nil {
		return quake.Event{}, err
	}
	if r.region != nil {
		if err := crossCheck(r, r.region.query()); err != nil {
			return quake.Event{}, err
		}
	}
	if err := quake.Check(&e, quake.BelowSurface); err != nil {
		return quake.Event{}, err
	}
	return e, nil
}

// splitRow separates the plain columns before the first tag from the links
// after it.
func splitRow(line string) (row, error) {
	plain, markup := line, ""
	if i := strings.IndexByte(line, '<'); i >= 0 {
		plain, markup = line[:i], line[i:]
	}
	f := columns(plain)
	if len(f) < 7 {
		return row{}, fmt.Errorf("row has %d columns before the region, want at least 7 (Date Time Lat N/S Lon E/W Dep): %q", len(f), shorten(line))
	}
	r := row{date: f[0], clock: f[1], lat: f[2], latHemi: f[3], lon: f[4], lonHemi: f[5], depth: f[6]}
	rest := f[7:]
	if len(rest) > 0 && isNumber(rest[0]) {
		r.mag, rest = rest[0], rest[1:]
	}
	if len(rest) > 0 {
		r.mt, rest = rest[0], rest[1:]
	}
	r.plainRegion = strings.Join(rest, " ")
	for _, a := range anchors(markup) {
		switch {
		case strings.Contains(strings.ToLower(a.href), "viewfm"):
			r.focal = &a
		default:
			r.region = &a
		}
	}
	return r, nil
}

// columns splits on white space and also separates a hemisphere glued to
// its number ("9.18S"), which a narrower column would produce.
func columns(s string) []string {
	var out []string
	for _, f := range strings.Fields(s) {
		n := len(f)
		if n > 1 && strings.ContainsRune("NSEW", rune(f[n-1])) && isNumber(f[:n-1]) {
			out = append(out, f[:n-1], f[n-1:])
			continue
		}
		out = append(out, f)
	}
	return out
}

// event interprets the columns.
func (r row) event() (quake.Event, error) {
	e := quake.Event{Feed: FeedRepogempa}
	var err error
	if e.OriginTime, err = parseTime(r.date, r.clock); err != nil {
		return quake.Event{}, err
	}
	if e.Latitude, err = signed(r.lat, r.latHemi, "N", "S", "latitude"); err != nil {
		return quake.Event{}, err
	}
	if e.Longitude, err = signed(r.lon, r.lonHemi, "E", "W", "longitude"); err != nil {
		return quake.Event{}, err
	}
	if e.DepthKm, err = optional(r.depth, "depth"); err != nil {
		return quake.Event{}, err
	}
	if e.Magnitude, err = optional(r.mag, "magnitude"); err != nil {
		return quake.Event{}, err
	}
	e.MagnitudeType = magnitudeType(r.mt)
	e.FocalMechanism = r.focal != nil
	e.Region = r.regionText()
	if r.region != nil {
		if s := strings.TrimSpace(r.region.query().Get("status")); s != "unset" {
			e.Status = s
		}
	}
	return e, nil
}

// regionText is the link text, else the link's remark, else plain text.
func (r row) regionText() string {
	if r.region == nil {
		return collapse(r.plainRegion)
	}
	if t := collapse(r.region.text); t != "" {
		return t
	}
	return collapse(r.region.query().Get("remark"))
}

// parseTime reads "2008/11/01" and "21:02:43.058" as UTC.
func parseTime(date, clock string) (time.Time, error) {
	s := strings.ReplaceAll(date, "-", "/") + " " + clock
	for _, layout := range []string{"2006/01/02 15:04:05.999999999", "2006/01/02 15:04"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("date and time %q %q are not a valid UTC time", date, clock)
}

// signed applies the hemisphere letter to an unsigned value.
func signed(value, hemi, pos, neg, name string) (float64, error) {
	v, err := parseDecimal(value)
	if err != nil || v < 0 {
		return 0, fmt.Errorf("%s %q is not an unsigned number", name, value)
	}
	switch strings.ToUpper(hemi) {
	case pos:
		return v, nil
	case neg:
		return -v, nil
	}
	return 0, fmt.Errorf("%s hemisphere %q is not %s or %s", name, hemi, pos, neg)
}

func optional(s, name string) (*float64, error) {
	if s == "" || s == "-" {
		return nil, nil
	}
	v, err := parseDecimal(s)
	if err != nil {
		return nil, fmt.Errorf("%s %q is not a number", name, s)
	}
	return &v, nil
}

// magnitudeType takes the MT column as a magnitude type only when it names
// a scale ("Mw", "mb", "MLv"); "-" and the focal-mechanism link do not.
func magnitudeType(mt string) string {
	if len(mt) < 2 || len(mt) > 5 || (mt[0] != 'M' && mt[0] != 'm') {
		return ""
	}
	for _, c := range mt[1:] {
		if !strings.ContainsRune("wWbBsSlLvVdDcCpP_", c) {
			return ""
		}
	}
	return mt
}

func shorten(s string) string {
	if len(s) > 120 {
		return s[:120] + "…"
	}
	return s
}
