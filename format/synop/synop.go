package synop

import (
	"errors"
	"fmt"
	"time"

	"github.com/bmkg/mkggraph/format/budget"
)

// Limits applied before and during parsing. Input larger than MaxInputSize
// is refused outright; the other caps bound the memory a hostile or broken
// file can make the parser allocate, whatever its shape.
const (
	// MaxInputSize is the largest file Parse accepts (a day of global GTS
	// SYNOP traffic is a few megabytes).
	MaxInputSize = 64 << 20
	// MaxGroupsPerReport caps the groups kept for one report; a real report
	// has well under 100. The rest of an over-long report is skipped.
	MaxGroupsPerReport = 256
	// MaxReports caps the reports kept for one file.
	MaxReports = 100_000
	// MaxFileProblems caps the problems recorded for text outside bulletins.
	MaxFileProblems = 1000
	// maxReportText caps Report.Text; real reports are well under 1 KiB.
	maxReportText = 16 << 10
	// maxProblemGroup is how much of an offending group a Problem quotes.
	maxProblemGroup = 40
)

// ErrNoSynop is returned by Parse for a file with nothing SYNOP-like in
// it; a file larger than MaxInputSize is refused with an error that wraps
// budget.ErrTooLarge. Anything less than these is reported as a Problem on
// the file, bulletin or report it concerns.
var ErrNoSynop = errors.New("synop: no SYNOP section 0 (AAXX, BBXX or OOXX) found")

// File is the result of parsing one received file.
type File struct {
	Bulletins []Bulletin `json:"bulletins"`
	// Problems concern text that belongs to no bulletin (before the first
	// heading or section 0, or between NNNN and the next ZCZC), and the
	// limits above when they were hit.
	Problems []Problem `json:"problems,omitempty"`
}

// Heading is the WMO abbreviated heading TTAAii CCCC YYGGgg [BBB].
type Heading struct {
	TTAAii string `json:"ttaaii"`
	CCCC   string `json:"cccc"`
	YYGGgg string `json:"yygggg"`
	// BBB is RRx (delayed), CCx (correction), AAx (amendment) or Pxx (part);
	// empty when absent.
	BBB string `json:"bbb,omitempty"`
}

// Line returns the heading as it is written on its line.
func (h Heading) Line() string {
	s := h.TTAAii + " " + h.CCCC + " " + h.YYGGgg
	if h.BBB != "" {
		s += " " + h.BBB
	}
	return s
}

// IsCorrection reports whether the bulletin corrects an earlier one (BBB = CCx).
func (h Heading) IsCorrection() bool {
	return len(h.BBB) == 3 && h.BBB[:2] == "CC"
}

// Bulletin is one WMO bulletin: a heading (when the file has one), a section 0
// and the reports that follow it.
type Bulletin struct {
	Heading     Heading `json:"heading"`
	HeadingLine int     `json:"headingLine,omitempty"` // 0 when the bulletin has no heading
	// Kind is the section-0 indicator MiMiMjMj: "AAXX" for land stations.
	// "BBXX" and "OOXX" (sea and mobile stations) are recognised but not
	// decoded: such a bulletin has a Problem and no reports.
	Kind string `json:"kind,omitempty"`
	// Day, Hour and WindUnitIndicator come from the first YYGGiw group;
	// -1 when it is missing or unreadable.
	Day               int       `json:"day"`
	Hour              int       `json:"hour"`
	WindUnitIndicator int       `json:"windUnitIndicator"`
	Nil               bool      `json:"nil,omitempty"` // the whole bulletin is "NIL"
	Reports           []Report  `json:"reports"`
	Problems          []Problem `json:"problems,omitempty"`
}

// Report is one station report, the text between section 0 (or the previous
// '=') and its terminating '='.
type Report struct {
	Line int `json:"line"` // 1-based line of the file where the report starts
	// Text is the report as received: line breaks kept, carriage returns
	// and other control characters dropped, the final '=' kept.
	Text    string `json:"text"`
	Station string `json:"station"` // IIiii as written; "" when unreadable
	// Day and Hour come from YYGG in section 0; Hour and Minute from 9GGgg
	// when the report has one (Day then steps back when 9GGgg is on the
	// previous day). Minute is 0 otherwise.
	Day    int  `json:"day"`
	Hour   int  `json:"hour"`
	Minute int  `json:"minute"`
	Nil    bool `json:"nil,omitempty"`
	// Decoded is nil for NIL reports and when not even the station index,
	// iRixhVV and Nddff can be read; the report is then Level 1 only.
	Decoded  *Decoded  `json:"decoded,omitempty"`
	Problems []Problem `json:"problems,omitempty"`
}

// Time resolves the report's day, hour and minute against ref, the time the
// file was received (see ResolveTime).
func (r Report) Time(ref time.Time) (time.Time, error) {
	return ResolveTime(r.Day, r.Hour, r.Minute, ref)
}

// Problem is something that could not be read or decoded. It never stops the
// rest of the file, bulletin or report from being decoded.
type Problem struct {
	Line    int    `json:"line,omitempty"`
	Group   string `json:"group,omitempty"`
	Section string `json:"section,omitempty"` // "heading", "0" … "5", or a national section marker
	Message string `json:"message"`
}

// String renders the problem for logs and error messages.
func (p Problem) String() string {
	if p.Line > 0 {
		return fmt.Sprintf("line %d: %s", p.Line, p.Message)
	}
	return p.Message
}

// Parse reads a whole received file: any number of bulletins with or without
// ZCZC/NNNN framing and abbreviated headings, each with one or more section-0
// lines and reports ending in '='. It returns an error only when the input is
// too large or holds nothing SYNOP-like at all; every other defect is a
// Problem on the file, the bulletin or the report.
func Parse(data []byte) (*File, error) {
	if err := budget.CheckSize("synop", int64(len(data)), MaxInputSize); err != nil {
		return nil, err
	}
	f := split(data)
	if !synopLike(f) {
		return nil, ErrNoSynop
	}
	return f, nil
}

// synopLike reports whether anything in f looks like SYNOP: a section 0, or
// a surface-observation heading (SM, SI, SN) such as a NIL bulletin.
func synopLike(f *File) bool {
	for _, b := range f.Bulletins {
		if b.Kind != "" {
			return true
		}
		switch b.Heading.TTAAii[:min(2, len(b.Heading.TTAAii))] {
		case "SM", "SI", "SN":
			return true
		}
	}
	return false
}

func clip(s string) string {
	if len(s) > maxProblemGroup {
		return s[:maxProblemGroup] + "…"
	}
	return s
}
