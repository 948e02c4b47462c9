package sqlstore

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/bmkg/mkggraph/mkg"
)

// identifierPriority orders the schemes by how surely they name one station:
// a WMO index is decisive, an ICAO code can be reused after a move.
var identifierPriority = []string{mkg.SchemeWMO, mkg.SchemeWIGOS, mkg.SchemeSeismic, mkg.SchemeISD, mkg.SchemeICAO}

// UpsertStations implements mkg.StationWriter. Each record is stored in its
// own transaction, so one bad record never costs the others. The station is
// then rebuilt from all of its catalogue records, lowest rank first, which
// makes the result independent of the order files are ingested in.
func (s *Store) UpsertStations(ctx context.Context, recs []mkg.StationRecord) ([]mkg.WriteResult, error) {
	return upsertEach(ctx, s, recs, (*mkg.StationRecord).Validate, s.upsertStation, mkg.GenStations)
}

// upsertEach writes each record in a transaction of its own, so that one
// bad record never costs the others: a record that fails validate or its
// write is Rejected with the reason. A write that changed anything
// advances the generation gen in the same transaction.
func upsertEach[T any](ctx context.Context, s *Store, recs []T, validate func(*T) error,
	upsert func(context.Context, sqlx.ExtContext, *T) (mkg.WriteResult, error), gen string) ([]mkg.WriteResult, error) {
	out := make([]mkg.WriteResult, len(recs))
	for i := range recs {
		if err := ctx.Err(); err != nil {
			return out, err
		}
		if err := validate(&recs[i]); err != nil {
			out[i] = mkg.WriteResult{Outcome: mkg.Rejected, Err: err}
			continue
		}
		err := s.tx(ctx, func(q sqlx.ExtContext) error {
			var err error
			if out[i], err = upsert(ctx, q, &recs[i]); err != nil || !out[i].Changed() {
				return err
			}
			return s.advance(ctx, q, gen)
		})
		if err != nil {
			out[i] = mkg.WriteResult{Outcome: mkg.Rejected, Err: err}
		}
	}
	return out, nil
}

func (s *Store) upsertStation(ctx context.Context, q sqlx.ExtContext, r *mkg.StationRecord) (mkg.WriteResult, error) {
	body, err := json.Marshal(r)
	if err != nil {
		return mkg.WriteResult{}, err
	}
	var prev struct {
		StationID int64  `db:"station_id"`
		Record    string `db:"record"`
	}
	err = sqlx.GetContext(ctx, q, &prev, s.rebind(`SELECT station_id, record FROM station_records WHERE source = ? AND source_key = ?`), r.Source, r.SourceKey)
	switch {
	case err == nil && prev.Record == string(body):
		return mkg.WriteResult{Outcome: mkg.Unchanged, ID: prev.StationID}, nil
	case err != nil && !errors.Is(err, sql.ErrNoRows):
		return mkg.WriteResult{}, s.wrap(err)
	}
	id, others, err := s.findStations(ctx, q, r, prev.StationID)
	if err != nil {
		return mkg.WriteResult{}, err
	}
	if err := s.absorbStations(ctx, q, id, others); err != nil {
		return mkg.WriteResult{}, err
	}
	outcome := mkg.Updated
	now := dbTime{s.now()}
	if id == 0 {
		outcome = mkg.Inserted
		err = sqlx.GetContext(ctx, q, &id, s.rebind(`INSERT INTO stations (name, kinds, latitude, longitude, status, sources, search_text, created_at, updated_at)
			VALUES (?, ',', ?, ?, ?, ',', '', ?, ?) RETURNING id`), r.Name, r.Latitude, r.Longitude, string(mkg.StatusUnknown), now, now)
		if err != nil {
			return mkg.WriteResult{}, s.wrap(err)
		}
	}
	_, err = q.ExecContext(ctx, s.rebind(`INSERT INTO station_records (station_id, source, source_key, record, starts_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?)
		ON CONFLICT (source, source_key) DO UPDATE SET record = excluded.record, starts_at = excluded.starts_at, updated_at = excluded.updated_at`),
		id, r.Source, r.SourceKey, string(body), nullTime(r.From), now)
	if err != nil {
		return mkg.WriteResult{}, s.wrap(err)
	}
	return mkg.WriteResult{Outcome: outcome, ID: id}, s.rebuildStation(ctx, q, id)
}

