package resolvers

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/bmkg/mkggraph/graph"
	"github.com/bmkg/mkggraph/graph/model"
	"github.com/bmkg/mkggraph/mkg"
)

// Live is what subscriptions read from: the bus of committed changes and
// the buffer each subscriber gets.
type Live struct {
	Events mkg.EventBus
	// Buffer is how many events may wait for one subscriber; one more
	// ends its session as a slow consumer.
	Buffer int
	// CatchUp bounds what `since` replays.
	CatchUp mkg.CatchUp
	// Opened, when set, is told of each subscription started and returns
	// what to call when it ends; Sent of each message sent (the server's
	// metrics).
	Opened func() (closed func())
	Sent   func()
	// Quota, when set, charges each message sent the subscription's cost
	// (it was charged once at subscribe time by the executor); a message
	// past the budget ends the session (EndLimit, RATE_LIMITED).
	Quota *mkg.QuotaPolicy
}

// readTimeout bounds the read of the record an event names.
const readTimeout = 10 * time.Second

// endGrace is how long a subscription whose session ends waits for the
// connection to close before completing on its own.
const endGrace = 5 * time.Second

// MaxBatchStrikes bounds the strikes of one lightningStrikes message.
const MaxBatchStrikes = 5000

// feed is what a subscription sends: the bus's events that pass keep,
// made into messages by build (nil: nothing to send), at most one per
// every (when every > 0: the events of the wait are built together). With
// catchUp, the stored records the client missed go first (see stream).
type feed[T any] struct {
	keep    func(mkg.Event) bool
	build   func([]mkg.Event) *T
	every   time.Duration
	catchUp func(context.Context) (catchUp[T], error)
}

// charge spends one message's cost (the subscription's) from the
// caller's budget, or ends the session when it is spent and reports false.
func (live Live) charge(ctx context.Context, s mkg.Session) bool {
	if live.Quota == nil {
		return true
	}
	q, err := live.Quota.Charge(ctx, mkg.PrincipalFrom(ctx), mkg.ClientFrom(ctx), int64(graph.OperationCost(ctx)))
	if err != nil || q.Allowed {
		return true // the store never fails (cache.Quotas); if it did, the event is not withheld
	}
	s.End(mkg.EndLimit, fmt.Sprintf("%s: each event costs %d points; the budget resets at %s", mkg.CodeRateLimited,
		q.Requested, q.ResetAt.UTC().Format(time.RFC3339)))
	return false
}

// once is stream for an EventSession (a webhook's): the message of its one
// event, if keep keeps it and build makes one, then the end.
func once[T any](ctx context.Context, s mkg.EventSession, keep func(mkg.Event) bool, build func([]mkg.Event) *T) <-chan *T {
	out := make(chan *T, 1)
	defer close(out)
	ev, ok := s.Event()
	if !ok || !keep(ev) || s.Refresh(ctx) != nil {
		return out
	}
	if msg := build([]mkg.Event{ev}); msg != nil {
		out <- msg
	}
	return out
}

// refresh puts the caller's rights of now in force for the next message;
// false when the session is ending.
func refresh(ctx context.Context, s mkg.Session) bool {
	if err := s.Refresh(ctx); err != nil {
		// The session is ending, with its reason: let it close the
		// connection before this subscription says it completed.
		select {
		case <-ctx.Done():
		case <-time.After(endGrace):
		}
		return false
	}
	return true
}

func change(revision bool) model.Change {
	if revision {
		return model.ChangeUpdated
	}
	return model.ChangeInserted
}

func earthquakeWatch(in *model.EarthquakeWatchFilter) (mkg.EarthquakeWatch, error) {
	if in == nil {
		return mkg.EarthquakeWatch{}, nil
	}
	near, err := circle(in.Near, in.RadiusKm, false)
	if err != nil {
		return mkg.EarthquakeWatch{}, err
	}
	w := mkg.EarthquakeWatch{MinMagnitude: in.MinMagnitude, BBox: bbox(in.Bbox), Near: near}
	return w, w.Validate("filter")
}

// eventRecord reads the record ev names, by id through a batch read, once
// for every subscriber of this process (mkg.Event.Load). It is nil when the
// record cannot be read: an unreadable record is not sent, the client can
// query it.
func eventRecord[T any](ev mkg.Event, id int64, byID func(context.Context, []int64) ([]*T, error)) *T {
	v, err := ev.Load(func() (any, error) {
		ctx, cancel := context.WithTimeout(context.Background(), readTimeout)
		defer cancel()
		list, err := byID(ctx, []int64{id})
		if err != nil || len(list) == 0 || list[0] == nil {
			return nil, err
		}
		return list[0], nil
	})
	rec, _ := v.(*T)
	if err != nil {
		return nil
	}
	return rec
}

