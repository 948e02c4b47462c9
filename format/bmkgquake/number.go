package bmkgquake

import (
	"fmt"
	"strings"

	dec "github.com/bmkg/mkggraph/format/internal/decimal"
)

// decimal is a number as written, with the count of digits after the
// point, so that two values can be compared to the precision each states.
type decimal struct {
	v      float64
	places int
}

// parseDecimal reads a plain decimal number ("-8.15", "5", "5,0" with the
// Indonesian decimal comma).
func parseDecimal(s string) (decimal, error) {
	s = dec.PointForComma(strings.TrimSpace(s))
	v, ok := dec.ParsePlain(s)
	if !ok {
		return decimal{}, fmt.Errorf("%q is not a decimal number", s)
	}
	places := 0
	if i := strings.IndexByte(s, '.'); i >= 0 {
		places = len(s) - i - 1
	}
	return decimal{v: v, places: places}, nil
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
