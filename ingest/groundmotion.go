package ingest

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/bmkg/mkggraph/format/knet"
	"github.com/bmkg/mkggraph/format/miniseed"
	"github.com/bmkg/mkggraph/format/sac"
	"github.com/bmkg/mkggraph/format/shakemap"
	"github.com/bmkg/mkggraph/format/strongmotion"
	"github.com/bmkg/mkggraph/mkg"
)

// Feeds of the earthquakes strong-motion files state. They rank below the
// agency's feeds (mkg.FeedRank), so an event the agency reported keeps the
// agency's values and gains the records.
const (
	feedKNET     = "knet-header"
	feedEvent    = "event-descriptor"
	feedShakemap = "shakemap"
)

// maxRecordDistanceKm is the farthest a strong-motion station can be from
// the epicentre it is linked to: beyond, the stated position is wrong (the
// South Napa event.json lacks its longitude's minus sign).
const maxRecordDistanceKm = 1500

var sacUnits = map[string]sac.Unit{"g": sac.G, "m/s2": sac.MPerS2, "cm/s2": sac.CmPerS2, "gal": sac.CmPerS2, "nm/s2": sac.NmPerS2}

func detectKNET(head []byte) bool     { return knet.Detect(head) }
func detectSAC(head []byte) bool      { return sac.Detect(head) }
func detectMiniSEED(head []byte) bool { return miniseed.Detect(head) }
func detectShakemap(head []byte) bool { _, ok := shakemap.Detect(head); return ok }

// eventRef is an earthquake a file states, stored and linked.
type eventRef struct {
	id            int64
	lat, lon      float64
	stated, known bool
}

// storeEvent stores the earthquake a file states as a report of its feed
// and returns its id (the matching event when the agency already has it).
func (in *Ingester) storeEvent(ctx context.Context, r mkg.EarthquakeReport, s *Summary) (eventRef, error) {
	if err := r.Validate(in.now()); err != nil {
		s.Notes = append(s.Notes, "the file's earthquake was not stored: "+clientMessage(err))
		return eventRef{}, nil
	}
	res, err := in.store.UpsertEarthquakes(ctx, []mkg.EarthquakeReport{r})
	if err != nil {
		return eventRef{}, err
	}
	if res[0].Err != nil {
		s.Notes = append(s.Notes, "the file's earthquake was not stored: "+clientMessage(res[0].Err))
		return eventRef{}, nil
	}
	return eventRef{id: res[0].ID, lat: r.Latitude, lon: r.Longitude, stated: true, known: true}, nil
}

// motions turns records into ground motions linked to ev.
func motions(recs []strongmotion.Record, ev eventRef, s *Summary) []mkg.GroundMotion {
	gms := make([]mkg.GroundMotion, 0, len(recs))
	for _, r := range recs {
		gms = append(gms, motion(r, ev, s))
	}
	return gms
}

// motion turns a record into a ground motion linked to ev.
func motion(r strongmotion.Record, ev eventRef, s *Summary) mkg.GroundMotion {
	sum := strongmotion.Summarize(r)
	g := mkg.GroundMotion{Network: r.Network, Station: r.Station, Location: r.Location, Channel: r.Channel, Component: r.Component,
		StationLatitude: r.StationLat, StationLongitude: r.StationLon, Start: mkg.Ptr(r.Start.UTC()), SampleRateHz: mkg.Ptr(r.SampleRateHz),
		PGAGal: round4(sum.PGAGal), PGVCmS: mkg.Ptr(round4(sum.PGVCmS)), Intensity: mkg.Ptr(round4(sum.MMI)), Source: r.Source}
	if !ev.known {
		return g
	}
	if r.StationLat != nil && r.StationLon != nil {
		d := strongmotion.Distance(ev.lat, ev.lon, *r.StationLat, *r.StationLon)
		if d > maxRecordDistanceKm {
			s.Notes = append(s.Notes, fmt.Sprintf("%s.%s is %.0f km from the stated epicentre: the event's position is wrong, the record is not linked to it", r.Network, r.Station, d))
			return g
		}
		g.DistanceKm = mkg.Ptr(round4(d))
	}
	g.EarthquakeID = &ev.id
	return g
}

func round4(x float64) float64 { return float64(int64(x*1e4+0.5*sign(x))) / 1e4 }

func sign(x float64) float64 {
	if x < 0 {
		return -1
	}
	return 1
}

