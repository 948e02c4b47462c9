package rainbow

import (
	"fmt"
	"math"

	"github.com/bmkg/mkggraph/format/budget"
)

// rayAngles returns the centre angle of each of n rays: azimuths in
// [0, 360) for a PPI, elevations in (-180, 180] for an RHI.
func (v *Volume) rayAngles(data []byte, s *Sweep, n int, b *budget.Budget) ([]float64, error) {
	// Start, stop and centre angles, and the other axis of the Field.
	if err := b.ReserveN(int64(n), 4*8, "the ray angles"); err != nil {
		return nil, err
	}
	start, err := v.angles(data, s.start, n, s, b)
	if err != nil {
		return nil, err
	}
	centres := make([]float64, n)
	if s.stop != nil {
		stop, err := v.angles(data, s.stop, n, s, b)
		if err != nil {
			return nil, err
		}
		for k := range centres {
			centres[k] = start[k] + wrap180(stop[k]-start[k])/2
		}
	} else {
		step := s.step(start)
		for k := range centres {
			centres[k] = start[k] + step/2
		}
	}
	for k, a := range centres {
		if s.rhi {
			centres[k] = wrap180(a)
		} else {
			centres[k] = wrap360(a)
		}
	}
	return centres, nil
}

// angles decodes a rayinfo blob of n angles, raw*360/2^depth. A file
// without start angles gets them from <startangle> and the angle step.
func (v *Volume) angles(data []byte, r *rayRef, n int, s *Sweep, b *budget.Budget) ([]float64, error) {
	out := make([]float64, n)
	if r == nil {
		step := s.signedStep()
		if step == 0 && !s.rhi {
			step = 360 / float64(n)
		}
		for k := range out {
			out[k] = s.startDeg + float64(k)*step
		}
		return out, nil
	}
	if r.depth != 8 && r.depth != 16 && r.depth != 32 {
		return nil, fmt.Errorf("%w: ray angles of depth %d", ErrUnsupported, r.depth)
	}
	raw, err := v.payload(data, r.blobID, r.rays*r.depth/8, b)
	if err != nil {
		return nil, err
	}
	unit := 360 / math.Exp2(float64(r.depth))
	for k := range out {
		out[k] = float64(readUint(raw, r.depth, k)) * unit
	}
	return out, nil
}

// step is the signed angle between ray starts: the file's anglestep, else
// the mean step between the start angles.
func (s *Sweep) step(start []float64) float64 {
	if s.angleStep > 0 || len(start) < 2 {
		return s.signedStep()
	}
	sum := 0.0
	for k := 1; k < len(start); k++ {
		sum += wrap180(start[k] - start[k-1])
	}
	return sum / float64(len(start)-1)
}

func (s *Sweep) signedStep() float64 {
	if s.ccw {
		return -s.angleStep
	}
	return s.angleStep
}

// wrap360 maps a to [0, 360).
func wrap360(a float64) float64 {
	a = math.Mod(a, 360)
	if a < 0 {
		a += 360
	}
	if a >= 360 {
		a = 0
	}
	return a
}

// wrap180 maps a to (-180, 180].
func wrap180(a float64) float64 {
	a = wrap360(a)
	if a > 180 {
		a -= 360
	}
	return a
}
