package sqlstore

import (
	"context"
	"database/sql"
	"strconv"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/bmkg/mkggraph/mkg"
)

const strikeColumns = `time_ms, latitude, longitude, type, polarity, peak_current_ka, energy_j, area_km2, network`

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
		// The first condition bounds the index scan; the second decides.
		w.add("time_ms >= ?", ms)
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
