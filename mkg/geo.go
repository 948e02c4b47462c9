package mkg

import "math"

// EarthRadiusKm is the mean Earth radius used for every distance in the API,
// in SQL and in Go alike, so that a radius filter and a reported distance agree.
const EarthRadiusKm = 6371.0088

// Point is a position in decimal degrees (WGS 84), south and west negative.
type Point struct {
	Latitude  float64
	Longitude float64
}

// Validate checks that p is on the globe; field names the argument for errors.
func (p Point) Validate(field string) error {
	if math.IsNaN(p.Latitude) || p.Latitude < -90 || p.Latitude > 90 {
		return Invalid(field+".latitude", "latitude %g is outside -90..90", p.Latitude)
	}
	if math.IsNaN(p.Longitude) || p.Longitude < -180 || p.Longitude > 180 {
		return Invalid(field+".longitude", "longitude %g is outside -180..180", p.Longitude)
	}
	return nil
}

// DistanceKm is the great-circle (haversine) distance between a and b.
func DistanceKm(a, b Point) float64 {
	const rad = math.Pi / 180
	dLat := (b.Latitude - a.Latitude) * rad
	dLon := (b.Longitude - a.Longitude) * rad
	h := math.Sin(dLat/2)*math.Sin(dLat/2) +
		math.Cos(a.Latitude*rad)*math.Cos(b.Latitude*rad)*math.Sin(dLon/2)*math.Sin(dLon/2)
	return 2 * EarthRadiusKm * math.Asin(math.Min(1, math.Sqrt(h)))
}

// BBox is a latitude/longitude box. A box whose West is greater than its East
// crosses the antimeridian (180°), which matters for the eastern end of
// Indonesia's neighbours in the Pacific.
type BBox struct {
	South, West, North, East float64
}

// Validate checks the box; field names the argument for errors.
func (b BBox) Validate(field string) error {
	for _, c := range []struct {
		name     string
		v, limit float64
	}{{"south", b.South, 90}, {"north", b.North, 90}, {"west", b.West, 180}, {"east", b.East, 180}} {
		if math.IsNaN(c.v) || c.v < -c.limit || c.v > c.limit {
			return Invalid(field+"."+c.name, "%s %g is outside -%g..%g", c.name, c.v, c.limit, c.limit)
		}
	}
	if b.South > b.North {
		return Invalid(field, "south (%g) is north of north (%g)", b.South, b.North)
	}
	return nil
}

// CrossesAntimeridian reports whether the box wraps past 180°.
func (b BBox) CrossesAntimeridian() bool { return b.West > b.East }

// Contains reports whether p lies in the box, edges included.
func (b BBox) Contains(p Point) bool {
	if p.Latitude < b.South || p.Latitude > b.North {
		return false
	}
	if b.CrossesAntimeridian() {
		return p.Longitude >= b.West || p.Longitude <= b.East
	}
	return p.Longitude >= b.West && p.Longitude <= b.East
}

// Circle is a point and a radius, for "within R km of" filters.
type Circle struct {
	Center   Point
	RadiusKm float64
}

// MaxRadiusKm bounds radius searches: half the Earth's circumference covers
// everything, and anything larger is a mistake worth reporting.
const MaxRadiusKm = 20038.0

// Validate checks the circle; field names the argument holding the centre
// and radiusField the one holding the radius.
func (c Circle) Validate(field, radiusField string) error {
	if err := c.Center.Validate(field); err != nil {
		return err
	}
	if math.IsNaN(c.RadiusKm) || c.RadiusKm < 0 {
		return Invalid(radiusField, "radius must not be negative (got %g)", c.RadiusKm)
	}
	if c.RadiusKm > MaxRadiusKm {
		return Invalid(radiusField, "radius %g km is larger than half the Earth's circumference (%g km)", c.RadiusKm, MaxRadiusKm)
	}
	return nil
}

// Bounds returns a box that contains the circle, used to let an index narrow
// a radius search before the exact distance is computed. Near the poles or
// for huge radii it widens to the whole band of longitudes.
func (c Circle) Bounds() BBox {
	dLat := c.RadiusKm / EarthRadiusKm * 180 / math.Pi
	south := math.Max(-90, c.Center.Latitude-dLat)
	north := math.Min(90, c.Center.Latitude+dLat)
	maxAbsLat := math.Max(math.Abs(south), math.Abs(north))
	if maxAbsLat >= 89.9 {
		return BBox{South: south, West: -180, North: north, East: 180}
	}
	dLon := dLat / math.Cos(maxAbsLat*math.Pi/180)
	if dLon >= 180 {
		return BBox{South: south, West: -180, North: north, East: 180}
	}
	west := c.Center.Longitude - dLon
	east := c.Center.Longitude + dLon
	if west < -180 {
		west += 360
	}
	if east > 180 {
		east -= 360
	}
	return BBox{South: south, West: west, North: north, East: east}
}
