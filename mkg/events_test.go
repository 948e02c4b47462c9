package mkg

import (
	"testing"
)

func TestEarthquakeWatch(t *testing.T) {
	m := func(v float64) *float64 { return &v }
	at := func(lat, lon float64, mag *float64) *EarthquakeChange {
		return &EarthquakeChange{Latitude: lat, Longitude: lon, Magnitude: mag}
	}
	w := EarthquakeWatch{MinMagnitude: m(5), BBox: &BBox{South: -11, West: 94, North: 6, East: 142},
		Near: &Circle{Center: Point{-6.2, 106.8}, RadiusKm: 500}}
	for _, c := range []struct {
		c    *EarthquakeChange
		want bool
	}{
		{at(-6.9, 107.6, m(5.5)), true},  // Bandung: near Jakarta, in the box, strong enough
		{at(-6.9, 107.6, m(4.9)), false}, // too weak
		{at(-6.9, 107.6, nil), false},    // no magnitude
		{at(-8.7, 115.2, m(6)), false},   // Bali: in the box, too far
		{at(35.7, 139.7, m(7)), false},   // Tokyo: outside the box
		{nil, false},
	} {
		if got := w.Matches(c.c); got != c.want {
			t.Errorf("%+v: %v, want %v", c.c, got, c.want)
		}
	}
	if !(EarthquakeWatch{}).Matches(at(0, 0, nil)) {
		t.Error("an empty filter refuses an event")
	}
	for _, c := range []struct {
		w     EarthquakeWatch
		field string
	}{
		{EarthquakeWatch{MinMagnitude: m(11)}, "filter.minMagnitude"},
		{EarthquakeWatch{BBox: &BBox{South: -95, North: 0}}, "filter.bbox.south"},
		{EarthquakeWatch{Near: &Circle{Center: Point{0, 0}, RadiusKm: -1}}, "filter.radiusKm"},
	} {
		err := c.w.Validate("filter")
		if e, ok := err.(*Error); !ok || e.Code != EINVALID || e.Field != c.field {
			t.Errorf("%+v: %v, want BAD_USER_INPUT at %s", c.w, err, c.field)
		}
	}
}

func TestObservationWatch(t *testing.T) {
	w := ObservationWatch{WMOIndexes: []string{"96749"}}
	if !w.MatchesStation("96749") || w.MatchesStation("96745") || !(ObservationWatch{}).MatchesStation("1") {
		t.Error("station matching")
	}
	err := ObservationWatch{WMOIndexes: []string{"96749", "9674x"}}.Validate("filter")
	if e, ok := err.(*Error); !ok || e.Field != "filter.wmoIndexes[1]" {
		t.Errorf("bad WMO index: %v", err)
	}
}
