package bmkgrealtime

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/bmkg/mkggraph/format/budget"
	"github.com/bmkg/mkggraph/format/internal/jsontext"
	"github.com/bmkg/mkggraph/format/internal/sniff"
	"github.com/bmkg/mkggraph/format/quake"
	"github.com/bmkg/mkggraph/format/reject"
)

// Detect reports whether head, the first few KB of a file, looks like the
// BMKG realtime GeoJSON: a JSON object with features and BMKG's own
// properties ("fase", or ids starting "bmg").
func Detect(head []byte) bool {
	head = sniff.Head(head, sniff.Len)
	if len(head) == 0 || head[0] != '{' || !bytes.Contains(head, []byte("Feature")) {
		return false
	}
	return bytes.Contains(head, []byte(`"fase"`)) || bytes.Contains(head, []byte(`"bmg`))
}

// Parse reads one realtime FeatureCollection (or a single Feature). It
// returns an error only when the file is not GeoJSON features at all; a
// feature that cannot be read is rejected and the others are returned.
func Parse(data []byte) ([]quake.Event, []reject.Reject, error) {
	if err := budget.CheckSize("bmkgrealtime", int64(len(data)), MaxInputSize); err != nil {
		return nil, nil, err
	}
	features, err := decodeFeatures(data)
	if err != nil {
		return nil, nil, err
	}
	var events []quake.Event
	var rejects []reject.Reject
	for i, f := range features {
		e, err := event(f)
		if err != nil {
			rejects = append(rejects, reject.Reject{Record: i + 1, Reason: err.Error()})
			continue
		}
		e.Record = i + 1
		events = append(events, e)
	}
	return events, rejects, nil
}

// decodeFeatures returns the features of a FeatureCollection, or the one
// feature of a Feature document.
func decodeFeatures(data []byte) ([]any, error) {
	dec := json.NewDecoder(bytes.NewReader(sniff.TrimBOM(data)))
	dec.UseNumber() // keep "2.575533" and 2.575533 alike, as written
	var top map[string]any
	if err := dec.Decode(&top); err != nil {
		return nil, fmt.Errorf("bmkgrealtime: not a JSON object: %v", err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return nil, errors.New("bmkgrealtime: trailing data after the JSON object")
	}
	switch typ, _ := top["type"].(string); typ {
	case "FeatureCollection":
		list, ok := top["features"].([]any)
		if !ok && top["features"] != nil {
			return nil, errors.New("bmkgrealtime: features is not an array")
		}
		return list, nil
	case "Feature":
		return []any{top}, nil
	default:
		return nil, fmt.Errorf("bmkgrealtime: GeoJSON type %q is not FeatureCollection or Feature", typ)
	}
}

// event reads one feature.
func event(f any) (quake.Event, error) {
	obj, ok := f.(map[string]any)
	if !ok {
		return quake.Event{}, errors.New("feature is not a JSON object")
	}
	props, ok := obj["properties"].(map[string]any)
	if !ok {
		return quake.Event{}, errors.New("feature has no properties object")
	}
	e := quake.Event{Feed: FeedRealtime}
	var err error
	if e.Longitude, e.Latitude, err = point(obj["geometry"]); err != nil {
		return quake.Event{}, err
	}
	if err = fillProperties(&e, props); err != nil {
		return quake.Event{}, err
	}
	if err := quake.Check(&e, quake.BelowSurface); err != nil {
		return quake.Event{}, err
	}
	return e, nil
}

func fillProperties(e *quake.Event, props map[string]any) error {
	var err error
	if e.OriginTime, err = parseTime(props["time"]); err != nil {
		return err
	}
	if e.Magnitude, err = optionalNumber(props, "mag"); err != nil {
		return err
	}
	if e.DepthKm, err = depth(props["depth"]); err != nil {
		return err
	}
	if e.Phases, err = count(props, "fase"); err != nil {
		return err
	}
	e.EventID = strings.TrimSpace(jsontext.Scalar(props["id"]))
	e.Region = collapse(jsontext.Scalar(props["place"]))
	e.Status = strings.TrimSpace(jsontext.Scalar(props["status"]))
	e.MagnitudeType = strings.TrimSpace(firstText(props, "magType", "magtype", "mag_type"))
	return nil
}

// point reads a Point geometry: [lon, lat] or [lon, lat, z], as strings or
// numbers. GeoJSON puts longitude first.
func point(g any) (lon, lat float64, err error) {
	geom, ok := g.(map[string]any)
	if !ok {
		return 0, 0, errors.New("feature has no geometry")
	}
	if typ, _ := geom["type"].(string); typ != "Point" {
		return 0, 0, fmt.Errorf("geometry type %q is not Point", typ)
	}
	coords, ok := geom["coordinates"].([]any)
	if !ok || len(coords) < 2 {
		return 0, 0, fmt.Errorf("geometry coordinates %s are not [lon, lat]", render(geom["coordinates"]))
	}
	lon, err1 := number(coords[0])
	lat, err2 := number(coords[1])
	if err1 != nil || err2 != nil {
		return 0, 0, fmt.Errorf("geometry coordinates %s are not numbers", render(geom["coordinates"]))
	}
	return lon, lat, nil
}

// depth reads properties.depth in km; "153.2", 153.2 and "153.2 km" are
// accepted.
func depth(v any) (*float64, error) {
	s := strings.TrimSpace(jsontext.Scalar(v))
	if s == "" || s == "-" {
		return nil, nil
	}
	num := strings.TrimSpace(strings.TrimSuffix(strings.TrimSuffix(s, "km"), "Km"))
	d, err := parseDecimal(num)
	if err != nil {
		return nil, fmt.Errorf("properties.depth %q is not a depth in km", s)
	}
	return &d, nil
}

// count reads a non-negative whole number such as fase "13".
func count(props map[string]any, key string) (*int, error) {
	s := strings.TrimSpace(jsontext.Scalar(props[key]))
	if s == "" {
		return nil, nil
	}
	v, err := parseDecimal(s)
	if err != nil || v < 0 || v != float64(int(v)) || v > 1e6 {
		return nil, fmt.Errorf("properties.%s %q is not a count", key, s)
	}
	n := int(v)
	return &n, nil
}

func optionalNumber(props map[string]any, key string) (*float64, error) {
	s := strings.TrimSpace(jsontext.Scalar(props[key]))
	if s == "" || s == "-" {
		return nil, nil
	}
	v, err := parseDecimal(s)
	if err != nil {
		return nil, fmt.Errorf("properties.%s %q is not a number", key, s)
	}
	return &v, nil
}

// number reads a coordinate given as a JSON string or number.
func number(v any) (float64, error) {
	switch v.(type) {
	case string, json.Number:
		return parseDecimal(jsontext.Scalar(v))
	}
	return 0, errors.New("not a number")
}

func firstText(props map[string]any, keys ...string) string {
	for _, k := range keys {
		if s := jsontext.Scalar(props[k]); s != "" {
			return s
		}
	}
	return ""
}

// render shows a value in a reason, cut short so a hostile value cannot
// make a reason huge.
func render(v any) string {
	b, _ := json.Marshal(v)
	if len(b) > 80 {
		return string(b[:80]) + "…"
	}
	return string(b)
}

// collapse trims s and folds every run of white space into one space.
func collapse(s string) string {
	return strings.Join(strings.Fields(s), " ")
}
