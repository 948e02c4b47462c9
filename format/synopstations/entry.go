package synopstations

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/bmkg/mkggraph/format/internal/decimal"
)

// entry converts one key and its value; a non-empty reason rejects it.
func entry(key string, raw json.RawMessage) (Station, string) {
	s := Station{WMOIndex: key}
	raw = bytes.TrimSpace(raw)
	if !isDigits(key) {
		return s, fmt.Sprintf("key %q: want a 5-digit WMO index", key)
	}
	if len(raw) == 0 || raw[0] != '{' {
		return s, fmt.Sprintf("%s: value %s is not an object", key, clip(raw))
	}
	var v struct {
		Kota json.RawMessage `json:"kota"`
		Lat  json.RawMessage `json:"lat"`
		Lon  json.RawMessage `json:"lon"`
	}
	if err := json.Unmarshal(raw, &v); err != nil {
		return s, fmt.Sprintf("%s: %v", key, err)
	}
	if len(v.Kota) > 0 && string(v.Kota) != "null" {
		if err := json.Unmarshal(v.Kota, &s.Name); err != nil {
			return s, fmt.Sprintf("%s: kota %s is not a string", key, clip(v.Kota))
		}
		s.Name = strings.TrimSpace(s.Name)
	}
	var ok bool
	if s.Latitude, ok = coordinate(v.Lat); !ok || s.Latitude < -90 || s.Latitude > 90 {
		return s, fmt.Sprintf("%s: lat %s: want decimal degrees in [-90, 90]", key, clip(v.Lat))
	}
	if s.Longitude, ok = coordinate(v.Lon); !ok || s.Longitude < -180 || s.Longitude > 180 {
		return s, fmt.Sprintf("%s: lon %s: want decimal degrees in [-180, 180]", key, clip(v.Lon))
	}
	return s, ""
}

// coordinate reads a JSON number or a string holding a decimal number.
func coordinate(raw json.RawMessage) (float64, bool) {
	var s string
	switch {
	case len(raw) == 0:
		return 0, false
	case raw[0] == '"':
		if json.Unmarshal(raw, &s) != nil {
			return 0, false
		}
		s = strings.TrimSpace(s)
	default:
		s = string(raw)
	}
	return decimal.Parse(s)
}

func isDigits(s string) bool {
	if len(s) != 5 {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// clip shortens a JSON value for an error message; a missing value shows
// as "missing".
func clip(raw json.RawMessage) string {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 {
		return "missing"
	}
	if r := []rune(string(raw)); len(r) > 40 {
		return string(r[:37]) + "..."
	}
	return string(raw)
}
