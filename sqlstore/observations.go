package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/bmkg/mkggraph/mkg"
)

const observationColumns = `o.id, o.station_wmo, o.observed_at, o.ttaaii, o.cccc, o.yygggg, o.bbb, o.report_text, o.is_nil,
	o.values_json, o.problems_json, o.source, o.received_at, o.updated_at`

type observationRow struct {
	ID           int64          `db:"id"`
	StationWMO   string         `db:"station_wmo"`
	ObservedAt   dbTime         `db:"observed_at"`
	TTAAii       string         `db:"ttaaii"`
	CCCC         string         `db:"cccc"`
	YYGGgg       string         `db:"yygggg"`
	BBB          string         `db:"bbb"`
	ReportText   string         `db:"report_text"`
	IsNil        bool           `db:"is_nil"`
	ValuesJSON   sql.NullString `db:"values_json"`
	ProblemsJSON string         `db:"problems_json"`
	Source       string         `db:"source"`
	ReceivedAt   dbTime         `db:"received_at"`
	UpdatedAt    dbTime         `db:"updated_at"`
	Rn           int            `db:"rn"`
}

func (r *observationRow) observation() (*mkg.Observation, error) {
	o := &mkg.Observation{
		ID: r.ID, StationWMO: r.StationWMO, ObservedAt: r.ObservedAt.Time,
		Heading: mkg.BulletinHeading{TTAAii: r.TTAAii, CCCC: r.CCCC, YYGGgg: r.YYGGgg, BBB: r.BBB},
		Text:    r.ReportText, Nil: r.IsNil, Source: r.Source, ReceivedAt: r.ReceivedAt.Time, UpdatedAt: r.UpdatedAt.Time,
	}
	if r.ValuesJSON.Valid {
		o.Values = new(mkg.SynopValues)
		if err := json.Unmarshal([]byte(r.ValuesJSON.String), o.Values); err != nil {
			return nil, err
		}
	}
	if err := json.Unmarshal([]byte(r.ProblemsJSON), &o.Problems); err != nil {
		return nil, err
	}
	return o, nil
}

func observationConditions(f mkg.ObservationFilter) where {
	var w where
	if len(f.StationWMOs) > 0 || len(f.StationIDs) > 0 {
		var ors []string
		if len(f.StationWMOs) > 0 {
			ors = append(ors, "o.station_wmo IN ("+placeholders(len(f.StationWMOs))+")")
			for _, v := range f.StationWMOs {
				w.args = append(w.args, v)
			}
		}
		if len(f.StationIDs) > 0 {
			ors = append(ors, "o.station_wmo IN (SELECT wmo_index FROM stations WHERE id IN ("+placeholders(len(f.StationIDs))+"))")
			for _, v := range f.StationIDs {
				w.args = append(w.args, v)
			}
		}
		w.conds = append(w.conds, strings.Join(ors, " OR "))
	}
	if f.From != nil {
		w.add("o.observed_at >= ?", dbTime{*f.From})
	}
	if f.To != nil {
		w.add("o.observed_at <= ?", dbTime{*f.To})
	}
	if !f.IncludeNil {
		w.add("NOT o.is_nil")
	}
	return w
}

func placeholders(n int) string {
	return strings.TrimSuffix(strings.Repeat("?, ", n), ", ")
}

// observationKeyset starts a newest-first page after the cursor.
func observationKeyset(w *where, c *mkg.Cursor) error {
	if c == nil {
		return nil
	}
	if c.Order != mkg.OrderObservationTime {
		return mkg.Invalid("after", "cursor belongs to another list")
	}
	t, err := time.Parse(time.RFC3339Nano, c.Value)
	if err != nil {
		return mkg.Invalid("after", "cursor is not valid for this list")
	}
	w.add("o.observed_at < ? OR (o.observed_at = ? AND o.id < ?)", dbTime{t}, dbTime{t}, c.ID)
	return nil
}

func observationCursor(o *mkg.Observation) mkg.Cursor {
	return mkg.Cursor{Order: mkg.OrderObservationTime, Value: o.ObservedAt.UTC().Format(time.RFC3339Nano), ID: o.ID}
}

// Observations implements mkg.ObservationReader.
func (s *Store) Observations(ctx context.Context, f mkg.ObservationFilter, p mkg.Page) (*mkg.ObservationPage, error) {
	if err := f.Validate("filter"); err != nil {
		return nil, err
	}
	w := observationConditions(f)
	if err := observationKeyset(&w, p.After); err != nil {
		return nil, err
	}
	query := "SELECT " + observationColumns + " FROM observations o WHERE " + w.sql() + " ORDER BY o.observed_at DESC, o.id DESC LIMIT ?"
	obs, err := s.selectObservations(ctx, s.rebind(query), append(w.args, p.Limit+1)...)
	if err != nil {
		return nil, err
	}
	return pageOf(obs, p.Limit), nil
}

