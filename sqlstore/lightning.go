package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"

	"github.com/bmkg/mkggraph/mkg"
)

const strikeColumns = `time_ms, latitude, longitude, type, polarity, peak_current_ka, energy_j, area_km2, network`

// strikeBatch is how many strikes one SQLite statement inserts (9 values
// each, under SQLite's 32,766 parameters).
const strikeBatch = 2000

// InsertStrikes implements mkg.LightningWriter: COPY into a temporary table
// and one INSERT … ON CONFLICT DO NOTHING on PostgreSQL; multi-row INSERTs
// in one transaction on SQLite.
func (s *Store) InsertStrikes(ctx context.Context, strikes []mkg.Strike) (int, error) {
	if len(strikes) == 0 {
		return 0, nil
	}
	if s.dialect.name == "postgres" {
		return s.copyStrikes(ctx, strikes)
	}
	inserted := 0
	err := s.tx(ctx, func(q sqlx.ExtContext) error {
		for i := 0; i < len(strikes); i += strikeBatch {
			batch := strikes[i:min(i+strikeBatch, len(strikes))]
			args := make([]any, 0, 9*len(batch))
			for _, st := range batch {
				args = append(args, strikeValues(&st)...)
			}
			rows := strings.TrimSuffix(strings.Repeat("(?, ?, ?, ?, ?, ?, ?, ?, ?), ", len(batch)), ", ")
			res, err := q.ExecContext(ctx, `INSERT INTO lightning_strikes (`+strikeColumns+`) VALUES `+rows+` ON CONFLICT DO NOTHING`, args...)
			if err != nil {
				return s.wrap(err)
			}
			n, _ := res.RowsAffected()
			inserted += int(n)
		}
		return nil
	})
	return inserted, err
}

func strikeValues(st *mkg.Strike) []any {
	return []any{st.Time.UnixMilli(), st.Latitude, st.Longitude, st.Type, st.Polarity, st.PeakCurrentKA, st.EnergyJ, st.AreaKm2, st.Network}
}

func (s *Store) copyStrikes(ctx context.Context, strikes []mkg.Strike) (int, error) {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return 0, s.wrap(err)
	}
	defer tx.Rollback()
	s.statements.Add(4)
	if _, err := tx.ExecContext(ctx, `CREATE TEMP TABLE lightning_load (time_ms BIGINT, latitude DOUBLE PRECISION,
		longitude DOUBLE PRECISION, type TEXT, polarity SMALLINT, peak_current_ka DOUBLE PRECISION, energy_j DOUBLE PRECISION,
		area_km2 DOUBLE PRECISION, network TEXT) ON COMMIT DROP`); err != nil {
		return 0, s.wrap(err)
	}
	stmt, err := tx.PrepareContext(ctx, pq.CopyIn("lightning_load", strings.Split(strings.ReplaceAll(strikeColumns, " ", ""), ",")...))
	if err != nil {
		return 0, s.wrap(err)
	}
	for i := range strikes {
		if _, err := stmt.ExecContext(ctx, strikeValues(&strikes[i])...); err != nil {
			stmt.Close()
			return 0, s.wrap(err)
		}
	}
	if _, err := stmt.ExecContext(ctx); err != nil {
		stmt.Close()
		return 0, s.wrap(err)
	}
	if err := stmt.Close(); err != nil {
		return 0, s.wrap(err)
	}
	res, err := tx.ExecContext(ctx, `INSERT INTO lightning_strikes (`+strikeColumns+`)
		SELECT `+strikeColumns+` FROM lightning_load ON CONFLICT DO NOTHING`)
	if err != nil {
		return 0, s.wrap(err)
	}
	n, _ := res.RowsAffected()
	return int(n), s.wrap(tx.Commit())
}

type strikeRow struct {
	ID          int64           `db:"id"`
	TimeMs      int64           `db:"time_ms"`
	Latitude    float64         `db:"latitude"`
	Longitude   float64         `db:"longitude"`
	Type        string          `db:"type"`
	Polarity    int             `db:"polarity"`
	PeakCurrent sql.NullFloat64 `db:"peak_current_ka"`
	Energy      sql.NullFloat64 `db:"energy_j"`
	Area        sql.NullFloat64 `db:"area_km2"`
	Network     string          `db:"network"`
}