// icaoMatchKm is how close a station found by ICAO code must be to count
// as the same: aerodrome codes are reused, WMO indexes and seismic codes are
// not (they are decisive whatever the distance).
const icaoMatchKm = 25

// findStations returns the station a record belongs to (0 for a new one)
// and any other stations that share one of its identifiers: those are the
// same station listed apart so far (one catalogue named it by an old code),
// and are merged into it. The record's own previous station wins, then the
// surest identifier scheme.
func (s *Store) findStations(ctx context.Context, q sqlx.ExtContext, r *mkg.StationRecord, prev int64) (int64, []int64, error) {
	if len(r.Identifiers) == 0 {
		return prev, nil, nil
	}
	var ors []string
	var args []any
	for _, id := range r.Identifiers {
		ors = append(ors, "(i.scheme = ? AND i.value = ?)")
		args = append(args, id.Scheme, id.Value)
	}
	var rows []identifierMatch
	err := sqlx.SelectContext(ctx, q, &rows, s.rebind(`SELECT i.scheme, i.station_id, st.latitude, st.longitude
		FROM station_identifiers i JOIN stations st ON st.id = i.station_id WHERE `+strings.Join(ors, " OR ")), args...)
	if err != nil {
		return 0, nil, s.wrap(err)
	}
	here := mkg.Point{Latitude: r.Latitude, Longitude: r.Longitude}
	rows = slices.DeleteFunc(rows, func(m identifierMatch) bool {
		return m.Scheme == mkg.SchemeICAO && mkg.DistanceKm(here, mkg.Point{Latitude: m.Latitude, Longitude: m.Longitude}) > icaoMatchKm
	})
	slices.SortFunc(rows, func(a, b identifierMatch) int { return cmp.Compare(schemeRank(a.Scheme), schemeRank(b.Scheme)) })
	target := prev
	if target == 0 && len(rows) > 0 {
		target = rows[0].StationID
	}
	var others []int64
	for _, m := range rows {
		if m.StationID != target && !slices.Contains(others, m.StationID) {
			others = append(others, m.StationID)
		}
	}
	return target, others, nil
}

type identifierMatch struct {
	Scheme    string  `db:"scheme"`
	StationID int64   `db:"station_id"`
	Latitude  float64 `db:"latitude"`
	Longitude float64 `db:"longitude"`
}

// absorbStations moves the catalogue records of others to target and
// deletes them; target is rebuilt from all records afterwards.
func (s *Store) absorbStations(ctx context.Context, q sqlx.ExtContext, target int64, others []int64) error {
	if target == 0 || len(others) == 0 {
		return nil
	}
	query, args, err := s.in(`UPDATE station_records SET station_id = ? WHERE station_id IN (?)`, target, others)
	if err != nil {
		return err
	}
	if _, err := q.ExecContext(ctx, query, args...); err != nil {
		return s.wrap(err)
	}
	if query, args, err = s.in(`DELETE FROM stations WHERE id IN (?)`, others); err != nil {
		return err
	}
	_, err = q.ExecContext(ctx, query, args...)
	return s.wrap(err)
}

func schemeRank(scheme string) int {
	if i := slices.Index(identifierPriority, scheme); i >= 0 {
		return i
	}
	return len(identifierPriority)
}

