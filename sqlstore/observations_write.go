package sqlstore

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/bmkg/mkggraph/mkg"
)

// UpsertObservations implements mkg.ObservationWriter. A batch is written in
// one transaction: one read of what is stored for its stations and times,
// one multi-row INSERT for the new reports, an UPDATE per superseded one,
// the stations' latest observations, and the observations generation. When
// the batch fails as a whole for a reason one report could cause, each
// report is retried in a transaction of its own, so one bad report never
// costs the others.
func (s *Store) UpsertObservations(ctx context.Context, obs []mkg.Observation) ([]mkg.WriteResult, error) {
	out := make([]mkg.WriteResult, len(obs))
	if err := s.ensureObservationPartitions(ctx, obs); err != nil {
		return out, err
	}
	var valid []int
	for i := range obs {
		if err := validateObservation(&obs[i], s.now()); err != nil {
			out[i] = mkg.WriteResult{Outcome: mkg.Rejected, Err: err}
			continue
		}
		valid = append(valid, i)
	}
	if len(valid) == 0 {
		return out, nil
	}
	err := s.writeObservations(ctx, obs, valid, out)
	if err == nil || ctx.Err() != nil {
		return out, ctx.Err()
	}
	for _, i := range valid {
		if err := ctx.Err(); err != nil {
			return out, err
		}
		if err := s.writeObservations(ctx, obs, []int{i}, out); err != nil {
			out[i] = mkg.WriteResult{Outcome: mkg.Rejected, Err: err}
		}
	}
	return out, nil
}

// errConcurrentInsert: another writer stored one of the batch's reports
// between our read and our insert; the batch is read and written again.
var errConcurrentInsert = errors.New("observation inserted concurrently")

// writeObservations writes obs[idx] in one transaction and fills their
// results in out, retrying when a concurrent writer got in first.
func (s *Store) writeObservations(ctx context.Context, obs []mkg.Observation, idx []int, out []mkg.WriteResult) error {
	var err error
	for range 3 {
		err = s.tx(ctx, func(q sqlx.ExtContext) error {
			w := obsWrite{s: s, q: q, obs: obs, idx: idx, out: out}
			return w.run(ctx)
		})
		if !errors.Is(err, errConcurrentInsert) {
			return err
		}
	}
	return err
}

// obsKey is what identifies a report: its station and time.
type obsKey struct {
	wmo string
	at  int64 // Unix microseconds, the stored precision
}

func keyOf(o *mkg.Observation) obsKey { return obsKey{o.StationWMO, o.ObservedAt.UnixMicro()} }

// obsWrite is one batch being written.
type obsWrite struct {
	s   *Store
	q   sqlx.ExtContext
	obs []mkg.Observation
	idx []int
	out []mkg.WriteResult

	// final is what each key should hold after the batch, and whether it is
	// new (inserted) or a stored row (updated, by id).
	final map[obsKey]*obsTarget
	order []obsKey // keys in first-seen order, for a deterministic INSERT
}

type obsTarget struct {
	o       *mkg.Observation
	id      int64 // the row's id (a new row's once inserted)
	isNew   bool  // not stored before this batch
	wasNil  bool  // the stored row was NIL
	changed bool
	results []int // obs indexes whose result is this row's id
}

func (w *obsWrite) run(ctx context.Context) error {
	stored, err := w.stored(ctx)
	if err != nil {
		return err
	}
	w.plan(stored)
	if err := w.insert(ctx); err != nil {
		return err
	}
	if err := w.update(ctx); err != nil {
		return err
	}
	if err := w.latest(ctx); err != nil {
		return err
	}
	if err := w.s.saveDayCounts(ctx, w.q, w.dayCounts()); err != nil {
		return err
	}
	if w.anyChange() {
		return w.s.advance(ctx, w.q, mkg.GenObservations)
	}
	return nil
}

