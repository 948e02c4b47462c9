// Package quake is the earthquake record that every earthquake format
// returns (bmkgquake, bmkgrealtime, repogempa, quakeml), and the checks
// that keep out of it a value no real hypocentre can have. A format fills
// the fields its files state and leaves the others at their zero value;
// each format's package comment says where each field comes from.
package quake

import (
	"fmt"
	"math"
	"time"
)

// Event is one earthquake as a file states it, normalised: UTC times,
// signed decimal degrees, depth in km.
type Event struct {
	Record           int       // 1-based position in the file of the record, feature, row or event
	Feed             string    // which feed the format recognised (its Feed constants)
	Legacy           bool      // the feed's pre-2021 layout (bmkgquake only)
	EventID          string    // the event id the file gives; "" when the feed carries none
	OriginTime       time.Time // UTC, to the precision the file gives
	Latitude         float64   // degrees, south negative
	Longitude        float64   // degrees, west negative
	DepthKm          *float64  // nil when not stated
	Magnitude        *float64  // nil when not stated
	MagnitudeType    string    // "" unless the file names a magnitude scale
	Region           string    // the place the file names, whitespace collapsed
	Nearby           []string  // further places named after Region (legacy autogempa), nil otherwise
	TsunamiPotential string    // the tsunami statement as given, "" when absent
	FeltText         string    // the felt report exactly as given, trimmed
	Felt             []Felt    // FeltText parsed into places
	Shakemap         string    // the ShakeMap image's file name as given
	Status           string    // the review status as the feed gives it, "" when absent
	Phases           *int      // the number of phases used, nil when not stated
	FocalMechanism   bool      // the file links the event to its focal mechanism
	EventType        string    // the catalogue's event type ("earthquake", "explosion"), "" when absent
}

// Felt is one place in a felt report.
type Felt struct {
	Intensity string // MMI as a roman numeral or range without spaces, e.g. "II-III"
	MinMMI    int    // 1..12
	MaxMMI    int    // 1..12, >= MinMMI
	Place     string
}

// The shallowest depth a real hypocentre can have depends on what a
// format measures depth from.
const (
	// BelowSurface is for depths under the ground, as BMKG's feeds give
	// them: never negative.
	BelowSurface = 0.0
	// BelowSeaLevel is for depths under sea level, as QuakeML gives them:
	// events under mountains are slightly negative (USGS reports some), so
	// a few km above sea level are real.
	BelowSeaLevel = -10.0
)

// The time window is fixed, not relative to the clock, so that parsing
// stays repeatable.
var (
	minTime = time.Date(1900, 1, 1, 0, 0, 0, 0, time.UTC)
	maxTime = time.Date(2100, 1, 1, 0, 0, 0, 0, time.UTC)
)

// Check returns why e cannot be a real event, or nil when it can.
// shallowest is BelowSurface or BelowSeaLevel, by what the format
// measures depth from.
func Check(e *Event, shallowest float64) error {
	switch {
	case e.OriginTime.Before(minTime) || !e.OriginTime.Before(maxTime):
		return fmt.Errorf("origin time %s is outside 1900..2100", e.OriginTime.Format(time.RFC3339))
	case !inRange(e.Latitude, -90, 90):
		return fmt.Errorf("latitude %g is outside -90..90", e.Latitude)
	case !inRange(e.Longitude, -180, 180):
		return fmt.Errorf("longitude %g is outside -180..180", e.Longitude)
	case e.DepthKm != nil && (!inRange(*e.DepthKm, shallowest, 1000) || *e.DepthKm == 1000):
		return fmt.Errorf("depth %g km is outside %g..<1000", *e.DepthKm, shallowest)
	case e.Magnitude != nil && !inRange(*e.Magnitude, -2, 10):
		return fmt.Errorf("magnitude %g is outside -2..10", *e.Magnitude)
	}
	return nil
}

// inRange is false for NaN, which plain comparisons would let through.
func inRange(v, lo, hi float64) bool {
	return !math.IsNaN(v) && v >= lo && v <= hi
}
