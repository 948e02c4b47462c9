package sqlstore

import (
	"context"
	"slices"
	"strconv"
	"strings"

	"github.com/jmoiron/sqlx"

	"github.com/bmkg/mkggraph/mkg"
)

// LightningDensity implements mkg.LightningReader. A density cell is a
// block of lattice cells (mkg.DensityGrid). When its spans are multiples
// of a roll-up's cell, the window's whole hours are counted from
// lightning_cells and only the minutes before the first and after the last
// whole hour from the strikes; otherwise everything from the strikes. Both
// give the same counts: the roll-ups hold the same lattice cells, computed
// the same way. One statement either way.
func (s *Store) LightningDensity(ctx context.Context, f mkg.LightningFilter, g mkg.DensityGrid) ([]mkg.DensityCell, error) {
	return s.density(ctx, f, g, true)
}

// densityFromStrikes counts every strike, never the roll-ups: what
// LightningDensity must equal.
func (s *Store) densityFromStrikes(ctx context.Context, f mkg.LightningFilter, g mkg.DensityGrid) ([]mkg.DensityCell, error) {
	return s.density(ctx, f, g, false)
}

func (s *Store) density(ctx context.Context, f mkg.LightningFilter, g mkg.DensityGrid, useCells bool) ([]mkg.DensityCell, error) {
	if err := f.Validate(); err != nil {
		return nil, err
	}
	from, to := f.From.UnixMilli(), f.To.UnixMilli()
	var parts []string
	var args []any
	strikes := func(lo, hi int64) {
		if lo < hi {
			q, a := strikeDensity(g, lo, hi)
			parts, args = append(parts, q), append(args, a...)
		}
	}
	first, last := -floorDiv(-from, hourMs)*hourMs, floorDiv(to, hourMs)*hourMs
	if km := cellKmFor(g); useCells && km != 0 && first < last {
		q, a := cellDensity(g, km, first, last)
		parts, args = append(parts, q), append(args, a...)
		strikes(from, first)
		strikes(last, to)
	} else {
		strikes(from, to)
	}
	query := `SELECT r, c, SUM(n) AS n FROM (` + strings.Join(parts, " UNION ALL ") + `) p GROUP BY r, c ORDER BY r, c`
	var rows []struct {
		R int `db:"r"`
		C int `db:"c"`
		N int `db:"n"`
	}
	if err := sqlx.SelectContext(ctx, s.q(), &rows, s.rebind(query), args...); err != nil {
		return nil, s.wrap(err)
	}
	out := make([]mkg.DensityCell, 0, len(rows))
	for _, r := range rows {
		if r.R >= 0 && r.R < g.Rows && r.C >= 0 && r.C < g.Cols {
			out = append(out, mkg.DensityCell{Row: r.R, Col: r.C, Count: r.N})
		}
	}
	return out, nil
}

// cellKmFor returns the largest roll-up cell that tiles the grid's cells
// (their origins are multiples of their spans), or 0.
func cellKmFor(g mkg.DensityGrid) int {
	if g.PerKm != 1 {
		return 0
	}
	for _, km := range slices.Backward(cellKms) {
		if g.RowSpan%km == 0 && g.ColSpan%km == 0 {
			return km
		}
	}
	return 0
}

// cellDensity gives the grid cell and count of each roll-up of km cells,
// for the hours starting in [first, last).
func cellDensity(g mkg.DensityGrid, km int, first, last int64) (string, []any) {
	r0, c0, rs, cs := g.Row0/km, g.Col0/km, g.RowSpan/km, g.ColSpan/km
	return `SELECT (lattice_row - ` + itoa(r0) + `) / ` + itoa(rs) + ` AS r, (lattice_col - ` + itoa(c0) + `) / ` + itoa(cs) + ` AS c,
			strikes AS n
		FROM lightning_cells WHERE cell_km = ? AND hour_ms >= ? AND hour_ms < ?
			AND lattice_row BETWEEN ? AND ? AND lattice_col BETWEEN ? AND ?`,
		[]any{km, first, last, r0, r0 + g.Rows*rs - 1, c0, c0 + g.Cols*cs - 1}
}

// strikeDensity gives the grid cell of each strike of [from, to) within
// the latitude and longitude ranges (checked in the (time, latitude,
// longitude) index), which reach one lattice cell past the grid; cells
// -1 and Rows or Cols are those margins, dropped by density. (A condition
// on the lattice cell itself would hide from the planner how many rows
// come, and get a sort on disk instead of a hash.)
func strikeDensity(g mkg.DensityGrid, from, to int64) (string, []any) {
	// The product is exact in binary, so the literal reads the same
	// everywhere.
	scale := strconv.FormatFloat(mkg.LatticePerDegree*float64(g.PerKm), 'f', -1, 64)
	// (x - origin + span) / span - 1 is floor((x - origin) / span) for
	// x ≥ origin - span, whichever way the database rounds a division.
	row := `(CAST(floor((latitude + 90) * ` + scale + `) AS INTEGER) - ` + itoa(g.Row0-g.RowSpan) + `) / ` + itoa(g.RowSpan) + ` - 1`
	col := `(CAST(floor((longitude + 180) * ` + scale + `) AS INTEGER) - ` + itoa(g.Col0-g.ColSpan) + `) / ` + itoa(g.ColSpan) + ` - 1`
	margin := 1 / (mkg.LatticePerDegree * float64(g.PerKm))
	box := g.Bounds(g.Rows-1, g.Cols-1)
	return `SELECT ` + row + ` AS r, ` + col + ` AS c, 1 AS n
		FROM lightning_strikes WHERE time_ms >= ? AND time_ms < ?
			AND latitude BETWEEN ? AND ? AND longitude BETWEEN ? AND ?`,
		[]any{from, to, g.South - margin, box.North + margin, g.West - margin, box.East + margin}
}

func itoa(i int) string { return strconv.Itoa(i) }
