package quicklook

import (
	"bytes"
	"errors"
	"image/color"
	"image/png"
	"math"
	"strings"
	"testing"
)

var (
	transparent = color.NRGBA{}
	gold        = rgb(0xe5bc00) // 40 dBZ
	darkRed     = rgb(0xd40000) // 55 dBZ
	green       = rgb(0x02fd02) // 20 dBZ
	red         = rgb(0xfd0000) // 50 dBZ
)

// sweep is a 1-degree, 100 km sweep of 1 km gates, every value v.
func sweep(v float32) PPI {
	p := PPI{Rays: 360, Bins: 100, GateWidthM: 1000, Azimuths: make([]float64, 360), Values: make([]float32, 360*100)}
	for i := range p.Azimuths {
		p.Azimuths[i] = float64(i) + 0.5
	}
	for i := range p.Values {
		p.Values[i] = v
	}
	return p
}

// ringAndWedge is the test picture: no data, except a 40 dBZ ring from 28
// to 32 km all round and a 55 dBZ wedge from 40 to 80 km between azimuths
// 80 and 100.
func ringAndWedge() PPI {
	p := sweep(float32(math.NaN()))
	for ray := 0; ray < p.Rays; ray++ {
		for bin := 28; bin < 32; bin++ {
			p.Values[ray*p.Bins+bin] = 40
		}
	}
	for ray := 80; ray < 100; ray++ {
		for bin := 40; bin < 80; bin++ {
			p.Values[ray*p.Bins+bin] = 55
		}
	}
	return p
}

// polar returns the pixel at azimuth az (degrees) and range km from the
// centre of an image of size pixels showing maxKm at the edge.
func polar(az, km, maxKm float64, size int) (x, y int) {
	pxPerKm := float64(size) / 2 / maxKm
	rad := az * math.Pi / 180
	x = int(math.Floor(float64(size)/2 + km*pxPerKm*math.Sin(rad)))
	y = int(math.Floor(float64(size)/2 - km*pxPerKm*math.Cos(rad)))
	return x, y
}

func TestRenderRingAndWedge(t *testing.T) {
	img, err := Render(ringAndWedge(), Reflectivity, 200)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		what   string
		az, km float64
		want   color.NRGBA
	}{
		{"ring north", 0, 30, gold},
		{"ring east", 90, 30, gold},
		{"ring south-west", 225, 30, gold},
		{"wedge east (north up: azimuth 90 is right of centre)", 90, 60, darkRed},
		{"wedge edge", 82, 45, darkRed},
		{"no data west, where a mirrored wedge would be", 270, 60, transparent},
		{"no data north", 0, 60, transparent},
		{"no data inside the ring", 45, 15, transparent},
		{"no data beside the wedge", 110, 60, transparent},
	} {
		x, y := polar(tc.az, tc.km, 100, 200)
		if got := img.NRGBAAt(x, y); got != tc.want {
			t.Errorf("%s: pixel (%d,%d) = %v, want %v", tc.what, x, y, got, tc.want)
		}
	}
}

func TestRenderRangeLimits(t *testing.T) {
	p := sweep(40)
	p.RangeStartM = 10_000 // gates from 10 to 110 km
	img, err := Render(p, Reflectivity, 220)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		what string
		x, y int
		want color.NRGBA
	}{
		{"centre, before the first gate", 110, 110, transparent},
		{"5 km north, before the first gate", 110, 104, transparent},
		{"top-right corner, beyond the last gate", 219, 0, transparent},
		{"just inside the top edge", 110, 1, gold},
		{"just inside the right edge", 218, 109, gold},
		{"on the 50 km ring", 159, 109, ringColor},
		{"on the 100 km ring", 209, 109, ringColor},
		{"between rings", 140, 109, gold},
	} {
		if got := img.NRGBAAt(tc.x, tc.y); got != tc.want {
			t.Errorf("%s: pixel (%d,%d) = %v, want %v", tc.what, tc.x, tc.y, got, tc.want)
		}
	}
}

