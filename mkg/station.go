package mkg

import (
	"context"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// StationKind is what a station observes. A station may be several kinds (a
// synoptic station is often a climate station too).
type StationKind string

const (
	KindSynoptic      StationKind = "SYNOPTIC"
	KindClimate       StationKind = "CLIMATE"
	KindAirQuality    StationKind = "AIR_QUALITY"
	KindSeismic       StationKind = "SEISMIC"
	KindAccelerograph StationKind = "ACCELEROGRAPH"
	KindRadar         StationKind = "RADAR"
	KindTideGauge     StationKind = "TIDE_GAUGE"
	KindLightning     StationKind = "LIGHTNING"
)

// StationKinds lists every kind, in the order the API documents them.
var StationKinds = []StationKind{KindSynoptic, KindClimate, KindAirQuality, KindSeismic,
	KindAccelerograph, KindRadar, KindTideGauge, KindLightning}

// Valid reports whether k is a known kind.
func (k StationKind) Valid() bool { return slices.Contains(StationKinds, k) }

// StationStatus says whether a station still reports.
type StationStatus string

const (
	StatusActive  StationStatus = "ACTIVE"
	StatusClosed  StationStatus = "CLOSED"
	StatusUnknown StationStatus = "UNKNOWN"
)

// Identifier schemes: the networks a station is known under.
const (
	SchemeWMO     = "WMO"       // 5-digit WMO block+station index, e.g. 96749
	SchemeWIGOS   = "WIGOS"     // WIGOS station identifier, e.g. 0-20000-0-96749
	SchemeICAO    = "ICAO"      // aerodrome location indicator, e.g. WIII
	SchemeISD     = "USAF_WBAN" // NOAA ISD USAF-WBAN pair, e.g. 967490-99999
	SchemeSeismic = "BMKG_SEISMIC"
	SchemeFDSN    = "FDSN" // network.station code of a seismic network, e.g. BO.AOM001 (K-NET)
)

// Identifier is one code a station is known under.
type Identifier struct {
	Scheme string `json:"scheme"`
	Value  string `json:"value"`
}

// Station is one observing site, merged from every catalogue that lists it.
type Station struct {
	ID            int64
	WMOIndex      string // "" when the station has no WMO index
	Name          string
	Kinds         []StationKind
	Latitude      float64
	Longitude     float64
	ElevationM    *float64
	Region        string
	Country       string
	Status        StationStatus
	OperatingFrom *time.Time
	OperatingTo   *time.Time
	Identifiers   []Identifier
	Sources       []string
	CreatedAt     time.Time
	UpdatedAt     time.Time
}

// Point returns the station's position.
func (s *Station) Point() Point { return Point{s.Latitude, s.Longitude} }

// StationEpoch is one period of a station's history at one position, as a
// catalogue states it (seismic sensors are moved and re-listed under the same
// code).
type StationEpoch struct {
	StationID   int64
	Source      string
	From        *time.Time
	To          *time.Time
	Latitude    float64
	Longitude   float64
	ElevationM  *float64
	Description string
}

// StationRecord is one station as one catalogue states it; ingest turns every
// catalogue row into one, and the store merges records that name the same
// station (see MergeStation).
type StationRecord struct {
	Source      string // catalogue name, e.g. "noaa-isd"
	SourceKey   string // the row's key within the catalogue
	Rank        int    // how much to trust this catalogue for names and positions; higher wins
	Identifiers []Identifier
	Name        string
	Kinds       []StationKind
	Latitude    float64
	Longitude   float64
	ElevationM  *float64
	Region      string
	Country     string
	Status      StationStatus
	From        *time.Time
	To          *time.Time
	Description string
}

// WMOIndex returns the record's WMO index, or "".
func (r *StationRecord) WMOIndex() string {
	for _, id := range r.Identifiers {
		if id.Scheme == SchemeWMO {
			return id.Value
		}
	}
	return ""
}

// Validate checks what the store relies on.
func (r *StationRecord) Validate() error {
	if strings.TrimSpace(r.Name) == "" && len(r.Identifiers) == 0 {
		return Invalid("name", "station has neither a name nor an identifier")
	}
	if len(r.Identifiers) == 0 {
		return Invalid("identifiers", "station %q has no identifier", r.Name)
	}
	if err := (Point{r.Latitude, r.Longitude}).Validate("position"); err != nil {
		return err
	}
	for _, k := range r.Kinds {
		if !k.Valid() {
			return Invalid("kind", "unknown station kind %q", k)
		}
	}
	return nil
}

// MergeStation folds a catalogue record into a station. Identities, kinds
// and sources accumulate; name, position, region and country come from the
// highest-ranked catalogue that states them (rank is the record's, best is
// the highest rank merged so far); elevation and operating dates fill gaps or
// widen the period. It reports whether anything changed.
func MergeStation(s *Station, best int, r *StationRecord) (changed bool, newBest int) {
	before := snapshot(s)
	newBest = best
	if r.Rank >= best || s.Name == "" {
		s.Name = firstNonEmpty(r.Name, s.Name)
		s.Latitude, s.Longitude = r.Latitude, r.Longitude
		s.Region = firstNonEmpty(r.Region, s.Region)
		s.Country = firstNonEmpty(r.Country, s.Country)
		if r.ElevationM != nil {
			s.ElevationM = r.ElevationM
		}
		newBest = max(best, r.Rank)
	} else {
		s.Region = firstNonEmpty(s.Region, r.Region)
		s.Country = firstNonEmpty(s.Country, r.Country)
		if s.ElevationM == nil {
			s.ElevationM = r.ElevationM
		}
	}
	for _, id := range r.Identifiers {
		if !slices.Contains(s.Identifiers, id) {
			s.Identifiers = append(s.Identifiers, id)
		}
		if id.Scheme == SchemeWMO {
			s.WMOIndex = id.Value
		}
	}
	for _, k := range r.Kinds {
		if !slices.Contains(s.Kinds, k) {
			s.Kinds = append(s.Kinds, k)
		}
	}
	if !slices.Contains(s.Sources, r.Source) {
		s.Sources = append(s.Sources, r.Source)
	}
	s.OperatingFrom = widest(s.OperatingFrom, r.From, time.Time.Before)
	s.OperatingTo = widest(s.OperatingTo, r.To, time.Time.After)
	s.Status = mergeStatus(s.Status, r.Status)
	sortStation(s)
	return snapshot(s) != before, newBest
}

// mergeStatus lets any catalogue that knows the station to be active win:
// a station closed in one list and listed as operating in another still runs.
func mergeStatus(a, b StationStatus) StationStatus {
	switch {
	case a == StatusActive || b == StatusActive:
		return StatusActive
	case a == StatusClosed || b == StatusClosed:
		return StatusClosed
	}
	return StatusUnknown
}

// widest returns whichever of a and b lies further out, wider telling
// whether its first argument does: the earlier start, or the later end. An
// unknown date (nil) never wins over a known one, so a record without an end
// date (still operating) is not taken to mean "ended" and does not clear one.
func widest(a, b *time.Time, wider func(b, a time.Time) bool) *time.Time {
	if a == nil {
		return b
	}
	if b != nil && wider(*b, *a) {
		return b
	}
	return a
}

func sortStation(s *Station) {
	slices.SortFunc(s.Identifiers, func(a, b Identifier) int {
		if c := strings.Compare(a.Scheme, b.Scheme); c != 0 {
			return c
		}
		return strings.Compare(a.Value, b.Value)
	})
	slices.SortFunc(s.Kinds, func(a, b StationKind) int {
		return slices.Index(StationKinds, a) - slices.Index(StationKinds, b)
	})
	slices.Sort(s.Sources)
}

func snapshot(s *Station) string {
	var b strings.Builder
	for _, v := range []any{s.WMOIndex, s.Name, s.Kinds, s.Latitude, s.Longitude, deref(s.ElevationM), s.Region,
		s.Country, s.Status, timeOrZero(s.OperatingFrom), timeOrZero(s.OperatingTo), s.Identifiers, s.Sources} {
		b.WriteString(strings.TrimSpace(strings.ReplaceAll(sprint(v), "\n", " ")))
		b.WriteByte('|')
	}
	return b.String()
}

func firstNonEmpty(vals ...string) string {
	for _, v := range vals {
		if strings.TrimSpace(v) != "" {
			return v
		}
	}
	return ""
}

// StationFilter selects stations. Zero values mean "no condition".
type StationFilter struct {
	Kinds    []StationKind
	WMOIndex string
	Search   string // case-insensitive substring of the name or any identifier
	BBox     *BBox
	Near     *Circle
	Status   []StationStatus
}

// MaxSearchLength bounds the name search text.
const MaxSearchLength = 100

// Validate checks the filter; errors name the argument ("filter.bbox" …).
func (f StationFilter) Validate() error {
	for _, k := range f.Kinds {
		if !k.Valid() {
			return Invalid("filter.kinds", "unknown station kind %q", k)
		}
	}
	if f.WMOIndex != "" && !IsWMOIndex(f.WMOIndex) {
		return Invalid("filter.wmoIndex", "WMO index must be 5 digits (got %q)", f.WMOIndex)
	}
	if utf8.RuneCountInString(f.Search) > MaxSearchLength {
		return Invalid("filter.search", "search text is longer than %d characters", MaxSearchLength)
	}
	if f.BBox != nil {
		if err := f.BBox.Validate("filter.bbox"); err != nil {
			return err
		}
	}
	if f.Near != nil {
		if err := f.Near.Validate("filter.near", "filter.near.radiusKm"); err != nil {
			return err
		}
	}
	return nil
}

// IsWMOIndex reports whether s is a 5-digit WMO station index.
func IsWMOIndex(s string) bool {
	if len(s) != 5 {
		return false
	}
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// Station orderings, as cursors name them.
const (
	OrderStationName     = "station-name"
	OrderStationDistance = "station-distance"
)

// StationEdge is a station in a list, with its distance from the filter's
// point when the list was filtered by one.
type StationEdge struct {
	Station    *Station
	DistanceKm *float64
	Cursor     Cursor
}

// StationPage is one page of a station list.
type StationPage struct {
	Edges       []StationEdge
	HasNextPage bool
}

// StationDistance is a station and how far it is from some point.
type StationDistance struct {
	Station    *Station
	DistanceKm float64
}

// StationReader is what the API reads about stations. Implementations return
// *Error values: NOT_FOUND for a missing station, BAD_USER_INPUT for a filter
// that fails Validate (naming the argument).
type StationReader interface {
	// Stations returns one page of the stations matching f, ordered by name
	// (or by distance when f.Near is set), then id.
	Stations(ctx context.Context, f StationFilter, p Page) (*StationPage, error)
	// CountStations counts every station matching f.
	CountStations(ctx context.Context, f StationFilter) (int, error)
	// StationByWMO returns the station with that WMO index.
	StationByWMO(ctx context.Context, wmo string) (*Station, error)
	// StationsByID returns the stations in the order of ids; a missing id
	// gives a nil entry. Used by loaders, so it runs one statement whatever
	// the number of ids.
	StationsByID(ctx context.Context, ids []int64) ([]*Station, error)
	// StationsByWMO is StationsByID for WMO indexes.
	StationsByWMO(ctx context.Context, wmos []string) ([]*Station, error)
	// StationEpochs returns each station's catalogue history, in ids order.
	StationEpochs(ctx context.Context, ids []int64) ([][]StationEpoch, error)
	// NearestStations returns, for each point, the n nearest stations of the
	// given kinds (all kinds when empty), nearest first; one statement for
	// all points.
	NearestStations(ctx context.Context, points []Point, n int, kinds []StationKind) ([][]StationDistance, error)
}

// StationWriter is what ingest writes.
type StationWriter interface {
	// UpsertStations merges catalogue records into stations: a record joins
	// the station that shares one of its identifiers (WMO index first), so a
	// station listed by several catalogues is stored once.
	UpsertStations(ctx context.Context, recs []StationRecord) ([]WriteResult, error)
}
