package mkg

import (
	"time"
)

// CatchUp bounds what a subscription with `since` replays before its live
// events: how far back since may be, and how many stored records it may
// replay. Both bound the cost of a reconnection (one indexed read, one
// message each); a client that is further behind queries what it missed.
type CatchUp struct {
	Window time.Duration
	Max    int
}

// DefaultCatchUp are the defaults the configuration documents.
var DefaultCatchUp = CatchUp{Window: 24 * time.Hour, Max: 1000}

// CheckSince refuses a since older than the window (or in the future, a
// client's clock or a typo); field names the argument.
func (c CatchUp) CheckSince(field string, since, now time.Time) error {
	switch {
	case since.Before(now.Add(-c.Window)):
		return Invalid(field, "%s is more than %s ago: at most %s of events are replayed; query what was stored before, then subscribe with a later %s",
			since.UTC().Format(time.RFC3339), c.Window, c.Window, field)
	case since.After(now.Add(time.Minute)):
		return Invalid(field, "%s is in the future: pass the storedAt of the last event received", since.UTC().Format(time.RFC3339))
	}
	return nil
}

// CheckCount refuses a catch-up of more than Max records: n is how many
// were found, reading at most Max+1.
func (c CatchUp) CheckCount(field string, since time.Time, n int) error {
	if n > c.Max {
		return Invalid(field, "more than %d events were stored after %s, more than one subscription replays: query them, then subscribe with a later %s",
			c.Max, since.UTC().Format(time.RFC3339), field)
	}
	return nil
}

// Filter returns the query filter that selects what the watch passes,
// for reading stored events.
func (w EarthquakeWatch) Filter() EarthquakeFilter {
	return EarthquakeFilter{MinMagnitude: w.MinMagnitude, BBox: w.BBox, Near: w.Near}
}

// Replayed remembers the version (the storage time) of each record a
// catch-up sent, so that a live event for a version already sent is
// dropped: the live events are listened to before the store is read, and
// those that arrive meanwhile may repeat what the read found.
type Replayed map[int64]time.Time

// Sent reports whether the version of record id stored at storedAt (or a
// later one) was replayed.
func (r Replayed) Sent(id int64, storedAt time.Time) bool {
	at, ok := r[id]
	return ok && !storedAt.After(at)
}
