package dataonline

//lint:file-ignore ST1005 error messages begin with the field names of the source format, capitalised as the files spell them (Tanggal, Jam, Magnitude, Kedalaman)

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/bmkg/mkggraph/format/internal/slashdate"
)

// param is one measured column. Limits are physical plausibility, not
// climatology: they catch unit mix-ups and typing errors, not records.
type param struct {
	name     string   // as written in Data Online headers
	unit     string   // for messages
	units    []string // unit suffixes a header may carry, lower case
	min, max float64
}

var (
	celsius = []string{"°c", "c", "degc", "deg c", "℃"}
	metresS = []string{"m/s", "m s-1", "ms-1", "m/det", "m/detik"}
	degrees = []string{"°", "deg", "degree", "degrees", "derajat"}
)

// params lists the measured columns in the order of Day's fields and of
// Day.Present. The last, ddd_car, holds compass text.
var params = [...]param{
	{"Tn", "°C", celsius, -30, 50},
	{"Tx", "°C", celsius, -30, 50},
	{"Tavg", "°C", celsius, -30, 50},
	{"RH_avg", "%", []string{"%"}, 0, 100},
	{"RR", "mm", []string{"mm"}, 0, 1000},
	{"ss", "h", []string{"jam", "h", "hour", "hours"}, 0, 24},
	{"ff_x", "m/s", metresS, 0, 100},
	{"ddd_x", "°", degrees, 0, 360},
	{"ff_avg", "m/s", metresS, 0, 100},
	{"ddd_car", "", degrees, 0, 0},
}

const compass = len(params) - 1 // index of ddd_car

// value returns the field of d that holds params[i], for i < compass.
func (d *Day) value(i int) *Value {
	return [...]*Value{&d.Tn, &d.Tx, &d.Tavg, &d.RHAvg, &d.RR, &d.SS, &d.FFX, &d.DDDX, &d.FFAvg}[i]
}

var directions = map[string]bool{"N": true, "NE": true, "E": true, "SE": true, "S": true, "SW": true, "W": true, "NW": true, "C": true}

// codeFlag maps BMKG's two sentinel codes to flags; they are never values.
func codeFlag(v float64) Flag {
	switch v {
	case 8888:
		return FlagNotMeasurable
	case 9999:
		return FlagNoData
	}
	return FlagValue
}

// parseValue reads a measured cell. The reason is "" unless the cell makes
// the day unusable.
func parseValue(p *param, c cell) (Value, string) {
	s := strings.TrimSpace(c.text)
	if isBlank(s) {
		return Value{Flag: FlagMissing}, ""
	}
	v, ok := number(s)
	if !ok {
		return Value{}, fmt.Sprintf("%s %q is not a number", p.name, s)
	}
	if f := codeFlag(v); f != FlagValue {
		return Value{Flag: f}, ""
	}
	if v < p.min || v > p.max {
		return Value{}, fmt.Sprintf("%s %s is outside %g..%g %s", p.name, s, p.min, p.max, p.unit)
	}
	return Value{V: &v}, ""
}

// isBlank reports whether a cell says nothing: empty, or the dash a
// spreadsheet shows for "no value" ("-", "--", "---").
func isBlank(s string) bool {
	return strings.Trim(s, "-") == "" && len(s) <= 3
}

// parseCompass reads ddd_car: compass text, in either case, or a BMKG code.
func parseCompass(c cell) (string, Flag, string) {
	s := strings.TrimSpace(c.text)
	if isBlank(s) {
		return "", FlagMissing, ""
	}
	if d := strings.ToUpper(s); directions[d] {
		return d, FlagValue, ""
	}
	if v, ok := number(s); ok && codeFlag(v) != FlagValue {
		return "", codeFlag(v), ""
	}
	return "", "", fmt.Sprintf("ddd_car %q is not a compass direction (N, NE, E, SE, S, SW, W, NW, C)", s)
}

