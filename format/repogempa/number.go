package repogempa

import (
	"fmt"
	"strconv"
	"strings"
)

// parseDecimal reads a plain decimal number. strconv.ParseFloat alone would
// also take "NaN", "Inf", hex floats and underscores.
func parseDecimal(s string) (float64, error) {
	if !isNumber(s) {
		return 0, fmt.Errorf("%q is not a decimal number", s)
	}
	return strconv.ParseFloat(s, 64)
}

// isNumber accepts an optional sign, digits and at most one point.
func isNumber(s string) bool {
	s = strings.TrimPrefix(strings.TrimPrefix(s, "-"), "+")
	whole, frac, _ := strings.Cut(s, ".")
	return len(s) <= 32 && (whole != "" || frac != "") &&
		strings.Trim(whole, "0123456789") == "" && strings.Trim(frac, "0123456789") == ""
}

// collapse trims s and folds every run of white space into one space.
func collapse(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

// asciiLower lower-cases ASCII letters only. Unlike strings.ToLower it keeps
// every byte where it was, so an index found in the result is an index into
// the original; invalid UTF-8 would otherwise change the length.
func asciiLower(s string) string {
	b := []byte(s)
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}
