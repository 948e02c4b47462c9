package mkg

import (
	"context"
	"fmt"
	"math"
	"sync"
	"time"
)

// EventKind names what a committed change was about.
type EventKind string

// The kinds of events ingest publishes.
const (
	EventEarthquake  EventKind = "earthquake"
	EventObservation EventKind = "observation"
	EventLightning   EventKind = "lightning"
	EventTicket      EventKind = "ticket"
)

// Event is a change already committed to the database, as it is told to
// subscribers on every instance. It carries ids and what the subscription
// filters look at, not the records: a subscriber's instance reads a record
// once through its normal readers for all its subscribers (so what is sent
// is what a query would show, revisions included, and Redis carries a few
// dozen bytes per event). Lightning strikes have no reader by id, and come
// by thousands: they travel whole, in batches of at most MaxEventStrikes.
type Event struct {
	Kind        EventKind          `json:"kind"`
	At          time.Time          `json:"at"` // when it was committed
	Earthquake  *EarthquakeChange  `json:"earthquake,omitempty"`
	Observation *ObservationStored `json:"observation,omitempty"`
	Strikes     []Strike           `json:"strikes,omitempty"`
	Ticket      *TicketChanged     `json:"ticket,omitempty"`

	memo *eventMemo // shared by the copies handed to this process's subscribers
}

type eventMemo struct {
	once sync.Once
	v    any
	err  error
}

// Shared returns ev with a memo its copies share (Load): a bus calls it
// before handing an event to its subscribers.
func (ev Event) Shared() Event {
	ev.memo = &eventMemo{}
	return ev
}

// Load returns what load returns, calling it once for all the copies of a
// Shared event: the record an event names is read once per process, not
// once per subscriber.
func (ev Event) Load(load func() (any, error)) (any, error) {
	if ev.memo == nil {
		return load()
	}
	ev.memo.once.Do(func() { ev.memo.v, ev.memo.err = load() })
	return ev.memo.v, ev.memo.err
}

// MaxEventStrikes bounds the strikes of one event (one Redis message).
const MaxEventStrikes = 1000

// EarthquakeChange is an event stored or revised: its id and where and how
// strong it is now.
type EarthquakeChange struct {
	ID        int64    `json:"id"`
	Revision  bool     `json:"revision"` // an event already known was updated
	Magnitude *float64 `json:"magnitude,omitempty"`
	Latitude  float64  `json:"latitude"`
	Longitude float64  `json:"longitude"`
}

// ObservationStored is a SYNOP report stored (new, or replacing an earlier
// one for the same station and time).
type ObservationStored struct {
	ID         int64  `json:"id"`
	StationWMO string `json:"station"`
	Revision   bool   `json:"revision"`
}

// EventPublisher is what writers tell of committed changes.
type EventPublisher interface {
	// Publish tells every subscriber of this process at once, then those
	// of the other processes through the relay, if any. Call it only after
	// the change committed. An error says only that other processes may not
	// have been told (the relay failed or timed out); this process's
	// subscribers always are.
	Publish(ctx context.Context, ev Event) error
}

// TicketChanged is an access request after an action committed: its
// state and assignee now.
type TicketChanged struct {
	ID         int64       `json:"id"`
	State      TicketState `json:"state"`
	AssignedTo int64       `json:"assignedTo,omitempty"`
}

// EventBus carries committed changes to the subscribers of every process
// sharing it.
type EventBus interface {
	EventPublisher
	// Subscribe calls deliver for each event published from now on, by any
	// process, until the returned cancel is called. deliver runs on the
	// publisher's goroutine and must not block: it hands the event on (a
	// bounded buffer) and returns.
	Subscribe(deliver func(Event)) (cancel func())
}

// EventRelay carries events between processes (Redis pub/sub).
type EventRelay interface {
	// Send hands ev to the other processes, within a short timeout.
	Send(ctx context.Context, ev Event) error
	// Receive calls deliver for each event sent by another process until
	// ctx ends, reconnecting as needed: events sent while the relay is
	// unreachable are lost to this process.
	Receive(ctx context.Context, deliver func(Event))
}

// EarthquakeWatch is what earthquakeReported filters on; conditions combine
// with AND, and nil ones do not filter.
type EarthquakeWatch struct {
	MinMagnitude *float64
	BBox         *BBox
	Near         *Circle
}

// Validate checks the filter; field names the argument.
func (w EarthquakeWatch) Validate(field string) error {
	if w.MinMagnitude != nil && (math.IsNaN(*w.MinMagnitude) || *w.MinMagnitude < -2 || *w.MinMagnitude > 10) {
		return Invalid(field+".minMagnitude", "minMagnitude %g is outside -2..10", *w.MinMagnitude)
	}
	if w.BBox != nil {
		if err := w.BBox.Validate(field + ".bbox"); err != nil {
			return err
		}
	}
	if w.Near != nil {
		return w.Near.Validate(field+".near", field+".radiusKm")
	}
	return nil
}

