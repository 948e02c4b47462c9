package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/bmkg/mkggraph/mkg"
)

const earthquakeColumns = `q.id, q.event_id, q.origin_time, q.latitude, q.longitude, q.depth_km, q.magnitude, q.magnitude_type,
	q.region, q.tsunami_potential, q.felt_text, q.felt_json, q.shakemap, q.evaluation_status, q.solution_feed,
	q.created_at, q.updated_at`

type earthquakeRow struct {
	ID               int64           `db:"id"`
	EventID          sql.NullString  `db:"event_id"`
	OriginTime       dbTime          `db:"origin_time"`
	Latitude         float64         `db:"latitude"`
	Longitude        float64         `db:"longitude"`
	DepthKm          sql.NullFloat64 `db:"depth_km"`
	Magnitude        sql.NullFloat64 `db:"magnitude"`
	MagnitudeType    string          `db:"magnitude_type"`
	Region           string          `db:"region"`
	TsunamiPotential string          `db:"tsunami_potential"`
	FeltText         string          `db:"felt_text"`
	FeltJSON         string          `db:"felt_json"`
	Shakemap         string          `db:"shakemap"`
	EvaluationStatus string          `db:"evaluation_status"`
	SolutionFeed     string          `db:"solution_feed"`
	CreatedAt        dbTime          `db:"created_at"`
	UpdatedAt        dbTime          `db:"updated_at"`
	DistanceKm       sql.NullFloat64 `db:"distance_km"`
}

func (r *earthquakeRow) earthquake() (*mkg.Earthquake, error) {
	q := &mkg.Earthquake{ID: r.ID, SolutionFeed: r.SolutionFeed, CreatedAt: r.CreatedAt.Time, UpdatedAt: r.UpdatedAt.Time, EarthquakeValues: mkg.EarthquakeValues{
		EventID: r.EventID.String, OriginTime: r.OriginTime.Time, Latitude: r.Latitude, Longitude: r.Longitude,
		MagnitudeType: r.MagnitudeType, Region: r.Region, TsunamiPotential: r.TsunamiPotential,
		FeltText: r.FeltText, Shakemap: r.Shakemap, EvaluationStatus: r.EvaluationStatus,
	}}
	if r.DepthKm.Valid {
		q.DepthKm = mkg.Ptr(r.DepthKm.Float64)
	}
	if r.Magnitude.Valid {
		q.Magnitude = mkg.Ptr(r.Magnitude.Float64)
	}
	if err := json.Unmarshal([]byte(r.FeltJSON), &q.Felt); err != nil {
		return nil, err
	}
	return q, nil
}

// earthquakeQuery builds the filtered event set, like stationQuery.
func earthquakeQuery(f mkg.EarthquakeFilter) (from string, fromArgs []any, w where) {
	if f.From != nil {
		w.add("q.origin_time >= ?", dbTime{*f.From})
	}
	if f.To != nil {
		w.add("q.origin_time <= ?", dbTime{*f.To})
	}
	if f.MinMagnitude != nil {
		w.add("q.magnitude >= ?", *f.MinMagnitude)
	}
	if f.MaxMagnitude != nil {
		w.add("q.magnitude <= ?", *f.MaxMagnitude)
	}
	if f.MaxDepthKm != nil {
		w.add("q.depth_km <= ?", *f.MaxDepthKm)
	}
	if f.StoredAfter != nil {
		w.add("q.updated_at > ?", dbTime{*f.StoredAfter})
	}
	if f.EventID != "" {
		w.add("q.event_id = ?", f.EventID)
	}
	if len(f.Feeds) > 0 {
		args := make([]any, len(f.Feeds))
		ph := make([]string, len(f.Feeds))
		for i, feed := range f.Feeds {
			args[i], ph[i] = feed, "?"
		}
		w.add("EXISTS (SELECT 1 FROM earthquake_sources es WHERE es.earthquake_id = q.id AND es.feed IN ("+joinComma(ph)+"))", args...)
	}
	if f.BBox != nil {
		w.bbox(*f.BBox, "q.latitude", "q.longitude")
	}
	if f.Near == nil {
		return "earthquakes q", nil, w
	}
	return near("earthquakes", "q", *f.Near, w)
}

