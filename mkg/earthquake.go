package mkg

import (
	"context"
	"math"
	"slices"
	"strings"
	"time"
)

// Feeds an earthquake can be reported by. Their rank decides whose solution
// (time, position, depth, magnitude) an event shows when several report it:
// the agency's reviewed public bulletins over its catalogue over automatic
// realtime solutions. External catalogues (QuakeML) rank with the catalogue.
const (
	FeedAutogempa      = "autogempa"
	FeedGempaterkini   = "gempaterkini"
	FeedGempadirasakan = "gempadirasakan"
	FeedRealtime       = "realtime"
	FeedRepogempa      = "repogempa"
	FeedQuakeML        = "quakeml"
)

// FeedRank returns how much a feed's solution is trusted; higher wins.
func FeedRank(feed string) int {
	switch strings.TrimPrefix(feed, "legacy-") {
	case FeedAutogempa, FeedGempaterkini, FeedGempadirasakan:
		return 3
	case FeedRepogempa, FeedQuakeML:
		return 2
	case FeedRealtime:
		return 1
	}
	return 0
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

// EarthquakeSource records that a feed reported an event.
type EarthquakeSource struct {
	Feed          string
	SourceEventID string
	FirstSeenAt   time.Time
	LastSeenAt    time.Time
}

// Earthquake is one event, merged from every feed that reported it.
type Earthquake struct {
	ID               int64
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
	SolutionFeed     string // the feed whose solution the event shows
	Sources          []EarthquakeSource
	CreatedAt        time.Time
	UpdatedAt        time.Time
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
	Feed             string
	SourceEventID    string // the id within the feed (QuakeML publicID, BMKG id …)
	EventID          string // the agency's own id, when the feed carries it
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

// MergeEarthquake folds a report into an event and reports whether anything
// changed. The solution (time, position, depth, magnitude, region) is taken
// from the report when its feed ranks at least as high as the one the event
// shows, so a later revision from the same feed updates it; descriptive
// fields (tsunami potential, felt reports, shakemap) are taken from any
// report that has them. seenAt is when the report was ingested.
func MergeEarthquake(q *Earthquake, r *EarthquakeReport, seenAt time.Time) bool {
	before := q.fingerprint()
	if q.takesSolution(r) {
		q.OriginTime = r.OriginTime.UTC()
		q.Latitude, q.Longitude = r.Latitude, r.Longitude
		q.DepthKm = orPtr(r.DepthKm, q.DepthKm)
		if r.Magnitude != nil {
			q.Magnitude, q.MagnitudeType = r.Magnitude, r.MagnitudeType
		}
		q.Region = firstNonEmpty(r.Region, q.Region)
		q.EvaluationStatus = firstNonEmpty(r.EvaluationStatus, q.EvaluationStatus)
		q.SolutionFeed = r.Feed
	} else {
		q.Region = firstNonEmpty(q.Region, r.Region)
	}
	if q.EventID == "" {
		q.EventID = r.EventID
	}
	q.TsunamiPotential = firstNonEmpty(r.TsunamiPotential, q.TsunamiPotential)
	if strings.TrimSpace(r.FeltText) != "" {
		q.FeltText, q.Felt = r.FeltText, slices.Clone(r.Felt)
	}
	q.Shakemap = firstNonEmpty(r.Shakemap, q.Shakemap)
	changed := q.fingerprint() != before
	q.addSource(r, seenAt)
	return changed
}

// takesSolution decides whether r's solution replaces q's: a better-ranked
// feed always does, an equally ranked one only when it says something
// different (a revision), so re-ingesting the same files changes nothing.
func (q *Earthquake) takesSolution(r *EarthquakeReport) bool {
	if q.SolutionFeed == "" {
		return true
	}
	rr, qr := FeedRank(r.Feed), FeedRank(q.SolutionFeed)
	if rr != qr {
		return rr > qr
	}
	same := q.OriginTime.Equal(r.OriginTime) && q.Latitude == r.Latitude && q.Longitude == r.Longitude &&
		equalPtr(q.DepthKm, r.DepthKm) && (r.Magnitude == nil || equalPtr(q.Magnitude, r.Magnitude) && q.MagnitudeType == r.MagnitudeType) &&
		(r.Region == "" || r.Region == q.Region)
	return !same
}

func equalPtr[T comparable](a, b *T) bool {
	if a == nil || b == nil {
		return a == b
	}
	return *a == *b
}

// addSource records the feed; seeing the same feed again is not a change of
// the event, only of when it was last seen.
func (q *Earthquake) addSource(r *EarthquakeReport, seenAt time.Time) {
	for i, s := range q.Sources {
		if s.Feed == r.Feed && (s.SourceEventID == r.SourceEventID || r.SourceEventID == "" || s.SourceEventID == "") {
			q.Sources[i].LastSeenAt = seenAt
			if s.SourceEventID == "" {
				q.Sources[i].SourceEventID = r.SourceEventID
			}
			return
		}
	}
	q.Sources = append(q.Sources, EarthquakeSource{Feed: r.Feed, SourceEventID: r.SourceEventID, FirstSeenAt: seenAt, LastSeenAt: seenAt})
}

// HasNewSource reports whether merging r would add a feed to q's sources.
func (q *Earthquake) HasNewSource(r *EarthquakeReport) bool {
	for _, s := range q.Sources {
		if s.Feed == r.Feed {
			return false
		}
	}
	return true
}

func (q *Earthquake) fingerprint() string {
	return sprint([]any{q.EventID, q.OriginTime.UTC(), q.Latitude, q.Longitude, deref(q.DepthKm), q.DepthKm == nil,
		deref(q.Magnitude), q.Magnitude == nil, q.MagnitudeType, q.Region, q.TsunamiPotential, q.FeltText, q.Felt,
		q.Shakemap, q.EvaluationStatus, q.SolutionFeed})
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
}

// EarthquakeWriter is what ingest writes.
type EarthquakeWriter interface {
	// UpsertEarthquakes merges each report into the event it matches
	// (MatchScore), or stores a new event.
	UpsertEarthquakes(ctx context.Context, reps []EarthquakeReport) ([]WriteResult, error)
}
