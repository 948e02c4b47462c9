package mkg

import (
	"bytes"
	"context"
	"encoding/json"
	"math"
	"slices"
	"strings"
	"time"
)

// Feeds an earthquake can be reported by.
const (
	FeedAutogempa      = "autogempa"
	FeedGempaterkini   = "gempaterkini"
	FeedGempadirasakan = "gempadirasakan"
	FeedRealtime       = "realtime"
	FeedRepogempa      = "repogempa"
	FeedQuakeML        = "quakeml"
)

// feedOrder ranks the feeds, most trusted last. The agency's reviewed
// catalogue (repogempa) comes first, then its public bulletins (current
// layouts over the pre-2021 ones; the felt-report and M5+ lists after the
// latest-event bulletin), then external catalogues (QuakeML), then the
// automatic realtime solutions. The order is total, so which feed's value
// an event shows never depends on the order the files arrived in.
var feedOrder = []string{
	FeedRealtime, FeedQuakeML,
	"legacy-" + FeedGempaterkini, "legacy-" + FeedGempadirasakan, "legacy-" + FeedAutogempa,
	FeedGempaterkini, FeedGempadirasakan, FeedAutogempa,
	FeedRepogempa,
}

// FeedRank returns how much a feed is trusted; higher wins. Unknown feeds
// rank lowest. A synthetic feed ranks as the feed it imitates, so that
// synthetic events merge their feeds as real ones do.
func FeedRank(feed string) int {
	return slices.Index(feedOrder, strings.TrimPrefix(feed, SyntheticPrefix)) + 1
}

// Matching tolerances: two reports without a shared event id are the same
// event when their origin times, epicentres and magnitudes are this close.
// Automatic and reviewed solutions of one event differ by a few seconds and
// tens of kilometres; distinct events this close in time and space are rare
// enough in the agency's catalogue (even in the Cianjur 2022 aftershock day
// they are minutes apart).
const (
	MatchTimeTolerance      = 10 * time.Second
	MatchDistanceKm         = 100.0
	MatchMagnitudeTolerance = 1.0
)

// FeltReport is one place where an earthquake was felt, with its intensity
// on the Modified Mercalli scale.
type FeltReport struct {
	Intensity string `json:"intensity"` // roman numerals as reported, e.g. "II-III"
	MinMMI    int    `json:"minMmi"`
	MaxMMI    int    `json:"maxMmi"`
	Place     string `json:"place"`
}

// EarthquakeSource is a feed's report of an event, as last received.
type EarthquakeSource struct {
	Feed          string
	SourceEventID string
	FirstSeenAt   time.Time
	LastSeenAt    time.Time
	Report        EarthquakeReport
}

// EarthquakeValues are what a feed states of an event (EarthquakeReport),
// and what the event shows, merged from its feeds' reports (Earthquake).
type EarthquakeValues struct {
	EventID          string // the agency's event id ("bmg2022suve"), when a feed gave one
	OriginTime       time.Time
	Latitude         float64
	Longitude        float64
	DepthKm          *float64
	Magnitude        *float64
	MagnitudeType    string
	Region           string
	TsunamiPotential string
	FeltText         string
	Felt             []FeltReport
	Shakemap         string
	EvaluationStatus string
}

// Earthquake is one event, merged from every feed that reported it.
type Earthquake struct {
	ID int64
	EarthquakeValues
	SolutionFeed string // the feed whose solution the event shows (see Rebuild)
	Sources      []EarthquakeSource
	CreatedAt    time.Time
	UpdatedAt    time.Time
}

// Point returns the epicentre.
func (q *Earthquake) Point() Point { return Point{q.Latitude, q.Longitude} }

// ShakemapBaseURL is where the agency publishes shakemap images named in
// its feeds.
const ShakemapBaseURL = "https://data.bmkg.go.id/DataMKG/TEWS/"

// ShakemapURL returns the full address of the event's shakemap, or "".
func (q *Earthquake) ShakemapURL() string {
	s := strings.TrimSpace(q.Shakemap)
	if s == "" || strings.HasPrefix(s, "http://") || strings.HasPrefix(s, "https://") {
		return s
	}
	return ShakemapBaseURL + strings.TrimPrefix(s, "/")
}

