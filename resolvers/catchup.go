package resolvers

import (
	"context"
	"time"

	"github.com/bmkg/mkggraph/graph/model"
	"github.com/bmkg/mkggraph/mkg"
)

// catchUp is what a subscription with `since` replays from the store, and
// how it recognises a live message that repeats one of them.
type catchUp[T any] struct {
	msgs []*T
	sent func(*T) bool
}

// resume gives f a catch-up from since (none when since is nil), once
// since is checked against the bounds. read returns the records stored or
// revised after since that pass the filter (at most limit, in the order
// they were); replayed makes one's message; version tells the record a
// message holds and the time it was stored (ok false: none), which is
// how live messages already replayed are dropped.
func resume[R, T any](live Live, f *feed[T], since *time.Time,
	read func(ctx context.Context, since time.Time, limit int) ([]R, error),
	replayed func(rec R, since time.Time) *T,
	version func(*T) (id int64, storedAt time.Time, ok bool)) error {
	if since == nil {
		return nil
	}
	from := *since
	if err := live.CatchUp.CheckSince("since", from, time.Now()); err != nil {
		return err
	}
	f.catchUp = func(ctx context.Context) (catchUp[T], error) {
		var c catchUp[T]
		rctx, cancel := context.WithTimeout(ctx, readTimeout)
		defer cancel()
		recs, err := read(rctx, from, live.CatchUp.Max+1)
		if err != nil {
			return c, err
		}
		if err := live.CatchUp.CheckCount("since", from, len(recs)); err != nil {
			return c, err
		}
		sent := mkg.Replayed{}
		for _, rec := range recs {
			msg := replayed(rec, from)
			id, at, _ := version(msg)
			sent[id] = at
			c.msgs = append(c.msgs, msg)
		}
		c.sent = func(msg *T) bool {
			id, at, ok := version(msg)
			return ok && sent.Sent(id, at)
		}
		return c, nil
	}
	return nil
}

// replayedEarthquake is a stored event as a message: INSERTED when it is
// newer than since, UPDATED for a revision of an older one.
func replayedEarthquake(q *mkg.Earthquake, since time.Time) *model.EarthquakeEvent {
	return &model.EarthquakeEvent{Change: change(!q.CreatedAt.After(since)), StoredAt: q.UpdatedAt, Earthquake: q}
}

func earthquakeVersion(m *model.EarthquakeEvent) (int64, time.Time, bool) {
	if m.Earthquake == nil {
		return 0, time.Time{}, false
	}
	return m.Earthquake.ID, m.Earthquake.UpdatedAt, true
}

// replayedObservation is a stored report as a message: INSERTED when it
// was received after since, UPDATED when it replaced an older one.
func replayedObservation(o *mkg.Observation, since time.Time) *model.ObservationEvent {
	return &model.ObservationEvent{Change: change(!o.ReceivedAt.After(since)), StoredAt: o.UpdatedAt, Observation: o}
}

func observationVersion(m *model.ObservationEvent) (int64, time.Time, bool) {
	if m.Observation == nil {
		return 0, time.Time{}, false
	}
	return m.Observation.ID, m.Observation.UpdatedAt, true
}