func pageOf(obs []*mkg.Observation, limit int) *mkg.ObservationPage {
	page := &mkg.ObservationPage{HasNextPage: len(obs) > limit}
	for _, o := range obs[:min(len(obs), limit)] {
		page.Edges = append(page.Edges, mkg.ObservationEdge{Observation: o, Cursor: observationCursor(o)})
	}
	return page
}

// ObservationsOfStations returns one page per station, all in one statement:
// a window function numbers each station's rows newest first.
func (s *Store) ObservationsOfStations(ctx context.Context, wmos []string, f mkg.ObservationFilter, p mkg.Page) ([]*mkg.ObservationPage, error) {
	f.StationWMOs, f.StationIDs = wmos, nil
	out := make([]*mkg.ObservationPage, len(wmos))
	if err := f.Validate(""); err != nil {
		return nil, err
	}
	if len(wmos) == 0 {
		return out, nil
	}
	w := observationConditions(f)
	if err := observationKeyset(&w, p.After); err != nil {
		return nil, err
	}
	query := `SELECT * FROM (SELECT ` + observationColumns + `,
		ROW_NUMBER() OVER (PARTITION BY o.station_wmo ORDER BY o.observed_at DESC, o.id DESC) AS rn
		FROM observations o WHERE ` + w.sql() + `) o WHERE o.rn <= ? ORDER BY o.station_wmo, o.rn`
	obs, err := s.selectObservations(ctx, s.rebind(query), append(w.args, p.Limit+1)...)
	if err != nil {
		return nil, err
	}
	byWMO := map[string][]*mkg.Observation{}
	for _, o := range obs {
		byWMO[o.StationWMO] = append(byWMO[o.StationWMO], o)
	}
	for i, wmo := range wmos {
		out[i] = pageOf(byWMO[wmo], p.Limit)
	}
	return out, nil
}

// CountObservationsOfStations counts each station's matching observations in
// one statement.
func (s *Store) CountObservationsOfStations(ctx context.Context, wmos []string, f mkg.ObservationFilter) ([]int, error) {
	f.StationWMOs, f.StationIDs = wmos, nil
	out := make([]int, len(wmos))
	if err := f.Validate(""); err != nil || len(wmos) == 0 {
		return out, err
	}
	w := observationConditions(f)
	var rows []struct {
		StationWMO string `db:"station_wmo"`
		N          int    `db:"n"`
	}
	query := "SELECT o.station_wmo, COUNT(*) AS n FROM observations o WHERE " + w.sql() + " GROUP BY o.station_wmo"
	if err := sqlx.SelectContext(ctx, s.q(), &rows, s.rebind(query), w.args...); err != nil {
		return nil, s.wrap(err)
	}
	counts := map[string]int{}
	for _, r := range rows {
		counts[r.StationWMO] = r.N
	}
	for i, wmo := range wmos {
		out[i] = counts[wmo]
	}
	return out, nil
}

// CountObservations implements mkg.ObservationReader.
func (s *Store) CountObservations(ctx context.Context, f mkg.ObservationFilter) (int, error) {
	if err := f.Validate("filter"); err != nil {
		return 0, err
	}
	w := observationConditions(f)
	var n int
	err := sqlx.GetContext(ctx, s.q(), &n, s.rebind("SELECT COUNT(*) FROM observations o WHERE "+w.sql()), w.args...)
	return n, s.wrap(err)
}