// Earthquakes implements mkg.EarthquakeReader.
func (s *Store) Earthquakes(ctx context.Context, f mkg.EarthquakeFilter, order mkg.EarthquakeOrder, p mkg.Page) (*mkg.EarthquakePage, error) {
	if err := f.Validate(order); err != nil {
		return nil, err
	}
	from, args, w := earthquakeQuery(f)
	cols := earthquakeColumns
	if f.Near != nil {
		cols += ", q.distance_km"
	}
	orderBy, err := earthquakeKeyset(&w, order, p.After)
	if err != nil {
		return nil, err
	}
	query := "SELECT " + cols + " FROM " + from + " WHERE " + w.sql() + " ORDER BY " + orderBy + " LIMIT ?"
	rows := make([]earthquakeRow, 0, p.Limit+1) // sqlx appends: no regrowth (p.Limit is bounded)
	if err := sqlx.SelectContext(ctx, s.reads(), &rows, s.rebind(query), append(append(args, w.args...), p.Limit+1)...); err != nil {
		return nil, s.wrap(err)
	}
	page := &mkg.EarthquakePage{HasNextPage: len(rows) > p.Limit}
	rows = rows[:min(len(rows), p.Limit)]
	quakes := make([]*mkg.Earthquake, len(rows))
	page.Edges = make([]mkg.EarthquakeEdge, 0, len(rows))
	for i := range rows {
		if quakes[i], err = rows[i].earthquake(); err != nil {
			return nil, err
		}
		edge := mkg.EarthquakeEdge{Earthquake: quakes[i], Cursor: earthquakeCursor(order, &rows[i])}
		if rows[i].DistanceKm.Valid {
			edge.DistanceKm = mkg.Ptr(rows[i].DistanceKm.Float64)
		}
		page.Edges = append(page.Edges, edge)
	}
	return page, nil
}

// earthquakeKeyset adds the condition that starts the page after the cursor
// and returns the ORDER BY. Events without a magnitude sort last when
// ordering by magnitude (their key is -99).
func earthquakeKeyset(w *where, order mkg.EarthquakeOrder, c *mkg.Cursor) (string, error) {
	const magKey = "COALESCE(q.magnitude, -99)"
	orderBy := map[mkg.EarthquakeOrder]string{
		mkg.OrderTimeDesc:      "q.origin_time DESC, q.id DESC",
		mkg.OrderTimeAsc:       "q.origin_time, q.id",
		mkg.OrderMagnitudeDesc: magKey + " DESC, q.id DESC",
		mkg.OrderDistance:      "q.distance_km, q.id",
	}[order]
	if c == nil {
		return orderBy, nil
	}
	if c.Order != string(order) {
		return "", mkg.Invalid("after", "cursor belongs to another ordering of this list")
	}
	switch order {
	case mkg.OrderTimeDesc, mkg.OrderTimeAsc:
		t, err := time.Parse(time.RFC3339Nano, c.Value)
		if err != nil {
			return "", mkg.Invalid("after", "cursor is not valid for this list")
		}
		op := "<"
		if order == mkg.OrderTimeAsc {
			op = ">"
		}
		w.add("q.origin_time "+op+" ? OR (q.origin_time = ? AND q.id "+op+" ?)", dbTime{t}, dbTime{t}, c.ID)
	case mkg.OrderMagnitudeDesc:
		m, err := c.Float()
		if err != nil {
			return "", err
		}
		w.add(magKey+" < ? OR ("+magKey+" = ? AND q.id < ?)", m, m, c.ID)
	case mkg.OrderDistance:
		d, err := c.Float()
		if err != nil {
			return "", err
		}
		w.add("q.distance_km > ? OR (q.distance_km = ? AND q.id > ?)", d, d, c.ID)
	}
	return orderBy, nil
}

func earthquakeCursor(order mkg.EarthquakeOrder, r *earthquakeRow) mkg.Cursor {
	c := mkg.Cursor{Order: string(order), ID: r.ID}
	switch order {
	case mkg.OrderMagnitudeDesc:
		m := -99.0
		if r.Magnitude.Valid {
			m = r.Magnitude.Float64
		}
		c.Value = formatFloat(m)
	case mkg.OrderDistance:
		c.Value = formatFloat(r.DistanceKm.Float64)
	default:
		c.Value = r.OriginTime.Time.UTC().Format(time.RFC3339Nano)
	}
	return c
}

// CountEarthquakes implements mkg.EarthquakeReader.
func (s *Store) CountEarthquakes(ctx context.Context, f mkg.EarthquakeFilter) (int, error) {
	if err := f.Validate(mkg.OrderTimeDesc); err != nil {
		return 0, err
	}
	if f.MinMagnitude == nil && f.MaxMagnitude == nil && f.MaxDepthKm == nil && f.BBox == nil && f.Near == nil &&
		f.EventID == "" && len(f.Feeds) == 0 && f.StoredAfter == nil {
		return s.countEarthquakesInWindow(ctx, inclusive(f.From, f.To))
	}
	from, args, w := earthquakeQuery(f)
	var n int
	err := sqlx.GetContext(ctx, s.q(), &n, s.rebind("SELECT COUNT(*) FROM "+from+" WHERE "+w.sql()), append(args, w.args...)...)
	return n, s.wrap(err)
}

