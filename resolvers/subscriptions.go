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

// stream is one subscription: f's messages handed to the transport.
// Before each message the session reads the caller's rights again, and
// ends when they are gone. A subscriber whose buffer is full ends its
// session as a slow consumer: the bus never waits for it.
//
// A catch-up is read after the bus is listened to, so that nothing stored
// in between is missed; its messages are sent first, and a live message
// that repeats one of them is dropped. A catch-up refused (too far back,
// too many) refuses the subscription.
func stream[T any](ctx context.Context, live Live, f feed[T]) (<-chan *T, error) {
	s := mkg.SessionFrom(ctx)
	if s == nil || live.Events == nil {
		return nil, &mkg.Error{Code: mkg.EINVALID, Message: "subscriptions are served over WebSocket (graphql-transport-ws) or server-sent events (Accept: text/event-stream)"}
	}
	stop, err := s.Start()
	if err != nil {
		return nil, err
	}
	if es, ok := s.(mkg.EventSession); ok {
		defer stop()
		return once(ctx, es, f.keep, f.build), nil
	}
	in := make(chan mkg.Event, max(1, live.Buffer))
	cancel := live.Events.Subscribe(func(ev mkg.Event) {
		if !f.keep(ev) {
			return
		}
		select {
		case in <- ev:
		default:
			s.End(mkg.EndSlow, fmt.Sprintf("slow consumer: more than %d events waited to be sent", cap(in)))
		}
	})
	var replay catchUp[T]
	if f.catchUp != nil {
		if replay, err = f.catchUp(ctx); err != nil {
			cancel()
			stop()
			return nil, err
		}
	}
	out := make(chan *T)
	closed := func() {}
	if live.Opened != nil {
		closed = live.Opened()
	}
	go func() {
		defer close(out)
		defer closed()
		defer stop()
		defer cancel()
		if len(replay.msgs) > 0 && !sendAll(ctx, s, live, out, replay.msgs) {
			return
		}
		var last time.Time
		for {
			var evs []mkg.Event
			select {
			case <-ctx.Done():
				return
			case ev := <-in:
				evs = append(evs, ev)
			}
			if f.every > 0 {
				select {
				case <-ctx.Done():
					return
				case <-time.After(time.Until(last.Add(f.every))):
				}
				evs = drain(in, evs)
			}
			if !refresh(ctx, s) {
				return
			}
			msg := f.build(evs)
			if msg == nil || replay.sent != nil && replay.sent(msg) {
				continue
			}
			if !live.charge(ctx, s) {
				select { // as above: the session closes the connection
				case <-ctx.Done():
				case <-time.After(endGrace):
				}
				return
			}
			if !send(ctx, live, out, msg) {
				return
			}
			last = time.Now()
		}
	}()
	return out, nil
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

func send[T any](ctx context.Context, live Live, out chan<- *T, msg *T) bool {
	select {
	case out <- msg:
		if live.Sent != nil {
			live.Sent()
		}
		return true
	case <-ctx.Done():
		return false
	}
}

// sendAll sends a catch-up's messages, under the rights of now.
func sendAll[T any](ctx context.Context, s mkg.Session, live Live, out chan<- *T, msgs []*T) bool {
	if !refresh(ctx, s) {
		return false
	}
	for _, msg := range msgs {
		if !send(ctx, live, out, msg) {
			return false
		}
	}
	return true
}

func drain(in <-chan mkg.Event, evs []mkg.Event) []mkg.Event {
	for {
		select {
		case ev := <-in:
			evs = append(evs, ev)
		default:
			return evs
		}
	}
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

// earthquakeEvent reads the event's earthquake once for every subscriber
// of this process (mkg.Event.Load), and checks the filter against what is
// stored now (a revision may have moved it).
func (r *Resolver) earthquakeEvent(ev mkg.Event, w mkg.EarthquakeWatch) *model.EarthquakeEvent {
	v, err := ev.Load(func() (any, error) {
		ctx, cancel := context.WithTimeout(context.Background(), readTimeout)
		defer cancel()
		qs, err := r.EarthquakeData.EarthquakesByID(ctx, []int64{ev.Earthquake.ID})
		if err != nil || len(qs) == 0 || qs[0] == nil {
			return nil, err
		}
		return qs[0], nil
	})
	q, _ := v.(*mkg.Earthquake)
	if err != nil || q == nil {
		return nil // an unreadable record is not sent; the client can query it
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
	v, err := ev.Load(func() (any, error) {
		ctx, cancel := context.WithTimeout(context.Background(), readTimeout)
		defer cancel()
		ts, err := r.TicketData.TicketsByID(ctx, []int64{ev.Ticket.ID})
		if err != nil || len(ts) == 0 || ts[0] == nil {
			return nil, err
		}
		return ts[0], nil
	})
	t, _ := v.(*mkg.Ticket)
	if err != nil || t == nil {
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
