package sqlstore

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/binary"
	"encoding/json"
	"errors"
	"math"

	"github.com/jmoiron/sqlx"

	"github.com/bmkg/mkggraph/mkg"
)

const groundMotionColumns = `g.id, g.network, g.station, g.location, g.channel, g.component, g.station_name, g.station_latitude,
	g.station_longitude, g.start_time, g.sample_rate_hz, g.pga_gal, g.pgv_cms, g.intensity, g.intensity_stated, g.distance_km, g.earthquake_id,
	g.station_id, g.source`

// stationMaxPGA is the largest PGA of a record's station in the same event
// and source (over its components): a seek on (station, pga_gal) per row,
// where a window over the rows would read every row of the station.
const stationMaxPGA = `(SELECT MAX(m.pga_gal) FROM ground_motions m WHERE m.station = g.station
	AND m.earthquake_id IS NOT DISTINCT FROM g.earthquake_id AND m.source = g.source AND m.network = g.network
	AND m.location = g.location) AS station_max_pga`

type groundMotionRow struct {
	ID               int64           `db:"id"`
	Network          string          `db:"network"`
	Station          string          `db:"station"`
	Location         string          `db:"location"`
	Channel          string          `db:"channel"`
	Component        string          `db:"component"`
	StationName      string          `db:"station_name"`
	StationLatitude  sql.NullFloat64 `db:"station_latitude"`
	StationLongitude sql.NullFloat64 `db:"station_longitude"`
	Start            dbNullTime      `db:"start_time"`
	SampleRate       sql.NullFloat64 `db:"sample_rate_hz"`
	PGA              float64         `db:"pga_gal"`
	PGV              sql.NullFloat64 `db:"pgv_cms"`
	Intensity        sql.NullFloat64 `db:"intensity"`
	IntensityStated  bool            `db:"intensity_stated"`
	Distance         sql.NullFloat64 `db:"distance_km"`
	EarthquakeID     sql.NullInt64   `db:"earthquake_id"`
	StationID        sql.NullInt64   `db:"station_id"`
	Source           string          `db:"source"`
	StationMaxPGA    float64         `db:"station_max_pga"`
}

func nullFloat(p *float64) sql.NullFloat64 {
	if p == nil {
		return sql.NullFloat64{}
	}
	return sql.NullFloat64{Float64: *p, Valid: true}
}

func floatPtr(v sql.NullFloat64) *float64 {
	if !v.Valid {
		return nil
	}
	return mkg.Ptr(v.Float64)
}

func (r *groundMotionRow) motion() *mkg.GroundMotion {
	g := &mkg.GroundMotion{ID: r.ID, Network: r.Network, Station: r.Station, Location: r.Location, Channel: r.Channel,
		Component: r.Component, StationName: r.StationName, StationLatitude: floatPtr(r.StationLatitude),
		StationLongitude: floatPtr(r.StationLongitude), Start: r.Start.Time, SampleRateHz: floatPtr(r.SampleRate), PGAGal: r.PGA,
		PGVCmS: floatPtr(r.PGV), Intensity: floatPtr(r.Intensity), IntensityFromSource: r.IntensityStated,
		DistanceKm: floatPtr(r.Distance), Source: r.Source, StationMaxPGAGal: r.StationMaxPGA}
	if r.EarthquakeID.Valid {
		g.EarthquakeID = mkg.Ptr(r.EarthquakeID.Int64)
	}
	if r.StationID.Valid {
		g.StationID = mkg.Ptr(r.StationID.Int64)
	}
	return g
}

