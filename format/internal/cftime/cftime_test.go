package cftime

import (
	"testing"
	"time"
)

func TestParseUnits(t *testing.T) {
	for _, c := range []struct {
		in    string
		unit  time.Duration
		epoch string
	}{
		// GOES GLM (2018) and CfRadial samples.
		{"milliseconds since 2018-07-02 04:33:00.000", time.Millisecond, "2018-07-02T04:33:00Z"},
		{"seconds since 2000-01-01 12:00:00", time.Second, "2000-01-01T12:00:00Z"},
		{"seconds since 2023-08-01T20:00:00Z", time.Second, "2023-08-01T20:00:00Z"},
		{"seconds since 2011-05-20T10:54:16 UTC", time.Second, "2011-05-20T10:54:16Z"},
		{" Days since 1970-01-01 ", 24 * time.Hour, "1970-01-01T00:00:00Z"},
		{"seconds since 2020-01-01 07:00:00+07:00", time.Second, "2020-01-01T00:00:00Z"},
	} {
		unit, epoch, err := ParseUnits(c.in)
		if err != nil || unit != c.unit || epoch.Format(time.RFC3339) != c.epoch {
			t.Errorf("ParseUnits(%q) = %v, %v, %v; want %v, %s", c.in, unit, epoch, err, c.unit, c.epoch)
		}
	}
	for _, bad := range []string{"", "seconds", "fortnights since 2020-01-01", "seconds since yesterday"} {
		if _, _, err := ParseUnits(bad); err == nil {
			t.Errorf("ParseUnits(%q) accepted", bad)
		}
	}
	if d, ok := Unit(" MS "); !ok || d != time.Millisecond {
		t.Errorf("Unit(ms) = %v, %v", d, ok)
	}
}
