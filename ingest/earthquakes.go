package ingest

import (
	"context"
	"fmt"
	"time"

	"github.com/bmkg/mkggraph/format/bmkgquake"
	"github.com/bmkg/mkggraph/format/bmkgrealtime"
	"github.com/bmkg/mkggraph/format/quake"
	"github.com/bmkg/mkggraph/format/quakeml"
	"github.com/bmkg/mkggraph/format/reject"
	"github.com/bmkg/mkggraph/format/repogempa"
	"github.com/bmkg/mkggraph/mkg"
)

// quakeFeed ingests an earthquake format whose records need nothing but
// parsing: unit names a record in rejections, agencyIDs is storeQuakes'.
func quakeFeed(parse func([]byte) ([]quake.Event, []reject.Reject, error), unit string, agencyIDs bool) func(ctx context.Context, in *Ingester, name string, data []byte, opt Options, s *Summary) error {
	return func(ctx context.Context, in *Ingester, _ string, data []byte, opt Options, s *Summary) error {
		events, rejects, err := parse(data)
		if err != nil {
			return err
		}
		s.Read = len(events) + len(rejects)
		s.rejectAll(unit, rejects)
		return storeQuakes(ctx, in, events, agencyIDs, s, opt)
	}
}

var (
	ingestBMKGQuake = quakeFeed(bmkgquake.Parse, "record", false)
	// ingestRealtime keeps the feed's ids as the events' own: they are
	// BMKG's event ids ("bmg2022suve"), by which other feeds' reports of the
	// same event are matched.
	ingestRealtime  = quakeFeed(bmkgrealtime.Parse, "feature", true)
	ingestRepogempa = quakeFeed(repogempa.Parse, "row", false)
)

// ingestQuakeML keeps earthquakes and events of unstated type; other event
// types (explosions, quarry blasts …) are reported as rejected, since this
// catalogue is of earthquakes.
func ingestQuakeML(ctx context.Context, in *Ingester, _ string, data []byte, opt Options, s *Summary) error {
	events, rejects, err := quakeml.Parse(data)
	if err != nil {
		return err
	}
	s.Read = len(events) + len(rejects)
	s.rejectAll("event", rejects)
	var quakes []quake.Event
	for _, e := range events {
		if e.EventType != "" && e.EventType != "earthquake" {
			s.reject(fmt.Sprintf("event %d", e.Record), "event type %q is not an earthquake", e.EventType)
			continue
		}
		quakes = append(quakes, e)
	}
	return storeQuakes(ctx, in, quakes, false, s, opt)
}

// storeQuakes stores parsed events as the reports of their feeds. The id a
// feed gives an event is its SourceEventID; agencyIDs says the ids are
// BMKG's own, which are also the events' EventID.
func storeQuakes(ctx context.Context, in *Ingester, events []quake.Event, agencyIDs bool, s *Summary, opt Options) error {
	reps := make([]mkg.EarthquakeReport, len(events))
	pos := make([]string, len(events))
	for i, e := range events {
		reps[i] = report(e)
		reps[i].Feed = provenance(reps[i].Feed, opt)
		if agencyIDs {
			reps[i].EventID = e.EventID
		}
		pos[i] = fmt.Sprintf("record %d (%s)", e.Record, e.OriginTime.UTC().Format(time.RFC3339))
	}
	return storeAll(ctx, reps, pos, s, opt, in.store.UpsertEarthquakes)
}

// report is a parsed event as the domain's report of its feed. A feed's
// pre-2021 layout is a feed of its own ("legacy-autogempa"), ranked below
// the current one.
func report(e quake.Event) mkg.EarthquakeReport {
	feed := e.Feed
	if e.Legacy {
		feed = "legacy-" + feed
	}
	var felt []mkg.FeltReport
	for _, f := range e.Felt {
		felt = append(felt, mkg.FeltReport{Intensity: f.Intensity, MinMMI: f.MinMMI, MaxMMI: f.MaxMMI, Place: f.Place})
	}
	return mkg.EarthquakeReport{Feed: feed, SourceEventID: e.EventID, EarthquakeValues: mkg.EarthquakeValues{
		OriginTime: e.OriginTime, Latitude: e.Latitude, Longitude: e.Longitude, DepthKm: e.DepthKm,
		Magnitude: e.Magnitude, MagnitudeType: e.MagnitudeType, Region: e.Region,
		TsunamiPotential: e.TsunamiPotential, FeltText: e.FeltText, Felt: felt, Shakemap: e.Shakemap,
		EvaluationStatus: e.Status,
	}}
}
