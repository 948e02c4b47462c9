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
// first put on a lattice of about 1 km (or 0.1 km for cells under 5 km):
// LatticeRow and LatticeCol. A density cell is a block of RowSpan ×
// ColSpan lattice cells, and cells tile the lattice from its origin (the
// south pole and 180° west), so a cell is the same whatever box is asked
// for. The grid is the cells the box touches, counted whole: cells on the
// box's edges reach past it. Spans are whole lattice cells, multiples of
// 25 or 5 of them where that stays within 10 % of the size asked for, so
// that a store keeping counts per lattice cell of 5 and 25 km can answer
// exactly what counting the strikes would.
type DensityGrid struct {
	PerKm            int // lattice cells per km: 1, or 10 for cells under 5 km
	Row0, Col0       int // the grid's south-west lattice cell
	RowSpan, ColSpan int // lattice cells per density cell, north–south and east–west
	Rows, Cols       int
	South, West      float64 // the grid's south-west corner
	DLat, DLon       float64 // cell height and width, degrees
}

// LatticePerDegree is the 1 km lattice's cells per degree: close to the
// 111.32 km of a degree of latitude, and a binary fraction, so Go and
// every SQL engine read the same number.
const LatticePerDegree = 111.3203125

// LatticeRow is the row of latitude lat on the lattice of perKm cells per
// km, counted from the south pole. It is computed as the databases compute
// it, in double precision: floor((lat + 90) · LatticePerDegree · perKm).
func LatticeRow(lat float64, perKm int) int {
	return int(math.Floor((lat + 90) * (LatticePerDegree * float64(perKm))))
}

// LatticeCol is the column of longitude lon, counted from 180° west:
// floor((lon + 180) · LatticePerDegree · perKm).
func LatticeCol(lon float64, perKm int) int {
	return int(math.Floor((lon + 180) * (LatticePerDegree * float64(perKm))))
}

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
	// Spans are whole lattice cells, multiples of 25, else 5, else 1 of
	// them: the coarsest within 10 % of the size asked for, on both axes.
	g := DensityGrid{PerKm: 1}
	latU, lonU := dLat*LatticePerDegree, dLon*LatticePerDegree
	step := 0
	for _, s := range []int{25, 5, 1} {
		if onStep(latU, s) && onStep(lonU, s) {
			step = s
			break
		}
	}
	if step == 0 { // under 5 km: 0.1 km cells, at least 5 of them
		g.PerKm, step, latU, lonU = 10, 1, latU*10, lonU*10
	}
	g.RowSpan = int(math.Round(latU/float64(step))) * step
	g.ColSpan = int(math.Round(lonU/float64(step))) * step
	scale := g.scale()
	g.Row0 = LatticeRow(b.South, g.PerKm) / g.RowSpan * g.RowSpan
	g.Col0 = LatticeCol(b.West, g.PerKm) / g.ColSpan * g.ColSpan
	g.Rows = (LatticeRow(b.North, g.PerKm)-g.Row0)/g.RowSpan + 1
	g.Cols = (LatticeCol(b.East, g.PerKm)-g.Col0)/g.ColSpan + 1
	if g.Rows*g.Cols > MaxDensityCells {
		return DensityGrid{}, Invalid("cellSizeKm", "%d × %d cells is more than %d: use larger cells or a smaller box", g.Rows, g.Cols, MaxDensityCells)
	}
	corner := g.Bounds(0, 0)
	g.South, g.West = corner.South, corner.West
	g.DLat, g.DLon = float64(g.RowSpan)/scale, float64(g.ColSpan)/scale
	return g, nil
}

func (g DensityGrid) scale() float64 { return LatticePerDegree * float64(g.PerKm) }

// onStep reports whether units rounded to a multiple of step stay within
// 10 % of it.
func onStep(units float64, step int) bool {
	n := math.Round(units / float64(step))
	return n >= 1 && math.Abs(n*float64(step)-units) <= 0.1*units
}

// Cell returns the cell holding a position, and whether the grid covers it.
func (g DensityGrid) Cell(lat, lon float64) (row, col int, ok bool) {
	r, c := LatticeRow(lat, g.PerKm)-g.Row0, LatticeCol(lon, g.PerKm)-g.Col0
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
	r, c := float64(g.Row0+row*g.RowSpan), float64(g.Col0+col*g.ColSpan)
	scale := g.scale()
	return BBox{South: r/scale - 90, West: c/scale - 180,
		North: (r+float64(g.RowSpan))/scale - 90, East: (c+float64(g.ColSpan))/scale - 180}
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