// rebuildStation recomputes a station from all its catalogue records and
// rewrites its row and identifiers.
func (s *Store) rebuildStation(ctx context.Context, q sqlx.ExtContext, id int64) error {
	recs, err := s.stationRecords(ctx, q, []int64{id})
	if err != nil {
		return err
	}
	list := recs[id]
	// Within a catalogue, the entry valid most recently is applied last (and
	// so wins): for a seismic sensor its latest epoch, for an ISD station
	// the id that reported last.
	slices.SortStableFunc(list, func(a, b mkg.StationRecord) int {
		return cmp.Or(cmp.Compare(a.Rank, b.Rank), cmp.Compare(a.Source, b.Source), compareTimes(lastKnown(a), lastKnown(b)),
			cmp.Compare(a.SourceKey, b.SourceKey))
	})
	st := &mkg.Station{ID: id, Status: mkg.StatusUnknown}
	best := 0
	for i := range list {
		_, best = mkg.MergeStation(st, best, &list[i])
	}
	owned, err := s.syncIdentifiers(ctx, q, id, st.Identifiers)
	if err != nil {
		return err
	}
	st.Identifiers = owned
	st.WMOIndex = ""
	for _, i := range owned {
		if i.Scheme == mkg.SchemeWMO {
			st.WMOIndex = i.Value
		}
	}
	var wmo any
	if st.WMOIndex != "" {
		wmo = st.WMOIndex
	}
	_, err = q.ExecContext(ctx, s.rebind(`UPDATE stations SET wmo_index = ?, name = ?, kinds = ?, latitude = ?, longitude = ?,
		elevation_m = ?, region = ?, country = ?, status = ?, operating_from = ?, operating_to = ?, sources = ?, search_text = ?,
		updated_at = ? WHERE id = ?`),
		wmo, st.Name, joinList(st.Kinds), st.Latitude, st.Longitude, st.ElevationM, st.Region, st.Country, string(st.Status),
		nullTime(st.OperatingFrom), nullTime(st.OperatingTo), joinList(st.Sources), searchText(st), dbTime{s.now()}, id)
	return s.wrap(err)
}

// syncIdentifiers makes the station own exactly ids, except codes another
// station owns already (a catalogue error we do not resolve by stealing).
func (s *Store) syncIdentifiers(ctx context.Context, q sqlx.ExtContext, id int64, ids []mkg.Identifier) ([]mkg.Identifier, error) {
	if _, err := q.ExecContext(ctx, s.rebind(`DELETE FROM station_identifiers WHERE station_id = ?`), id); err != nil {
		return nil, s.wrap(err)
	}
	var owned []mkg.Identifier
	for _, ident := range ids {
		res, err := q.ExecContext(ctx, s.rebind(`INSERT INTO station_identifiers (scheme, value, station_id) VALUES (?, ?, ?)
			ON CONFLICT (scheme, value) DO NOTHING`), ident.Scheme, ident.Value, id)
		if err != nil {
			return nil, s.wrap(err)
		}
		if n, _ := res.RowsAffected(); n == 1 {
			owned = append(owned, ident)
		} else {
			s.log.Warn("station identifier already belongs to another station", "scheme", ident.Scheme, "value", ident.Value, "station", id)
		}
	}
	return owned, nil
}

func searchText(st *mkg.Station) string {
	parts := []string{st.Name}
	for _, i := range st.Identifiers {
		parts = append(parts, i.Value)
	}
	return strings.ToLower(strings.Join(parts, " "))
}

// stationRecords loads the catalogue records of the given stations.
func (s *Store) stationRecords(ctx context.Context, q sqlx.ExtContext, ids []int64) (map[int64][]mkg.StationRecord, error) {
	var rows []struct {
		StationID int64  `db:"station_id"`
		Record    string `db:"record"`
	}
	if err := s.selectIn(ctx, q, &rows, `SELECT station_id, record FROM station_records WHERE station_id IN (?) ORDER BY station_id, starts_at, id`, ids); err != nil {
		return nil, err
	}
	out := map[int64][]mkg.StationRecord{}
	for _, row := range rows {
		var r mkg.StationRecord
		if err := json.Unmarshal([]byte(row.Record), &r); err != nil {
			return nil, err
		}
		out[row.StationID] = append(out[row.StationID], r)
	}
	return out, nil
}

// StationEpochs implements mkg.StationReader.
func (s *Store) StationEpochs(ctx context.Context, ids []int64) ([][]mkg.StationEpoch, error) {
	out := make([][]mkg.StationEpoch, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	recs, err := s.stationRecords(ctx, s.q(), ids)
	if err != nil {
		return nil, err
	}
	for i, id := range ids {
		for _, r := range recs[id] {
			out[i] = append(out[i], mkg.StationEpoch{StationID: id, Source: r.Source, From: r.From, To: r.To,
				Latitude: r.Latitude, Longitude: r.Longitude, ElevationM: r.ElevationM, Description: r.Description})
		}
	}
	return out, nil
}

// lastKnown is the latest date a record is known valid: its end, else its start.
func lastKnown(r mkg.StationRecord) *time.Time {
	if r.To != nil {
		return r.To
	}
	return r.From
}
