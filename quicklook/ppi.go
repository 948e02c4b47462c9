package quicklook

import (
	"errors"
	"fmt"
	"math"
)

// PPI is one sweep of one moment in polar coordinates.
type PPI struct {
	Azimuths    []float64 // per ray, degrees clockwise from north, ray centre
	RangeStartM float64   // distance from the radar to the start of the first gate
	GateWidthM  float64
	Rays, Bins  int
	Values      []float32 // Rays*Bins, row-major by ray; NaN = no data
}

// MaxRangeM is the distance to the far end of the last gate, which Render
// puts at the edge of the image.
func (p PPI) MaxRangeM() float64 {
	return p.RangeStartM + float64(p.Bins)*p.GateWidthM
}

func (p PPI) validate() error {
	if p.Rays <= 0 || p.Bins <= 0 {
		return fmt.Errorf("quicklook: sweep has %d rays of %d bins; both must be positive", p.Rays, p.Bins)
	}
	if len(p.Azimuths) != p.Rays {
		return fmt.Errorf("quicklook: %d azimuths for %d rays", len(p.Azimuths), p.Rays)
	}
	// Compare by division so that a huge Rays*Bins cannot overflow.
	if len(p.Values)%p.Bins != 0 || len(p.Values)/p.Bins != p.Rays {
		return fmt.Errorf("quicklook: %d values for %d rays of %d bins", len(p.Values), p.Rays, p.Bins)
	}
	if !(p.GateWidthM > 0) || math.IsInf(p.GateWidthM, 0) {
		return fmt.Errorf("quicklook: gate width %v m is not a finite number above 0", p.GateWidthM)
	}
	if !(p.RangeStartM >= 0) || math.IsInf(p.MaxRangeM(), 0) {
		return fmt.Errorf("quicklook: range start %v m is not a finite number of at least 0", p.RangeStartM)
	}
	for i, a := range p.Azimuths {
		if math.IsNaN(a) || math.IsInf(a, 0) {
			return fmt.Errorf("quicklook: azimuth of ray %d is %v", i, a)
		}
	}
	return nil
}

// Image size limits for Render, in pixels.
const (
	MinSize = 64
	MaxSize = 2048
)

var errSize = errors.New("quicklook: size out of range")

func checkSize(size int) error {
	if size < MinSize || size > MaxSize {
		return fmt.Errorf("%w: %d is not %d to %d pixels", errSize, size, MinSize, MaxSize)
	}
	return nil
}
