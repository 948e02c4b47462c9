package dataonline

import (
	"time"

	"github.com/bmkg/mkggraph/format/reject"
)

// MaxInputSize is the largest input Parse accepts. A ten-year export is
// well under 1 MB; the limit only keeps a hostile upload from costing
// memory.
const MaxInputSize = 32 << 20

// Station is the station block at the top of an export. Coordinates are
// nil when the file does not state them: the CSV form has no station block.
type Station struct {
	WMO                             string
	Name                            string
	Latitude, Longitude, ElevationM *float64
}

// Flag says why a Value has no number.
type Flag string

const (
	FlagValue         Flag = ""               // V holds the measurement
	FlagNotMeasurable Flag = "NOT_MEASURABLE" // BMKG code 8888, e.g. trace rain
	FlagNoData        Flag = "NO_DATA"        // BMKG code 9999, nothing was measured
	FlagMissing       Flag = "MISSING"        // empty cell, or the file has no such column
)

// Value is one daily measurement. V is nil unless Flag is FlagValue.
type Value struct {
	V    *float64
	Flag Flag
}

// Day is one row of an export. Parameters the file has no column for are
// MISSING; Present tells them apart from empty cells.
type Day struct {
	Date time.Time // 00:00 UTC of the local calendar date; no zone conversion

	Tn, Tx, Tavg Value // °C
	RHAvg        Value // %
	RR           Value // mm
	SS           Value // hours of sunshine
	FFX          Value // m/s
	DDDX         Value // degrees, direction at FFX
	FFAvg        Value // m/s

	DDDCar     string // most frequent direction: N, NE, E, SE, S, SW, W, NW, C (calm); "" unless DDDCarFlag is FlagValue
	DDDCarFlag Flag

	// Present names the parameters the file has columns for, in the order
	// Tn, Tx, Tavg, RH_avg, RR, ss, ff_x, ddd_x, ff_avg, ddd_car. All days
	// of one file share this slice; do not modify it.
	Present []string
	Row     int // 1-based sheet row (xlsx) or line (CSV)
}

// File is everything read from one export.
type File struct {
	Station Station
	Days    []Day
	Rejects []reject.Reject
	Format  string // "xlsx" or "csv"
}