// LatestObservations implements mkg.ObservationReader.
func (s *Store) LatestObservations(ctx context.Context, wmos []string) ([]*mkg.Observation, error) {
	out := make([]*mkg.Observation, len(wmos))
	if len(wmos) == 0 {
		return out, nil
	}
	query, args, err := s.in(`SELECT `+observationColumns+` FROM observations o
		JOIN (SELECT station_wmo, MAX(observed_at) AS latest FROM observations
		      WHERE station_wmo IN (?) AND NOT is_nil GROUP BY station_wmo) m
		  ON o.station_wmo = m.station_wmo AND o.observed_at = m.latest`, wmos)
	if err != nil {
		return nil, err
	}
	obs, err := s.selectObservations(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	byWMO := map[string]*mkg.Observation{}
	for _, o := range obs {
		byWMO[o.StationWMO] = o
	}
	for i, w := range wmos {
		out[i] = byWMO[w]
	}
	return out, nil
}

// ObservationsByID implements mkg.ObservationReader.
func (s *Store) ObservationsByID(ctx context.Context, ids []int64) ([]*mkg.Observation, error) {
	out := make([]*mkg.Observation, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	query, args, err := s.in(`SELECT `+observationColumns+` FROM observations o WHERE o.id IN (?)`, ids)
	if err != nil {
		return nil, err
	}
	obs, err := s.selectObservations(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	byID := map[int64]*mkg.Observation{}
	for _, o := range obs {
		byID[o.ID] = o
	}
	for i, id := range ids {
		out[i] = byID[id]
	}
	return out, nil
}

func (s *Store) selectObservations(ctx context.Context, query string, args ...any) ([]*mkg.Observation, error) {
	var rows []observationRow
	if err := sqlx.SelectContext(ctx, s.q(), &rows, query, args...); err != nil {
		return nil, s.wrap(err)
	}
	out := make([]*mkg.Observation, len(rows))
	for i := range rows {
		var err error
		if out[i], err = rows[i].observation(); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// UpsertObservations implements mkg.ObservationWriter.
func (s *Store) UpsertObservations(ctx context.Context, obs []mkg.Observation) ([]mkg.WriteResult, error) {
	out := make([]mkg.WriteResult, len(obs))
	if err := s.ensureObservationPartitions(ctx, obs); err != nil {
		return out, err
	}
	for i := range obs {
		if err := ctx.Err(); err != nil {
			return out, err
		}
		if err := validateObservation(&obs[i], s.now()); err != nil {
			out[i] = mkg.WriteResult{Outcome: mkg.Rejected, Err: err}
			continue
		}
		err := s.tx(ctx, func(q sqlx.ExtContext) error {
			var err error
			out[i], err = s.upsertObservation(ctx, q, &obs[i])
			return err
		})
		if err != nil {
			out[i] = mkg.WriteResult{Outcome: mkg.Rejected, Err: err}
		}
	}
	return out, nil
}

func validateObservation(o *mkg.Observation, now time.Time) error {
	if !mkg.IsWMOIndex(o.StationWMO) {
		return mkg.Invalid("station", "station index %q is not 5 digits", o.StationWMO)
	}
	if o.ObservedAt.IsZero() {
		return mkg.Invalid("observedAt", "observation time is missing")
	}
	if o.ObservedAt.After(now.Add(time.Hour)) {
		return mkg.Invalid("observedAt", "observation time %s is in the future", o.ObservedAt.UTC().Format(time.RFC3339))
	}
	return nil
}

func (s *Store) upsertObservation(ctx context.Context, q sqlx.ExtContext, o *mkg.Observation) (mkg.WriteResult, error) {
	var row observationRow
	err := sqlx.GetContext(ctx, q, &row, s.rebind(`SELECT `+observationColumns+` FROM observations o WHERE station_wmo = ? AND observed_at = ?`),
		o.StationWMO, dbTime{o.ObservedAt})
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return mkg.WriteResult{}, s.wrap(err)
	}
	values, problems, err := encodeObservation(o)
	if err != nil {
		return mkg.WriteResult{}, err
	}
	now := dbTime{s.now()}
	if row.ID == 0 {
		var id int64
		err := sqlx.GetContext(ctx, q, &id, s.rebind(`INSERT INTO observations (station_wmo, observed_at, ttaaii, cccc, yygggg, bbb,
			report_text, is_nil, values_json, problems_json, source, received_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`),
			o.StationWMO, dbTime{o.ObservedAt}, o.Heading.TTAAii, o.Heading.CCCC, o.Heading.YYGGgg, o.Heading.BBB, o.Text, o.Nil,
			values, problems, o.Source, now, now)
		return mkg.WriteResult{Outcome: mkg.Inserted, ID: id}, s.wrap(err)
	}
	stored, err := row.observation()
	if err != nil {
		return mkg.WriteResult{}, err
	}
	if !mkg.Supersedes(stored, o) {
		return mkg.WriteResult{Outcome: mkg.Unchanged, ID: row.ID}, nil
	}
	_, err = q.ExecContext(ctx, s.rebind(`UPDATE observations SET ttaaii = ?, cccc = ?, yygggg = ?, bbb = ?, report_text = ?, is_nil = ?,
		values_json = ?, problems_json = ?, source = ?, updated_at = ? WHERE id = ?`),
		o.Heading.TTAAii, o.Heading.CCCC, o.Heading.YYGGgg, o.Heading.BBB, o.Text, o.Nil, values, problems, o.Source, now, row.ID)
	return mkg.WriteResult{Outcome: mkg.Updated, ID: row.ID}, s.wrap(err)
}

func encodeObservation(o *mkg.Observation) (values any, problems string, err error) {
	if o.Values != nil {
		b, err := json.Marshal(o.Values)
		if err != nil {
			return nil, "", err
		}
		values = string(b)
	}
	p, err := json.Marshal(nonNil(o.Problems))
	return values, string(p), err
}