// EarthquakeReport is one event as one feed reported it.
type EarthquakeReport struct {
	Feed          string
	SourceEventID string // the id within the feed (QuakeML publicID, BMKG id …)
	EarthquakeValues
}

// Validate checks what the store relies on.
func (r *EarthquakeReport) Validate(now time.Time) error {
	if err := (Point{r.Latitude, r.Longitude}).Validate("position"); err != nil {
		return err
	}
	if r.OriginTime.IsZero() {
		return Invalid("originTime", "origin time is missing")
	}
	if r.OriginTime.After(now.Add(time.Hour)) {
		return Invalid("originTime", "origin time %s is in the future", r.OriginTime.UTC().Format(time.RFC3339))
	}
	if r.DepthKm != nil && (*r.DepthKm < -10 || *r.DepthKm > 1000 || math.IsNaN(*r.DepthKm)) {
		return Invalid("depthKm", "depth %g km is outside -10..1000", *r.DepthKm)
	}
	if r.Magnitude != nil && (*r.Magnitude < -3 || *r.Magnitude > 10 || math.IsNaN(*r.Magnitude)) {
		return Invalid("magnitude", "magnitude %g is outside -3..10", *r.Magnitude)
	}
	if r.Feed == "" {
		return Invalid("feed", "feed is missing")
	}
	return nil
}

// MatchScore says how well a report fits an existing event: ok is false when
// it does not match at all; a lower score is a better match. A shared agency
// event id is decisive either way: two different ids are two events.
func MatchScore(q *Earthquake, r *EarthquakeReport) (score float64, ok bool) {
	if q.EventID != "" && r.EventID != "" {
		return 0, q.EventID == r.EventID
	}
	for _, s := range q.Sources {
		if r.SourceEventID != "" && s.Feed == r.Feed && s.SourceEventID == r.SourceEventID {
			return 0, true
		}
	}
	dt := math.Abs(q.OriginTime.Sub(r.OriginTime).Seconds())
	dist := DistanceKm(q.Point(), Point{r.Latitude, r.Longitude})
	if dt > MatchTimeTolerance.Seconds() || dist > MatchDistanceKm {
		return 0, false
	}
	dm := 0.0
	if q.Magnitude != nil && r.Magnitude != nil {
		dm = math.Abs(*q.Magnitude - *r.Magnitude)
		if dm > MatchMagnitudeTolerance+1e-9 {
			return 0, false
		}
	}
	return dt/MatchTimeTolerance.Seconds() + dist/MatchDistanceKm + dm/MatchMagnitudeTolerance, true
}

// Rebuild computes the event from its sources' reports. Reports are
// applied from the least to the most trusted feed (FeedRank; ties by first
// arrival), each setting what it states: so every value comes from the most
// trusted feed that states it, the result does not depend on the order the
// reports arrived in, and ingesting the same files again changes nothing.
// The solution (time, position, depth, magnitude) moves as one piece.
func (q *Earthquake) Rebuild() {
	srcs := slices.Clone(q.Sources)
	slices.SortStableFunc(srcs, func(a, b EarthquakeSource) int {
		if c := FeedRank(a.Feed) - FeedRank(b.Feed); c != 0 {
			return c
		}
		return a.FirstSeenAt.Compare(b.FirstSeenAt)
	})
	id, sources, created, updated := q.ID, q.Sources, q.CreatedAt, q.UpdatedAt
	*q = Earthquake{ID: id, Sources: sources, CreatedAt: created, UpdatedAt: updated}
	for _, src := range srcs {
		r := &src.Report
		q.OriginTime = r.OriginTime.UTC()
		q.Latitude, q.Longitude = r.Latitude, r.Longitude
		q.DepthKm = orPtr(r.DepthKm, q.DepthKm)
		if r.Magnitude != nil {
			q.Magnitude, q.MagnitudeType = r.Magnitude, r.MagnitudeType
		}
		q.SolutionFeed = r.Feed
		q.EventID = firstNonEmpty(r.EventID, q.EventID)
		q.Region = firstNonEmpty(r.Region, q.Region)
		q.EvaluationStatus = firstNonEmpty(r.EvaluationStatus, q.EvaluationStatus)
		q.TsunamiPotential = firstNonEmpty(r.TsunamiPotential, q.TsunamiPotential)
		if strings.TrimSpace(r.FeltText) != "" {
			q.FeltText, q.Felt = r.FeltText, slices.Clone(r.Felt)
		}
		q.Shakemap = firstNonEmpty(r.Shakemap, q.Shakemap)
	}
}

