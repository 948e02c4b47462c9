package rainbow

import (
	"encoding/binary"
	"fmt"
	"math"

	"github.com/bmkg/mkggraph/format/budget"
)

// Decode decodes moment (its Name, e.g. "dBZ", or its Quantity, e.g.
// "DBZH") of sweep i. data must be the file v was parsed from. The blob is
// inflated to exactly rays*bins*depth/8 bytes; a stream that inflates to
// more or less is refused.
func (v *Volume) Decode(data []byte, i int, moment string) (*Field, error) {
	f, err := v.decode(data, i, moment)
	if err != nil {
		return nil, fmt.Errorf("rainbow: %w", err)
	}
	return f, nil
}

func (v *Volume) decode(data []byte, i int, name string) (*Field, error) {
	if len(data) != v.fileSize {
		return nil, fmt.Errorf("data is %d bytes, the volume was parsed from %d", len(data), v.fileSize)
	}
	if i < 0 || i >= len(v.Sweeps) {
		return nil, fmt.Errorf("no sweep %d (the volume has %d)", i, len(v.Sweeps))
	}
	s := &v.Sweeps[i]
	m, err := s.moment(name)
	if err != nil {
		return nil, err
	}
	b := budget.New(int64(len(data)), MemoryFactor)
	raw, err := v.payload(data, m.BlobID, m.rays*m.bins*m.Depth/8, b)
	if err != nil {
		return nil, err
	}
	if err := b.ReserveN(int64(m.rays)*int64(m.bins), 4, "the decoded sweep"); err != nil {
		return nil, err
	}
	angles, err := v.rayAngles(data, s, m.rays, b)
	if err != nil {
		return nil, err
	}
	f := &Field{
		RangeStartM: s.RangeStartM,
		GateWidthM:  s.RangeResolutionM,
		Rays:        m.rays,
		Bins:        m.bins,
		Values:      m.scale(raw),
		Units:       m.Units,
	}
	setAngles(f, s, angles)
	return f, nil
}

// moment finds a decodable moment by name, else by quantity.
func (s *Sweep) moment(name string) (*Moment, error) {
	var m *Moment
	for i := range s.Moments {
		if s.Moments[i].Name == name {
			m = &s.Moments[i]
			break
		}
		if m == nil && name != "" && s.Moments[i].Quantity == name {
			m = &s.Moments[i]
		}
	}
	switch {
	case m == nil:
		return nil, fmt.Errorf("sweep has no moment %q", name)
	case m.Depth != 8 && m.Depth != 16 && m.Depth != 32:
		return nil, fmt.Errorf("%w: %s has depth %d (only 8, 16, 32)", ErrUnsupported, m.Name, m.Depth)
	case !m.hasRange:
		return nil, fmt.Errorf("%w: %s has no min and max to scale by", ErrUnsupported, m.Name)
	}
	return m, nil
}

// payload returns the want bytes of data held by blob id.
func (v *Volume) payload(data []byte, id, want int, bud *budget.Budget) ([]byte, error) {
	b, ok := v.blobs[id]
	if !ok || b.off+b.size > len(data) {
		return nil, fmt.Errorf("%w: blob %d is missing", ErrTruncated, id)
	}
	p := data[b.off : b.off+b.size]
	if b.compressed {
		return inflate(id, p, want, bud)
	}
	if len(p) != want {
		return nil, fmt.Errorf("%w: blob %d holds %d bytes, header declares %d", ErrCorrupt, id, len(p), want)
	}
	return p, nil
}

// scale maps raw values to physical ones: raw 0 is no data, 1 is Min and
// 2^depth-1 is Max.
func (m *Moment) scale(raw []byte) []float32 {
	step := (m.Max - m.Min) / (math.Exp2(float64(m.Depth)) - 2)
	out := make([]float32, m.rays*m.bins)
	for k := range out {
		r := readUint(raw, m.Depth, k)
		if r == 0 {
			out[k] = float32(math.NaN())
			continue
		}
		out[k] = float32(m.Min + float64(r-1)*step)
	}
	return out
}

// readUint reads the k-th big-endian value of depth 8, 16 or 32 bits.
func readUint(b []byte, depth, k int) uint32 {
	switch depth {
	case 8:
		return uint32(b[k])
	case 16:
		return uint32(binary.BigEndian.Uint16(b[2*k:]))
	default:
		return binary.BigEndian.Uint32(b[4*k:])
	}
}

// setAngles places the ray centres: azimuths for a PPI, elevations for an
// RHI, the fixed angle filling the other.
func setAngles(f *Field, s *Sweep, centres []float64) {
	fixed := make([]float64, len(centres))
	if s.rhi {
		for k := range fixed {
			fixed[k] = wrap360(s.FixedAngle)
		}
		f.Azimuths, f.Elevations = fixed, centres
		return
	}
	for k := range fixed {
		fixed[k] = s.FixedAngle
	}
	f.Azimuths, f.Elevations, f.Elevation = centres, fixed, s.FixedAngle
}
