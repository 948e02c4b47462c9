package repogempa

import (
	"fmt"
	"strings"

	"github.com/bmkg/mkggraph/format/internal/decimal"
)

// parseDecimal reads a plain decimal number, as the page writes every
// value.
func parseDecimal(s string) (float64, error) {
	v, ok := decimal.ParsePlain(s)
	if !ok {
		return 0, fmt.Errorf("%q is not a decimal number", s)
	}
	return v, nil
}

// isNumber reports whether a column is a plain decimal number.
func isNumber(s string) bool {
	_, ok := decimal.ParsePlain(s)
	return ok
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