// AddReport records a feed's report on the event: it replaces that feed's
// earlier report of the event (a revision) or adds a source. It reports
// whether the stored report changed; seeing the same report again only
// moves LastSeenAt.
func (q *Earthquake) AddReport(r *EarthquakeReport, seenAt time.Time) (changed bool) {
	for i, s := range q.Sources {
		if s.Feed != r.Feed || (s.SourceEventID != r.SourceEventID && s.SourceEventID != "" && r.SourceEventID != "") {
			continue
		}
		q.Sources[i].LastSeenAt = seenAt
		if sameReport(&s.Report, r) {
			return false
		}
		q.Sources[i].Report, q.Sources[i].SourceEventID = *r, r.SourceEventID
		return true
	}
	q.Sources = append(q.Sources, EarthquakeSource{Feed: r.Feed, SourceEventID: r.SourceEventID, FirstSeenAt: seenAt, LastSeenAt: seenAt, Report: *r})
	return true
}

func orPtr[T any](a, b *T) *T {
	if a != nil {
		return a
	}
	return b
}

// EarthquakeOrder is how an earthquake list is sorted.
type EarthquakeOrder string

const (
	OrderTimeDesc      EarthquakeOrder = "TIME_DESC"
	OrderTimeAsc       EarthquakeOrder = "TIME_ASC"
	OrderMagnitudeDesc EarthquakeOrder = "MAGNITUDE_DESC"
	OrderDistance      EarthquakeOrder = "DISTANCE"
)

// EarthquakeFilter selects earthquakes. Zero values mean "no condition".
type EarthquakeFilter struct {
	From, To     *time.Time
	MinMagnitude *float64
	MaxMagnitude *float64
	MaxDepthKm   *float64
	BBox         *BBox
	Near         *Circle
	EventID      string
	Feeds        []string
	// StoredAfter: only events stored or revised after it (a subscription's
	// catch-up; queries do not set it).
	StoredAfter *time.Time
}

// Validate checks the filter and the ordering together: ordering by distance
// needs a point.
func (f EarthquakeFilter) Validate(order EarthquakeOrder) error {
	if err := validateWindow(f.From, f.To, "filter"); err != nil {
		return err
	}
	if f.MinMagnitude != nil && f.MaxMagnitude != nil && *f.MinMagnitude > *f.MaxMagnitude {
		return Invalid("filter.minMagnitude", "minMagnitude (%g) is larger than maxMagnitude (%g)", *f.MinMagnitude, *f.MaxMagnitude)
	}
	for _, m := range []struct {
		name string
		v    *float64
	}{{"filter.minMagnitude", f.MinMagnitude}, {"filter.maxMagnitude", f.MaxMagnitude}} {
		if m.v != nil && (math.IsNaN(*m.v) || *m.v < -3 || *m.v > 10) {
			return Invalid(m.name, "magnitude %g is outside -3..10", *m.v)
		}
	}
	if f.MaxDepthKm != nil && (math.IsNaN(*f.MaxDepthKm) || *f.MaxDepthKm < 0) {
		return Invalid("filter.maxDepth", "maxDepth must not be negative (got %g)", *f.MaxDepthKm)
	}
	if f.BBox != nil {
		if err := f.BBox.Validate("filter.bbox"); err != nil {
			return err
		}
	}
	if f.Near != nil {
		if err := f.Near.Validate("filter.near", "filter.radiusKm"); err != nil {
			return err
		}
	}
	switch order {
	case OrderTimeDesc, OrderTimeAsc, OrderMagnitudeDesc:
	case OrderDistance:
		if f.Near == nil {
			return Invalid("orderBy", "ordering by DISTANCE needs filter.near and filter.radiusKm")
		}
	default:
		return Invalid("orderBy", "unknown ordering %q", order)
	}
	return nil
}