// earthquakeEvent reads the event's earthquake once for every subscriber
// of this process (mkg.Event.Load), and checks the filter against what is
// stored now (a revision may have moved it).
func (r *Resolver) earthquakeEvent(ev mkg.Event, w mkg.EarthquakeWatch) *model.EarthquakeEvent {
	q := eventRecord(ev, ev.Earthquake.ID, r.EarthquakeData.EarthquakesByID)
	if q == nil {
		return nil
	}
	if !w.Matches(&mkg.EarthquakeChange{Magnitude: q.Magnitude, Latitude: q.Latitude, Longitude: q.Longitude}) {
		return nil
	}
	return &model.EarthquakeEvent{Change: change(ev.Earthquake.Revision), StoredAt: q.UpdatedAt, Earthquake: q}
}

func observationWatch(in *model.ObservationWatchFilter) (mkg.ObservationWatch, error) {
	if in == nil {
		return mkg.ObservationWatch{}, nil
	}
	w := mkg.ObservationWatch{WMOIndexes: in.WmoIndexes, BBox: bbox(in.Bbox)}
	return w, w.Validate("filter")
}

// observationEvent reads the report (and, for an area, its station) once
// for every subscriber of this process.
func (r *Resolver) observationEvent(ev mkg.Event, w mkg.ObservationWatch) *model.ObservationEvent {
	type read struct {
		obs     *mkg.Observation
		station *mkg.Station
	}
	v, err := ev.Load(func() (any, error) {
		ctx, cancel := context.WithTimeout(context.Background(), readTimeout)
		defer cancel()
		os, err := r.ObservationData.ObservationsByID(ctx, []int64{ev.Observation.ID})
		if err != nil || len(os) == 0 || os[0] == nil {
			return nil, err
		}
		out := read{obs: os[0]}
		if st, err := r.StationData.StationByWMO(ctx, os[0].StationWMO); err == nil {
			out.station = st
		}
		return out, nil
	})
	got, ok := v.(read)
	if err != nil || !ok {
		return nil
	}
	if w.BBox != nil && (got.station == nil || !w.BBox.Contains(got.station.Point())) {
		return nil
	}
	return &model.ObservationEvent{Change: change(ev.Observation.Revision), StoredAt: got.obs.UpdatedAt, Observation: got.obs}
}

// lightningBatch gathers the strikes of evs inside box, oldest first as
// stored, at most MaxBatchStrikes.
func lightningBatch(evs []mkg.Event, box mkg.BBox) *model.LightningBatch {
	b := &model.LightningBatch{StoredAt: evs[0].At}
	for _, ev := range evs {
		for i := range ev.Strikes {
			st := &ev.Strikes[i]
			if !box.Contains(mkg.Point{Latitude: st.Latitude, Longitude: st.Longitude}) {
				continue
			}
			b.Count++
			if len(b.Strikes) < MaxBatchStrikes {
				b.Strikes = append(b.Strikes, st)
			}
		}
	}
	if b.Count == 0 {
		return nil
	}
	b.Truncated = b.Count > len(b.Strikes)
	return b
}

func inBox(ev mkg.Event, box mkg.BBox) bool {
	for _, st := range ev.Strikes {
		if box.Contains(mkg.Point{Latitude: st.Latitude, Longitude: st.Longitude}) {
			return true
		}
	}
	return false
}

// ticketWatchFilter is accessRequestChanged's filter.
type ticketWatchFilter struct {
	states     []mkg.TicketState
	assignedTo int64 // -1: unassigned only
}

func ticketWatch(in *model.AccessRequestWatchFilter) (ticketWatchFilter, error) {
	if in == nil {
		return ticketWatchFilter{}, nil
	}
	f, err := ticketFilter(&model.AccessRequestFilter{Status: in.Status, AssignedTo: in.AssignedTo, Unassigned: in.Unassigned})
	return ticketWatchFilter{states: f.Status, assignedTo: f.AssignedTo}, err
}

func (w ticketWatchFilter) matches(c *mkg.TicketChanged) bool {
	if c == nil || len(w.states) > 0 && !slices.Contains(w.states, c.State) {
		return false
	}
	switch {
	case w.assignedTo == -1:
		return c.AssignedTo == 0
	case w.assignedTo > 0:
		return c.AssignedTo == w.assignedTo
	}
	return true
}

// ticketChange reads the request once for every staff subscriber of this
// process.
func (r *Resolver) ticketChange(ev mkg.Event) *model.AccessRequestChange {
	t := eventRecord(ev, ev.Ticket.ID, r.TicketData.TicketsByID)
	if t == nil {
		return nil
	}
	return &model.AccessRequestChange{State: t.State, ChangedAt: ev.At, Request: t}
}

// trackedChange reads the request again by its token, for each event: a
// token that no longer opens it (expired) sends nothing.
func (r *Resolver) trackedChange(ev mkg.Event, token string) *model.TrackedAccessRequestChange {
	ctx, cancel := context.WithTimeout(context.Background(), readTimeout)
	defer cancel()
	t, err := r.TicketData.TicketByToken(ctx, token)
	if err != nil {
		return nil
	}
	return &model.TrackedAccessRequestChange{State: t.State, ChangedAt: ev.At, Request: t}
}
