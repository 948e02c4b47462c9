package mkg

import (
	"errors"
	"testing"
	"time"
)

func TestCatchUpBounds(t *testing.T) {
	now := time.Date(2026, 12, 6, 12, 0, 0, 0, time.UTC)
	c := CatchUp{Window: 24 * time.Hour, Max: 1000}
	for _, tc := range []struct {
		since time.Time
		ok    bool
	}{
		{now.Add(-time.Hour), true},
		{now.Add(-24 * time.Hour), true},
		{now, true},
		{now.Add(30 * time.Second), true}, // a client's clock a little ahead
		{now.Add(-24*time.Hour - time.Second), false},
		{now.Add(2 * time.Minute), false},
	} {
		err := c.CheckSince("since", tc.since, now)
		var e *Error
		if tc.ok != (err == nil) || err != nil && (!errors.As(err, &e) || e.Code != EINVALID || e.Field != "since") {
			t.Errorf("since %s: %v, want ok=%v (else INVALID naming since)", tc.since, err, tc.ok)
		}
	}
	if err := c.CheckCount("since", now, 1000); err != nil {
		t.Errorf("1000 events: %v", err)
	}
	var e *Error
	if err := c.CheckCount("since", now, 1001); !errors.As(err, &e) || e.Field != "since" || e.Code != EINVALID {
		t.Errorf("1001 events: %v, want INVALID naming since", err)
	}
}

func TestReplayedSent(t *testing.T) {
	at := time.Date(2026, 12, 6, 12, 0, 0, 0, time.UTC)
	r := Replayed{7: at}
	for _, tc := range []struct {
		id   int64
		at   time.Time
		sent bool
	}{
		{7, at, true},                        // the version replayed
		{7, at.Add(-time.Microsecond), true}, // an older one: already superseded
		{7, at.Add(time.Microsecond), false}, // a revision after the read
		{8, at, false},                       // not replayed
	} {
		if got := r.Sent(tc.id, tc.at); got != tc.sent {
			t.Errorf("Sent(%d, %s) = %v, want %v", tc.id, tc.at, got, tc.sent)
		}
	}
}

func TestEarthquakeWatchFilter(t *testing.T) {
	w := EarthquakeWatch{MinMagnitude: Ptr(5.0), BBox: &BBox{South: -11, West: 94, North: 6, East: 142}}
	f := w.Filter()
	if f.MinMagnitude != w.MinMagnitude || f.BBox != w.BBox || f.Near != nil || f.From != nil {
		t.Errorf("filter %+v from watch %+v", f, w)
	}
}
