package mkg

import (
	"context"
	"math"
	"time"
)

// Strike types.
const (
	StrikeCloudToGround = "CG"
	StrikeInCloud       = "IC" // intra-cloud and cloud-to-cloud discharges
)

// Strike is one lightning discharge as a detection network reports it: a
// ground network's stroke, or a satellite mapper's flash.
type Strike struct {
	ID            int64
	Time          time.Time // millisecond precision
	Latitude      float64
	Longitude     float64
	Type          string   // CG, IC or "" when the network does not say
	Polarity      int      // +1, -1, 0 when unknown
	PeakCurrentKA *float64 // signed, when the network measures it
	EnergyJ       *float64 // optical energy (GLM)
	AreaKm2       *float64 // flash footprint (GLM)
	Network       string   // e.g. "NEA-SG", "GOES-16 GLM"
}

// Validate checks a strike before it is stored; now bounds future times.
func (s *Strike) Validate(now time.Time) error {
	if err := (Point{s.Latitude, s.Longitude}).Validate("position"); err != nil {
		return err
	}
	switch {
	case s.Time.IsZero():
		return Invalid("time", "time is missing")
	case s.Time.After(now.Add(24 * time.Hour)):
		return Invalid("time", "time %s is in the future", s.Time.UTC().Format(time.RFC3339))
	case s.Type != "" && s.Type != StrikeCloudToGround && s.Type != StrikeInCloud:
		return Invalid("type", "unknown strike type %q", s.Type)
	case s.Network == "":
		return Invalid("network", "the source network is missing")
	}
	return nil
}

// MaxLightningWindow bounds one lightning query's time window: a storm day
// holds hundreds of thousands of strikes, a year of them billions.
const MaxLightningWindow = 31 * 24 * time.Hour

// LightningFilter selects strikes: a box and a time window, both required.
type LightningFilter struct {
	BBox     BBox
	From, To time.Time
}

// Validate checks the filter.
func (f LightningFilter) Validate() error {
	if err := f.BBox.Validate("bbox"); err != nil {
		return err
	}
	switch {
	case f.From.IsZero() || f.To.IsZero():
		return Invalid("from", "from and to are required")
	case !f.From.Before(f.To):
		return Invalid("from", "from must be before to")
	case f.To.Sub(f.From) > MaxLightningWindow:
		return Invalid("to", "the window is at most 31 days")
	}
	return nil
}

// DensityGrid is how lightningDensity cuts a box into cells: rows of DLat
// degrees from the south edge, columns of DLon degrees from the west edge.
type DensityGrid struct {
	South, West float64
	DLat, DLon  float64
	Rows, Cols  int
}

// Cell limits of one density query.
const (
	MinCellKm       = 0.5
	MaxCellKm       = 500
	MaxDensityCells = 250_000
)

// NewDensityGrid sizes cells of cellKm at the box's middle latitude (a
// degree of longitude shrinks with the cosine of latitude).
func NewDensityGrid(b BBox, cellKm float64) (DensityGrid, error) {
	if err := b.Validate("bbox"); err != nil {
		return DensityGrid{}, err
	}
	if !(cellKm >= MinCellKm && cellKm <= MaxCellKm) {
		return DensityGrid{}, Invalid("cellSizeKm", "cell size must be between %g and %g km", float64(MinCellKm), float64(MaxCellKm))
	}
	if b.CrossesAntimeridian() {
		return DensityGrid{}, Invalid("bbox", "density boxes may not cross the 180° meridian; ask for each side")
	}
	const kmPerDegree = 111.32
	mid := (b.South + b.North) / 2 * math.Pi / 180
	g := DensityGrid{South: b.South, West: b.West, DLat: cellKm / kmPerDegree,
		DLon: cellKm / (kmPerDegree * math.Max(math.Cos(mid), 0.01))}
	g.Rows = int(math.Ceil((b.North-b.South)/g.DLat)) + 1
	g.Cols = int(math.Ceil((b.East-b.West)/g.DLon)) + 1
	if g.Rows*g.Cols > MaxDensityCells {
		return DensityGrid{}, Invalid("cellSizeKm", "%d × %d cells is more than %d: use larger cells or a smaller box", g.Rows, g.Cols, MaxDensityCells)
	}
	return g, nil
}

// DensityCell is the count of strikes in one cell of a grid.
type DensityCell struct {
	Row, Col int
	Count    int
}

// Bounds returns a cell's box.
func (g DensityGrid) Bounds(row, col int) BBox {
	s, w := g.South+float64(row)*g.DLat, g.West+float64(col)*g.DLon
	return BBox{South: s, West: w, North: s + g.DLat, East: w + g.DLon}
}

// LightningPage is one page of strikes, oldest first.
type LightningPage struct {
	Strikes []*Strike
	Cursors []Cursor
	HasNext bool
}

// OrderLightning names the ordering of strike lists (by time), for cursors.
const OrderLightning = "lightning_time"

// LightningReader reads strikes.
type LightningReader interface {
	// LightningStrikes lists the strikes in a box and window, oldest first.
	LightningStrikes(ctx context.Context, f LightningFilter, p Page) (*LightningPage, error)
	// LightningDensity counts the strikes per cell of g in the window; the
	// counting happens in the database. Cells without strikes are left out.
	LightningDensity(ctx context.Context, f LightningFilter, g DensityGrid) ([]DensityCell, error)
}

// LightningWriter stores strikes.
type LightningWriter interface {
	// InsertStrikes stores strikes in bulk; a strike already stored (same
	// network, time and position) is left as it is, so a re-run of a file
	// changes nothing. It returns how many were new.
	InsertStrikes(ctx context.Context, strikes []Strike) (inserted int, err error)
}
