package wdss2

import (
	"errors"
	"fmt"
	"io"
	"math"
	"time"

	"github.com/bmkg/mkggraph/format/radar"
)

// MaxCells bounds Rays*Bins. A sparse file can claim a large grid in a few
// bytes, so the limit is applied before the grid is allocated.
const MaxCells = 1 << 24

// ErrNotRadialSet is returned for netCDF files that are not WDSS-II radial
// sets: other WDSS-II types (LatLonGrid, ...) and files without a DataType.
var ErrNotRadialSet = errors.New("wdss2: not a WDSS-II radial set")

// Sweep is the metadata of one radar sweep.
type Sweep struct {
	SiteCode                       string // radarName-value
	Latitude, Longitude, AltitudeM float64
	BeamWidthDeg                   *float64 // nil unless the beam width is the same for every ray or given as an attribute
	Start                          time.Time
	ElevationDeg                   float64
	Moment                         Moment
	Rays, Bins                     int
	RangeStartM, RangeResolutionM  float64
	Azimuths                       []float64 // degrees, one per ray, in file order
}

// Moment says what the sweep measures: Name is the WDSS-II TypeName, Units
// the data variable's Units attribute.
type Moment = radar.Moment

// Field is a decoded sweep.
type Field = radar.Field

// Parse reads the metadata of the radial set in r, of the given size.
func Parse(r io.ReaderAt, size int64) (*Sweep, error) {
	_, s, err := openSweep(r, size)
	return s, err
}

// openSweep opens the radial set in r and reads its metadata.
func openSweep(r io.ReaderAt, size int64) (*radialSet, *Sweep, error) {
	rs, err := open(r, size)
	if err != nil {
		return nil, nil, err
	}
	s, err := rs.sweep()
	if err != nil {
		return nil, nil, fmt.Errorf("wdss2: %w", err)
	}
	return rs, s, nil
}

// Decode reads the radial set in r, values included.
func Decode(r io.ReaderAt, size int64) (*Field, error) {
	rs, s, err := openSweep(r, size)
	if err != nil {
		return nil, err
	}
	values, err := rs.values()
	if err != nil {
		return nil, fmt.Errorf("wdss2: %w", err)
	}
	return &Field{
		Azimuths: s.Azimuths, Elevation: s.ElevationDeg,
		RangeStartM: s.RangeStartM, GateWidthM: s.RangeResolutionM,
		Rays: s.Rays, Bins: s.Bins, Values: values, Units: s.Moment.Units,
	}, nil
}

func (rs *radialSet) sweep() (*Sweep, error) {
	s := &Sweep{Rays: rs.rays, Bins: rs.bins, SiteCode: rs.siteCode()}
	var err error
	if s.Latitude, s.Longitude, s.AltitudeM, err = rs.location(); err != nil {
		return nil, err
	}
	if s.Start, err = rs.start(); err != nil {
		return nil, err
	}
	if s.ElevationDeg, err = rs.elevation(); err != nil {
		return nil, err
	}
	if s.Azimuths, err = rs.azimuths(); err != nil {
		return nil, err
	}
	if s.RangeStartM, s.RangeResolutionM, err = rs.gates(); err != nil {
		return nil, err
	}
	if s.BeamWidthDeg, err = rs.beamWidth(); err != nil {
		return nil, err
	}
	s.Moment = Moment{Name: rs.typeName, Quantity: Quantity(rs.typeName), Units: rs.units()}
	return s, nil
}

func finite(x float64) bool { return !math.IsNaN(x) && !math.IsInf(x, 0) }
