package synop

import (
	"fmt"
	"strings"
)

// buildReport turns the groups of one report into a Report: Level 1 text and
// identification always, Level 2 values when section 1 can be read.
func buildReport(data []byte, p pendingReport, terminated bool) Report {
	first, last := p.groups[0], p.groups[len(p.groups)-1]
	var probs []Problem
	if !terminated {
		probs = append(probs, Problem{Line: last.line, Group: clip(last.text), Section: "1",
			Message: "report is not terminated by '='"})
	}
	end := p.end
	if p.dropped > 0 {
		end = last.end // the text stops where the kept groups do
		probs = append(probs, Problem{Line: last.line, Section: "1",
			Message: fmt.Sprintf("report longer than %d groups; %d groups ignored", MaxGroupsPerReport, p.dropped)})
	}
	if end-p.start > maxReportText {
		end = p.start + maxReportText
		probs = append(probs, Problem{Line: first.line, Section: "1",
			Message: fmt.Sprintf("report text longer than %d bytes; truncated", maxReportText)})
	}
	r := Report{Line: first.line, Text: cleanText(data[p.start:end]), Day: p.s0.day, Hour: p.s0.hour, Problems: probs}
	decodeReport(&r, p.groups, p.s0)
	return r
}

// cleanText drops carriage returns and other control characters so that the
// text reads the same whatever the line endings of the transmission.
func cleanText(b []byte) string {
	var sb strings.Builder
	sb.Grow(len(b))
	for _, c := range b {
		if c >= ' ' && c != 0x7f || c == '\n' || c == '\t' {
			sb.WriteByte(c)
		}
	}
	return sb.String()
}

func isStationIndex(g string) bool { return isDigits(g, 5) }

func decodeReport(r *Report, groups []token, s0 section0) {
	st := groups[0]
	if strings.EqualFold(st.text, "NIL") {
		r.Nil = true // a bare "NIL=" in place of a report
		return
	}
	if isStationIndex(st.text) {
		r.Station = st.text
	} else {
		r.Problems = append(r.Problems, problemAt(st, "0", "station index IIiii must be 5 digits"))
	}
	if len(groups) > 1 && groups[1].text == st.text {
		// A station index keyed twice is a known transmission slip.
		r.Problems = append(r.Problems, problemAt(groups[1], "0", "station index repeated; second copy ignored"))
		groups = append([]token{st}, groups[2:]...)
	}
	if len(groups) > 1 && strings.EqualFold(groups[1].text, "NIL") {
		r.Nil = true
		if len(groups) > 2 {
			r.Problems = append(r.Problems, problemAt(groups[2], "1", "text after NIL ignored"))
		}
		return
	}
	if r.Station == "" {
		return
	}
	if len(groups) < 3 {
		r.Problems = append(r.Problems, problemAt(groups[len(groups)-1], "1", "report ends before iRixhVV and Nddff"))
		return
	}
	dc := &decoder{g: groups, i: 1, iw: s0.iw, hour: s0.hour, ix: -1, iR: -1,
		d: &Decoded{Region: regionOf(r.Station), WindUnit: windUnit(s0.iw)}}
	if s0.iw >= 0 {
		dc.d.WindMeasured = ptr(s0.iw == 1 || s0.iw == 4)
	}
	dc.run()
	r.Decoded = dc.d
	r.Problems = append(r.Problems, dc.probs...)
	applyExactTime(r, dc.d)
}

// applyExactTime moves the report time to 9GGgg. The group may name an hour
// of the previous (or next) day; the day of month is then stepped when that
// can be done without knowing the month.
func applyExactTime(r *Report, d *Decoded) {
	et := d.ExactTime
	if et == nil || r.Hour < 0 || r.Day < 0 {
		return
	}
	diff := et.Hour - r.Hour
	switch {
	case diff > 12 && r.Day > 1:
		r.Day--
	case diff < -12 && r.Day < 28:
		r.Day++
	case diff > 12 || diff < -12:
		d.Notes = append(d.Notes, fmt.Sprintf("exact time %02d:%02d is on another day than YY=%02d; report time left at the nominal hour", et.Hour, et.Minute, r.Day))
		return
	}
	r.Hour, r.Minute = et.Hour, et.Minute
}

func problemAt(t token, section, msg string) Problem {
	g := clip(t.text)
	return Problem{Line: t.line, Group: g, Section: section, Message: "group " + quote(g) + ": " + msg}
}

