package ingest

import (
	"context"
	"log/slog"
	"time"

	"github.com/bmkg/mkggraph/mkg"
)

// WithEvents makes the ingester publish what it stores, after each write
// has committed: earthquakes inserted or revised, observations stored,
// lightning strikes stored. A publish that fails to reach the other
// instances is logged, never an ingest error: the data are stored.
func (in *Ingester) WithEvents(bus mkg.EventPublisher) *Ingester {
	in.store = publishing{Store: in.store, bus: bus, log: in.log, now: in.now}
	return in
}

// publishing is the store, telling the bus about each committed write.
type publishing struct {
	Store
	bus mkg.EventPublisher
	log *slog.Logger
	now func() time.Time
}

// publishTimeout bounds one publish: the local subscribers are told at
// once, the relay gets this long.
const publishTimeout = time.Second

func (p publishing) publish(ctx context.Context, ev mkg.Event) {
	ev.At = p.now().UTC()
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), publishTimeout)
	defer cancel()
	if err := p.bus.Publish(ctx, ev); err != nil {
		p.log.Warn("events: not relayed to other instances", "kind", ev.Kind, "err", err)
	}
}

func (p publishing) UpsertEarthquakes(ctx context.Context, reps []mkg.EarthquakeReport) ([]mkg.WriteResult, error) {
	res, err := p.Store.UpsertEarthquakes(ctx, reps)
	p.publishChanged(ctx, res, func(i int, r mkg.WriteResult) mkg.Event {
		return mkg.Event{Kind: mkg.EventEarthquake, Earthquake: &mkg.EarthquakeChange{ID: r.ID,
			Revision: r.Outcome == mkg.Updated, Magnitude: reps[i].Magnitude, Latitude: reps[i].Latitude, Longitude: reps[i].Longitude}}
	})
	return res, err
}

func (p publishing) UpsertObservations(ctx context.Context, obs []mkg.Observation) ([]mkg.WriteResult, error) {
	res, err := p.Store.UpsertObservations(ctx, obs)
	p.publishChanged(ctx, res, func(i int, r mkg.WriteResult) mkg.Event {
		return mkg.Event{Kind: mkg.EventObservation, Observation: &mkg.ObservationStored{ID: r.ID,
			StationWMO: obs[i].StationWMO, Revision: r.Outcome == mkg.Updated}}
	})
	return res, err
}

// publishChanged publishes the event of each record a batch write inserted
// or changed (res[i] is the outcome of the batch's record i).
func (p publishing) publishChanged(ctx context.Context, res []mkg.WriteResult, event func(i int, r mkg.WriteResult) mkg.Event) {
	for i, r := range res {
		if r.Changed() && r.ID != 0 {
			p.publish(ctx, event(i, r))
		}
	}
}

// InsertStrikes publishes a batch when any of it was new. The store says
// how many were new, not which: a batch part of which was stored before is
// published whole.
func (p publishing) InsertStrikes(ctx context.Context, strikes []mkg.Strike) (int, error) {
	n, err := p.Store.InsertStrikes(ctx, strikes)
	if err != nil || n == 0 {
		return n, err
	}
	for i := 0; i < len(strikes); i += mkg.MaxEventStrikes {
		p.publish(ctx, mkg.Event{Kind: mkg.EventLightning, Strikes: strikes[i:min(i+mkg.MaxEventStrikes, len(strikes))]})
	}
	return n, err
}
