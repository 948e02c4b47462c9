package repogempa

import (
	"fmt"
	"math"
	"time"
)

// FeedRepogempa is the only feed this package reads.
const FeedRepogempa = "repogempa"

// MaxInputSize is the largest page Parse accepts. A busy day is well under
// 1 MB; the limit only bounds a hostile input.
const MaxInputSize = 64 << 20

// Event is one earthquake as the page states it, normalised.
type Event struct {
	Record           int       // 1-based position of the row among the page's data rows
	Feed             string    // FeedRepogempa
	EventID          string    // always "": the page carries no event id
	OriginTime       time.Time // UTC, to the precision the page gives (milliseconds)
	Latitude         float64   // degrees, south negative
	Longitude        float64   // degrees, west negative
	DepthKm          *float64  // nil when not stated
	Magnitude        *float64  // nil when not stated
	MagnitudeType    string    // "" unless the MT column names a magnitude scale
	Region           string    // the link text (else the link's remark), whitespace collapsed
	TsunamiPotential string    // always ""
	FeltText         string    // always ""
	Felt             []Felt    // always nil
	Shakemap         string    // always ""
	Status           string    // the link's status unless it is "unset"
	FocalMechanism   bool      // the MT column links to a focal mechanism (viewfm.php)
}

// Felt is one place in a felt report. The repository pages have none; the
// type is kept so that every earthquake package has the same shape.
type Felt struct {
	Intensity string
	MinMMI    int
	MaxMMI    int
	Place     string
}

// Reject is a row that could not be used, and why.
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
