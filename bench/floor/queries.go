package main

import (
	"context"
	"database/sql"
	"net/http"
	"time"
)

type latestObservation struct {
	ObservedAt string   `json:"observedAt"`
	Decoded    *decoded `json:"decoded"`
}

type dashboardStation struct {
	ID                string             `json:"id"`
	WMOIndex          *string            `json:"wmoIndex"`
	Name              string             `json:"name"`
	Latitude          float64            `json:"latitude"`
	Longitude         float64            `json:"longitude"`
	LatestObservation *latestObservation `json:"latestObservation"`
}

// dashboard answers W1 in one statement: the station page, and for each
// station its newest non-NIL report found by walking the (station_wmo,
// observed_at) index backwards (on a partitioned table, each partition's).
func dashboard(ctx context.Context, db *sql.DB, r *http.Request) (any, error) {
	return dashboardRows(db.QueryContext(ctx, `SELECT s.id, s.wmo_index, s.name, s.latitude, s.longitude, o.observed_at, o.values_json
		FROM (SELECT id, wmo_index, name, latitude, longitude FROM stations
		      WHERE kinds LIKE '%,SYNOPTIC,%' ORDER BY name, id LIMIT $1) s
		LEFT JOIN LATERAL (SELECT observed_at, values_json FROM observations o
		      WHERE o.station_wmo = s.wmo_index AND NOT o.is_nil
		      ORDER BY o.observed_at DESC LIMIT 1) o ON true
		ORDER BY s.name, s.id`, pageSize(r, 100)))
}

// dashboardLatest answers W1 in one statement through latest_observations,
// the table MKG Graph's observation writer keeps (one row per station):
// the floor for MKG Graph's own way of finding the latest reports.
func dashboardLatest(ctx context.Context, db *sql.DB, r *http.Request) (any, error) {
	return dashboardRows(db.QueryContext(ctx, `SELECT s.id, s.wmo_index, s.name, s.latitude, s.longitude, o.observed_at, o.values_json
		FROM (SELECT id, wmo_index, name, latitude, longitude FROM stations
		      WHERE kinds LIKE '%,SYNOPTIC,%' ORDER BY name, id LIMIT $1) s
		LEFT JOIN latest_observations l ON l.station_wmo = s.wmo_index
		LEFT JOIN observations o ON o.id = l.observation_id AND o.observed_at = l.observed_at
		ORDER BY s.name, s.id`, pageSize(r, 100)))
}

func dashboardRows(rows *sql.Rows, err error) (any, error) {
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	page := connection[dashboardStation]{Edges: []edge[dashboardStation]{}}
	for rows.Next() {
		var id int64
		var s dashboardStation
		var wmo, vj sql.NullString
		var at sql.NullTime
		if err := rows.Scan(&id, &wmo, &s.Name, &s.Latitude, &s.Longitude, &at, &vj); err != nil {
			return nil, err
		}
		s.ID, s.WMOIndex = nodeID("Station", id), optString(wmo)
		if at.Valid {
			d, err := decode(vj)
			if err != nil {
				return nil, err
			}
			s.LatestObservation = &latestObservation{ObservedAt: utc(at.Time), Decoded: d}
		}
		page.Edges = append(page.Edges, edge[dashboardStation]{s})
	}
	return map[string]any{"stations": page}, rows.Err()
}

type observation struct {
	ID         string   `json:"id"`
	ObservedAt string   `json:"observedAt"`
	IsNil      bool     `json:"isNil"`
	Decoded    *decoded `json:"decoded"`
}

type stationWithObservations struct {
	ID           string                  `json:"id"`
	WMOIndex     *string                 `json:"wmoIndex"`
	Name         string                  `json:"name"`
	Observations connection[observation] `json:"observations"`
}