// accelerographs adds the stations of accelerograms with a position to the
// catalogue (scheme FDSN, network.station) and links the records to them.
func (in *Ingester) accelerographs(ctx context.Context, gms []mkg.GroundMotion, s *Summary) error {
	for i := range gms {
		g := &gms[i]
		if g.Source == feedShakemap || g.StationLatitude == nil || g.StationLongitude == nil || g.Station == "" {
			continue
		}
		code := g.Network + "." + g.Station
		rec := mkg.StationRecord{Source: "strong-motion-" + g.Source, SourceKey: code, Rank: rankISD,
			Identifiers: []mkg.Identifier{{Scheme: mkg.SchemeFDSN, Value: code}}, Name: code,
			Kinds: []mkg.StationKind{mkg.KindAccelerograph}, Latitude: *g.StationLatitude, Longitude: *g.StationLongitude,
			Status: mkg.StatusActive}
		res, err := in.store.UpsertStations(ctx, []mkg.StationRecord{rec})
		if err != nil {
			return err
		}
		if res[0].Err != nil {
			s.Notes = append(s.Notes, code+" not added to the station catalogue: "+clientMessage(res[0].Err))
			continue
		}
		g.StationID = mkg.Ptr(res[0].ID)
	}
	return nil
}

func (in *Ingester) storeMotions(ctx context.Context, gms []mkg.GroundMotion, opt Options, s *Summary) error {
	if err := in.accelerographs(ctx, gms, s); err != nil {
		return err
	}
	pos := make([]string, len(gms))
	for i, g := range gms {
		pos[i] = fmt.Sprintf("%s.%s.%s.%s %s", g.Network, g.Station, g.Location, g.Channel, g.Component)
	}
	s.Read += len(gms)
	return storeAll(ctx, gms, pos, s, opt, in.store.UpsertGroundMotions)
}

func ingestKNET(ctx context.Context, in *Ingester, name string, data []byte, opt Options, s *Summary) error {
	h, recs, err := knet.Parse(data)
	if err != nil {
		return err
	}
	ev, err := in.storeEvent(ctx, mkg.EarthquakeReport{Feed: feedKNET, SourceEventID: h.OriginTime.UTC().Format(time.RFC3339), EarthquakeValues: mkg.EarthquakeValues{
		OriginTime: h.OriginTime, Latitude: h.EventLat, Longitude: h.EventLon, DepthKm: mkg.Ptr(h.DepthKm),
		Magnitude: mkg.Ptr(h.Magnitude), MagnitudeType: "MJ",
	}}, s)
	if err != nil {
		return err
	}
	return in.storeMotions(ctx, motions(recs, ev, s), opt, s)
}

// optionEvent stores the event descriptor given with a file that states
// no earthquake of its own (SAC, miniSEED), unless a record's station is
// too far from its epicentre for the position to be right: a wrong event
// is neither stored nor linked.
func (in *Ingester) optionEvent(ctx context.Context, opt Options, recs []strongmotion.Record, s *Summary) (eventRef, error) {
	if len(opt.Event) == 0 {
		s.Notes = append(s.Notes, "no event given (mkggraph ingest -event event.json): the records are not linked to an earthquake")
		return eventRef{}, nil
	}
	e, err := strongmotion.ReadEvent(opt.Event)
	if err != nil {
		return eventRef{}, fmt.Errorf("the event descriptor: %w", err)
	}
	for _, r := range recs {
		if r.StationLat == nil || r.StationLon == nil {
			continue
		}
		if d := strongmotion.Distance(e.Lat, e.Lon, *r.StationLat, *r.StationLon); d > maxRecordDistanceKm {
			s.Notes = append(s.Notes, fmt.Sprintf("event %s at %g, %g is %.0f km from %s.%s: its position is wrong; the event is not stored and the records not linked",
				e.ID, e.Lat, e.Lon, d, r.Network, r.Station))
			return eventRef{}, nil
		}
	}
	return in.storeEvent(ctx, mkg.EarthquakeReport{Feed: feedEvent, SourceEventID: e.ID, EarthquakeValues: mkg.EarthquakeValues{
		OriginTime: e.Time, Latitude: e.Lat, Longitude: e.Lon, DepthKm: mkg.Ptr(e.DepthKm),
		Magnitude: mkg.Ptr(e.Magnitude), MagnitudeType: e.MagnitudeType,
	}}, s)
}

func ingestSAC(ctx context.Context, in *Ingester, name string, data []byte, opt Options, s *Summary) error {
	unit, ok := sacUnits[strings.ToLower(opt.SACUnit)]
	if !ok {
		return errors.New("SAC files do not say their unit: give it (mkggraph ingest -sac-unit g|m/s2|cm/s2|nm/s2)")
	}
	_, recs, err := sac.Parse(data, unit)
	if err != nil {
		return err
	}
	ev, err := in.optionEvent(ctx, opt, recs, s)
	if err != nil {
		return err
	}
	return in.storeMotions(ctx, motions(recs, ev, s), opt, s)
}