// UpsertGroundMotions implements mkg.GroundMotionStore.
func (s *Store) UpsertGroundMotions(ctx context.Context, gms []mkg.GroundMotion) ([]mkg.WriteResult, error) {
	out := make([]mkg.WriteResult, len(gms))
	err := s.tx(ctx, func(q sqlx.ExtContext) error {
		for i := range gms {
			g := &gms[i]
			var id int64
			err := sqlx.GetContext(ctx, q, &id, s.rebind(`SELECT id FROM ground_motions WHERE record_key = ?`), g.Key())
			if err == nil {
				out[i] = mkg.WriteResult{Outcome: mkg.Unchanged, ID: id}
				continue
			}
			if !errors.Is(err, sql.ErrNoRows) {
				return s.wrap(err)
			}
			err = sqlx.GetContext(ctx, q, &id, s.rebind(`INSERT INTO ground_motions (record_key, network, station, location, channel,
				component, station_name, station_latitude, station_longitude, start_time, sample_rate_hz, pga_gal, pgv_cms, intensity,
				intensity_stated, distance_km, earthquake_id, station_id, source) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`),
				g.Key(), g.Network, g.Station, g.Location, g.Channel, g.Component, g.StationName, nullFloat(g.StationLatitude),
				nullFloat(g.StationLongitude), nullTime(g.Start), nullFloat(g.SampleRateHz), g.PGAGal, nullFloat(g.PGVCmS),
				nullFloat(g.Intensity), g.IntensityFromSource, nullFloat(g.DistanceKm), g.EarthquakeID, g.StationID, g.Source)
			if err != nil {
				return s.wrap(err)
			}
			out[i] = mkg.WriteResult{Outcome: mkg.Inserted, ID: id}
		}
		return nil
	})
	return out, err
}

// GroundMotionsOfEarthquakes implements mkg.GroundMotionStore.
func (s *Store) GroundMotionsOfEarthquakes(ctx context.Context, ids []int64) ([][]*mkg.GroundMotion, error) {
	out := make([][]*mkg.GroundMotion, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	var rows []groundMotionRow
	if err := s.selectIn(ctx, s.q(), &rows, `SELECT `+groundMotionColumns+`, `+stationMaxPGA+`
		FROM ground_motions g WHERE earthquake_id IN (?) ORDER BY pga_gal DESC, id`, ids); err != nil {
		return nil, err
	}
	motions := make([]*mkg.GroundMotion, len(rows))
	for i := range rows {
		motions[i] = rows[i].motion() // each names one of ids (the statement's condition)
	}
	return groupedOf(ids, motions, func(g *mkg.GroundMotion) int64 { return *g.EarthquakeID }), nil
}

// GroundMotions implements mkg.GroundMotionStore.
func (s *Store) GroundMotions(ctx context.Context, station string, limit int) ([]*mkg.GroundMotion, error) {
	var rows []groundMotionRow
	err := sqlx.SelectContext(ctx, s.q(), &rows, s.rebind(`SELECT `+groundMotionColumns+`, `+stationMaxPGA+`
		FROM ground_motions g WHERE station = ? ORDER BY pga_gal DESC, id LIMIT ?`), station, limit)
	if err != nil {
		return nil, s.wrap(err)
	}
	out := make([]*mkg.GroundMotion, len(rows))
	for i := range rows {
		out[i] = rows[i].motion()
	}
	return out, nil
}

// gridSpec is how a grid's shape is stored.
type gridSpec struct {
	LonMin, LatMin, LonMax, LatMax float64
	NLon, NLat                     int
	SouthFirst                     bool
	Fields, Units                  []string
}

func gridBytes(v []float32) []byte {
	b := make([]byte, 4*len(v))
	for i, x := range v {
		binary.LittleEndian.PutUint32(b[4*i:], math.Float32bits(x))
	}
	return b
}

// PutShakemapGrid implements mkg.GroundMotionStore.
func (s *Store) PutShakemapGrid(ctx context.Context, g *mkg.ShakemapGrid) (mkg.WriteResult, error) {
	spec, err := json.Marshal(gridSpec{g.LonMin, g.LatMin, g.LonMax, g.LatMax, g.NLon, g.NLat, g.SouthFirst, g.Fields, g.Units})
	if err != nil {
		return mkg.WriteResult{}, err
	}
	vals := gridBytes(g.Values)
	var old struct {
		ID     int64         `db:"id"`
		Spec   string        `db:"spec"`
		Values []byte        `db:"grid_values"`
		Eq     sql.NullInt64 `db:"earthquake_id"`
	}
	err = sqlx.GetContext(ctx, s.q(), &old, s.rebind(`SELECT id, spec, grid_values, earthquake_id FROM shakemap_grids WHERE event_id = ?`), g.EventID)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		var id int64
		err := sqlx.GetContext(ctx, s.q(), &id, s.rebind(`INSERT INTO shakemap_grids (event_id, earthquake_id, spec, grid_values, stored_at)
			VALUES (?, ?, ?, ?, ?) RETURNING id`), g.EventID, g.EarthquakeID, string(spec), vals, dbTime{s.now()})
		return mkg.WriteResult{Outcome: mkg.Inserted, ID: id}, s.wrap(err)
	case err != nil:
		return mkg.WriteResult{}, s.wrap(err)
	case old.Spec == string(spec) && bytes.Equal(old.Values, vals) && old.Eq.Valid == (g.EarthquakeID != nil):
		return mkg.WriteResult{Outcome: mkg.Unchanged, ID: old.ID}, nil
	}
	_, err = s.q().ExecContext(ctx, s.rebind(`UPDATE shakemap_grids SET earthquake_id = ?, spec = ?, grid_values = ?, stored_at = ? WHERE id = ?`),
		g.EarthquakeID, string(spec), vals, dbTime{s.now()}, old.ID)
	return mkg.WriteResult{Outcome: mkg.Updated, ID: old.ID}, s.wrap(err)
}

