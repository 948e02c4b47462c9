package quicklook

import (
	"encoding/binary"
	"math"
	"testing"
)

// FuzzRender checks that no sweep makes Render panic: azimuths and values
// come from the fuzzer's bytes, eight and four at a time, and so do odd
// gate geometries.
func FuzzRender(f *testing.F) {
	f.Add(uint8(4), uint8(3), 0.0, 1000.0, []byte{0, 0, 0, 0, 0, 0, 0x56, 0x40, 0x20, 0x42})
	f.Add(uint8(1), uint8(1), 5e5, 1e-300, []byte{0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xf8, 0x7f})
	f.Fuzz(func(t *testing.T, rays, bins uint8, start, gate float64, data []byte) {
		p := PPI{Rays: int(rays), Bins: int(bins), RangeStartM: start, GateWidthM: gate}
		for i := 0; i < p.Rays; i++ {
			p.Azimuths = append(p.Azimuths, math.Float64frombits(binary.LittleEndian.Uint64(pad(data, i*8, 8))))
		}
		for i := 0; i < p.Rays*p.Bins; i++ {
			p.Values = append(p.Values, math.Float32frombits(binary.LittleEndian.Uint32(pad(data, i*4, 4))))
		}
		img, err := Render(p, Reflectivity, MinSize)
		if (err == nil) != (img != nil) {
			t.Fatalf("image %v with error %v", img != nil, err)
		}
	})
}

// pad returns n bytes of data from off, wrapping around and zero when data
// is empty.
func pad(data []byte, off, n int) []byte {
	b := make([]byte, n)
	for i := range b {
		if len(data) > 0 {
			b[i] = data[(off+i)%len(data)]
		}
	}
	return b
}
