// Package dataloaders batches the nested reads of one GraphQL request: every
// Station.latestObservation of a list, every Earthquake.nearestStations …
// becomes one statement per kind of read, whatever the list's length. The
// loaders live for one request (they cache what they loaded, and a cache
// that outlived the request could serve one caller's data to another).
package dataloaders

import (
	"cmp"
	"context"
	"strings"
	"sync"
	"time"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/trace"

	"github.com/bmkg/mkggraph/internal/telemetry"
	"github.com/bmkg/mkggraph/mkg"
)

// Reader is what the loaders read from.
type Reader interface {
	mkg.StationReader
	mkg.ObservationReader
	mkg.EarthquakeReader
	mkg.ShakemapReader
	AccountsByID(ctx context.Context, ids []int64) ([]*mkg.Account, error)
	KeysOfAccounts(ctx context.Context, ids []int64) ([][]mkg.APIKey, error)
	APIKeysByID(ctx context.Context, ids []int64) ([]*mkg.APIKey, error)
	AuditEventsByID(ctx context.Context, ids []int64) ([]*mkg.AuditEvent, error)
	TicketsByID(ctx context.Context, ids []int64) ([]*mkg.Ticket, error)
	EventsOfTickets(ctx context.Context, ids []int64) ([][]mkg.TicketEvent, error)
	NotificationsOfTickets(ctx context.Context, ids []int64) ([][]mkg.Notification, error)
	RadarSitesByID(ctx context.Context, ids []int64) ([]*mkg.RadarSite, error)
	RadarScansByID(ctx context.Context, ids []int64) ([]*mkg.RadarScan, error)
	SatelliteProductsByID(ctx context.Context, ids []int64) ([]*mkg.SatelliteProduct, error)
	RadarScansOfSites(ctx context.Context, siteIDs []int64, f mkg.RadarScanFilter, p mkg.Page) ([]*mkg.RadarScanPage, error)
	ClimateDaysOfStations(ctx context.Context, wmos []string, from, to time.Time) ([][]mkg.ClimateDay, error)
	GroundMotionsOfEarthquakes(ctx context.Context, ids []int64) ([][]*mkg.GroundMotion, error)
	AQMeasurementsOfStations(ctx context.Context, codes []string, from, to time.Time) ([][]*mkg.AQMeasurement, error)
	AQDaysOfStations(ctx context.Context, codes []string, from, to time.Time) ([][]*mkg.AQDay, error)
}

// Loaders are one request's loaders.
type Loaders struct {
	b *batcher // when their batches run

	StationByID       *Loader[int64, *mkg.Station]
	StationByWMO      *Loader[string, *mkg.Station]
	StationHistory    *Loader[int64, []mkg.StationEpoch]
	LatestObservation *Loader[string, *mkg.Observation]
	ObservationByID   *Loader[int64, *mkg.Observation]
	StationObs        *Loader[StationObsKey, *mkg.ObservationPage]
	StationObsCount   *Loader[StationObsKey, int]
	EarthquakeByID    *Loader[int64, *mkg.Earthquake]
	QuakeSources      *Loader[int64, []mkg.EarthquakeSource]
	ShakemapAt        *Loader[mkg.ShakemapQuery, *mkg.ShakemapPoint]
	Nearest           *Loader[NearestKey, []mkg.StationDistance]
	AccountByID       *Loader[int64, *mkg.Account]
	KeysOfAccount     *Loader[int64, []mkg.APIKey]
	APIKeyByID        *Loader[int64, *mkg.APIKey]
	AuditEventByID    *Loader[int64, *mkg.AuditEvent]
	TicketByID        *Loader[int64, *mkg.Ticket]
	TicketEvents      *Loader[int64, []mkg.TicketEvent]
	TicketEmails      *Loader[int64, []mkg.Notification]
	RadarSiteByID     *Loader[int64, *mkg.RadarSite]
	RadarScanByID     *Loader[int64, *mkg.RadarScan]
	SatelliteByID     *Loader[int64, *mkg.SatelliteProduct]
	SiteScans         *Loader[SiteScansKey, *mkg.RadarScanPage]
	StationClimate    *Loader[ClimateKey, []mkg.ClimateDay]
	GroundMotions     *Loader[int64, []*mkg.GroundMotion]
	AQMeasurements    *Loader[WindowKey, []*mkg.AQMeasurement]
	AQDays            *Loader[WindowKey, []*mkg.AQDay]
}