// countEarthquakesInWindow counts the events of a time window: whole days
// from day_counts, the partial days at its edges through the time index.
func (s *Store) countEarthquakesInWindow(ctx context.Context, win timeWindow) (int, error) {
	var n int64
	days, whole, edges := win.split()
	if whole {
		c, err := s.sumDayCounts(ctx, countEarthquakes, []string{allKeys}, days)
		if err != nil {
			return 0, err
		}
		n = c[allKeys]
	}
	for _, e := range edges {
		var m int64
		err := sqlx.GetContext(ctx, s.q(), &m, s.rebind(`SELECT COUNT(*) FROM earthquakes q WHERE q.origin_time >= ? AND q.origin_time < ?`),
			dbTime{*e.lo}, dbTime{*e.hi})
		if err != nil {
			return 0, s.wrap(err)
		}
		n += m
	}
	return int(n), nil
}

// LatestEarthquake implements mkg.EarthquakeReader.
func (s *Store) LatestEarthquake(ctx context.Context) (*mkg.Earthquake, error) {
	page, err := s.Earthquakes(ctx, mkg.EarthquakeFilter{}, mkg.OrderTimeDesc, mkg.Page{Limit: 1})
	if err != nil {
		return nil, err
	}
	if len(page.Edges) == 0 {
		return nil, mkg.NotFound("earthquake")
	}
	return page.Edges[0].Earthquake, nil
}

// EarthquakesByID implements mkg.EarthquakeReader.
func (s *Store) EarthquakesByID(ctx context.Context, ids []int64) ([]*mkg.Earthquake, error) {
	return byID(s, ids, "SELECT "+earthquakeColumns+" FROM earthquakes q WHERE q.id IN (?)", func(q *mkg.Earthquake) int64 { return q.ID },
		func(query string, args ...any) ([]*mkg.Earthquake, error) {
			return s.selectEarthquakes(ctx, s.q(), query, args...)
		})
}

// EarthquakesStoredSince implements mkg.EarthquakeReader. It reads the
// index on (updated_at, id).
func (s *Store) EarthquakesStoredSince(ctx context.Context, f mkg.EarthquakeFilter, since time.Time, limit int) ([]*mkg.Earthquake, error) {
	f.StoredAfter = &since
	from, args, w := earthquakeQuery(f)
	query := "SELECT " + earthquakeColumns + " FROM " + from + " WHERE " + w.sql() + " ORDER BY q.updated_at, q.id LIMIT ?"
	return s.selectEarthquakes(ctx, s.q(), s.rebind(query), append(append(args, w.args...), limit)...)
}

func (s *Store) selectEarthquakes(ctx context.Context, q sqlx.ExtContext, query string, args ...any) ([]*mkg.Earthquake, error) {
	return selectAs(ctx, s, q, (*earthquakeRow).earthquake, query, args...)
}

// SourcesOfEarthquakes implements mkg.EarthquakeReader.
func (s *Store) SourcesOfEarthquakes(ctx context.Context, ids []int64) ([][]mkg.EarthquakeSource, error) {
	out := make([][]mkg.EarthquakeSource, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	quakes := make([]*mkg.Earthquake, len(ids))
	for i, id := range ids {
		quakes[i] = &mkg.Earthquake{ID: id}
	}
	if err := s.attachSourcesWith(ctx, s.q(), quakes); err != nil {
		return nil, err
	}
	for i, q := range quakes {
		out[i] = q.Sources
		if out[i] == nil {
			out[i] = []mkg.EarthquakeSource{}
		}
	}
	return out, nil
}

// attachSourcesWith loads the feeds of a set of events in one statement.
func (s *Store) attachSourcesWith(ctx context.Context, q sqlx.ExtContext, quakes []*mkg.Earthquake) error {
	if len(quakes) == 0 {
		return nil
	}
	byID := map[int64][]*mkg.Earthquake{}
	ids := make([]int64, 0, len(quakes))
	for _, e := range quakes {
		if _, seen := byID[e.ID]; !seen {
			ids = append(ids, e.ID)
		}
		byID[e.ID] = append(byID[e.ID], e)
	}
	var rows []struct {
		EarthquakeID  int64  `db:"earthquake_id"`
		Feed          string `db:"feed"`
		SourceEventID string `db:"source_event_id"`
		Report        string `db:"report"`
		FirstSeenAt   dbTime `db:"first_seen_at"`
		LastSeenAt    dbTime `db:"last_seen_at"`
	}
	if err := s.selectIn(ctx, q, &rows, `SELECT earthquake_id, feed, source_event_id, report, first_seen_at, last_seen_at FROM earthquake_sources
		WHERE earthquake_id IN (?) ORDER BY earthquake_id, first_seen_at, feed`, ids); err != nil {
		return err
	}
	for _, r := range rows {
		src := mkg.EarthquakeSource{Feed: r.Feed, SourceEventID: r.SourceEventID, FirstSeenAt: r.FirstSeenAt.Time, LastSeenAt: r.LastSeenAt.Time}
		if err := json.Unmarshal([]byte(r.Report), &src.Report); err != nil {
			return err
		}
		for _, e := range byID[r.EarthquakeID] {
			e.Sources = append(e.Sources, src)
		}
	}
	return nil
}