// stored reads the stored reports of the batch's stations in its time span:
// one index range per station.
func (w *obsWrite) stored(ctx context.Context) (map[obsKey]*mkg.Observation, error) {
	var wmos []string
	seen := map[string]bool{}
	from, to := w.obs[w.idx[0]].ObservedAt, w.obs[w.idx[0]].ObservedAt
	for _, i := range w.idx {
		o := &w.obs[i]
		if !seen[o.StationWMO] {
			seen[o.StationWMO] = true
			wmos = append(wmos, o.StationWMO)
		}
		if o.ObservedAt.Before(from) {
			from = o.ObservedAt
		}
		if o.ObservedAt.After(to) {
			to = o.ObservedAt
		}
	}
	var rows []observationRow
	if err := w.s.selectIn(ctx, w.q, &rows, `SELECT `+observationColumns+` FROM observations o
		WHERE o.station_wmo IN (?) AND o.observed_at >= ? AND o.observed_at <= ?`, wmos, dbTime{from}, dbTime{to}); err != nil {
		return nil, err
	}
	out := make(map[obsKey]*mkg.Observation, len(rows))
	for i := range rows {
		o, err := rows[i].observation(nil) // compared with what is written: decoded afresh
		if err != nil {
			return nil, err
		}
		out[keyOf(o)] = o
	}
	return out, nil
}

// plan decides each report's outcome in batch order, so that a correction
// and its original in one batch end as they would one by one.
func (w *obsWrite) plan(stored map[obsKey]*mkg.Observation) {
	w.final = map[obsKey]*obsTarget{}
	for _, i := range w.idx {
		o := &w.obs[i]
		k := keyOf(o)
		t := w.final[k]
		if t == nil {
			t = &obsTarget{isNew: true}
			if st := stored[k]; st != nil {
				t.o, t.id, t.wasNil, t.isNew = st, st.ID, st.Nil, false
			}
			w.final[k] = t
			w.order = append(w.order, k)
		}
		t.results = append(t.results, i)
		switch {
		case t.o == nil:
			t.o, t.changed = o, true
			w.out[i].Outcome = mkg.Inserted
		case mkg.Supersedes(t.o, o):
			t.o, t.changed = o, true
			w.out[i].Outcome = mkg.Updated
		default:
			w.out[i].Outcome = mkg.Unchanged
		}
	}
}

// insert stores the new reports with one statement per chunk; a report
// another writer stored meanwhile makes the batch start again.
func (w *obsWrite) insert(ctx context.Context) error {
	var fresh []*obsTarget
	for _, k := range w.order {
		if t := w.final[k]; t.isNew {
			fresh = append(fresh, t)
		}
	}
	now := dbTime{w.s.now()}
	for len(fresh) > 0 {
		chunk := fresh[:min(len(fresh), obsInsertChunk)]
		fresh = fresh[len(chunk):]
		args := make([]any, 0, 13*len(chunk))
		for _, t := range chunk {
			values, problems, err := encodeObservation(t.o)
			if err != nil {
				return err
			}
			o := t.o
			args = append(args, o.StationWMO, dbTime{o.ObservedAt}, o.Heading.TTAAii, o.Heading.CCCC, o.Heading.YYGGgg, o.Heading.BBB,
				o.Text, o.Nil, values, problems, o.Source, now, now)
		}
		rows := strings.TrimSuffix(strings.Repeat("(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?), ", len(chunk)), ", ")
		var ids []struct {
			ID         int64  `db:"id"`
			StationWMO string `db:"station_wmo"`
			ObservedAt dbTime `db:"observed_at"`
		}
		err := sqlx.SelectContext(ctx, w.q, &ids, w.s.rebind(`INSERT INTO observations (station_wmo, observed_at, ttaaii, cccc,
			yygggg, bbb, report_text, is_nil, values_json, problems_json, source, received_at, updated_at) VALUES `+rows+`
			ON CONFLICT (station_wmo, observed_at) DO NOTHING RETURNING id, station_wmo, observed_at`), args...)
		if err != nil {
			return w.s.wrap(err)
		}
		if len(ids) != len(chunk) {
			return errConcurrentInsert
		}
		for _, r := range ids {
			w.final[obsKey{r.StationWMO, r.ObservedAt.UnixMicro()}].id = r.ID
		}
	}
	return nil
}

// obsInsertChunk keeps one INSERT under SQLite's 32,766 parameters.
const obsInsertChunk = 1000

