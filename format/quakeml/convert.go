package quakeml

import (
	"fmt"
	"strings"

	"github.com/bmkg/mkggraph/format/quake"
)

// convert turns a decoded event into a quake.Event, or says why it cannot.
func convert(q qEvent) (quake.Event, error) {
	e := quake.Event{
		Feed:      FeedQuakeML,
		EventID:   strings.TrimSpace(q.PublicID),
		EventType: collapse(q.Type),
		Region:    region(q.Descriptions),
	}
	if strings.EqualFold(e.EventType, "not existing") {
		return quake.Event{}, fmt.Errorf("event %s has type %q", e.EventID, e.EventType)
	}
	o := preferredOrigin(q)
	if o == nil {
		return quake.Event{}, fmt.Errorf("event %s has no origin", e.EventID)
	}
	if err := fillOrigin(&e, o); err != nil {
		return quake.Event{}, err
	}
	if err := fillMagnitude(&e, preferredMagnitude(q, o)); err != nil {
		return quake.Event{}, err
	}
	if err := quake.Check(&e, quake.BelowSeaLevel); err != nil {
		return quake.Event{}, err
	}
	return e, nil
}

func fillOrigin(e *quake.Event, o *qOrigin) error {
	var err error
	if e.OriginTime, err = parseTime(o.Time.Value); err != nil {
		return err
	}
	if e.Latitude, err = required(o.Latitude.Value, "origin latitude/value"); err != nil {
		return err
	}
	if e.Longitude, err = required(o.Longitude.Value, "origin longitude/value"); err != nil {
		return err
	}
	if e.DepthKm, err = metresToKm(o.Depth.Value); err != nil {
		return err
	}
	e.Status = strings.TrimSpace(o.EvaluationMode)
	return nil
}

func fillMagnitude(e *quake.Event, m *qMag) error {
	if m == nil {
		return nil
	}
	e.MagnitudeType = strings.TrimSpace(m.Type)
	if strings.TrimSpace(m.Mag.Value) == "" {
		return nil
	}
	v, err := required(m.Mag.Value, "magnitude mag/value")
	if err != nil {
		return err
	}
	e.Magnitude = &v
	return nil
}

// preferredOrigin is the origin preferredOriginID names, else the first.
func preferredOrigin(q qEvent) *qOrigin {
	if len(q.Origins) == 0 {
		return nil
	}
	if o := named(q.Origins, q.PreferredOriginID, func(o *qOrigin) string { return o.PublicID }); o != nil {
		return o
	}
	return &q.Origins[0]
}

// preferredMagnitude is the magnitude preferredMagnitudeID names, else the
// first computed for the chosen origin, else the first.
func preferredMagnitude(q qEvent, o *qOrigin) *qMag {
	if len(q.Magnitudes) == 0 {
		return nil
	}
	if m := named(q.Magnitudes, q.PreferredMagnitudeID, func(m *qMag) string { return m.PublicID }); m != nil {
		return m
	}
	if m := named(q.Magnitudes, o.PublicID, func(m *qMag) string { return m.OriginID }); m != nil {
		return m
	}
	return &q.Magnitudes[0]
}

// named returns the first item of list whose id (as key gives it) is id,
// both trimmed; nil when there is none or id is empty.
func named[T any](list []T, id string, key func(*T) string) *T {
	id = strings.TrimSpace(id)
	if id == "" {
		return nil
	}
	for i := range list {
		if strings.TrimSpace(key(&list[i])) == id {
			return &list[i]
		}
	}
	return nil
}

// regionTypes are the description types that name where an event is, best
// first.
var regionTypes = []string{"flinn-engdahl region", "region name", "earthquake name"}

// region picks the description that best names the place.
func region(ds []qDesc) string {
	for _, want := range regionTypes {
		for _, d := range ds {
			if strings.EqualFold(collapse(d.Type), want) && collapse(d.Text) != "" {
				return collapse(d.Text)
			}
		}
	}
	for _, d := range ds {
		if t := collapse(d.Text); t != "" {
			return t
		}
	}
	return ""
}
