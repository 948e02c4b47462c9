package synop

import (
	"bytes"
	"errors"
	"fmt"
	"math"
	"strings"
)

// Encoding is the inverse of Parse: it writes FM 12 text from the values
// Parse produces, so that data made by a program (test data, the volume
// generator) reaches the store as Level 1 text that Level 2 agrees with.
//
// The encoder writes the coded fields of Decoded and ignores those the
// decoder derives: descriptions, Region, Automatic, NoPrecipitation, a
// computed relative humidity, the periods of the extreme temperatures and
// of past weather, Notes, and speeds in m/s where the reported speed is
// given. Values are rounded to the resolution of their code (tenths of °C
// and hPa, whole knots or m/s, the classes of the code tables). Values the
// decoder could not read back — out of the code's range, or ambiguous with
// another group in the decoder's reading — are an error naming the field,
// never silently changed.

// OutBulletin is a bulletin to encode: its abbreviated heading, the day and
// hour of section 0 (YYGG), the wind unit indicator iw (0, 1, 3 or 4; -1
// writes "/") and its reports.
type OutBulletin struct {
	Heading       Heading
	Day, Hour     int
	WindIndicator int
	Reports       []OutReport
}

// OutReport is one report: the station index and its values; nil values
// write a NIL report.
type OutReport struct {
	Station string
	Values  *Decoded
}

// maxLine is the longest report line written; the GTS limits lines to 69
// characters.
const maxLine = 65

// EncodeFile writes bulletins as a received file would hold them: each
// framed by "ZCZC nnn" and "NNNN", with its heading, section 0 and reports.
func EncodeFile(bulletins []OutBulletin) ([]byte, error) {
	var buf bytes.Buffer
	for i, b := range bulletins {
		if err := encodeBulletin(&buf, i+1, b); err != nil {
			return nil, err
		}
	}
	return buf.Bytes(), nil
}

func encodeBulletin(buf *bytes.Buffer, seq int, b OutBulletin) error {
	h := b.Heading
	if !isTTAAii(h.TTAAii) || !isLetters(h.CCCC, 4) || !isDigits(h.YYGGgg, 6) || (h.BBB != "" && !(isLetters(h.BBB, 3) && validBBB(h.BBB))) {
		return fmt.Errorf("synop: heading %q is not TTAAii CCCC YYGGgg [BBB]", h.Line())
	}
	if b.Day < 1 || b.Day > 31 || b.Hour < 0 || b.Hour > 23 {
		return fmt.Errorf("synop: bulletin %s: day %d hour %d is not a SYNOP time", h.Line(), b.Day, b.Hour)
	}
	iw, err := indicatorFigure(b.WindIndicator)
	if err != nil {
		return fmt.Errorf("synop: bulletin %s: %w", h.Line(), err)
	}
	fmt.Fprintf(buf, "ZCZC %03d\n%s\nAAXX %02d%02d%c\n", seq%1000, h.Line(), b.Day, b.Hour, iw)
	for _, r := range b.Reports {
		text, err := EncodeReport(r.Station, b.WindIndicator, r.Values)
		if err != nil {
			return err
		}
		buf.WriteString(text)
		buf.WriteByte('\n')
	}
	buf.WriteString("NNNN\n")
	return nil
}

func indicatorFigure(iw int) (byte, error) {
	switch iw {
	case -1:
		return '/', nil
	case 0, 1, 3, 4:
		return byte('0' + iw), nil
	}
	return 0, fmt.Errorf("wind unit indicator iw %d is not 0, 1, 3 or 4", iw)
}

// WindIndicator returns iw for a wind unit ("m/s" or "kt") and whether the
// wind is measured by an anemometer.
func WindIndicator(unit string, measured bool) (int, error) {
	switch {
	case unit == "m/s" && measured:
		return 1, nil
	case unit == "m/s":
		return 0, nil
	case unit == "kt" && measured:
		return 4, nil
	case unit == "kt":
		return 3, nil
	}
	return 0, fmt.Errorf("synop: wind unit %q is not m/s or kt", unit)
}

// EncodeReport writes one land-station report, ending in '=', with lines
// of at most 65 characters. iw is the wind unit indicator of the bulletin
// the report goes in; d nil writes "IIiii NIL=".
func EncodeReport(station string, iw int, d *Decoded) (string, error) {
	if !isStationIndex(station) {
		return "", fmt.Errorf("synop: station index %q is not 5 digits", station)
	}
	if d == nil {
		return station + " NIL=", nil
	}
	e := &encoder{d: d, iw: iw, groups: []string{station}}
	e.checkWindUnit()
	e.section1()
	e.section2()
	e.section3()
	e.rawSections()
	if e.err != nil {
		return "", fmt.Errorf("synop: station %s: %w", station, e.err)
	}
	return wrap(e.groups) + "=", nil
}

