package mkg

import (
	"context"
	"time"
)

// BulletinHeading is the WMO abbreviated heading a report arrived under
// (TTAAii CCCC YYGGgg [BBB]).
type BulletinHeading struct {
	TTAAii string `json:"ttaaii"`
	CCCC   string `json:"cccc"`
	YYGGgg string `json:"yygggg"`
	BBB    string `json:"bbb,omitempty"`
}

// Line returns the heading as it is written.
func (h BulletinHeading) Line() string {
	s := h.TTAAii + " " + h.CCCC + " " + h.YYGGgg
	if h.BBB != "" {
		s += " " + h.BBB
	}
	return s
}

// IsCorrection reports whether the bulletin corrects an earlier one (CCx).
func (h BulletinHeading) IsCorrection() bool { return len(h.BBB) == 3 && h.BBB[:2] == "CC" }

// DecodeProblem is one thing the decoder could not make sense of in a report.
type DecodeProblem struct {
	Group   string `json:"group"`
	Section string `json:"section"`
	Message string `json:"message"`
}

// Observation is one surface synoptic (SYNOP, FM-12) report. Its Level 1 is
// the report exactly as received (Heading, Text); its Level 2 is what this
// server decoded from it (Values). A report that could not be fully decoded
// is still stored, with its Problems.
type Observation struct {
	ID         int64
	StationWMO string // IIiii as the report gives it
	ObservedAt time.Time
	Heading    BulletinHeading
	Text       string
	Nil        bool
	Values     *SynopValues
	Problems   []DecodeProblem
	Source     string // the file it was ingested from (base name)
	ReceivedAt time.Time
	UpdatedAt  time.Time
}

// ObservationFilter selects observations.
type ObservationFilter struct {
	StationIDs  []int64
	StationWMOs []string
	From, To    *time.Time
	IncludeNil  bool
}

// MaxFilterStations bounds how many stations one observation filter may name.
const MaxFilterStations = 500

// Validate checks the filter; prefix names the argument holding it.
func (f ObservationFilter) Validate(prefix string) error {
	name := func(s string) string {
		if prefix == "" {
			return s
		}
		return prefix + "." + s
	}
	if err := validateWindow(f.From, f.To, prefix); err != nil {
		return err
	}
	if len(f.StationIDs)+len(f.StationWMOs) > MaxFilterStations {
		return Invalid(name("stations"), "at most %d stations per query", MaxFilterStations)
	}
	for _, w := range f.StationWMOs {
		if !IsWMOIndex(w) {
			return Invalid(name("wmoIndexes"), "WMO index must be 5 digits (got %q)", w)
		}
	}
	return nil
}

// OrderObservationTime is the ordering of observation lists: newest first.
const OrderObservationTime = "observation-time"

// ObservationEdge is an observation in a list.
type ObservationEdge struct {
	Observation *Observation
	Cursor      Cursor
}

// ObservationPage is one page of an observation list.
type ObservationPage struct {
	Edges       []ObservationEdge
	HasNextPage bool
}

// ObservationReader is what the API reads about observations.
type ObservationReader interface {
	// Observations returns one page of the matching observations, newest first.
	Observations(ctx context.Context, f ObservationFilter, p Page) (*ObservationPage, error)
	CountObservations(ctx context.Context, f ObservationFilter) (int, error)
	// LatestObservations returns each station's latest non-nil observation
	// (nil when it has none), in wmos order, in one statement.
	LatestObservations(ctx context.Context, wmos []string) ([]*Observation, error)
	ObservationsByID(ctx context.Context, ids []int64) ([]*Observation, error)
	// ObservationsOfStations returns one page per station (in wmos order)
	// with the same window and page size for all, in one statement; f's own
	// station conditions are ignored.
	ObservationsOfStations(ctx context.Context, wmos []string, f ObservationFilter, p Page) ([]*ObservationPage, error)
	// CountObservationsOfStations counts per station, in one statement.
	CountObservationsOfStations(ctx context.Context, wmos []string, f ObservationFilter) ([]int, error)
	// ObservationsStoredSince returns the reports (NIL ones too) of the
	// stations w passes (listed, and/or placed in its box by the
	// catalogue) stored or replaced after since, in the order they were
	// (UpdatedAt, then id), at most limit: what a subscriber reconnecting
	// with `since` missed.
	ObservationsStoredSince(ctx context.Context, w ObservationWatch, since time.Time, limit int) ([]*Observation, error)
}

// ObservationWriter is what ingest writes.
type ObservationWriter interface {
	// UpsertObservations stores reports. A report for a station and time
	// already stored replaces it when it comes from a correction bulletin
	// (CCx) at least as late as the stored one's, or when it differs and the
	// stored one is not a correction; an identical one changes nothing.
	UpsertObservations(ctx context.Context, obs []Observation) ([]WriteResult, error)
}

// Supersedes decides whether an incoming report replaces the stored one for
// the same station and time. A correction bulletin (CCA, CCB …) replaces
// the original and any earlier correction; a repeat of the original never
// undoes a correction; otherwise a report that differs replaces the stored
// one (the latest transmission wins), and an identical one changes nothing.
func Supersedes(stored, incoming *Observation) bool {
	if stored.Text == incoming.Text && stored.Heading == incoming.Heading {
		return false
	}
	sc, ic := stored.Heading.IsCorrection(), incoming.Heading.IsCorrection()
	switch {
	case ic && sc:
		return incoming.Heading.BBB >= stored.Heading.BBB
	case ic:
		return true
	case sc:
		return false
	}
	return true
}