// decoder walks the groups of one report.
type decoder struct {
	g     []token
	i     int
	sec   string
	d     *Decoded
	probs []Problem
	iw    int
	hour  int
	ix    int // -1 when unknown
	iR    int // -1 when unknown
	// section 3 state
	refPeriodMin *int // set by 907tt for the wind groups that follow
	precip3      bool // a 6RRRtR group was seen in section 3
}

func (dc *decoder) fail(t token, format string, args ...any) {
	dc.probs = append(dc.probs, problemAt(t, dc.sec, fmt.Sprintf(format, args...)))
}

func (dc *decoder) note(format string, args ...any) {
	dc.d.Notes = append(dc.d.Notes, fmt.Sprintf(format, args...))
}

func (dc *decoder) more() bool { return dc.i < len(dc.g) }

func (dc *decoder) peek() token { return dc.g[dc.i] }

func (dc *decoder) next() token {
	t := dc.g[dc.i]
	dc.i++
	return t
}

func (dc *decoder) run() {
	dc.sec = "1"
	dc.indicators(dc.next())
	dc.wind(dc.next())
	dc.section1()
	for dc.more() {
		t := dc.next()
		switch m := marker(t.text); {
		case m == "2":
			dc.sec = "2"
			dc.section2(t)
		case m == "3":
			dc.sec = "3"
			dc.section3()
		case m == "4":
			dc.sec = "4"
			dc.d.Section4 = dc.raw()
		case m == "5":
			dc.sec = "5"
			dc.d.Section5 = dc.raw()
		default:
			dc.sec = t.text
			dc.d.OtherSections = append(dc.d.OtherSections, RawSection{Marker: t.text, Groups: dc.raw()})
		}
	}
	dc.humidity()
}

// marker names the section a group opens: "2" for 222Dsvs, "3", "4", "5",
// or a national marker 666 … 999; "" for an ordinary group.
func marker(g string) string {
	switch {
	case len(g) == 5 && g[:3] == "222":
		return "2"
	case g == "333":
		return "3"
	case g == "444":
		return "4"
	case g == "555":
		return "5"
	case g == "666", g == "777", g == "888", g == "999":
		return g
	}
	return ""
}

// atMarker reports whether the next group opens a section after the current
// one; a marker out of order is an ordinary (bad) group of this section.
func (dc *decoder) atMarker() bool {
	m := marker(dc.peek().text)
	if m == "" {
		return false
	}
	return sectionRank(m) > sectionRank(dc.sec)
}

func sectionRank(s string) int {
	switch s {
	case "1", "2", "3", "4", "5":
		return int(s[0] - '0')
	case "":
		return 0
	}
	return 6
}

// raw collects the groups up to the next section marker, uninterpreted.
func (dc *decoder) raw() []string {
	out := []string{}
	for dc.more() && !dc.atMarker() {
		out = append(out, dc.next().text)
	}
	return out
}

// fiveFigures checks the length of a group of sections 1 to 3.
func (dc *decoder) fiveFigures(t token) bool {
	if len(t.text) != 5 {
		dc.fail(t, "groups of section %s have 5 characters", dc.sec)
		return false
	}
	return true
}

func missing(s string) bool { return strings.Trim(s, "/") == "" }

// signedTenths reads SnTTT: sign 0 or 1, then tenths of a degree. A "/" in
// the tenths place gives whole degrees. ok is false (with a problem) when
// the value cannot be read; v is nil when it is reported missing.
func (dc *decoder) signedTenths(t token, what, s string) *float64 {
	if missing(s[1:]) {
		return nil // "1////" and "10///" both say the value is missing
	}
	if s[0] != '0' && s[0] != '1' {
		dc.fail(t, "%s sign %q is not 0 or 1", what, s[:1])
		return nil
	}
	v, ok := digits(s[1:])
	if !ok {
		w, ok2 := digits(s[1:3])
		if !ok2 || s[3] != '/' {
			dc.fail(t, "%s %q is not a temperature in tenths of a degree", what, s[1:])
			return nil
		}
		v = w * 10
		dc.note("%s %s: tenths not reported, whole degrees used", what, t.text)
	}
	c := float64(v) / 10
	if s[0] == '1' {
		c = -c
	}
	return &c
}