// New returns fresh loaders for one request.
func New(r Reader, opts Options) *Loaders {
	b := newBatcher(opts)
	return &Loaders{
		b:                 b,
		StationByID:       sorted(b, "loader StationByID", ordered(r.StationsByID)),
		StationByWMO:      sorted(b, "loader StationByWMO", ordered(r.StationsByWMO)),
		StationHistory:    sorted(b, "loader StationHistory", ordered(r.StationEpochs)),
		LatestObservation: sorted(b, "loader LatestObservation", ordered(r.LatestObservations)),
		ObservationByID:   sorted(b, "loader ObservationByID", ordered(r.ObservationsByID)),
		StationObs:        traced(b, "loader StationObs", stationObs(r)),
		StationObsCount:   traced(b, "loader StationObsCount", stationObsCount(r)),
		EarthquakeByID:    sorted(b, "loader EarthquakeByID", ordered(r.EarthquakesByID)),
		QuakeSources:      sorted(b, "loader QuakeSources", ordered(r.SourcesOfEarthquakes)),
		ShakemapAt:        traced(b, "loader ShakemapAt", r.ShakemapsAt),
		Nearest:           traced(b, "loader Nearest", nearest(r)),
		AccountByID:       sorted(b, "loader AccountByID", ordered(r.AccountsByID)),
		KeysOfAccount:     sorted(b, "loader KeysOfAccount", ordered(r.KeysOfAccounts)),
		APIKeyByID:        sorted(b, "loader APIKeyByID", ordered(r.APIKeysByID)),
		AuditEventByID:    sorted(b, "loader AuditEventByID", ordered(r.AuditEventsByID)),
		TicketByID:        sorted(b, "loader TicketByID", ordered(r.TicketsByID)),
		TicketEvents:      sorted(b, "loader TicketEvents", ordered(r.EventsOfTickets)),
		TicketEmails:      sorted(b, "loader TicketEmails", ordered(r.NotificationsOfTickets)),
		RadarSiteByID:     sorted(b, "loader RadarSiteByID", ordered(r.RadarSitesByID)),
		RadarScanByID:     sorted(b, "loader RadarScanByID", ordered(r.RadarScansByID)),
		SatelliteByID:     sorted(b, "loader SatelliteByID", ordered(r.SatelliteProductsByID)),
		SiteScans:         traced(b, "loader SiteScans", siteScans(r)),
		StationClimate:    traced(b, "loader StationClimate", stationClimate(r)),
		GroundMotions:     sorted(b, "loader GroundMotions", ordered(r.GroundMotionsOfEarthquakes)),
		AQMeasurements:    traced(b, "loader AQMeasurements", windowed(r.AQMeasurementsOfStations)),
		AQDays:            traced(b, "loader AQDays", windowed(r.AQDaysOfStations)),
	}
}

// traced returns a loader whose batches each get a span (when the request
// is traced) named after the loader, with the number of keys it reads.
// name is a constant: New runs for every request.
func traced[K comparable, V any](b *batcher, name string, fetch func(context.Context, []K) ([]V, []error)) *Loader[K, V] {
	return newLoader(b, name, func(ctx context.Context, keys []K) ([]V, []error) {
		if !trace.SpanFromContext(ctx).IsRecording() {
			return fetch(ctx, keys)
		}
		ctx, span := telemetry.Start(ctx, name, attribute.Int("loader.keys", len(keys)))
		defer span.End()
		return fetch(ctx, keys)
	})
}

// sorted is traced for keys that have an order: each batch reads its keys
// sorted, whatever order they came in.
func sorted[K cmp.Ordered, V any](b *batcher, name string, fetch func(context.Context, []K) ([]V, []error)) *Loader[K, V] {
	l := traced(b, name, fetch)
	l.order = cmp.Compare[K]
	return l
}

// ordered adapts a store read that returns results in key order (the
// contract of every batch read in mkg) to a loader's fetch function.
func ordered[K comparable, V any](fetch func(context.Context, []K) ([]V, error)) func(context.Context, []K) ([]V, []error) {
	return func(ctx context.Context, keys []K) ([]V, []error) {
		vals, err := fetch(ctx, keys)
		if err != nil {
			return nil, []error{err}
		}
		return vals, nil
	}
}

type ctxKey struct{}

// With returns ctx carrying the loaders.
func With(ctx context.Context, l *Loaders) context.Context {
	return context.WithValue(ctx, ctxKey{}, l)
}

