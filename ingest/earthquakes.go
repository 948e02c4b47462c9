package ingest

import (
	"context"
	"fmt"
	"time"

	"github.com/bmkg/mkggraph/format/bmkgquake"
	"github.com/bmkg/mkggraph/format/bmkgrealtime"
	"github.com/bmkg/mkggraph/format/quakeml"
	"github.com/bmkg/mkggraph/format/repogempa"
	"github.com/bmkg/mkggraph/mkg"
)

// quake is the fields every earthquake format's Event shares.
type quake struct {
	Record                                  int
	Feed, SourceEventID, EventID            string
	OriginTime                              time.Time
	Latitude, Longitude                     float64
	DepthKm, Magnitude                      *float64
	MagnitudeType, Region, TsunamiPotential string
	FeltText, Shakemap, Status              string
	Felt                                    []mkg.FeltReport
}

func (q quake) report() mkg.EarthquakeReport {
	return mkg.EarthquakeReport{Feed: q.Feed, SourceEventID: q.SourceEventID, EventID: q.EventID, OriginTime: q.OriginTime,
		Latitude: q.Latitude, Longitude: q.Longitude, DepthKm: q.DepthKm, Magnitude: q.Magnitude, MagnitudeType: q.MagnitudeType,
		Region: q.Region, TsunamiPotential: q.TsunamiPotential, FeltText: q.FeltText, Felt: q.Felt, Shakemap: q.Shakemap,
		EvaluationStatus: q.Status}
}

func storeQuakes(ctx context.Context, in *Ingester, qs []quake, s *Summary, opt Options) error {
	reps := make([]mkg.EarthquakeReport, len(qs))
	pos := make([]string, len(qs))
	for i, q := range qs {
		q.Feed = provenance(q.Feed, opt)
		reps[i] = q.report()
		pos[i] = fmt.Sprintf("record %d (%s)", q.Record, q.OriginTime.UTC().Format(time.RFC3339))
	}
	return storeAll(ctx, reps, pos, s, opt, in.store.UpsertEarthquakes)
}

func ingestBMKGQuake(ctx context.Context, in *Ingester, _ string, data []byte, opt Options, s *Summary) error {
	events, rejects, err := bmkgquake.Parse(data)
	if err != nil {
		return err
	}
	qs := make([]quake, len(events))
	for i, e := range events {
		feed := e.Feed
		if e.Legacy {
			feed = "legacy-" + feed
		}
		qs[i] = quake{Record: e.Record, Feed: feed, OriginTime: e.OriginTime, Latitude: e.Latitude, Longitude: e.Longitude,
			DepthKm: e.DepthKm, Magnitude: e.Magnitude, MagnitudeType: e.MagnitudeType, Region: e.Region,
			TsunamiPotential: e.TsunamiPotential, FeltText: e.FeltText, Shakemap: e.Shakemap, Felt: felt(e.Felt)}
	}
	return finishQuakes(ctx, in, qs, len(rejects), func() {
		for _, r := range rejects {
			s.reject(fmt.Sprintf("record %d", r.Record), "%s", r.Reason)
		}
	}, s, opt)
}

func felt(list []bmkgquake.Felt) []mkg.FeltReport {
	out := make([]mkg.FeltReport, len(list))
	for i, f := range list {
		out[i] = mkg.FeltReport{Intensity: f.Intensity, MinMMI: f.MinMMI, MaxMMI: f.MaxMMI, Place: f.Place}
	}
	return out
}

func ingestRealtime(ctx context.Context, in *Ingester, _ string, data []byte, opt Options, s *Summary) error {
	events, rejects, err := bmkgrealtime.Parse(data)
	if err != nil {
		return err
	}
	qs := make([]quake, len(events))
	for i, e := range events {
		qs[i] = quake{Record: e.Record, Feed: e.Feed, SourceEventID: e.EventID, EventID: e.EventID, OriginTime: e.OriginTime,
			Latitude: e.Latitude, Longitude: e.Longitude, DepthKm: e.DepthKm, Magnitude: e.Magnitude,
			MagnitudeType: e.MagnitudeType, Region: e.Region, Status: e.Status}
	}
	return finishQuakes(ctx, in, qs, len(rejects), func() {
		for _, r := range rejects {
			s.reject(fmt.Sprintf("feature %d", r.Record), "%s", r.Reason)
		}
	}, s, opt)
}

func ingestRepogempa(ctx context.Context, in *Ingester, _ string, data []byte, opt Options, s *Summary) error {
	events, rejects, err := repogempa.Parse(data)
	if err != nil {
		return err
	}
	qs := make([]quake, len(events))
	for i, e := range events {
		qs[i] = quake{Record: e.Record, Feed: e.Feed, OriginTime: e.OriginTime, Latitude: e.Latitude, Longitude: e.Longitude,
			DepthKm: e.DepthKm, Magnitude: e.Magnitude, MagnitudeType: e.MagnitudeType, Region: e.Region, Status: e.Status}
	}
	return finishQuakes(ctx, in, qs, len(rejects), func() {
		for _, r := range rejects {
			s.reject(fmt.Sprintf("row %d", r.Record), "%s", r.Reason)
		}
	}, s, opt)
}

// ingestQuakeML keeps earthquakes and events of unstated type; other event
// types (explosions, quarry blasts …) are reported as rejected, since this
// catalogue is of earthquakes.
func ingestQuakeML(ctx context.Context, in *Ingester, _ string, data []byte, opt Options, s *Summary) error {
	events, rejects, err := quakeml.Parse(data)
	if err != nil {
		return err
	}
	var qs []quake
	var notQuakes []quakeml.Event
	for _, e := range events {
		if e.EventType != "" && e.EventType != "earthquake" {
			notQuakes = append(notQuakes, e)
			continue
		}
		qs = append(qs, quake{Record: e.Record, Feed: e.Feed, SourceEventID: e.EventID, OriginTime: e.OriginTime,
			Latitude: e.Latitude, Longitude: e.Longitude, DepthKm: e.DepthKm, Magnitude: e.Magnitude,
			MagnitudeType: e.MagnitudeType, Region: e.Region, Status: e.Status})
	}
	return finishQuakes(ctx, in, qs, len(rejects)+len(notQuakes), func() {
		for _, r := range rejects {
			s.reject(fmt.Sprintf("event %d", r.Record), "%s", r.Reason)
		}
		for _, e := range notQuakes {
			s.reject(fmt.Sprintf("event %d", e.Record), "event type %q is not an earthquake", e.EventType)
		}
	}, s, opt)
}

func finishQuakes(ctx context.Context, in *Ingester, qs []quake, rejected int, addRejects func(), s *Summary, opt Options) error {
	s.Read = len(qs) + rejected
	addRejects()
	return storeQuakes(ctx, in, qs, s, opt)
}