// wrap joins groups with spaces, breaking lines before maxLine.
func wrap(groups []string) string {
	var sb strings.Builder
	n := 0
	for i, g := range groups {
		switch {
		case i == 0:
		case n+1+len(g) > maxLine:
			sb.WriteByte('\n')
			n = 0
		default:
			sb.WriteByte(' ')
			n++
		}
		sb.WriteString(g)
		n += len(g)
	}
	return sb.String()
}

// encoder collects the groups of one report; the first error stops it.
type encoder struct {
	d      *Decoded
	iw     int
	groups []string
	err    error
	// radOpen: the last groups written are a run of radiation groups that
	// a following 6-group could continue (see decoder.radiation).
	radOpen bool
	// shortWaveAt are the positions of 6FFFF radiation groups.
	shortWaveAt []int
}

func (e *encoder) add(g ...string) { e.groups = append(e.groups, g...) }

func (e *encoder) fail(field, format string, args ...any) {
	if e.err == nil {
		e.err = fmt.Errorf("%s: %s", field, fmt.Sprintf(format, args...))
	}
}

// checkWindUnit refuses values whose wind unit is not the bulletin's.
func (e *encoder) checkWindUnit() {
	d := e.d
	if d.WindUnit != "" && d.WindUnit != windUnit(e.iw) {
		e.fail("windUnit", "%s, but the bulletin's iw %d says %q", d.WindUnit, e.iw, windUnit(e.iw))
	}
	if d.WindMeasured != nil && e.iw >= 0 && *d.WindMeasured != (e.iw == 1 || e.iw == 4) {
		e.fail("windMeasured", "%v does not agree with the bulletin's iw %d", *d.WindMeasured, e.iw)
	}
}

// figure writes a one-figure code, or "/" when absent.
func (e *encoder) figure(field string, v *int, max int) string {
	if v == nil {
		return "/"
	}
	if *v < 0 || *v > max {
		e.fail(field, "%d is not 0-%d", *v, max)
		return "/"
	}
	return fmt.Sprint(*v)
}

func codeOf(c *Code) *int {
	if c == nil {
		return nil
	}
	return &c.Code
}

// finite rejects NaN and infinities before any rounding.
func (e *encoder) finite(field string, v float64) bool {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		e.fail(field, "%v is not a number", v)
		return false
	}
	return true
}

// signedTenths writes snTTT: sign 0 or 1 and tenths of a degree.
func (e *encoder) signedTenths(field string, v float64) string {
	if !e.finite(field, v) {
		return "////"
	}
	r := int(math.Round(v * 10))
	if r < -999 || r > 999 {
		e.fail(field, "%.1f °C is outside -99.9..99.9", v)
		return "////"
	}
	if r < 0 {
		return fmt.Sprintf("1%03d", -r)
	}
	return fmt.Sprintf("0%03d", r)
}

// pressureFigures writes tenths of hPa with the thousands figure omitted;
// low is the lowest value the decoder accepts for the group.
func (e *encoder) pressureFigures(field string, v, low float64) string {
	if !e.finite(field, v) {
		return "////"
	}
	r := int(math.Round(v * 10))
	if r < int(low*10) || r > 10999 {
		e.fail(field, "%.1f hPa is outside %.0f..1099.9", v, low)
		return "////"
	}
	return fmt.Sprintf("%04d", r%10000)
}

// rangeCode finds the code whose class is r in a code table of 100 codes.
func rangeCode(field string, r *Range, table func(int) (Range, bool), e *encoder) string {
	if r == nil {
		return "//"
	}
	for c := 0; c <= 99; c++ {
		if got, ok := table(c); ok && sameRange(got, *r) {
			return fmt.Sprintf("%02d", c)
		}
	}
	e.fail(field, "%s is not a class of its code table", r)
	return "//"
}

func sameRange(a, b Range) bool {
	if a.MinM != b.MinM || (a.MaxM == nil) != (b.MaxM == nil) {
		return false
	}
	return a.MaxM == nil || *a.MaxM == *b.MaxM
}

// String renders a range for error messages.
func (r Range) String() string {
	if r.MaxM == nil {
		return fmt.Sprintf("%d m or more", r.MinM)
	}
	return fmt.Sprintf("%d-%d m", r.MinM, *r.MaxM)
}

var errNoCode = errors.New("no code")

// cloudBaseCode is the inverse of code table 1600.
func cloudBaseCode(r Range) (int, error) {
	for h := 0; h <= 9; h++ {
		if sameRange(cloudBaseRange(h), r) {
			return h, nil
		}
	}
	return 0, errNoCode
}
