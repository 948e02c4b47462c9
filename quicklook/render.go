package quicklook

import (
	"image"
	"image/color"
	"math"
)

// Render draws the sweep on a size x size image, radar at the centre, north
// up, using scale s. See the package documentation for what is drawn.
func Render(p PPI, s Scale, size int) (*image.NRGBA, error) {
	if err := p.validate(); err != nil {
		return nil, err
	}
	if err := s.validate(); err != nil {
		return nil, err
	}
	if err := checkSize(size); err != nil {
		return nil, err
	}
	img := image.NewNRGBA(image.Rect(0, 0, size, size))
	v := newView(p, size)
	rays := newRayIndex(p.Azimuths)
	for y := 0; y < size; y++ {
		for x := 0; x < size; x++ {
			if c := v.pixel(p, s, rays, x, y); c.A != 0 {
				img.SetNRGBA(x, y, c)
			}
		}
	}
	drawLegend(img, s)
	return img, nil
}

// ringSpacingM is the distance between range rings.
const ringSpacingM = 50_000

var ringColor = color.NRGBA{R: 0x80, G: 0x80, B: 0x80, A: 0xff}

// view is the mapping from pixels to the sweep's polar coordinates.
type view struct {
	half     float64 // pixels from the centre to the edge
	mPerPx   float64
	maxRange float64
	rings    bool
}

func newView(p PPI, size int) view {
	half := float64(size) / 2
	mPerPx := p.MaxRangeM() / half
	return view{half: half, mPerPx: mPerPx, maxRange: p.MaxRangeM(), rings: ringSpacingM/mPerPx >= 4}
}

// pixel is the colour of pixel (x, y): a range ring, the value of the gate
// under the pixel's centre on the nearest ray, or transparent.
func (v view) pixel(p PPI, s Scale, rays rayIndex, x, y int) color.NRGBA {
	east := float64(x) + 0.5 - v.half
	north := v.half - (float64(y) + 0.5)
	r := math.Hypot(east, north) * v.mPerPx
	if r >= v.maxRange {
		return color.NRGBA{}
	}
	if v.onRing(r) {
		return ringColor
	}
	gate := (r - p.RangeStartM) / p.GateWidthM
	if gate < 0 || int(gate) >= p.Bins {
		return color.NRGBA{}
	}
	ray, ok := rays.nearest(norm(math.Atan2(east, north) * 180 / math.Pi))
	if !ok {
		return color.NRGBA{}
	}
	return s.Color(float64(p.Values[ray*p.Bins+int(gate)]))
}

// onRing reports whether range r lies within half a pixel of a range ring.
func (v view) onRing(r float64) bool {
	if !v.rings {
		return false
	}
	k := math.Round(r / ringSpacingM)
	return k >= 1 && math.Abs(r-k*ringSpacingM) < v.mPerPx/2
}

// drawLegend puts one box per colour of s in the bottom-left corner. With
// boxes at most size/4 wide in all and size/16 high, every legend pixel is
// outside the range circle (size/4)² + (size/2 - size/16)² > (size/2)², so
// the legend hides no data.
func drawLegend(img *image.NRGBA, s Scale) {
	size := img.Bounds().Dx()
	w, h := size/(4*len(s.Colors)), size/16
	if w < 1 {
		return
	}
	for i, c := range s.Colors {
		box := image.Rect(i*w, size-h, (i+1)*w, size)
		for y := box.Min.Y; y < box.Max.Y; y++ {
			for x := box.Min.X; x < box.Max.X; x++ {
				img.SetNRGBA(x, y, c)
			}
		}
	}
}
