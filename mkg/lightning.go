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

// DensityGrid is how lightningDensity cuts a box into cells. Positions are
// first put on a lattice of Scale cells per degree (LatticeRow, LatticeCol);
// a density cell is a block of RowSpan × ColSpan lattice cells. The grid
// starts at the lattice cell holding the box's south-west corner, snapped
// down to the grid's unit, and covers the box with whole cells: a cell
// counts every strike inside it, so cells on the north and east edges may
// reach past the box. Cells are whole lattice units (0.1°, 0.01°, 0.001°
// or 0.0001°, the coarsest that leaves at least 5 per cell), so they are
// within 10 % of the size asked for, and a store that keeps counts per
// lattice cell can answer exactly what counting the strikes would.
type DensityGrid struct {
	Scale            int // lattice cells per degree: 100, 1,000 or 10,000
	Row0, Col0       int // the grid's south-west lattice cell
	RowSpan, ColSpan int // lattice cells per density cell, north–south and east–west
	Rows, Cols       int
	South, West      float64 // the grid's south-west corner
	DLat, DLon       float64 // cell height and width, degrees
}

// LatticeRow is the row of latitude lat on a lattice of scale cells per
// degree, counted from the south pole. It is computed as the databases
// compute it, in double precision: floor((lat + 90) · scale).
func LatticeRow(lat float64, scale int) int { return int(math.Floor((lat + 90) * float64(scale))) }

// LatticeCol is the column of longitude lon, counted from 180° west:
// floor((lon + 180) · scale).
func LatticeCol(lon float64, scale int) int { return int(math.Floor((lon + 180) * float64(scale))) }

// Cell limits of one density query.
const (
	MinCellKm       = 0.5
	MaxCellKm       = 500
	MaxDensityCells = 250_000
)

// NewDensityGrid sizes cells of about cellKm, measured at the box's middle
// latitude (a degree of longitude shrinks with the cosine of latitude).
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
	dLat := cellKm / kmPerDegree
	dLon := cellKm / (kmPerDegree * math.Max(math.Cos(mid), 0.01))
	// The unit: the coarsest of 0.1°, 0.01°, 0.001° and 0.0001° with at
	// least 5 in a cell, so rounding to whole units costs at most 10 %.
	scale, units := 100, 10 // lattice cells per degree, lattice cells per unit
	switch {
	case dLat >= 0.5:
	case dLat >= 0.05:
		units = 1
	case dLat >= 0.005:
		scale, units = 1000, 1
	default:
		scale, units = 10000, 1
	}
	unit := float64(units) / float64(scale)
	g := DensityGrid{Scale: scale,
		RowSpan: max(1, int(math.Round(dLat/unit))) * units, ColSpan: max(1, int(math.Round(dLon/unit))) * units,
		Row0: LatticeRow(b.South, scale) / units * units, Col0: LatticeCol(b.West, scale) / units * units}
	g.Rows = (LatticeRow(b.North, scale)-g.Row0)/g.RowSpan + 1
	g.Cols = (LatticeCol(b.East, scale)-g.Col0)/g.ColSpan + 1
	if g.Rows*g.Cols > MaxDensityCells {
		return DensityGrid{}, Invalid("cellSizeKm", "%d × %d cells is more than %d: use larger cells or a smaller box", g.Rows, g.Cols, MaxDensityCells)
	}
	g.South, g.West = g.degrees(g.Row0, 90), g.degrees(g.Col0, 180)
	g.DLat, g.DLon = g.degrees(g.RowSpan, 0), g.degrees(g.ColSpan, 0)
	return g, nil
}

// Cell returns the cell holding a position, and whether the grid covers it.
func (g DensityGrid) Cell(lat, lon float64) (row, col int, ok bool) {
	r, c := LatticeRow(lat, g.Scale)-g.Row0, LatticeCol(lon, g.Scale)-g.Col0
	if r < 0 || c < 0 || r >= g.Rows*g.RowSpan || c >= g.Cols*g.ColSpan {
		return 0, 0, false
	}
	return r / g.RowSpan, c / g.ColSpan, true
}

// DensityCell is the count of strikes in one cell of a grid.
type DensityCell struct {
	Row, Col int
	Count    int
}

// Bounds returns a cell's box.
func (g DensityGrid) Bounds(row, col int) BBox {
	r, c := g.Row0+row*g.RowSpan, g.Col0+col*g.ColSpan
	return BBox{South: g.degrees(r, 90), West: g.degrees(c, 180), North: g.degrees(r+g.RowSpan, 90), East: g.degrees(c+g.ColSpan, 180)}
}

// degrees turns a lattice line into degrees from offset; integer
// arithmetic first, so 0.2° comes out as 0.2.
func (g DensityGrid) degrees(line, offset int) float64 {
	return float64(line-offset*g.Scale) / float64(g.Scale)
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
	// LightningDensity counts the strikes of f's window per cell of g (a
	// grid made for f's box; whole cells are counted, see DensityGrid); the
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
