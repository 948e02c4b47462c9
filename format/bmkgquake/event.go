package bmkgquake

import (
	"fmt"
	"math"
	"time"
)

// Feed names, as stored in Event.Feed. The feed is recognised from the
// content, never from a file name.
const (
	FeedAutogempa      = "autogempa"
	FeedGempaterkini   = "gempaterkini"
	FeedGempadirasakan = "gempadirasakan"
)

// MaxInputSize is the largest file Parse accepts. Real feeds are a few KB;
// the limit only keeps a hostile input from costing unbounded memory.
const MaxInputSize = 64 << 20

// maxDepth bounds XML nesting; the real feeds nest four levels deep.
const maxDepth = 32

// Event is one earthquake as the file states it, normalised.
type Event struct {
	Record           int       // 1-based position of the record in the file
	Feed             string    // FeedAutogempa, FeedGempaterkini or FeedGempadirasakan
	Legacy           bool      // true for the pre-2021 layout
	EventID          string    // always "": these feeds carry no event id
	OriginTime       time.Time // UTC, to the precision the file gives
	Latitude         float64   // degrees, south negative
	Longitude        float64   // degrees, west negative
	DepthKm          *float64  // nil when not stated
	Magnitude        *float64  // nil when not stated
	MagnitudeType    string    // "" unless the file states a type ("SR" is not one)
	Region           string    // Wilayah, legacy Wilayah1 or Keterangan, whitespace collapsed
	Nearby           []string  // legacy autogempa Wilayah2..Wilayah5, nil otherwise
	TsunamiPotential string    // Potensi as given, "" when absent
	FeltText         string    // Dirasakan exactly as given, trimmed
	Felt             []Felt    // Dirasakan parsed into places
	Shakemap         string    // Shakemap file name as given
	Status           string    // always "": these feeds carry no review status
}

// Felt is one place in a felt report.
type Felt struct {
	Intensity string // MMI as a roman numeral or range without spaces, e.g. "II-III"
	MinMMI    int    // 1..12
	MaxMMI    int    // 1..12, >= MinMMI
	Place     string
}

// Reject is a record that could not be used, and why.
type Reject struct {
	Record int
	Reason string
}

// Bounds outside which a value cannot be a real hypocentre. The time window
// is fixed, not relative to the clock, so that parsing stays repeatable.
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