// validateWindow checks a from/to pair; prefix names the argument holding them.
func validateWindow(from, to *time.Time, prefix string) error {
	name := func(s string) string {
		if prefix == "" {
			return s
		}
		return prefix + "." + s
	}
	if from != nil && to != nil && from.After(*to) {
		return Invalid(name("from"), "from (%s) is after to (%s)", from.UTC().Format(time.RFC3339), to.UTC().Format(time.RFC3339))
	}
	return nil
}

// EarthquakeEdge is an earthquake in a list, with its distance from the
// filter's point when there is one.
type EarthquakeEdge struct {
	Earthquake *Earthquake
	DistanceKm *float64
	Cursor     Cursor
}

// EarthquakePage is one page of an earthquake list.
type EarthquakePage struct {
	Edges       []EarthquakeEdge
	HasNextPage bool
}

// EarthquakeReader is what the API reads about earthquakes. Errors are
// *Error values: NOT_FOUND, BAD_USER_INPUT naming the argument.
type EarthquakeReader interface {
	Earthquakes(ctx context.Context, f EarthquakeFilter, order EarthquakeOrder, p Page) (*EarthquakePage, error)
	CountEarthquakes(ctx context.Context, f EarthquakeFilter) (int, error)
	// LatestEarthquake returns the event with the latest origin time.
	LatestEarthquake(ctx context.Context) (*Earthquake, error)
	// EarthquakesByID returns events in ids order, nil for a missing id.
	EarthquakesByID(ctx context.Context, ids []int64) ([]*Earthquake, error)
	// SourcesOfEarthquakes returns each event's feed reports, in ids order
	// (by first arrival, then feed). The reads above leave Earthquake.Sources
	// empty: a feed's report is the largest part of an event and few
	// questions ask for it.
	SourcesOfEarthquakes(ctx context.Context, ids []int64) ([][]EarthquakeSource, error)
	// EarthquakesStoredSince returns the events that pass f (its magnitude
	// and place conditions) and were stored or revised after since, in
	// the order they were (UpdatedAt, then id), at most limit: what a
	// subscriber reconnecting with `since` missed. Never cached.
	EarthquakesStoredSince(ctx context.Context, f EarthquakeFilter, since time.Time, limit int) ([]*Earthquake, error)
}

// EarthquakeWriter is what ingest writes.
type EarthquakeWriter interface {
	// UpsertEarthquakes merges each report into the event it matches
	// (MatchScore), or stores a new event.
	UpsertEarthquakes(ctx context.Context, reps []EarthquakeReport) ([]WriteResult, error)
}

// SameValues reports whether two events show the same values (sources and
// timestamps aside).
func (q *Earthquake) SameValues(o *Earthquake) bool {
	pick := func(e *Earthquake) any {
		v := e.EarthquakeValues
		v.OriginTime = v.OriginTime.UTC()
		if len(v.Felt) == 0 {
			v.Felt = nil // stored events read back with an empty list
		}
		return struct {
			EarthquakeValues
			SolutionFeed string
		}{v, e.SolutionFeed}
	}
	a, err1 := json.Marshal(pick(q))
	b, err2 := json.Marshal(pick(o))
	return err1 == nil && err2 == nil && bytes.Equal(a, b)
}

// sameReport compares reports by their stored (JSON) form, which is what a
// report read back from the store is made from.
func sameReport(a, b *EarthquakeReport) bool {
	ja, err1 := json.Marshal(a)
	jb, err2 := json.Marshal(b)
	return err1 == nil && err2 == nil && bytes.Equal(ja, jb)
}