// EachShakemapGrid implements mkg.GroundMotionStore: the rows are read
// one at a time from the statement's result, so a page of earthquakes with
// large grids holds one grid, not the page's.
func (s *Store) EachShakemapGrid(ctx context.Context, ids []int64, fn func(*mkg.ShakemapGrid) error) error {
	if len(ids) == 0 {
		return nil
	}
	query, args, err := s.in(`SELECT g.earthquake_id, g.event_id, g.spec, g.grid_values FROM shakemap_grids g
		WHERE g.earthquake_id IN (?) AND g.id = (SELECT h.id FROM shakemap_grids h
			WHERE h.earthquake_id = g.earthquake_id ORDER BY h.stored_at DESC, h.id DESC LIMIT 1)`, ids)
	if err != nil {
		return err
	}
	rows, err := s.q().QueryxContext(ctx, query, args...)
	if err != nil {
		return s.wrap(err)
	}
	defer rows.Close()
	for rows.Next() {
		var row struct {
			EarthquakeID int64  `db:"earthquake_id"`
			EventID      string `db:"event_id"`
			Spec         string `db:"spec"`
			Values       []byte `db:"grid_values"`
		}
		if err := rows.StructScan(&row); err != nil {
			return s.wrap(err)
		}
		var sp gridSpec
		if err := json.Unmarshal([]byte(row.Spec), &sp); err != nil {
			return err
		}
		vals := make([]float32, len(row.Values)/4)
		for i := range vals {
			vals[i] = math.Float32frombits(binary.LittleEndian.Uint32(row.Values[4*i:]))
		}
		g := &mkg.ShakemapGrid{EventID: row.EventID, EarthquakeID: &row.EarthquakeID, LonMin: sp.LonMin, LatMin: sp.LatMin,
			LonMax: sp.LonMax, LatMax: sp.LatMax, NLon: sp.NLon, NLat: sp.NLat, SouthFirst: sp.SouthFirst, Fields: sp.Fields,
			Units: sp.Units, Values: vals}
		if err := fn(g); err != nil {
			return err
		}
	}
	return s.wrap(rows.Err())
}
