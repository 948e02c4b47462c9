package rainbow

import (
	"fmt"
	"time"
)

// Rainbow writes dates and times apart, in UTC; seconds may carry a
// fraction, which time.Parse accepts without the layout saying so.
const (
	dateTimeLayout = "2006-01-02 15:04:05"
	isoLayout      = "2006-01-02T15:04:05"
)

// scanTime is what a slice without a time of its own falls back to: the
// scan's date and time, else the volume's datetime, else the zero time.
func scanTime(vol, scan *node) (time.Time, error) {
	if t, ok, err := dateAndTime(scan, "date", "time"); ok || err != nil {
		return t, err
	}
	s, ok := vol.attr("datetime")
	if !ok {
		return time.Time{}, nil
	}
	t, err := time.Parse(isoLayout, s)
	if err != nil {
		return t, fmt.Errorf("%w: volume datetime %q", ErrCorrupt, s)
	}
	return t, nil
}

// sliceTime is when a slice started: its <slicedata datetimehighaccuracy>
// (later versions, with milliseconds) when it parses, else its <slicedata
// date time>, else its <slicedate>/<slicetime>, else the fallback, which
// must not be zero.
func sliceTime(sd, sl *node, fallback time.Time) (time.Time, error) {
	if s, ok := sd.attr("datetimehighaccuracy"); ok {
		if t, err := time.Parse(isoLayout, s); err == nil {
			return t, nil
		}
	}
	if t, ok, err := dateAndTime(sd, "date", "time"); ok || err != nil {
		return t, err
	}
	d, okD := sl.value("slicedate")
	c, okC := sl.value("slicetime")
	if okD && okC {
		return parseWhen(d, c)
	}
	if fallback.IsZero() {
		return fallback, fmt.Errorf("%w: no date and time for the slice or the scan", ErrCorrupt)
	}
	return fallback, nil
}

// dateAndTime reads attributes date and time of n, ok false when either is
// absent.
func dateAndTime(n *node, date, clock string) (t time.Time, ok bool, err error) {
	d, okD := n.attr(date)
	c, okC := n.attr(clock)
	if !okD || !okC {
		return t, false, nil
	}
	t, err = parseWhen(d, c)
	return t, true, err
}

func parseWhen(date, clock string) (time.Time, error) {
	t, err := time.Parse(dateTimeLayout, date+" "+clock)
	if err != nil {
		return t, fmt.Errorf("%w: date %q time %q", ErrCorrupt, date, clock)
	}
	return t, nil
}
