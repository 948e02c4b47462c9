package mkg

import (
	"context"
	"strconv"
	"time"
)

// GroundMotion is one strong-motion record's peak values: a component of an
// accelerogram (K-NET, SAC, miniSEED), or a station of a ShakeMap station
// list (component DERIVED or as named there).
type GroundMotion struct {
	ID                  int64
	Network, Station    string
	Location, Channel   string
	Component           string // E, N, Z, or the ShakeMap component name
	StationName         string
	StationLatitude     *float64
	StationLongitude    *float64
	Start               *time.Time // first sample
	SampleRateHz        *float64
	PGAGal              float64
	StationMaxPGAGal    float64 // the largest PGA of the station's components for the same earthquake
	PGVCmS              *float64
	Intensity           *float64 // MMI
	DistanceKm          *float64 // epicentral
	EarthquakeID        *int64
	StationID           *int64 // the catalogue station (accelerograms with a position)
	Source              string // knet, sac, miniseed, shakemap
	IntensityFromSource bool   // the source stated the intensity (ShakeMap); else computed
}

// GroundMotionKey identifies a record for idempotent ingest.
func (g *GroundMotion) Key() string {
	start := ""
	if g.Start != nil {
		start = g.Start.UTC().Format(time.RFC3339Nano)
	}
	eq := ""
	if g.EarthquakeID != nil {
		eq = strconv.FormatInt(*g.EarthquakeID, 10)
	}
	return g.Source + "|" + g.Network + "." + g.Station + "." + g.Location + "." + g.Channel + "|" + g.Component + "|" + start + "|" + eq
}

// ShakemapGrid is a ShakeMap grid of one event: values per node and field.
type ShakemapGrid struct {
	EventID      string
	EarthquakeID *int64
	LonMin       float64
	LatMin       float64
	LonMax       float64
	LatMax       float64
	NLon, NLat   int
	SouthFirst   bool
	Fields       []string  // LON, LAT, PGA, PGV, MMI …
	Units        []string  // per field
	Values       []float32 // NLat*NLon*len(Fields), rows as in the file
}

// ShakemapPoint is what a grid says at a point (bilinear between nodes).
type ShakemapPoint struct {
	MMI     *float64
	PGAGal  *float64
	PGVCmS  *float64
	EventID string
}

// ShakemapQuery asks what an earthquake's ShakeMap grid says at a point.
type ShakemapQuery struct {
	EarthquakeID int64
	Point        Point
}

// ShakemapReader answers "what intensity at this point" for earthquakes.
type ShakemapReader interface {
	// ShakemapsAt answers each query, in order, with one read of the store
	// whatever their number: the values of the earthquake's grid at the
	// point, or NOT_FOUND when the earthquake has no grid, INVALID (naming
	// the grid's box) for a point outside it.
	ShakemapsAt(ctx context.Context, qs []ShakemapQuery) ([]*ShakemapPoint, []error)
}

// GroundMotionStore keeps strong-motion data.
type GroundMotionStore interface {
	// UpsertGroundMotions stores records by Key: the same record again is
	// unchanged.
	UpsertGroundMotions(ctx context.Context, gms []GroundMotion) ([]WriteResult, error)
	// GroundMotionsOfEarthquakes returns each earthquake's records (largest
	// PGA first), in ids order, in one statement.
	GroundMotionsOfEarthquakes(ctx context.Context, ids []int64) ([][]*GroundMotion, error)
	// GroundMotions lists records of a station code (any network), largest
	// PGA first.
	GroundMotions(ctx context.Context, station string, limit int) ([]*GroundMotion, error)
	// PutShakemapGrid stores an event's grid (replacing an earlier one of
	// the same event id); Inserted, Updated or Unchanged.
	PutShakemapGrid(ctx context.Context, g *ShakemapGrid) (WriteResult, error)
	// EachShakemapGrid calls fn with the latest grid of each earthquake of
	// ids that has one, in no set order, with one statement; a grid is let
	// go before the next is read, so one grid at a time is held, however
	// many earthquakes are asked for.
	EachShakemapGrid(ctx context.Context, ids []int64, fn func(*ShakemapGrid) error) error
}