// stationObservations answers W2 in one statement: the station by WMO
// index and its newest reports, NIL ones included (as Station.observations).
func stationObservations(ctx context.Context, db *sql.DB, r *http.Request) (any, error) {
	rows, err := db.QueryContext(ctx, `SELECT s.id, s.wmo_index, s.name, o.id, o.observed_at, o.is_nil, o.values_json
		FROM stations s
		LEFT JOIN LATERAL (SELECT id, observed_at, is_nil, values_json FROM observations o
		      WHERE o.station_wmo = s.wmo_index ORDER BY o.observed_at DESC, o.id DESC LIMIT $2) o ON true
		WHERE s.wmo_index = $1
		ORDER BY o.observed_at DESC, o.id DESC`, r.URL.Query().Get("wmo"), pageSize(r, 24))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var st *stationWithObservations
	for rows.Next() {
		var sid int64
		var s stationWithObservations
		var wmo, vj sql.NullString
		var oid sql.NullInt64
		var at sql.NullTime
		var isNil sql.NullBool
		if err := rows.Scan(&sid, &wmo, &s.Name, &oid, &at, &isNil, &vj); err != nil {
			return nil, err
		}
		if st == nil {
			s.ID, s.WMOIndex = nodeID("Station", sid), optString(wmo)
			s.Observations.Edges = []edge[observation]{}
			st = &s
		}
		if oid.Valid {
			d, err := decode(vj)
			if err != nil {
				return nil, err
			}
			o := observation{ID: nodeID("Observation", oid.Int64), ObservedAt: utc(at.Time), IsNil: isNil.Bool, Decoded: d}
			st.Observations.Edges = append(st.Observations.Edges, edge[observation]{o})
		}
	}
	return map[string]any{"stationByWmo": st}, rows.Err()
}

type earthquake struct {
	ID         string   `json:"id"`
	EventID    *string  `json:"eventId"`
	OriginTime string   `json:"originTime"`
	Latitude   float64  `json:"latitude"`
	Longitude  float64  `json:"longitude"`
	Depth      *float64 `json:"depth"`
	Magnitude  *float64 `json:"magnitude"`
	Region     *string  `json:"region"`
}

// latestEarthquakes answers W3: the newest events by origin time.
func latestEarthquakes(ctx context.Context, db *sql.DB, r *http.Request) (any, error) {
	rows, err := db.QueryContext(ctx, `SELECT id, event_id, origin_time, latitude, longitude, depth_km, magnitude, region
		FROM earthquakes ORDER BY origin_time DESC, id DESC LIMIT $1`, pageSize(r, 50))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	page := connection[earthquake]{Edges: []edge[earthquake]{}}
	for rows.Next() {
		var id int64
		var q earthquake
		var eventID, region sql.NullString
		var depth, mag sql.NullFloat64
		var at time.Time
		if err := rows.Scan(&id, &eventID, &at, &q.Latitude, &q.Longitude, &depth, &mag, &region); err != nil {
			return nil, err
		}
		q.ID, q.EventID, q.OriginTime = nodeID("Earthquake", id), optString(eventID), utc(at)
		q.Depth, q.Magnitude, q.Region = optFloat(depth), optFloat(mag), optString(region)
		page.Edges = append(page.Edges, edge[earthquake]{q})
	}
	return map[string]any{"earthquakes": page}, rows.Err()
}

type station struct {
	ID        string   `json:"id"`
	WMOIndex  *string  `json:"wmoIndex"`
	Name      string   `json:"name"`
	Kinds     []string `json:"kinds"`
	Latitude  float64  `json:"latitude"`
	Longitude float64  `json:"longitude"`
	Elevation *float64 `json:"elevation"`
}

// stationsPage answers W4: the first stations by name.
func stationsPage(ctx context.Context, db *sql.DB, r *http.Request) (any, error) {
	rows, err := db.QueryContext(ctx, `SELECT id, wmo_index, name, kinds, latitude, longitude, elevation_m
		FROM stations ORDER BY name, id LIMIT $1`, pageSize(r, 50))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	page := connection[station]{Edges: []edge[station]{}}
	for rows.Next() {
		var id int64
		var s station
		var wmo sql.NullString
		var k string
		var elev sql.NullFloat64
		if err := rows.Scan(&id, &wmo, &s.Name, &k, &s.Latitude, &s.Longitude, &elev); err != nil {
			return nil, err
		}
		s.ID, s.WMOIndex, s.Kinds, s.Elevation = nodeID("Station", id), optString(wmo), kinds(k), optFloat(elev)
		page.Edges = append(page.Edges, edge[station]{s})
	}
	return map[string]any{"stations": page}, rows.Err()
}
