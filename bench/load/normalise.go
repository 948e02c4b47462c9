package main

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"
)

// A row is one result of a query shape in a form both servers' answers
// reduce to: database ids, UTC times, the same names for the same values.
type row map[string]any

// A normaliser reduces one server's `data` to rows.
type normaliser func(data any) ([]row, error)

// MKG Graph's answers (and the floor's, which copies their shape).

func w1Ours(data any) ([]row, error) {
	return eachRow(list(dig(data, "stations", "edges")), func(e any) (row, error) {
		n := dig(e, "node")
		r, err := stationRow(n, str(dig(n, "id")))
		if err != nil {
			return nil, err
		}
		latest := dig(n, "latestObservation")
		r["observedAt"] = utcOrNil(dig(latest, "observedAt"))
		addDecoded(r, dig(latest, "decoded"))
		return r, nil
	})
}

func w2Ours(data any) ([]row, error) {
	st := dig(data, "stationByWmo")
	if st == nil {
		return nil, fmt.Errorf("no station with this WMO index")
	}
	return eachRow(list(dig(st, "observations", "edges")), func(e any) (row, error) {
		n := dig(e, "node")
		r, err := observationRow(st, str(dig(st, "id")), str(dig(n, "id")), n)
		if err != nil {
			return nil, err
		}
		addDecoded(r, dig(n, "decoded"))
		return r, nil
	})
}

func w3Ours(data any) ([]row, error) {
	return eachRow(list(dig(data, "earthquakes", "edges")), func(e any) (row, error) {
		n := dig(e, "node")
		return earthquakeRow(n, str(dig(n, "id")), dig(n, "depth"))
	})
}

func w4Ours(data any) ([]row, error) {
	return eachRow(list(dig(data, "stations", "edges")), func(e any) (row, error) {
		n := dig(e, "node")
		r, err := stationRow(n, str(dig(n, "id")))
		if err != nil {
			return nil, err
		}
		var kinds []string
		for _, k := range list(dig(n, "kinds")) {
			kinds = append(kinds, str(k))
		}
		r["kinds"], r["elevation"] = sortedKinds(kinds), dig(n, "elevation")
		return r, nil
	})
}

func latestEarthquakeOurs(data any) ([]row, error) {
	n := dig(data, "latestEarthquake")
	if n == nil {
		return nil, nil
	}
	r, err := earthquakeRow(n, str(dig(n, "id")), dig(n, "depth"))
	if err != nil {
		return nil, err
	}
	r["tsunamiPotential"] = emptyToNil(dig(n, "tsunamiPotential"))
	return []row{r}, nil
}

// PostGraphile's answers: rowId for the database id, the stored values as
// the values_json text, empty strings where MKG Graph says null.

func w1PostGraphile(data any) ([]row, error) {
	return eachRow(list(dig(data, "allStations", "edges")), func(e any) (row, error) {
		n := dig(e, "node")
		r, err := stationRow(n, "Station:"+str(dig(n, "rowId")))
		if err != nil {
			return nil, err
		}
		var latest any
		if obs := list(dig(n, "observationsByStationWmo", "nodes")); len(obs) > 0 {
			latest = obs[0]
		}
		r["observedAt"] = utcOrNil(dig(latest, "observedAt"))
		d, err := storedValues(dig(latest, "valuesJson"))
		if err != nil {
			return nil, err
		}
		addDecoded(r, d)
		return r, nil
	})
}

func w2PostGraphile(data any) ([]row, error) {
	st := dig(data, "stationByWmoIndex")
	if st == nil {
		return nil, fmt.Errorf("no station with this WMO index")
	}
	return eachRow(list(dig(st, "observationsByStationWmo", "nodes")), func(n any) (row, error) {
		r, err := observationRow(st, "Station:"+str(dig(st, "rowId")), "Observation:"+str(dig(n, "rowId")), n)
		if err != nil {
			return nil, err
		}
		d, err := storedValues(dig(n, "valuesJson"))
		if err != nil {
			return nil, err
		}
		addDecoded(r, d)
		return r, nil
	})
}

func w3PostGraphile(data any) ([]row, error) {
	return eachRow(list(dig(data, "allEarthquakes", "nodes")), func(n any) (row, error) {
		return earthquakeRow(n, "Earthquake:"+str(dig(n, "rowId")), dig(n, "depthKm"))
	})
}

func w4PostGraphile(data any) ([]row, error) {
	return eachRow(list(dig(data, "allStations", "nodes")), func(n any) (row, error) {
		r, err := stationRow(n, "Station:"+str(dig(n, "rowId")))
		if err != nil {
			return nil, err
		}
		r["kinds"] = sortedKinds(strings.FieldsFunc(str(dig(n, "kinds")), func(r rune) bool { return r == ',' }))
		r["elevation"] = dig(n, "elevationM")
		return r, nil
	})
}