func ingestMiniSEED(ctx context.Context, in *Ingester, name string, data []byte, opt Options, s *Summary) error {
	if len(opt.Inventory) == 0 {
		return errors.New("miniSEED holds counts: give the station's response (mkggraph ingest -inventory station.xml)")
	}
	inv, err := miniseed.ParseStationXML(opt.Inventory)
	if err != nil {
		return fmt.Errorf("the inventory: %w", err)
	}
	vol, recs, err := miniseed.Parse(data, inv)
	if err != nil {
		return err
	}
	for _, note := range vol.Skipped {
		s.Notes = append(s.Notes, "skipped: "+note)
	}
	for _, g := range vol.Gaps {
		s.Notes = append(s.Notes, fmt.Sprintf("gap in %s: %v", g.Channel, g))
	}
	ev, err := in.optionEvent(ctx, opt, recs, s)
	if err != nil {
		return err
	}
	gms := motions(recs, ev, s)
	if len(gms) == 0 {
		return errors.New("no acceleration channel could be converted to gal (see the inventory's units)")
	}
	return in.storeMotions(ctx, gms, opt, s)
}

func ingestShakemap(ctx context.Context, in *Ingester, name string, data []byte, opt Options, s *Summary) error {
	kind, _ := shakemap.Detect(data)
	switch kind {
	case "grid":
		return in.shakemapGrid(ctx, data, s)
	case "stationlist":
		return in.shakemapStations(ctx, data, opt, s)
	}
	if _, err := shakemap.ParseInfo(data); err != nil {
		return err
	}
	s.Notes = append(s.Notes, "a ShakeMap info file: its maxima summarise the grid; nothing is stored from it")
	return nil
}

func shakemapReport(e shakemap.Event) mkg.EarthquakeReport {
	return mkg.EarthquakeReport{Feed: feedShakemap, SourceEventID: e.ID, EarthquakeValues: mkg.EarthquakeValues{
		OriginTime: e.Time, Latitude: e.Latitude, Longitude: e.Longitude, DepthKm: mkg.Ptr(e.DepthKm),
		Magnitude: mkg.Ptr(e.Magnitude), Region: e.Description,
	}}
}

func (in *Ingester) shakemapGrid(ctx context.Context, data []byte, s *Summary) error {
	g, err := shakemap.ParseGrid(data)
	if err != nil {
		return err
	}
	ev, err := in.storeEvent(ctx, shakemapReport(g.Event), s)
	if err != nil {
		return err
	}
	grid := &mkg.ShakemapGrid{EventID: g.Event.ID, LonMin: g.LonMin, LatMin: g.LatMin, LonMax: g.LonMax, LatMax: g.LatMax,
		NLon: g.NLon, NLat: g.NLat, SouthFirst: g.SouthFirst, Values: g.Values}
	if grid.EventID == "" {
		grid.EventID = g.Event.Time.UTC().Format("20060102150405")
	}
	for _, f := range g.Fields {
		grid.Fields, grid.Units = append(grid.Fields, f.Name), append(grid.Units, f.Units)
	}
	if ev.known {
		grid.EarthquakeID = &ev.id
	}
	res, err := in.store.PutShakemapGrid(ctx, grid)
	if err != nil {
		return err
	}
	s.Read = 1
	s.count([]mkg.WriteResult{res}, []string{"grid"})
	return nil
}

func (in *Ingester) shakemapStations(ctx context.Context, data []byte, opt Options, s *Summary) error {
	list, err := shakemap.ParseStationList(data)
	if err != nil {
		return err
	}
	ev, err := in.storeEvent(ctx, shakemapReport(list.Event), s)
	if err != nil {
		return err
	}
	var gms []mkg.GroundMotion
	for _, st := range list.Stations {
		for _, c := range st.Components {
			if c.PGAPctG == nil {
				continue
			}
			lat, lon := st.Latitude, st.Longitude
			g := mkg.GroundMotion{Network: st.NetID, Station: st.Code, Component: c.Name, StationName: st.Name,
				StationLatitude: &lat, StationLongitude: &lon, PGAGal: round4(shakemap.PctGToGal(*c.PGAPctG)), PGVCmS: c.PGVCmS,
				Intensity: st.Intensity, IntensityFromSource: st.Intensity != nil, DistanceKm: st.DistanceKm, Source: feedShakemap}
			if ev.known {
				g.EarthquakeID = &ev.id
			}
			gms = append(gms, g)
		}
	}
	if len(gms) == 0 {
		s.Notes = append(s.Notes, "the station list has no station")
	}
	return in.storeMotions(ctx, gms, opt, s)
}
