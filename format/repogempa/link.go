package repogempa

import (
	"fmt"
	"html"
	"math"
	"net/url"
	"strings"
)

// anchor is one <a href=...>text</a> of a row, entities decoded.
type anchor struct {
	href, text string
}

// query returns the link's query parameters. A malformed escape loses only
// the parameter it is in.
func (a anchor) query() url.Values {
	_, q, _ := strings.Cut(a.href, "?")
	v, _ := url.ParseQuery(q)
	return v
}

// anchors finds the links in a row's markup. Pages write the href quoted
// or not; both are read.
func anchors(s string) []anchor {
	var out []anchor
	lower := asciiLower(s)
	for i := 0; i < len(s) && len(out) < 8; {
		start := strings.Index(lower[i:], "<a")
		if start < 0 {
			break
		}
		start += i
		end := tagEnd(s, start)
		if end < 0 {
			break
		}
		textEnd := strings.Index(lower[end:], "</a")
		if textEnd < 0 {
			textEnd = len(s) - end
		}
		out = append(out, anchor{
			href: html.UnescapeString(attr(s[start+2:end-1], "href")),
			text: html.UnescapeString(stripTags(s[end : end+textEnd])),
		})
		i = end + textEnd
	}
	return out
}

// tagEnd returns the index just past the '>' that closes the tag opened at
// start, skipping '>' inside quoted attribute values; -1 when unclosed.
func tagEnd(s string, start int) int {
	var quote byte
	for i := start; i < len(s); i++ {
		switch c := s[i]; {
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '"' || c == '\'':
			quote = c
		case c == '>':
			return i + 1
		}
	}
	return -1
}

// attr returns the value of the named attribute in a tag's attribute text.
func attr(tag, name string) string {
	lower := asciiLower(tag)
	i := strings.Index(lower, name)
	if i < 0 {
		return ""
	}
	rest := strings.TrimLeft(tag[i+len(name):], " \t")
	if !strings.HasPrefix(rest, "=") {
		return ""
	}
	rest = strings.TrimLeft(rest[1:], " \t")
	if rest != "" && (rest[0] == '"' || rest[0] == '\'') {
		if end := strings.IndexByte(rest[1:], rest[0]); end >= 0 {
			return rest[1 : end+1]
		}
		return rest[1:]
	}
	if end := strings.IndexAny(rest, " \t"); end >= 0 {
		return rest[:end]
	}
	return rest
}

// stripTags drops any markup inside a link's text.
func stripTags(s string) string {
	var b strings.Builder
	in := false
	for _, r := range s {
		switch {
		case r == '<':
			in = true
		case r == '>':
			in = false
		case !in:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// crossCheck refuses a row whose columns and link disagree; only the
// parameters the link has are compared.
func crossCheck(r row, q url.Values) error {
	checks := []func(row, url.Values) error{checkWhen, checkLat, checkLon, checkDepthMag, checkRemark}
	for _, c := range checks {
		if err := c(r, q); err != nil {
			return err
		}
	}
	return nil
}

func checkWhen(r row, q url.Values) error {
	tgl, ot := q.Get("tgl"), q.Get("ot")
	if tgl == "" && ot == "" {
		return nil
	}
	if tgl == "" {
		tgl = r.date
	}
	if ot == "" {
		ot = r.clock
	}
	rowT, _ := parseTime(r.date, r.clock)
	linkT, err := parseTime(tgl, ot)
	if err != nil || !linkT.Equal(rowT) {
		return fmt.Errorf("link time tgl=%q ot=%q disagrees with row %s %s", tgl, ot, r.date, r.clock)
	}
	return nil
}

func checkLat(r row, q url.Values) error {
	return checkCoord(q, "lat", "ketlat", r.lat, r.latHemi)
}

func checkLon(r row, q url.Values) error {
	return checkCoord(q, "lon", "ketlon", r.lon, r.lonHemi)
}

func checkCoord(q url.Values, key, hemiKey, value, hemi string) error {
	lv, lh := q.Get(key), q.Get(hemiKey)
	if lv == "" && lh == "" {
		return nil
	}
	if lh != "" && !strings.EqualFold(lh, hemi) || lv != "" && !near(lv, value, 0.0051) {
		return fmt.Errorf("link %s=%s %s=%s disagrees with row %s %s", key, lv, hemiKey, lh, value, hemi)
	}
	return nil
}

func checkDepthMag(r row, q url.Values) error {
	if d := q.Get("depth"); d != "" && r.depth != "" && !near(d, r.depth, 0.51) {
		return fmt.Errorf("link depth=%s disagrees with row depth %s", d, r.depth)
	}
	if m := q.Get("mag"); m != "" && r.mag != "" && !near(m, r.mag, 0.051) {
		return fmt.Errorf("link mag=%s disagrees with row magnitude %s", m, r.mag)
	}
	return nil
}

func checkRemark(r row, q url.Values) error {
	remark, text := collapse(q.Get("remark")), collapse(r.region.text)
	if remark != "" && text != "" && remark != text {
		return fmt.Errorf("link remark=%q disagrees with link text %q", remark, text)
	}
	return nil
}

// near reports whether two decimal strings are within tol of each other.
func near(a, b string, tol float64) bool {
	x, err1 := parseDecimal(a)
	y, err2 := parseDecimal(b)
	return err1 == nil && err2 == nil && math.Abs(x-y) <= tol
}
