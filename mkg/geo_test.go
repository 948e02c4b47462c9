package mkg

import (
	"errors"
	"math"
	"testing"
)

func TestDistanceKm(t *testing.T) {
	jakarta, surabaya := Point{-6.2, 106.8}, Point{-7.25, 112.75}
	if d := DistanceKm(jakarta, surabaya); math.Abs(d-663) > 5 {
		t.Errorf("Jakarta-Surabaya = %.1f km, want about 663", d)
	}
	if d := DistanceKm(Point{0, 179.9}, Point{0, -179.9}); math.Abs(d-22.24) > 0.1 {
		t.Errorf("across 180° = %.2f km, want about 22.24", d)
	}
	if d := DistanceKm(Point{90, 0}, Point{-90, 0}); math.Abs(d-math.Pi*EarthRadiusKm) > 1e-6 {
		t.Errorf("pole to pole = %v", d)
	}
}

func TestCircleBoundsContainTheCircle(t *testing.T) {
	for _, c := range []Circle{
		{Point{-6.2, 106.8}, 100}, {Point{0, 179.5}, 200}, {Point{89, 10}, 300}, {Point{-2, -179.9}, 50}, {Point{10, 20}, 15000},
	} {
		b := c.Bounds()
		for bearing := 0.0; bearing < 360; bearing += 15 {
			p := destination(c.Center, bearing, c.RadiusKm*0.999)
			if !b.Contains(p) {
				t.Errorf("circle %+v: point %+v at bearing %v is outside the bounds %+v", c, p, bearing, b)
			}
		}
	}
}

// destination walks distance km from p on the given bearing.
func destination(p Point, bearingDeg, km float64) Point {
	const rad = math.Pi / 180
	d := km / EarthRadiusKm
	lat1, lon1, brg := p.Latitude*rad, p.Longitude*rad, bearingDeg*rad
	lat2 := math.Asin(math.Sin(lat1)*math.Cos(d) + math.Cos(lat1)*math.Sin(d)*math.Cos(brg))
	lon2 := lon1 + math.Atan2(math.Sin(brg)*math.Sin(d)*math.Cos(lat1), math.Cos(d)-math.Sin(lat1)*math.Sin(lat2))
	lon := math.Mod(lon2/rad+540, 360) - 180
	return Point{lat2 / rad, lon}
}

func TestBBoxValidation(t *testing.T) {
	for _, c := range []struct {
		b     BBox
		field string
	}{
		{BBox{-91, 0, 0, 1}, "f.south"}, {BBox{0, -181, 1, 1}, "f.west"}, {BBox{0, 0, 91, 1}, "f.north"},
		{BBox{0, 0, 1, 181}, "f.east"}, {BBox{5, 0, 1, 1}, "f"}, {BBox{math.NaN(), 0, 1, 1}, "f.south"},
	} {
		err := c.b.Validate("f")
		var e *Error
		if !errors.As(err, &e) || e.Code != EINVALID || e.Field != c.field {
			t.Errorf("%+v: %v, want BAD_USER_INPUT on %s", c.b, err, c.field)
		}
	}
	if err := (BBox{-11, 94, 6, 142}).Validate("f"); err != nil {
		t.Errorf("Indonesia's box: %v", err)
	}
	if !(BBox{-20, 170, -10, -170}).Contains(Point{-15, -175}) || (BBox{-20, 170, -10, -170}).Contains(Point{-15, 0}) {
		t.Error("antimeridian box")
	}
}