// For returns the request's loaders. Requests always get loaders from the
// HTTP middleware; a missing one is a wiring bug, so it panics (and the
// request, only it, gets an internal error).
func For(ctx context.Context) *Loaders {
	if l, ok := lookup(ctx); ok {
		return l
	}
	panic("dataloaders: no loaders in the request context")
}

func lookup(ctx context.Context) (*Loaders, bool) {
	switch l := ctx.Value(ctxKey{}).(type) {
	case *scope:
		return l.l, true
	case *Loaders:
		return l, true
	case *Live:
		return l.current(), true
	}
	return nil, false
}

// Live holds the loaders of a long-lived operation (a subscription's
// connection), renewed before each message: what one message read is not
// kept for the next, so the loaders' caches stay small and fresh. They are
// made when a message first asks for them: an idle connection (thousands
// may be held open) has none.
type Live struct {
	r    Reader
	opts Options
	mu   sync.Mutex
	l    *Loaders // nil until asked for
}

// NewLive returns a holder of loaders made when first asked for.
func NewLive(r Reader, opts Options) *Live { return &Live{r: r, opts: opts} }

// Renew drops the loaders: the next message gets fresh ones.
func (l *Live) Renew() {
	l.mu.Lock()
	l.l = nil
	l.mu.Unlock()
}

func (l *Live) current() *Loaders {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.l == nil {
		l.l = New(l.r, l.opts)
	}
	return l.l
}

// WithLive returns ctx whose For is l's loaders at each call.
func WithLive(ctx context.Context, l *Live) context.Context {
	return context.WithValue(ctx, ctxKey{}, l)
}

// PageWindow is the part of a list key that keys read in one statement
// share: a time window (zero = open) and a page.
type PageWindow struct {
	From, To time.Time // zero = open
	Limit    int
	After    mkg.Cursor
}

// NewPageWindow returns the window from..to (nil = open) and page p.
func NewPageWindow(from, to *time.Time, p mkg.Page) PageWindow {
	w := PageWindow{Limit: p.Limit}
	if from != nil {
		w.From = *from
	}
	if to != nil {
		w.To = *to
	}
	if p.After != nil {
		w.After = *p.After
	}
	return w
}

// bounds returns the window's ends, nil where it is open.
func (w PageWindow) bounds() (from, to *time.Time) {
	if !w.From.IsZero() {
		from = &w.From
	}
	if !w.To.IsZero() {
		to = &w.To
	}
	return from, to
}

func (w PageWindow) page() mkg.Page {
	p := mkg.Page{Limit: w.Limit}
	if w.After.ID != 0 {
		p.After = &w.After
	}
	return p
}

// StationObsKey asks for one station's observations in a window. Keys that
// differ only in the station share one statement.
type StationObsKey struct {
	WMO        string
	IncludeNil bool
	PageWindow
}

func (k StationObsKey) group() StationObsKey { k.WMO = ""; return k }

func (k StationObsKey) filter() mkg.ObservationFilter {
	f := mkg.ObservationFilter{IncludeNil: k.IncludeNil}
	f.From, f.To = k.bounds()
	return f
}

// grouped runs one batch read per group of keys that share everything but
// their subject, and puts the results back in key order.
func grouped[K comparable, G comparable, V any](group func(K) G, fetch func(context.Context, G, []K) ([]V, error)) func(context.Context, []K) ([]V, []error) {
	return func(ctx context.Context, keys []K) ([]V, []error) {
		out := make([]V, len(keys))
		idx := map[G][]int{}
		var order []G
		for i, k := range keys {
			g := group(k)
			if _, seen := idx[g]; !seen {
				order = append(order, g)
			}
			idx[g] = append(idx[g], i)
		}
		errs := make([]error, len(keys))
		failed := false
		for _, g := range order {
			members := make([]K, len(idx[g]))
			for j, i := range idx[g] {
				members[j] = keys[i]
			}
			vals, err := fetch(ctx, g, members)
			for j, i := range idx[g] {
				if err != nil {
					errs[i], failed = err, true
				} else {
					out[i] = vals[j]
				}
			}
		}
		if !failed {
			errs = nil
		}
		return out, errs
	}
}

func stationObs(r Reader) func(context.Context, []StationObsKey) ([]*mkg.ObservationPage, []error) {
	return grouped(StationObsKey.group, func(ctx context.Context, g StationObsKey, keys []StationObsKey) ([]*mkg.ObservationPage, error) {
		return r.ObservationsOfStations(ctx, subjects(keys, wmoOf), g.filter(), g.page())
	})
}