// Matches reports whether a change passes the filter. An event without a
// magnitude fails a magnitude condition.
func (w EarthquakeWatch) Matches(c *EarthquakeChange) bool {
	if c == nil {
		return false
	}
	if w.MinMagnitude != nil && (c.Magnitude == nil || *c.Magnitude < *w.MinMagnitude) {
		return false
	}
	p := Point{c.Latitude, c.Longitude}
	if w.BBox != nil && !w.BBox.Contains(p) {
		return false
	}
	return w.Near == nil || DistanceKm(w.Near.Center, p) <= w.Near.RadiusKm
}

// MaxWatchedStations bounds the stations one observationReceived names.
const MaxWatchedStations = 500

// ObservationWatch is what observationReceived filters on: stations by WMO
// index and/or an area (the station's catalogue position). Station, when
// set, tells where a WMO index is (nil when it is not in the catalogue).
type ObservationWatch struct {
	WMOIndexes []string
	BBox       *BBox
}

// Validate checks the filter; field names the argument.
func (w ObservationWatch) Validate(field string) error {
	if len(w.WMOIndexes) > MaxWatchedStations {
		return Invalid(field+".wmoIndexes", "at most %d stations, got %d", MaxWatchedStations, len(w.WMOIndexes))
	}
	for i, s := range w.WMOIndexes {
		if len(s) != 5 || !allDigits(s) {
			return Invalid(fmt.Sprintf("%s.wmoIndexes[%d]", field, i), "%q is not a WMO index (5 digits)", s)
		}
	}
	if w.BBox != nil {
		return w.BBox.Validate(field + ".bbox")
	}
	return nil
}

// MatchesStation reports whether a report of station wmo passes the
// station condition (the area is checked against the station's position,
// which the caller looks up).
func (w ObservationWatch) MatchesStation(wmo string) bool {
	if len(w.WMOIndexes) == 0 {
		return true
	}
	for _, s := range w.WMOIndexes {
		if s == wmo {
			return true
		}
	}
	return false
}

// Session is the hold a long-lived connection (a WebSocket, a stream of
// server-sent events) has on its caller: its subscriptions ask it, for
// every event, whether the caller may still be served, and end it when it
// may not or cannot keep up.
type Session interface {
	// Refresh reads the caller's key and rights again (they are cached
	// per access generation, so this costs no statement) and puts them in
	// force for what is sent next. An error means the session has ended:
	// the key was revoked or expired, the account suspended or revoked; the
	// session is closed with the reason.
	Refresh(ctx context.Context) error
	// Start counts one more subscription of the session, or refuses it
	// past the limit; stop uncounts it.
	Start() (stop func(), err error)
	// End closes the session with a reason the client is told (slow
	// consumer, shutdown …).
	End(code SessionEnd, reason string)
}

// SessionEnd is why a session was ended; transports map it to their own
// codes (WebSocket close codes).
type SessionEnd int

// Why sessions end.
const (
	EndRevoked  SessionEnd = iota + 1 // the key or account may no longer be served
	EndSlow                           // the client did not read fast enough
	EndShutdown                       // the server is going away: reconnect
	EndLimit                          // a limit was passed
)

type sessionKey struct{}

// WithSession returns ctx carrying a session.
func WithSession(ctx context.Context, s Session) context.Context {
	return context.WithValue(ctx, sessionKey{}, s)
}

// SessionFrom returns the session of ctx, nil outside one.
func SessionFrom(ctx context.Context) Session {
	s, _ := ctx.Value(sessionKey{}).(Session)
	return s
}

// LivePrincipal is the caller of a session, replaced as its rights are read
// again (Session.Refresh): every access decision for an event is made on
// the rights as they were when the event was sent.
type LivePrincipal struct {
	mu sync.RWMutex
	p  *Principal
}

// NewLivePrincipal returns a holder of p.
func NewLivePrincipal(p *Principal) *LivePrincipal { return &LivePrincipal{p: p} }

// Set puts p in force.
func (l *LivePrincipal) Set(p *Principal) {
	l.mu.Lock()
	l.p = p
	l.mu.Unlock()
}

// Get returns the principal in force.
func (l *LivePrincipal) Get() *Principal {
	l.mu.RLock()
	defer l.mu.RUnlock()
	return l.p
}

// WithLivePrincipal returns ctx whose PrincipalFrom is l's principal at
// each call.
func WithLivePrincipal(ctx context.Context, l *LivePrincipal) context.Context {
	return context.WithValue(ctx, principalKey{}, l)
}

// EventSession is a Session that is not a connection: a webhook's, which
// runs its subscription document for one event at a time. A subscription
// started in it builds the message of that event, if its filter keeps it,
// and ends, without listening to the bus. HasEvent is false for a dry run
// (the document checked when the webhook is registered).
type EventSession interface {
	Session
	Event() (ev Event, ok bool)
}
