package bmkgrealtime

import (
	"encoding/json"
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/bmkg/mkggraph/format/internal/decimal"
)

// timeLayouts are the forms properties.time takes. BMKG writes
// "2006-01-02 15:04:05.999999" in UTC without a zone.
var timeLayouts = []string{
	"2006-01-02 15:04:05.999999999",
	"2006-01-02T15:04:05.999999999",
	time.RFC3339Nano,
	"2006-01-02 15:04:05.999999999Z07:00",
	"2006/01/02 15:04:05.999999999",
}

// parseTime reads properties.time: a string in one of timeLayouts (UTC
// unless it names a zone), or a number of Unix seconds or milliseconds.
func parseTime(v any) (time.Time, error) {
	switch x := v.(type) {
	case string:
		s := strings.TrimSpace(x)
		for _, layout := range timeLayouts {
			if t, err := time.Parse(layout, s); err == nil {
				return t.UTC(), nil
			}
		}
		return time.Time{}, fmt.Errorf("properties.time %q is not a date and time", x)
	case json.Number:
		return unixTime(x)
	case nil:
		return time.Time{}, fmt.Errorf("properties.time is missing")
	}
	return time.Time{}, fmt.Errorf("properties.time %s is not a date and time", render(v))
}

// unixTime reads epoch seconds, or milliseconds when the value is beyond
// any date in seconds that this package accepts (year 2100 is 4.1e9 s).
func unixTime(n json.Number) (time.Time, error) {
	v, err := parseDecimal(n.String())
	if err != nil || math.Abs(v) > 1e14 {
		return time.Time{}, fmt.Errorf("properties.time %s is not a Unix time", n)
	}
	if math.Abs(v) > 1e11 {
		v /= 1000
	}
	sec, frac := math.Modf(v)
	return time.Unix(int64(sec), int64(math.Round(frac*1e6))*1e3).UTC(), nil
}

// parseDecimal reads a decimal number, with an optional exponent as JSON
// numbers may have.
func parseDecimal(s string) (float64, error) {
	s = strings.TrimSpace(s)
	v, ok := decimal.Parse(s)
	if !ok {
		return 0, fmt.Errorf("%q is not a decimal number", s)
	}
	return v, nil
}