func stationObsCount(r Reader) func(context.Context, []StationObsKey) ([]int, []error) {
	countGroup := func(k StationObsKey) StationObsKey { k.WMO, k.Limit, k.After = "", 0, mkg.Cursor{}; return k }
	return grouped(countGroup, func(ctx context.Context, g StationObsKey, keys []StationObsKey) ([]int, error) {
		return r.CountObservationsOfStations(ctx, subjects(keys, wmoOf), g.filter())
	})
}

func wmoOf(k StationObsKey) string { return k.WMO }

// subjects returns each key's subject (its station, site, ...), in key
// order: what one batch statement reads for.
func subjects[K, S any](keys []K, of func(K) S) []S {
	out := make([]S, len(keys))
	for i, k := range keys {
		out[i] = of(k)
	}
	return out
}

// SiteScansKey asks for one radar site's scans in a window. Keys that
// differ only in the site share one statement.
type SiteScansKey struct {
	SiteID int64
	PageWindow
}

func siteScans(r Reader) func(context.Context, []SiteScansKey) ([]*mkg.RadarScanPage, []error) {
	group := func(k SiteScansKey) SiteScansKey { k.SiteID = 0; return k }
	return grouped(group, func(ctx context.Context, g SiteScansKey, keys []SiteScansKey) ([]*mkg.RadarScanPage, error) {
		var f mkg.RadarScanFilter
		f.From, f.To = g.bounds()
		return r.RadarScansOfSites(ctx, subjects(keys, func(k SiteScansKey) int64 { return k.SiteID }), f, g.page())
	})
}

// ClimateKey asks for one station's climate days in a window; keys that
// differ only in the station share one statement.
type ClimateKey struct {
	WMO      string
	From, To time.Time
}

func stationClimate(r Reader) func(context.Context, []ClimateKey) ([][]mkg.ClimateDay, []error) {
	group := func(k ClimateKey) ClimateKey { k.WMO = ""; return k }
	return grouped(group, func(ctx context.Context, g ClimateKey, keys []ClimateKey) ([][]mkg.ClimateDay, error) {
		return r.ClimateDaysOfStations(ctx, subjects(keys, func(k ClimateKey) string { return k.WMO }), g.From, g.To)
	})
}

// WindowKey asks for one station's records in a window (by code); keys
// that differ only in the station share one statement.
type WindowKey struct {
	Code     string
	From, To time.Time
}

func windowed[V any](fetch func(context.Context, []string, time.Time, time.Time) ([]V, error)) func(context.Context, []WindowKey) ([]V, []error) {
	group := func(k WindowKey) WindowKey { k.Code = ""; return k }
	return grouped(group, func(ctx context.Context, g WindowKey, keys []WindowKey) ([]V, error) {
		return fetch(ctx, subjects(keys, func(k WindowKey) string { return k.Code }), g.From, g.To)
	})
}

// NearestKey asks for the N stations nearest a point; Kinds is the sorted,
// comma-joined kind list ("" = all kinds).
type NearestKey struct {
	Point mkg.Point
	N     int
	Kinds string
}

// KindsKey joins kinds for NearestKey.
func KindsKey(kinds []mkg.StationKind) string {
	s := make([]string, len(kinds))
	for i, k := range kinds {
		s[i] = string(k)
	}
	return strings.Join(sortedUnique(s), ",")
}

func nearest(r Reader) func(context.Context, []NearestKey) ([][]mkg.StationDistance, []error) {
	type group struct {
		N     int
		Kinds string
	}
	return grouped(func(k NearestKey) group { return group{k.N, k.Kinds} },
		func(ctx context.Context, g group, keys []NearestKey) ([][]mkg.StationDistance, error) {
			points := subjects(keys, func(k NearestKey) mkg.Point { return k.Point })
			var kinds []mkg.StationKind
			for _, k := range strings.Split(g.Kinds, ",") {
				if k != "" {
					kinds = append(kinds, mkg.StationKind(k))
				}
			}
			return r.NearestStations(ctx, points, g.N, kinds)
		})
}

// PrimeStations puts the stations a list read in the caches of
// StationByID and StationByWMO: the relations of the list's items that
// lead back to a station of the list (an observation's station) read
// nothing.
func (l *Loaders) PrimeStations(list []*mkg.Station) {
	for _, st := range list {
		l.StationByID.Prime(st.ID, st)
		if st.WMOIndex != "" {
			l.StationByWMO.Prime(st.WMOIndex, st)
		}
	}
}