// TestRenderNearestRay gives 5-degree rays in a scrambled order, starting
// at 200 degrees, with azimuths outside [0, 360), and a gap from 300 to 330.
// Rays from 0 to 175 are 20 dBZ, 180 to 355 are 50 dBZ.
func TestRenderNearestRay(t *testing.T) {
	var p PPI
	for k := 0; k < 72; k++ {
		az := math.Mod(200+5*float64((k*29)%72), 360) // 29 is prime to 72: a permutation
		if az > 300 && az < 330 {
			continue
		}
		v := float32(20)
		if az >= 180 {
			v = 50
		}
		switch az {
		case 355:
			az = -5
		case 5:
			az = 365
		}
		p.Azimuths = append(p.Azimuths, az)
		for bin := 0; bin < 100; bin++ {
			p.Values = append(p.Values, v)
		}
	}
	p.Rays, p.Bins, p.GateWidthM = len(p.Azimuths), 100, 1000
	img, err := Render(p, Reflectivity, 800)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		az   float64
		want color.NRGBA
	}{
		{90, green},
		{270, red},
		{177, green}, // 2 from 175, 3 from 180
		{178, red},   // 3 from 175, 2 from 180
		{359, green}, // 1 from 0 across north
		{356, red},   // 1 from 355, given as -5
		{6, green},   // 1 from 5, given as 365
		{306, red},   // 6 from 300: within 1.5 x 5
		{309, transparent},
		{315, transparent},
		{322, transparent}, // 8 from 330
		{324, red},         // 6 from 330
		{328, red},         // 2 from 330
	} {
		x, y := polar(tc.az, 80, 100, 800)
		if got := img.NRGBAAt(x, y); got != tc.want {
			t.Errorf("azimuth %v: pixel (%d,%d) = %v, want %v", tc.az, x, y, got, tc.want)
		}
	}
}

func TestRenderInvalid(t *testing.T) {
	nan, inf := math.NaN(), math.Inf(1)
	for _, tc := range []struct {
		edit func(*PPI, *Scale, *int)
		want string
	}{
		{func(p *PPI, s *Scale, n *int) { *n = 63 }, "quicklook: size out of range: 63 is not 64 to 2048 pixels"},
		{func(p *PPI, s *Scale, n *int) { *n = 2049 }, "quicklook: size out of range: 2049 is not 64 to 2048 pixels"},
		{func(p *PPI, s *Scale, n *int) { p.Rays = 0 }, "quicklook: sweep has 0 rays of 100 bins; both must be positive"},
		{func(p *PPI, s *Scale, n *int) { p.Azimuths = p.Azimuths[1:] }, "quicklook: 359 azimuths for 360 rays"},
		{func(p *PPI, s *Scale, n *int) { p.Values = p.Values[1:] }, "quicklook: 35999 values for 360 rays of 100 bins"},
		{func(p *PPI, s *Scale, n *int) { p.Bins = 99 }, "quicklook: 36000 values for 360 rays of 99 bins"},
		{func(p *PPI, s *Scale, n *int) { p.GateWidthM = 0 }, "quicklook: gate width 0 m is not a finite number above 0"},
		{func(p *PPI, s *Scale, n *int) { p.GateWidthM = nan }, "quicklook: gate width NaN m is not a finite number above 0"},
		{func(p *PPI, s *Scale, n *int) { p.GateWidthM = inf }, "quicklook: gate width +Inf m is not a finite number above 0"},
		{func(p *PPI, s *Scale, n *int) { p.RangeStartM = -1 }, "quicklook: range start -1 m is not a finite number of at least 0"},
		{func(p *PPI, s *Scale, n *int) { p.RangeStartM = nan }, "quicklook: range start NaN m is not a finite number of at least 0"},
		{func(p *PPI, s *Scale, n *int) { p.Azimuths[7] = nan }, "quicklook: azimuth of ray 7 is NaN"},
		{func(p *PPI, s *Scale, n *int) { s.Colors = nil }, "quicklook: scale has no colours"},
		{func(p *PPI, s *Scale, n *int) { s.Thresholds = s.Thresholds[1:] }, "quicklook: scale has 14 thresholds for 15 colours"},
		{func(p *PPI, s *Scale, n *int) { s.Thresholds = []float64{1, 1} }, "quicklook: scale has 2 thresholds for 15 colours"},
	} {
		p, s, size := sweep(1), Reflectivity, 100
		s.Thresholds = append([]float64(nil), s.Thresholds...)
		tc.edit(&p, &s, &size)
		img, err := Render(p, s, size)
		if err == nil || err.Error() != tc.want || img != nil {
			t.Errorf("got %v, %v; want error %q", img != nil, err, tc.want)
		}
	}
}

