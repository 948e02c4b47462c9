package quake

import (
	"math"
	"strings"
	"testing"
	"time"
)

func TestCheck(t *testing.T) {
	at := time.Date(2021, 10, 5, 11, 0, 27, 0, time.UTC)
	f := func(v float64) *float64 { return &v }
	tests := []struct {
		name       string
		e          Event
		shallowest float64
		want       string // "" when e is a real event
	}{
		{"real", Event{OriginTime: at, Latitude: -8.15, Longitude: 118.1, DepthKm: f(20), Magnitude: f(4.5)}, BelowSurface, ""},
		{"nothing optional", Event{OriginTime: at}, BelowSurface, ""},
		{"1900 is in", Event{OriginTime: minTime}, BelowSurface, ""},
		{"before 1900", Event{OriginTime: minTime.Add(-time.Second)}, BelowSurface, "origin time 1899-12-31T23:59:59Z is outside 1900..2100"},
		{"2100 is out", Event{OriginTime: maxTime}, BelowSurface, "outside 1900..2100"},
		{"latitude", Event{OriginTime: at, Latitude: 95}, BelowSurface, "latitude 95 is outside -90..90"},
		{"latitude NaN", Event{OriginTime: at, Latitude: math.NaN()}, BelowSurface, "latitude NaN"},
		{"longitude", Event{OriginTime: at, Longitude: -180.5}, BelowSurface, "longitude -180.5 is outside -180..180"},
		{"depth under ground", Event{OriginTime: at, DepthKm: f(-5)}, BelowSurface, "depth -5 km is outside 0..<1000"},
		{"depth above sea level", Event{OriginTime: at, DepthKm: f(-5)}, BelowSeaLevel, ""},
		{"depth above a mountain", Event{OriginTime: at, DepthKm: f(-10.5)}, BelowSeaLevel, "depth -10.5 km is outside -10..<1000"},
		{"depth 1000", Event{OriginTime: at, DepthKm: f(1000)}, BelowSurface, "depth 1000 km"},
		{"depth NaN", Event{OriginTime: at, DepthKm: f(math.NaN())}, BelowSeaLevel, "depth NaN km"},
		{"magnitude", Event{OriginTime: at, Magnitude: f(10.1)}, BelowSurface, "magnitude 10.1 is outside -2..10"},
		{"magnitude -2 is in", Event{OriginTime: at, Magnitude: f(-2)}, BelowSurface, ""},
	}
	for _, tt := range tests {
		err := Check(&tt.e, tt.shallowest)
		switch {
		case tt.want == "" && err != nil:
			t.Errorf("%s: %v", tt.name, err)
		case tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)):
			t.Errorf("%s: %v, want %q", tt.name, err, tt.want)
		}
	}
}