func latestEarthquakePostGraphile(data any) ([]row, error) {
	rows, err := w3PostGraphile(data)
	if err != nil || len(rows) == 0 {
		return nil, err
	}
	rows[0]["tsunamiPotential"] = emptyToNil(dig(list(dig(data, "allEarthquakes", "nodes"))[0], "tsunamiPotential"))
	return rows[:1], nil
}

// Common parts.

// eachRow reduces each of nodes to a row.
func eachRow(nodes []any, one func(n any) (row, error)) ([]row, error) {
	var rows []row
	for _, n := range nodes {
		r, err := one(n)
		if err != nil {
			return nil, err
		}
		rows = append(rows, r)
	}
	return rows, nil
}

func stationRow(n any, id string) (row, error) {
	sid, err := dbID(id, "Station")
	if err != nil {
		return nil, err
	}
	return row{"station": sid, "wmo": dig(n, "wmoIndex"), "name": dig(n, "name"),
		"latitude": dig(n, "latitude"), "longitude": dig(n, "longitude")}, nil
}

func observationRow(st any, stationID, obsID string, n any) (row, error) {
	sid, err := dbID(stationID, "Station")
	if err != nil {
		return nil, err
	}
	oid, err := dbID(obsID, "Observation")
	if err != nil {
		return nil, err
	}
	return row{"station": sid, "wmo": dig(st, "wmoIndex"), "name": dig(st, "name"), "observation": oid,
		"observedAt": utcOrNil(dig(n, "observedAt")), "isNil": dig(n, "isNil")}, nil
}

func earthquakeRow(n any, id string, depth any) (row, error) {
	qid, err := dbID(id, "Earthquake")
	if err != nil {
		return nil, err
	}
	return row{"earthquake": qid, "eventId": emptyToNil(dig(n, "eventId")), "originTime": utcOrNil(dig(n, "originTime")),
		"latitude": dig(n, "latitude"), "longitude": dig(n, "longitude"), "depth": depth,
		"magnitude": dig(n, "magnitude"), "region": emptyToNil(dig(n, "region"))}, nil
}

// addDecoded adds the dashboard's decoded values (the API's SynopDecoded
// shape); absent and null are the same.
func addDecoded(r row, d any) {
	r["airTemperature"] = dig(d, "airTemperature")
	r["dewPointTemperature"] = dig(d, "dewPointTemperature")
	r["relativeHumidity"] = dig(d, "relativeHumidity")
	r["stationPressure"] = dig(d, "stationPressure")
	r["seaLevelPressure"] = dig(d, "seaLevelPressure")
	r["windDirection"] = dig(d, "wind", "direction")
	r["windSpeed"] = dig(d, "wind", "speed")
}

// storedValues reads the values_json column (mkg.SynopValues as stored)
// into the API's names.
func storedValues(text any) (any, error) {
	s, ok := text.(string)
	if !ok {
		return nil, nil
	}
	var v map[string]any
	if err := json.Unmarshal([]byte(s), &v); err != nil {
		return nil, fmt.Errorf("valuesJson is not JSON: %w", err)
	}
	return map[string]any{"airTemperature": v["airTemperatureC"], "dewPointTemperature": v["dewPointC"],
		"relativeHumidity": v["relativeHumidityPct"], "stationPressure": v["stationPressureHPa"],
		"seaLevelPressure": v["seaLevelPressureHPa"],
		"wind":             map[string]any{"direction": dig(v, "wind", "directionDeg"), "speed": dig(v, "wind", "speedMS")}}, nil
}

// dbID reads a database id from MKG Graph's global ID (base64 of
// "Type:123") or from "Type:123".
func dbID(id, typ string) (int64, error) {
	raw := id
	if !strings.Contains(id, ":") {
		b, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(id, "="))
		if err != nil {
			return 0, fmt.Errorf("%q is not a global ID", id)
		}
		raw = string(b)
	}
	t, num, ok := strings.Cut(raw, ":")
	n, err := strconv.ParseInt(num, 10, 64)
	if !ok || t != typ || err != nil {
		return 0, fmt.Errorf("%q is not the id of a %s", id, typ)
	}
	return n, nil
}

func utcOrNil(v any) any {
	s, ok := v.(string)
	if !ok {
		return nil
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return "unparsable time " + s
	}
	return t.UTC().Format(time.RFC3339Nano)
}

func emptyToNil(v any) any {
	if s, ok := v.(string); ok && s == "" {
		return nil
	}
	return v
}

func sortedKinds(k []string) string {
	sort.Strings(k)
	return strings.Join(k, ",")
}

// JSON helpers over encoding/json's any.

func dig(v any, path ...string) any {
	for _, k := range path {
		m, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		v = m[k]
	}
	return v
}

func list(v any) []any {
	l, _ := v.([]any)
	return l
}

func str(v any) string {
	switch s := v.(type) {
	case string:
		return s
	case float64:
		return strconv.FormatFloat(s, 'f', -1, 64)
	}
	return ""
}