func TestScaleColor(t *testing.T) {
	for _, tc := range []struct {
		v    float64
		want color.NRGBA
	}{
		{math.NaN(), transparent},
		{math.Inf(-1), transparent},
		{4.99, transparent},
		{5, rgb(0x04e9e7)},
		{39.9, rgb(0xfdf802)},
		{40, gold},
		{74.9, rgb(0x9854c6)},
		{75, rgb(0xfdfdfd)},
		{math.Inf(1), rgb(0xfdfdfd)},
	} {
		if got := Reflectivity.Color(tc.v); got != tc.want {
			t.Errorf("Color(%v) = %v, want %v", tc.v, got, tc.want)
		}
	}
	if err := Reflectivity.validate(); err != nil {
		t.Error(err)
	}
}

// TestLegend checks that the legend is drawn and lies outside the range
// circle at every size, so that it never hides data.
func TestLegend(t *testing.T) {
	img, err := Render(sweep(float32(math.NaN())), Reflectivity, 64)
	if err != nil {
		t.Fatal(err)
	}
	if got := img.NRGBAAt(0, 63); got != Reflectivity.Colors[0] {
		t.Errorf("legend's first box = %v", got)
	}
	for size := MinSize; size <= MaxSize; size++ {
		n := len(Reflectivity.Colors)
		w, h := size/(4*n), size/16
		if w < 1 {
			continue
		}
		half := float64(size) / 2
		// The legend pixel nearest the centre is its top-right one.
		east, north := float64(n*w)-0.5-half, half-(float64(size-h)+0.5)
		if math.Hypot(east, north) < half {
			t.Fatalf("size %d: legend reaches into the range circle", size)
		}
	}
}

func TestEncodePNG(t *testing.T) {
	img, err := Render(ringAndWedge(), Reflectivity, 200)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := EncodePNG(&buf, img); err != nil {
		t.Fatal(err)
	}
	back, err := png.Decode(&buf)
	if err != nil {
		t.Fatal(err)
	}
	x, y := polar(90, 60, 100, 200)
	if got := color.NRGBAModel.Convert(back.At(x, y)); got != darkRed {
		t.Errorf("decoded wedge pixel = %v", got)
	}
	err = EncodePNG(failingWriter{}, img)
	if err == nil || !strings.HasPrefix(err.Error(), "quicklook: encoding PNG: ") {
		t.Errorf("error %v", err)
	}
}

type failingWriter struct{}

func (failingWriter) Write([]byte) (int, error) { return 0, errors.New("disk full") }

// BenchmarkRender draws a 360-ray, 1000-gate sweep at 800 pixels, the size
// of a typical request.
func BenchmarkRender(b *testing.B) {
	p := PPI{Rays: 360, Bins: 1000, GateWidthM: 250, Azimuths: make([]float64, 360), Values: make([]float32, 360*1000)}
	for i := range p.Azimuths {
		p.Azimuths[i] = float64(i) + 0.5
	}
	for i := range p.Values {
		p.Values[i] = float32(i%80) - 5
	}
	for b.Loop() {
		if _, err := Render(p, Reflectivity, 800); err != nil {
			b.Fatal(err)
		}
	}
}
