// Package radar holds what the radar volume formats (cfradial, rainbow,
// wdss2) return alike: a sweep's description, what a moment measures, and a
// decoded sweep for rendering.
package radar

import "time"

// Field is one moment of one sweep, decoded: Values holds Rays×Bins values,
// ray by ray, NaN where the file marks a gate missing, the radar measured
// nothing or the echo was range folded.
type Field struct {
	// Azimuths holds each ray's centre azimuth in degrees [0, 360), in the
	// order the antenna swept them; for an RHI every ray has the fixed
	// azimuth.
	Azimuths []float64
	// Elevation is the fixed elevation of a PPI sweep; for an RHI it is 0
	// and Elevations holds each ray's.
	Elevation   float64
	Elevations  []float64 // per ray, degrees; nil when the format gives only Elevation
	RangeStartM float64
	GateWidthM  float64
	Rays, Bins  int
	Values      []float32
	Units       string
}

// Sweep is what every radar volume format says about one sweep: a run of
// rays at one fixed angle.
type Sweep struct {
	Start      time.Time
	FixedAngle float64 // elevation (PPI, volume) or azimuth (RHI), degrees
	Mode       string  `json:",omitempty"` // CfRadial's sweep_mode; "" where the format names none
	Rays, Bins int
	// RangeStartM is the near edge of the first bin; bin k spans
	// [RangeStartM + k*RangeResolutionM, RangeStartM + (k+1)*RangeResolutionM).
	RangeStartM      float64
	RangeResolutionM float64
}

// Site is where a volume was recorded and with what beam, as the
// volume formats (CfRadial, Rainbow) say it.
type Site struct {
	SiteCode, SiteName             string
	Latitude, Longitude, AltitudeM float64
	BeamWidthDeg                   *float64 // nil when the file does not say
}

// Moment says what a sweep measures.
type Moment struct {
	Name     string // as the file names it, e.g. "DBZH" or a WDSS-II TypeName
	Quantity string // the ODIM-H5 quantity, "" when unknown
	Units    string
}