// update rewrites the stored reports that a report of the batch supersedes,
// and fills in every result's id.
func (w *obsWrite) update(ctx context.Context) error {
	now := dbTime{w.s.now()}
	for _, k := range w.order {
		t := w.final[k]
		for _, i := range t.results {
			w.out[i].ID = t.id
		}
		if !t.changed || t.isNew {
			continue // a new row was inserted as it ends
		}
		values, problems, err := encodeObservation(t.o)
		if err != nil {
			return err
		}
		o := t.o
		_, err = w.q.ExecContext(ctx, w.s.rebind(`UPDATE observations SET ttaaii = ?, cccc = ?, yygggg = ?, bbb = ?, report_text = ?,
			is_nil = ?, values_json = ?, problems_json = ?, source = ?, updated_at = ? WHERE id = ? AND observed_at = ?`),
			o.Heading.TTAAii, o.Heading.CCCC, o.Heading.YYGGgg, o.Heading.BBB, o.Text, o.Nil, values, problems, o.Source, now,
			t.id, dbTime{o.ObservedAt})
		if err != nil {
			return w.s.wrap(err)
		}
	}
	return nil
}

// latest keeps latest_observations current: a station's newest non-NIL
// report written here replaces its entry when it is at least as new; a
// stored report that became NIL makes the station's entry be found again.
func (w *obsWrite) latest(ctx context.Context) error {
	newest := map[string]*obsTarget{}
	var recheck []string
	for _, k := range w.order {
		t := w.final[k]
		if !t.changed {
			continue
		}
		if t.o.Nil {
			if !t.isNew && !t.wasNil {
				recheck = append(recheck, t.o.StationWMO)
			}
			continue
		}
		if n := newest[k.wmo]; n == nil || n.o.ObservedAt.Before(t.o.ObservedAt) {
			newest[k.wmo] = t
		}
	}
	if len(newest) > 0 {
		args := make([]any, 0, 3*len(newest))
		for _, t := range newest {
			args = append(args, t.o.StationWMO, dbTime{t.o.ObservedAt}, t.id)
		}
		rows := strings.TrimSuffix(strings.Repeat("(?, ?, ?), ", len(newest)), ", ")
		_, err := w.q.ExecContext(ctx, w.s.rebind(`INSERT INTO latest_observations (station_wmo, observed_at, observation_id)
			VALUES `+rows+` ON CONFLICT (station_wmo) DO UPDATE SET observed_at = excluded.observed_at,
			observation_id = excluded.observation_id WHERE latest_observations.observed_at <= excluded.observed_at`), args...)
		if err != nil {
			return w.s.wrap(err)
		}
	}
	if len(recheck) > 0 {
		return w.s.findLatest(ctx, w.q, recheck)
	}
	return nil
}

// findLatest finds the stations' latest non-NIL reports again: the rare
// case of a stored report corrected to NIL.
func (s *Store) findLatest(ctx context.Context, q sqlx.ExtContext, wmos []string) error {
	query, args, err := s.in(`DELETE FROM latest_observations WHERE station_wmo IN (?)`, wmos)
	if err != nil {
		return err
	}
	if _, err := q.ExecContext(ctx, query, args...); err != nil {
		return s.wrap(err)
	}
	query, args, err = s.in(`INSERT INTO latest_observations (station_wmo, observed_at, observation_id)
		SELECT o.station_wmo, o.observed_at, o.id FROM observations o
		WHERE o.station_wmo IN (?) AND NOT o.is_nil AND o.observed_at = (SELECT MAX(o2.observed_at) FROM observations o2
		  WHERE o2.station_wmo = o.station_wmo AND NOT o2.is_nil)`, wmos)
	if err != nil {
		return err
	}
	_, err = q.ExecContext(ctx, query, args...)
	return s.wrap(err)
}

// dayCounts are the batch's changes to the reports counted per day.
func (w *obsWrite) dayCounts() dayCounts {
	c := dayCounts{}
	for _, k := range w.order {
		t := w.final[k]
		switch {
		case !t.changed:
		case t.isNew:
			c.add(countObservations, t.o.StationWMO, t.o.ObservedAt, 1)
			if t.o.Nil {
				c.add(countObservationsNil, t.o.StationWMO, t.o.ObservedAt, 1)
			}
		case t.o.Nil && !t.wasNil:
			c.add(countObservationsNil, t.o.StationWMO, t.o.ObservedAt, 1)
		case !t.o.Nil && t.wasNil:
			c.add(countObservationsNil, t.o.StationWMO, t.o.ObservedAt, -1)
		}
	}
	return c
}

func (w *obsWrite) anyChange() bool {
	for _, t := range w.final {
		if t.changed {
			return true
		}
	}
	return false
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
