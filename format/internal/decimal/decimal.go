// Package decimal reads numbers the way data files write them: an
// optional sign, digits with at most one point, and, where a format allows
// it, an exponent. strconv.ParseFloat alone would also take "NaN", "Inf",
// hexadecimal floats and underscores, none of which a file means by a
// number, and which would only let garbage through as a value.
package decimal

import (
	"strconv"
	"strings"
)

// maxLen bounds the text of a number: no file writes one longer, and a
// longer one is garbage however it parses.
const maxLen = 64

// Parse reads a decimal number, with an optional exponent: "-8.15", "+095",
// ".5", "1.5E+3".
func Parse(s string) (float64, bool) {
	return parse(s, "0123456789.+-eE")
}

// ParsePlain reads a decimal number without an exponent, for formats that
// never write one: "-8.15", "+095.340".
func ParsePlain(s string) (float64, bool) {
	return parse(s, "0123456789.+-")
}

// parse lets strconv judge the grammar once every character is one a
// decimal number may hold.
func parse(s, chars string) (float64, bool) {
	if s == "" || len(s) > maxLen || strings.Trim(s, chars) != "" {
		return 0, false
	}
	v, err := strconv.ParseFloat(s, 64)
	return v, err == nil // out of range is an error too: ±Inf is never a value
}

// PointForComma turns the decimal comma of an Indonesian-locale text
// ("27,5") into a point. A text with a point or an exponent, or with more
// than one comma, is left as it is: no file groups thousands.
func PointForComma(s string) string {
	if strings.Count(s, ",") == 1 && !strings.ContainsAny(s, ".eE") {
		return strings.Replace(s, ",", ".", 1)
	}
	return s
}
