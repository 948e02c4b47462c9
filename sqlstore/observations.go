package sqlstore

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/json"
	"hash/maphash"
	"slices"
	"strconv"
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

// observation is the row's observation, its decoded values taken from
// decoded when they are there (nil: none), and put there when not.
func (r *observationRow) observation(decoded ObjectCache) (*mkg.Observation, error) {
	o := &mkg.Observation{
		ID: r.ID, StationWMO: r.StationWMO, ObservedAt: r.ObservedAt.Time,
		Heading: mkg.BulletinHeading{TTAAii: r.TTAAii, CCCC: r.CCCC, YYGGgg: r.YYGGgg, BBB: r.BBB},
		Text:    r.ReportText, Nil: r.IsNil, Source: r.Source, ReceivedAt: r.ReceivedAt.Time, UpdatedAt: r.UpdatedAt.Time,
	}
	var key string
	if decoded != nil {
		key = r.decodedKey()
		if v, ok := decoded.Get(key); ok {
			d := v.(decodedObservation)
			o.Values, o.Problems = d.values, d.problems
			return o, nil
		}
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
	if decoded != nil {
		// The decoded form takes about twice the JSON's bytes.
		decoded.Put(key, decodedObservation{o.Values, o.Problems}, 2*(len(r.ValuesJSON.String)+len(r.ProblemsJSON)), 0)
	}
	return o, nil
}

// decodedObservation is what Options.Decoded keeps of an observation.
type decodedObservation struct {
	values   *mkg.SynopValues
	problems []mkg.DecodeProblem
}

// decodedSeed keys decoded values by a hash of their JSON in this process.
var decodedSeed = maphash.MakeSeed()

// decodedKey names the row's decoded values: its id and a hash of the
// JSON they are decoded from, so a revised report is decoded afresh.
func (r *observationRow) decodedKey() string {
	var h maphash.Hash
	h.SetSeed(decodedSeed)
	h.WriteString(r.ValuesJSON.String)
	h.WriteByte(0)
	h.WriteString(r.ProblemsJSON)
	return "obs:" + strconv.FormatInt(r.ID, 10) + ":" + strconv.FormatUint(h.Sum64(), 36)
}

func observationConditions(f mkg.ObservationFilter) where { return observationConditionsOn(f, "o") }

// observationConditionsOn is the filter's conditions on the observations
// table under alias a.
func observationConditionsOn(f mkg.ObservationFilter, a string) where {
	var w where
	if len(f.StationWMOs) > 0 || len(f.StationIDs) > 0 {
		var ors []string
		if len(f.StationWMOs) > 0 {
			ors = append(ors, a+".station_wmo IN ("+placeholders(len(f.StationWMOs))+")")
			for _, v := range f.StationWMOs {
				w.args = append(w.args, v)
			}
		}
		if len(f.StationIDs) > 0 {
			ors = append(ors, a+".station_wmo IN (SELECT wmo_index FROM stations WHERE id IN ("+placeholders(len(f.StationIDs))+"))")
			for _, v := range f.StationIDs {
				w.args = append(w.args, v)
			}
		}
		w.conds = append(w.conds, strings.Join(ors, " OR "))
	}
	if f.From != nil {
		w.add(a+".observed_at >= ?", dbTime{*f.From})
	}
	if f.To != nil {
		w.add(a+".observed_at <= ?", dbTime{*f.To})
	}
	if !f.IncludeNil {
		w.add("NOT " + a + ".is_nil")
	}
	return w
}

func placeholders(n int) string {
	return strings.TrimSuffix(strings.Repeat("?, ", n), ", ")
}

// observationKeyset starts a newest-first page after the cursor.
func observationKeyset(w *where, c *mkg.Cursor) error { return observationKeysetOn(w, c, "o") }

func observationKeysetOn(w *where, c *mkg.Cursor, a string) error {
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
	w.add(a+".observed_at < ? OR ("+a+".observed_at = ? AND "+a+".id < ?)", dbTime{t}, dbTime{t}, c.ID)
	return nil
}

func observationCursor(o *mkg.Observation) mkg.Cursor {
	return mkg.Cursor{Order: mkg.OrderObservationTime, Value: o.ObservedAt.UTC().Format(time.RFC3339Nano), ID: o.ID}
}

// Observations implements mkg.ObservationReader. A list of named stations
// is bounded by their day floor, as their pages in ObservationsOfStations
// are: without it, PostgreSQL walks every station's reports back in time
// through the time index, filtering out the others' (24 ms for one station
// of 249, against 0.5 ms).
func (s *Store) Observations(ctx context.Context, f mkg.ObservationFilter, p mkg.Page) (*mkg.ObservationPage, error) {
	return s.observations(ctx, f, p, true)
}

// observations lists observations newest first; bounded names the named
// stations' day floor (observationFloor) in the statement. Unbounded, it is
// the reference the floor is tested against.
func (s *Store) observations(ctx context.Context, f mkg.ObservationFilter, p mkg.Page, bounded bool) (*mkg.ObservationPage, error) {
	if err := f.Validate("filter"); err != nil {
		return nil, err
	}
	var floor *time.Time
	if bounded && (len(f.StationWMOs) > 0 || len(f.StationIDs) > 0) {
		wmos, err := s.stationKeys(ctx, f)
		if err != nil {
			return nil, err
		}
		if len(wmos) == 0 {
			return &mkg.ObservationPage{}, nil
		}
		f.StationWMOs, f.StationIDs = wmos, nil // the ids, resolved
		if floor, err = s.observationFloor(ctx, wmos, f, p, p.Limit+1); err != nil {
			return nil, err
		}
	}
	w := observationConditions(f)
	if err := observationKeyset(&w, p.After); err != nil {
		return nil, err
	}
	if floor != nil {
		w.add("o.observed_at >= ?", dbTime{*floor})
	}
	query := "SELECT " + observationColumns + " FROM observations o WHERE " + w.sql() + " ORDER BY o.observed_at DESC, o.id DESC LIMIT ?"
	obs, err := s.selectObservations(ctx, p.Limit+1, s.rebind(query), append(w.args, p.Limit+1)...)
	if err != nil {
		return nil, err
	}
	return pageOf(obs, p.Limit), nil
}

func pageOf(obs []*mkg.Observation, limit int) *mkg.ObservationPage {
	page := &mkg.ObservationPage{HasNextPage: len(obs) > limit}
	page.Edges = make([]mkg.ObservationEdge, 0, min(len(obs), limit))
	for _, o := range obs[:min(len(obs), limit)] {
		page.Edges = append(page.Edges, mkg.ObservationEdge{Observation: o, Cursor: observationCursor(o)})
	}
	return page
}

// ObservationsOfStations returns one page per station, all in one statement
// that reads each station's page through the (station, time) index: for
// every station, the time of its page's last report is found by walking
// the index back a page's length, and the rows from then on are read. (A
// window function numbering each station's rows would read all of them:
// a year of hourly reports per station for a page of 24.)
func (s *Store) ObservationsOfStations(ctx context.Context, wmos []string, f mkg.ObservationFilter, p mkg.Page) ([]*mkg.ObservationPage, error) {
	f.StationWMOs, f.StationIDs = nil, nil
	out := make([]*mkg.ObservationPage, len(wmos))
	if err := f.Validate(""); err != nil {
		return nil, err
	}
	if len(wmos) == 0 {
		return out, nil
	}
	w, w2 := observationConditionsOn(f, "o"), observationConditionsOn(f, "o2")
	if err := observationKeysetOn(&w, p.After, "o"); err != nil {
		return nil, err
	}
	if err := observationKeysetOn(&w2, p.After, "o2"); err != nil {
		return nil, err
	}
	floor, err := s.observationFloor(ctx, wmos, f, p, p.Limit+1)
	if err != nil {
		return nil, err
	}
	if floor != nil {
		w.add("o.observed_at >= ?", dbTime{*floor})
		w2.add("o2.observed_at >= ?", dbTime{*floor})
	}
	list, listArg, err := s.dialect.valueList("text", wmos)
	if err != nil {
		return nil, err
	}
	// CROSS JOIN keeps the list the outer loop on SQLite (PostgreSQL
	// plans it as any join); rows are put in order here, not by a sort
	// that a planner might avoid by reading the table in its order.
	query := `SELECT ` + observationColumns + ` FROM ` + list + ` CROSS JOIN observations o
		WHERE o.station_wmo = s.value AND ` + w.sql() + ` AND o.observed_at >= COALESCE((SELECT o2.observed_at
		  FROM observations o2 WHERE o2.station_wmo = s.value AND ` + w2.sql() + `
		  ORDER BY o2.observed_at DESC LIMIT 1 OFFSET ?), ?)`
	args := append(append(append([]any{listArg}, w.args...), w2.args...), p.Limit, dbTime{})
	obs, err := s.selectObservations(ctx, min(len(wmos)*(p.Limit+1), 1024), s.rebind(query), args...)
	if err != nil {
		return nil, err
	}
	slices.SortFunc(obs, func(a, b *mkg.Observation) int { // newest first
		if c := b.ObservedAt.Compare(a.ObservedAt); c != 0 {
			return c
		}
		return cmp.Compare(b.ID, a.ID)
	})
	byWMO := map[string][]*mkg.Observation{}
	for _, o := range obs {
		byWMO[o.StationWMO] = append(byWMO[o.StationWMO], o)
	}
	for i, wmo := range wmos {
		out[i] = pageOf(byWMO[wmo], p.Limit)
	}
	return out, nil
}

// CountObservationsOfStations counts each station's matching observations
// in two statements (see countPer).
func (s *Store) CountObservationsOfStations(ctx context.Context, wmos []string, f mkg.ObservationFilter) ([]int, error) {
	f.StationWMOs, f.StationIDs = nil, nil
	out := make([]int, len(wmos))
	if err := f.Validate(""); err != nil || len(wmos) == 0 {
		return out, err
	}
	counts, err := s.countPer(ctx, wmos, f)
	if err != nil {
		return nil, err
	}
	for i, wmo := range wmos {
		out[i] = int(counts[wmo])
	}
	return out, nil
}

// CountObservations implements mkg.ObservationReader.
func (s *Store) CountObservations(ctx context.Context, f mkg.ObservationFilter) (int, error) {
	if err := f.Validate("filter"); err != nil {
		return 0, err
	}
	keys := []string{allKeys}
	if len(f.StationWMOs) > 0 || len(f.StationIDs) > 0 {
		var err error
		if keys, err = s.stationKeys(ctx, f); err != nil || len(keys) == 0 {
			return 0, err
		}
	}
	counts, err := s.countPer(ctx, keys, f)
	var n int64
	for _, c := range counts {
		n += c
	}
	return int(n), err
}

// stationKeys lists the WMO indexes a filter names, directly or by station
// id, once each.
func (s *Store) stationKeys(ctx context.Context, f mkg.ObservationFilter) ([]string, error) {
	keys := slices.Clone(f.StationWMOs)
	if len(f.StationIDs) > 0 {
		var more []string
		if err := s.selectIn(ctx, s.q(), &more, `SELECT wmo_index FROM stations WHERE id IN (?) AND wmo_index IS NOT NULL`, f.StationIDs); err != nil {
			return nil, err
		}
		keys = append(keys, more...)
	}
	slices.Sort(keys)
	return slices.Compact(keys), nil
}

// countPer counts the observations matching f's window and NIL setting per
// key (WMO indexes, or allKeys for every station): the whole days of the
// window from day_counts, the partial days at its edges from the table
// through its time indexes, so the cost follows the number of days and
// stations, not of reports.
func (s *Store) countPer(ctx context.Context, keys []string, f mkg.ObservationFilter) (map[string]int64, error) {
	days, whole, edges := inclusive(f.From, f.To).split()
	out := map[string]int64{}
	if whole {
		all, err := s.sumDayCounts(ctx, countObservations, keys, days)
		if err != nil {
			return nil, err
		}
		out = all
		if !f.IncludeNil {
			nils, err := s.sumDayCounts(ctx, countObservationsNil, keys, days)
			if err != nil {
				return nil, err
			}
			for k, n := range nils {
				out[k] -= n
			}
		}
	}
	for _, e := range edges {
		w := observationConditions(mkg.ObservationFilter{IncludeNil: f.IncludeNil})
		if keys[0] != allKeys {
			w.add("o.station_wmo IN ("+placeholders(len(keys))+")", anySlice(keys)...)
		}
		w.add("o.observed_at >= ? AND o.observed_at < ?", dbTime{*e.lo}, dbTime{*e.hi})
		var rows []struct {
			Key string `db:"station_wmo"`
			N   int64  `db:"n"`
		}
		query := "SELECT o.station_wmo, COUNT(*) AS n FROM observations o WHERE " + w.sql() + " GROUP BY o.station_wmo"
		if err := sqlx.SelectContext(ctx, s.q(), &rows, s.rebind(query), w.args...); err != nil {
			return nil, s.wrap(err)
		}
		for _, r := range rows {
			if keys[0] == allKeys {
				out[allKeys] += r.N
			} else {
				out[r.Key] += r.N
			}
		}
	}
	return out, nil
}

// LatestObservations implements mkg.ObservationReader: one primary-key
// lookup per station in latest_observations (kept by the writer), then the
// observation by its key, whatever the table's size.
func (s *Store) LatestObservations(ctx context.Context, wmos []string) ([]*mkg.Observation, error) {
	out := make([]*mkg.Observation, len(wmos))
	if len(wmos) == 0 {
		return out, nil
	}
	query, args, err := s.in(`SELECT `+observationColumns+` FROM latest_observations l
		JOIN observations o ON o.id = l.observation_id AND o.observed_at = l.observed_at
		WHERE l.station_wmo IN (?)`, wmos)
	if err != nil {
		return nil, err
	}
	obs, err := s.selectObservations(ctx, len(wmos), query, args...)
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
	return byID(s, ids, `SELECT `+observationColumns+` FROM observations o WHERE o.id IN (?)`, func(o *mkg.Observation) int64 { return o.ID },
		func(query string, args ...any) ([]*mkg.Observation, error) {
			return s.selectObservations(ctx, len(ids), query, args...)
		})
}

// ObservationsStoredSince implements mkg.ObservationReader. It reads the
// index on (updated_at, id) (of every partition, in PostgreSQL).
func (s *Store) ObservationsStoredSince(ctx context.Context, watch mkg.ObservationWatch, since time.Time, limit int) ([]*mkg.Observation, error) {
	var w where
	w.add("o.updated_at > ?", dbTime{since})
	if len(watch.WMOIndexes) > 0 {
		args := make([]any, len(watch.WMOIndexes))
		for i, v := range watch.WMOIndexes {
			args[i] = v
		}
		w.add("o.station_wmo IN ("+placeholders(len(args))+")", args...)
	}
	if watch.BBox != nil {
		var in where
		in.bbox(*watch.BBox, "st.latitude", "st.longitude")
		w.add("o.station_wmo IN (SELECT st.wmo_index FROM stations st WHERE "+in.sql()+")", in.args...)
	}
	query := "SELECT " + observationColumns + " FROM observations o WHERE " + w.sql() + " ORDER BY o.updated_at, o.id LIMIT ?"
	return s.selectObservations(ctx, limit, s.rebind(query), append(w.args, limit)...)
}

func (s *Store) selectObservations(ctx context.Context, capacity int, query string, args ...any) ([]*mkg.Observation, error) {
	rows := make([]observationRow, 0, capacity) // sqlx appends: no regrowth up to capacity
	if err := sqlx.SelectContext(ctx, s.reads(), &rows, query, args...); err != nil {
		return nil, s.wrap(err)
	}
	out := make([]*mkg.Observation, len(rows))
	for i := range rows {
		var err error
		if out[i], err = rows[i].observation(s.decoded); err != nil {
			return nil, err
		}
	}
	return out, nil
}