// number parses a plain decimal such as -1.5 or 3e2, or 27,5 with the
// decimal comma of an Indonesian-locale spreadsheet (one comma, no point:
// no export groups thousands). strconv alone would also take NaN, Inf,
// hex floats and underscores, none of which is data.
func number(s string) (float64, bool) {
	if strings.Count(s, ",") == 1 && !strings.ContainsAny(s, ".eE") {
		s = strings.Replace(s, ",", ".", 1)
	}
	if !isDecimal(s) {
		return 0, false
	}
	v, err := strconv.ParseFloat(s, 64)
	return v, err == nil
}

func isDecimal(s string) bool {
	if len(s) > 64 {
		return false
	}
	s = strings.TrimLeft(s[:min(len(s), 1)], "+-") + s[min(len(s), 1):]
	mant, exp, hasExp := strings.Cut(strings.ToLower(s), "e")
	whole, frac, _ := strings.Cut(mant, ".")
	if whole+frac == "" || !allDigits(whole) || !allDigits(frac) {
		return false
	}
	if hasExp {
		exp = strings.TrimLeft(exp[:min(len(exp), 1)], "+-") + exp[min(len(exp), 1):]
		return exp != "" && allDigits(exp)
	}
	return true
}

func allDigits(s string) bool {
	return strings.Trim(s, "0123456789") == ""
}

// dateLayouts are the text dates accepted: Data Online's own (with or
// without leading zeros), and ISO as written by pandas and most tools,
// alone or with a time of day (dropped, as for serials).
var dateLayouts = []string{"2-1-2006", "2006-01-02", "2006-01-02T15:04:05", "2006-01-02 15:04:05"}

// parseDate reads the Tanggal cell: text, or an Excel date serial when the
// workbook stored the date as a number. A date with slashes is d/m/yyyy,
// as an Indonesian-locale spreadsheet rewrites dd-mm-yyyy, unless mdy
// says the file's slash dates are month first.
func parseDate(c cell, date1904, mdy bool) (time.Time, error) {
	s := strings.TrimSpace(c.text)
	if c.num {
		return serialDate(s, date1904)
	}
	if strings.Count(s, "/") == 2 {
		layout := "2/1/2006"
		if mdy {
			layout = "1/2/2006"
		}
		if t, err := time.Parse(layout, s); err == nil {
			return t, nil
		}
	}
	for _, layout := range dateLayouts {
		if t, err := time.Parse(layout, s); err == nil {
			return t.Truncate(24 * time.Hour), nil
		}
	}
	return time.Time{}, fmt.Errorf("Tanggal %q is not a date (dd-mm-yyyy, dd/mm/yyyy or yyyy-mm-dd)", s)
}

// slashMonthFirst reports whether the slash dates of a column are m/d/yyyy:
// some date has a second field above 12 and none a first field above 12.
// Without either, the Indonesian order d/m/yyyy stands.
func slashMonthFirst(texts []string) bool {
	dayFirst, monthFirst := slashdate.Evidence(texts)
	return monthFirst && !dayFirst
}

// maxSerial is 31-12-9999, the last date Excel represents.
const maxSerial = 2958465

// serialDate converts an Excel serial day number. A time of day (the
// fraction) is dropped: the row is about the calendar date. In the 1900
// system Excel counts a 29 February 1900 that never was (serial 60), so
// serials after it are one day ahead of a plain count.
func serialDate(s string, date1904 bool) (time.Time, error) {
	v, ok := number(s)
	if !ok || v < 0 || v > maxSerial || (!date1904 && v < 1) {
		return time.Time{}, fmt.Errorf("Tanggal serial %s is not a date", s)
	}
	n := int(math.Floor(v))
	switch {
	case date1904:
		return time.Date(1904, 1, 1+n, 0, 0, 0, 0, time.UTC), nil
	case n == 60:
		return time.Time{}, fmt.Errorf("Tanggal serial 60 is 29-02-1900, which Excel counts but which did not exist")
	case n < 60:
		return time.Date(1899, 12, 31+n, 0, 0, 0, 0, time.UTC), nil
	}
	return time.Date(1899, 12, 30+n, 0, 0, 0, 0, time.UTC), nil
}
