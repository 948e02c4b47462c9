package sqlstore

import (
	"context"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/bmkg/mkggraph/mkg"
)

// Synthetic data (mkg.SyntheticPrefix) lives beside real data only when an
// operator asks for it: these reads tell the volume generator whether the
// database holds real rows, and which keys of a time window real rows
// hold, so that synthetic rows never replace them.

// realDataChecks are, per kind, a statement that finds one row whose
// provenance is not synthetic. Air-quality days have no provenance column
// of their own: they belong to their station, whose operator carries the
// mark.
var realDataChecks = []struct{ kind, query string }{
	{"observations", `SELECT 1 FROM observations WHERE source NOT LIKE ? LIMIT 1`},
	{"earthquakes", `SELECT 1 FROM earthquake_sources WHERE feed NOT LIKE ? LIMIT 1`},
	{"lightning strikes", `SELECT 1 FROM lightning_strikes WHERE network NOT LIKE ? LIMIT 1`},
	{"climate days", `SELECT 1 FROM climate_days WHERE source NOT LIKE ? LIMIT 1`},
	{"air-quality values", `SELECT 1 FROM aq_measurements WHERE source NOT LIKE ? LIMIT 1`},
	{"air-quality days", `SELECT 1 FROM aq_days d WHERE NOT EXISTS
		(SELECT 1 FROM aq_stations s WHERE s.code = d.station_code AND s.operator LIKE ?) LIMIT 1`},
}

// RealData names the kinds of which the database holds at least one row
// not marked synthetic; nil when it holds none (or only synthetic rows).
// Station catalogues are metadata and not counted.
func (s *Store) RealData(ctx context.Context) ([]string, error) {
	var kinds []string
	for _, c := range realDataChecks {
		var found []int
		if err := sqlx.SelectContext(ctx, s.q(), &found, s.rebind(c.query), mkg.SyntheticPrefix+"%"); err != nil {
			return nil, s.wrap(err)
		}
		if len(found) > 0 {
			kinds = append(kinds, c.kind)
		}
	}
	return kinds, nil
}

// RealObservationKeys returns the station and time ("96749|2026-01-02T03:00:00Z")
// of every real observation from from (inclusive) to to (exclusive).
func (s *Store) RealObservationKeys(ctx context.Context, from, to time.Time) (map[string]bool, error) {
	var rows []struct {
		WMO string `db:"station_wmo"`
		At  dbTime `db:"observed_at"`
	}
	err := sqlx.SelectContext(ctx, s.q(), &rows, s.rebind(`SELECT station_wmo, observed_at FROM observations
		WHERE observed_at >= ? AND observed_at < ? AND source NOT LIKE ?`), dbTime{from}, dbTime{to}, mkg.SyntheticPrefix+"%")
	if err != nil {
		return nil, s.wrap(err)
	}
	keys := make(map[string]bool, len(rows))
	for _, r := range rows {
		keys[r.WMO+"|"+r.At.UTC().Format(time.RFC3339)] = true
	}
	return keys, nil
}

// RealClimateKeys returns the station and date ("96749|2026-01-02") of
// every real climate day from from to to (both dates inclusive).
func (s *Store) RealClimateKeys(ctx context.Context, from, to time.Time) (map[string]bool, error) {
	var rows []struct {
		WMO string `db:"station_wmo"`
		Day string `db:"day"`
	}
	err := sqlx.SelectContext(ctx, s.q(), &rows, s.rebind(`SELECT station_wmo, day FROM climate_days
		WHERE day >= ? AND day <= ? AND source NOT LIKE ?`), from.UTC().Format(dayLayout), to.UTC().Format(dayLayout), mkg.SyntheticPrefix+"%")
	if err != nil {
		return nil, s.wrap(err)
	}
	keys := make(map[string]bool, len(rows))
	for _, r := range rows {
		keys[r.WMO+"|"+r.Day] = true
	}
	return keys, nil
}

// RealEarthquakeTimes returns the origin times of the events, from from
// to to, that any real feed reported.
func (s *Store) RealEarthquakeTimes(ctx context.Context, from, to time.Time) ([]time.Time, error) {
	var rows []dbTime
	err := sqlx.SelectContext(ctx, s.q(), &rows, s.rebind(`SELECT q.origin_time FROM earthquakes q
		WHERE q.origin_time >= ? AND q.origin_time < ?
		AND EXISTS (SELECT 1 FROM earthquake_sources e WHERE e.earthquake_id = q.id AND e.feed NOT LIKE ?)`),
		dbTime{from}, dbTime{to}, mkg.SyntheticPrefix+"%")
	if err != nil {
		return nil, s.wrap(err)
	}
	out := make([]time.Time, len(rows))
	for i, r := range rows {
		out[i] = r.UTC()
	}
	return out, nil
}
