package quakeml

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/bmkg/mkggraph/format/internal/decimal"
	"github.com/bmkg/mkggraph/format/internal/isotime"
)

// parseTime reads time/value. QuakeML times are UTC; a value without a
// zone is read as UTC.
func parseTime(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, fmt.Errorf("origin time/value is missing")
	}
	if t, ok := isotime.Parse(s); ok {
		return t, nil
	}
	return time.Time{}, fmt.Errorf("origin time/value %q is not an ISO-8601 time", s)
}

// required reads a number that must be present.
func required(s, field string) (float64, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, fmt.Errorf("%s is missing", field)
	}
	v, ok := decimal.Parse(s)
	if !ok {
		return 0, fmt.Errorf("%s %q is not a number", field, s)
	}
	return v, nil
}

// metresToKm reads depth/value in metres. The decimal exponent is shifted
// rather than the value divided, so "26451.8" becomes exactly the double
// nearest 26.4518 instead of 26.451800000000002.
func metresToKm(s string) (*float64, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return nil, nil
	}
	if _, ok := decimal.Parse(s); !ok {
		return nil, fmt.Errorf("origin depth/value %q is not a number", s)
	}
	mant, exp, _ := strings.Cut(strings.ToLower(s), "e")
	e := 0
	if exp != "" {
		var err error
		if e, err = strconv.Atoi(exp); err != nil || e < -9999 || e > 9999 {
			return nil, fmt.Errorf("origin depth/value %q is not a number", s)
		}
	}
	v, err := strconv.ParseFloat(mant+"e"+strconv.Itoa(e-3), 64)
	if err != nil {
		return nil, fmt.Errorf("origin depth/value %q is not a number", s)
	}
	return &v, nil
}

// collapse trims s and folds every run of white space into one space.
func collapse(s string) string { return strings.Join(strings.Fields(s), " ") }
