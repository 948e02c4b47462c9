package quakeml

import (
	"fmt"
	"math"
	"time"
)

// FeedQuakeML is the only feed this package reads.
const FeedQuakeML = "quakeml"

// MaxInputSize is the largest file Parse accepts. Bulletin exports of a few
// thousand events fit; the limit only bounds a hostile input.
const MaxInputSize = 64 << 20

// maxDepth bounds XML nesting outside events; a QuakeML event nests about
// seven levels deep.
const maxDepth = 64

// Event is one earthquake as the file states it, normalised.
type Event struct {
	Record           int       // 1-based position of the event in the file
	Feed             string    // FeedQuakeML
	EventID          string    // the event's publicID
	OriginTime       time.Time // UTC, to the precision the file gives
	Latitude         float64   // degrees, south negative
	Longitude        float64   // degrees, west negative
	DepthKm          *float64  // nil when not stated
	Magnitude        *float64  // nil when the event has no magnitude
	MagnitudeType    string    // magnitude/type as given ("mb", "Mww"), "" when absent
	Region           string    // the chosen description text, whitespace collapsed
	TsunamiPotential string    // always ""
	FeltText         string    // always ""
	Felt             []Felt    // always nil
	Shakemap         string    // always ""
	Status           string    // the origin's evaluationMode ("manual", "automatic"), "" when absent
	EventType        string    // event/type as given ("earthquake", "explosion", "quarry blast"), "" when absent
}

// Felt is one place in a felt report. QuakeML carries none here; the type
// is kept so that every earthquake package has the same shape.
type Felt struct {
	Intensity string
	MinMMI    int
	MaxMMI    int
	Place     string
}

// Reject is an event that could not be used, and why.
type Reject struct {
	Record int
	Reason string
}

// The time window is fixed, not relative to the clock, so that parsing
// stays repeatable.
var (
	minTime = time.Date(1900, 1, 1, 0, 0, 0, 0, time.UTC)
	maxTime = time.Date(2100, 1, 1, 0, 0, 0, 0, time.UTC)
)

// check returns why e cannot be a real event, or "" when it can.
func check(e *Event) string {
	switch {
	case e.OriginTime.Before(minTime) || !e.OriginTime.Before(maxTime):
		return fmt.Sprintf("origin time %s is outside 1900..2100", e.OriginTime.Format(time.RFC3339))
	case !inRange(e.Latitude, -90, 90):
		return fmt.Sprintf("latitude %g is outside -90..90", e.Latitude)
	case !inRange(e.Longitude, -180, 180):
		return fmt.Sprintf("longitude %g is outside -180..180", e.Longitude)
	// QuakeML depths are positive down from sea level: events under
	// mountains are slightly negative (USGS reports some), so a few km
	// above sea level are real.
	case e.DepthKm != nil && (!inRange(*e.DepthKm, -10, 1000) || *e.DepthKm == 1000):
		return fmt.Sprintf("depth %g km is outside -10..<1000", *e.DepthKm)
	case e.Magnitude != nil && !inRange(*e.Magnitude, -2, 10):
		return fmt.Sprintf("magnitude %g is outside -2..10", *e.Magnitude)
	}
	return ""
}

// inRange is false for NaN, which plain comparisons would let through.
func inRange(v, lo, hi float64) bool {
	return !math.IsNaN(v) && v >= lo && v <= hi
}
