package bmkgquake

import (
	"fmt"
	"strconv"
	"strings"
)

// decimal is a number as written, with the count of digits after the
// point, so that two values can be compared to the precision each states.
type decimal struct {
	v      float64
	places int
}

// parseDecimal reads a plain decimal number ("-8.15", "5", "5,0").
// strconv.ParseFloat alone would also take "NaN", "Inf", hex floats and
// underscores, none of which a feed means.
func parseDecimal(s string) (decimal, error) {
	s = strings.TrimSpace(s)
	if strings.Count(s, ",") == 1 && !strings.Contains(s, ".") {
		s = strings.Replace(s, ",", ".", 1) // Indonesian decimal comma
	}
	if !isDecimal(s) {
		return decimal{}, fmt.Errorf("%q is not a decimal number", s)
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return decimal{}, fmt.Errorf("%q is not a decimal number", s)
	}
	places := 0
	if i := strings.IndexByte(s, '.'); i >= 0 {
		places = len(s) - i - 1
	}
	return decimal{v: v, places: places}, nil
}

// isDecimal accepts an optional sign, digits, and at most one point with at
// least one digit overall.
func isDecimal(s string) bool {
	if s != "" && (s[0] == '-' || s[0] == '+') {
		s = s[1:]
	}
	digits, points := 0, 0
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c >= '0' && c <= '9':
			digits++
		case c == '.':
			points++
		default:
			return false
		}
	}
	return digits > 0 && points <= 1 && len(s) <= 32
}

// tolerance is how far apart two decimals may be and still state the same
// value: half a unit in the last place of each, plus a little for binary
// rounding. "3.9" and "3.94" agree; "0.02" and "-0.02" do not.
func tolerance(a, b decimal) float64 {
	return halfUnit(a.places) + halfUnit(b.places) + 1e-9
}

func halfUnit(places int) float64 {
	u := 0.5
	for i := 0; i < places && i < 12; i++ {
		u /= 10
	}
	return u
}

// collapse trims s and folds every run of white space into one space.
func collapse(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

func ptr(v float64) *float64 { return &v }