func (r *strikeRow) strike() *mkg.Strike {
	st := &mkg.Strike{ID: r.ID, Time: time.UnixMilli(r.TimeMs).UTC(), Latitude: r.Latitude, Longitude: r.Longitude,
		Type: r.Type, Polarity: r.Polarity, Network: r.Network}
	for _, f := range []struct {
		v   sql.NullFloat64
		dst **float64
	}{{r.PeakCurrent, &st.PeakCurrentKA}, {r.Energy, &st.EnergyJ}, {r.Area, &st.AreaKm2}} {
		if f.v.Valid {
			*f.dst = mkg.Ptr(f.v.Float64)
		}
	}
	return st
}

// lightningWhere is the window and box condition; the window comes first
// so the (time_ms, latitude, longitude) index serves both.
func lightningWhere(f mkg.LightningFilter) where {
	var w where
	w.add("time_ms >= ? AND time_ms < ?", f.From.UnixMilli(), f.To.UnixMilli())
	w.bbox(f.BBox, "latitude", "longitude")
	return w
}

// LightningStrikes implements mkg.LightningReader.
func (s *Store) LightningStrikes(ctx context.Context, f mkg.LightningFilter, p mkg.Page) (*mkg.LightningPage, error) {
	if err := f.Validate(); err != nil {
		return nil, err
	}
	w := lightningWhere(f)
	if c := p.After; c != nil {
		ms, err := strconv.ParseInt(c.Value, 10, 64)
		if c.Order != mkg.OrderLightning || err != nil {
			return nil, mkg.Invalid("after", "cursor is not valid for this list")
		}
		w.add("time_ms > ? OR (time_ms = ? AND id > ?)", ms, ms, c.ID)
	}
	var rows []strikeRow
	query := `SELECT id, ` + strikeColumns + ` FROM lightning_strikes WHERE ` + w.sql() + ` ORDER BY time_ms, id LIMIT ?`
	if err := sqlx.SelectContext(ctx, s.q(), &rows, s.rebind(query), append(w.args, p.Limit+1)...); err != nil {
		return nil, s.wrap(err)
	}
	page := &mkg.LightningPage{HasNext: len(rows) > p.Limit}
	for i := range rows[:min(len(rows), p.Limit)] {
		page.Strikes = append(page.Strikes, rows[i].strike())
		page.Cursors = append(page.Cursors, mkg.Cursor{Order: mkg.OrderLightning, ID: rows[i].ID, Value: strconv.FormatInt(rows[i].TimeMs, 10)})
	}
	return page, nil
}

// LightningDensity implements mkg.LightningReader: the cell of each strike
// is computed and counted by the database (GROUP BY), so only the non-empty
// cells travel.
func (s *Store) LightningDensity(ctx context.Context, f mkg.LightningFilter, g mkg.DensityGrid) ([]mkg.DensityCell, error) {
	if err := f.Validate(); err != nil {
		return nil, err
	}
	w := lightningWhere(f)
	cell := func(col string, origin, step float64) string {
		// Offsets from the box's south-west corner are never negative, so
		// truncation is floor; PostgreSQL's integer cast rounds instead.
		e := fmt.Sprintf("(%s - %s) / %s", col, formatFloat(origin), formatFloat(step))
		if s.dialect.name == "postgres" {
			return "CAST(floor(" + e + ") AS INTEGER)"
		}
		return "CAST(" + e + " AS INTEGER)"
	}
	query := `SELECT ` + cell("latitude", g.South, g.DLat) + ` AS r, ` + cell("longitude", g.West, g.DLon) + ` AS c, COUNT(*) AS n
		FROM lightning_strikes WHERE ` + w.sql() + ` GROUP BY 1, 2 ORDER BY 1, 2`
	var rows []struct {
		R int `db:"r"`
		C int `db:"c"`
		N int `db:"n"`
	}
	if err := sqlx.SelectContext(ctx, s.q(), &rows, s.rebind(query), w.args...); err != nil {
		return nil, s.wrap(err)
	}
	out := make([]mkg.DensityCell, len(rows))
	for i, r := range rows {
		out[i] = mkg.DensityCell{Row: r.R, Col: r.C, Count: r.N}
	}
	return out, nil
}
