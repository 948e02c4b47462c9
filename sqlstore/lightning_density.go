package sqlstore

import (
	"context"
	"strconv"
	"strings"

	"github.com/jmoiron/sqlx"

	"github.com/bmkg/mkggraph/mkg"
)

// LightningDensity implements mkg.LightningReader. A density cell is a
// block of lattice cells (mkg.DensityGrid). When the grid lies on the
// lattice of a roll-up scale, the window's whole hours are counted from
// lightning_cells and only the minutes before the first and after the last
// whole hour from the strikes; otherwise everything from the strikes. Both
// give the same counts: the roll-ups hold the same lattice cells, computed
// the same way. One statement either way.
func (s *Store) LightningDensity(ctx context.Context, f mkg.LightningFilter, g mkg.DensityGrid) ([]mkg.DensityCell, error) {
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
	if scale := cellScaleFor(g); scale != 0 && first < last {
		q, a := cellDensity(g, scale, first, last)
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
	out := make([]mkg.DensityCell, len(rows))
	for i, r := range rows {
		out[i] = mkg.DensityCell{Row: r.R, Col: r.C, Count: r.N}
	}
	return out, nil
}

// cellScaleFor returns the coarsest roll-up scale whose lattice the grid
// lies on, or 0.
func cellScaleFor(g mkg.DensityGrid) int {
	if g.Scale != 100 {
		return 0
	}
	for _, scale := range []int{10, 100} {
		f := 100 / scale
		if g.Row0%f == 0 && g.Col0%f == 0 && g.RowSpan%f == 0 && g.ColSpan%f == 0 {
			return scale
		}
	}
	return 0
}

// cellDensity counts the grid's cells from the roll-ups of scale, for the
// hours starting in [first, last).
func cellDensity(g mkg.DensityGrid, scale int, first, last int64) (string, []any) {
	f := 100 / scale
	r0, c0, rs, cs := g.Row0/f, g.Col0/f, g.RowSpan/f, g.ColSpan/f
	return `SELECT (lattice_row - ` + itoa(r0) + `) / ` + itoa(rs) + ` AS r, (lattice_col - ` + itoa(c0) + `) / ` + itoa(cs) + ` AS c,
			SUM(strikes) AS n
		FROM lightning_cells WHERE scale = ? AND hour_ms >= ? AND hour_ms < ?
			AND lattice_row BETWEEN ? AND ? AND lattice_col BETWEEN ? AND ?
		GROUP BY 1, 2`,
		[]any{scale, first, last, r0, r0 + g.Rows*rs - 1, c0, c0 + g.Cols*cs - 1}
}

// strikeDensity counts the grid's cells from the strikes of [from, to).
// The latitude and longitude ranges (one lattice cell wider than the grid)
// are checked in the (time, latitude, longitude) index; the lattice
// condition decides.
func strikeDensity(g mkg.DensityGrid, from, to int64) (string, []any) {
	scale := itoa(g.Scale)
	row := `CAST(floor((latitude + 90) * ` + scale + `) AS INTEGER)`
	col := `CAST(floor((longitude + 180) * ` + scale + `) AS INTEGER)`
	margin := 1 / float64(g.Scale)
	box := g.Bounds(g.Rows-1, g.Cols-1)
	return `SELECT (` + row + ` - ` + itoa(g.Row0) + `) / ` + itoa(g.RowSpan) + ` AS r,
			(` + col + ` - ` + itoa(g.Col0) + `) / ` + itoa(g.ColSpan) + ` AS c, COUNT(*) AS n
		FROM lightning_strikes WHERE time_ms >= ? AND time_ms < ?
			AND latitude BETWEEN ? AND ? AND longitude BETWEEN ? AND ?
			AND ` + row + ` BETWEEN ? AND ? AND ` + col + ` BETWEEN ? AND ?
		GROUP BY 1, 2`,
		[]any{from, to, g.South - margin, box.North + margin, g.West - margin, box.East + margin,
			g.Row0, g.Row0 + g.Rows*g.RowSpan - 1, g.Col0, g.Col0 + g.Cols*g.ColSpan - 1}
}

func itoa(i int) string { return strconv.Itoa(i) }
