package strongmotion

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"time"

	"github.com/bmkg/mkggraph/format/budget"
)

// Event is an event.json descriptor as USGS gmprocess writes them beside
// its test recordings: {"id", "time", "lat", "lon", "depth", "magnitude"}
// and sometimes "magnitude_type".
type Event struct {
	ID            string
	Time          time.Time // UTC
	Lat, Lon      float64   // degrees
	DepthKm       float64
	Magnitude     float64
	MagnitudeType string `json:",omitempty"`
}

// maxEventSize bounds an event.json; real ones are a few hundred bytes.
const maxEventSize = 1 << 16

// ReadEvent parses an event.json descriptor. Times without a zone are UTC.
//
// Values are returned as the file states them. In particular the
// nc72282711 (South Napa) sample gives "lon": 122.312 where the epicentre is
// at −122.312: ReadEvent does not guess at such slips, so callers that
// compare with station coordinates should check the distance is plausible.
func ReadEvent(data []byte) (Event, error) {
	if err := budget.CheckSize("strongmotion: event file", int64(len(data)), maxEventSize); err != nil {
		return Event{}, err
	}
	var raw struct {
		ID            string   `json:"id"`
		Time          string   `json:"time"`
		Lat           *float64 `json:"lat"`
		Lon           *float64 `json:"lon"`
		Depth         *float64 `json:"depth"`
		Magnitude     *float64 `json:"magnitude"`
		MagnitudeType string   `json:"magnitude_type"`
	}
	if err := json.Unmarshal(data, &raw); err != nil {
		return Event{}, fmt.Errorf("strongmotion: event: %w", err)
	}
	if raw.ID == "" || raw.Time == "" || raw.Lat == nil || raw.Lon == nil || raw.Depth == nil || raw.Magnitude == nil {
		return Event{}, errors.New("strongmotion: event: id, time, lat, lon, depth and magnitude are all required")
	}
	t, err := parseEventTime(raw.Time)
	if err != nil {
		return Event{}, err
	}
	e := Event{ID: raw.ID, Time: t, Lat: *raw.Lat, Lon: *raw.Lon, DepthKm: *raw.Depth,
		Magnitude: *raw.Magnitude, MagnitudeType: raw.MagnitudeType}
	if !(math.Abs(e.Lat) <= 90) || !(math.Abs(e.Lon) <= 180) {
		return Event{}, fmt.Errorf("strongmotion: event %s: position %v,%v out of range", e.ID, e.Lat, e.Lon)
	}
	if math.IsNaN(e.DepthKm) || math.IsNaN(e.Magnitude) {
		return Event{}, fmt.Errorf("strongmotion: event %s: depth or magnitude not a number", e.ID)
	}
	return e, nil
}

func parseEventTime(s string) (time.Time, error) {
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05.999999999"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, fmt.Errorf("strongmotion: event time %q is not ISO 8601", s)
}
