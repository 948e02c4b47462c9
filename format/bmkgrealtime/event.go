package bmkgrealtime

import (
	"fmt"
	"math"
	"time"
)

// FeedRealtime is the only feed this package reads.
const FeedRealtime = "realtime"

// MaxInputSize is the largest file Parse accepts. The realtime feed is a
// few hundred KB at most; the limit only bounds a hostile input.
const MaxInputSize = 64 << 20

// Event is one earthquake as the file states it, normalised.
type Event struct {
	Record           int       // 1-based position of the feature in the file
	Feed             string    // FeedRealtime
	EventID          string    // properties.id, e.g. "bmg2022suve"
	OriginTime       time.Time // UTC, to the precision the file gives
	Latitude         float64   // degrees, south negative
	Longitude        float64   // degrees, west negative
	DepthKm          *float64  // nil when not stated
	Magnitude        *float64  // nil when not stated
	MagnitudeType    string    // properties.magType when present, else ""
	Region           string    // properties.place, whitespace collapsed
	TsunamiPotential string    // always "": the feed does not carry it
	FeltText         string    // always ""
	Felt             []Felt    // always nil
	Shakemap         string    // always ""
	Status           string    // properties.status as given ("M", "A")
	Phases           *int      // properties.fase, the number of phases used; nil when absent
}

// Felt is one place in a felt report. The realtime feed has none; the type
// is kept so that every earthquake package has the same shape.
type Felt struct {
	Intensity string
	MinMMI    int
	MaxMMI    int
	Place     string
}

// Reject is a feature that could not be used, and why.
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
		return fmt.Sprintf("time %s is outside 1900..2100", e.OriginTime.Format(time.RFC3339))
	case !inRange(e.Latitude, -90, 90):
		return fmt.Sprintf("latitude %g is outside -90..90", e.Latitude)
	case !inRange(e.Longitude, -180, 180):
		return fmt.Sprintf("longitude %g is outside -180..180", e.Longitude)
	case e.DepthKm != nil && (!inRange(*e.DepthKm, 0, 1000) || *e.DepthKm == 1000):
		return fmt.Sprintf("depth %g km is outside 0..<1000", *e.DepthKm)
	case e.Magnitude != nil && !inRange(*e.Magnitude, -2, 10):
		return fmt.Sprintf("magnitude %g is outside -2..10", *e.Magnitude)
	}
	return ""
}

// inRange is false for NaN, which plain comparisons would let through.
func inRange(v, lo, hi float64) bool {
	return !math.IsNaN(v) && v >= lo && v <= hi
}
