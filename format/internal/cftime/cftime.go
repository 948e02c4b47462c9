// Package cftime reads times as the CF conventions write them in netCDF
// files: ISO 8601 reference times, and units of the form "<unit> since
// <time>".
package cftime

import (
	"fmt"
	"strings"
	"time"
)

var layouts = []string{
	"2006-01-02T15:04:05Z07:00",
	"2006-01-02 15:04:05Z07:00",
	"2006-01-02T15:04:05",
	"2006-01-02 15:04:05",
	"2006-01-02 15:04:05 MST",
	"2006-01-02",
}

// ParseTime reads an ISO 8601 time with T or a space, any fractional
// seconds, and a zone, a trailing " UTC" or " GMT", or none (UTC, as CF
// says).
func ParseTime(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	for _, utc := range []string{" UTC", " GMT"} {
		if t, ok := strings.CutSuffix(s, utc); ok && !strings.HasSuffix(t, "Z") {
			s = t
		}
	}
	for _, l := range layouts {
		if t, err := time.Parse(l, s); err == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, fmt.Errorf("time %q not understood", s)
}

var units = map[string]time.Duration{
	"microseconds": time.Microsecond, "microsecond": time.Microsecond, "us": time.Microsecond,
	"milliseconds": time.Millisecond, "millisecond": time.Millisecond, "msec": time.Millisecond, "ms": time.Millisecond,
	"seconds": time.Second, "second": time.Second, "secs": time.Second, "sec": time.Second, "s": time.Second,
	"minutes": time.Minute, "minute": time.Minute, "min": time.Minute,
	"hours": time.Hour, "hour": time.Hour, "h": time.Hour,
	"days": 24 * time.Hour, "day": 24 * time.Hour, "d": 24 * time.Hour,
}

// Unit reads a bare time unit ("seconds", "ms", …).
func Unit(s string) (time.Duration, bool) {
	d, ok := units[strings.ToLower(strings.TrimSpace(s))]
	return d, ok
}

// ParseUnits reads units such as "milliseconds since 2018-07-02
// 04:33:00.000": the unit, and the epoch it counts from.
func ParseUnits(s string) (time.Duration, time.Time, error) {
	u, since, ok := strings.Cut(strings.TrimSpace(s), " since ")
	unit, known := Unit(u)
	if !ok || !known {
		return 0, time.Time{}, fmt.Errorf("time units %q, want <unit> since <time>", s)
	}
	epoch, err := ParseTime(since)
	if err != nil {
		return 0, time.Time{}, err
	}
	return unit, epoch, nil
}
