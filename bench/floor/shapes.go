package main

import (
	"context"
	"database/sql"
	"encoding/base64"
	"encoding/json"
	"log"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// handle runs one query function per request and writes its answer as JSON.
func handle(db *sql.DB, query func(context.Context, *sql.DB, *http.Request) (any, error)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		v, err := query(r.Context(), db, r)
		if err != nil {
			log.Printf("%s: %v", r.URL.Path, err)
			http.Error(w, `{"errors":[{"message":"internal error"}]}`, http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		if err := json.NewEncoder(w).Encode(map[string]any{"data": v}); err != nil {
			log.Printf("%s: %v", r.URL.Path, err)
		}
	}
}

// nodeID is MKG Graph's opaque global ID (graph/model.NodeID).
func nodeID(typ string, id int64) string {
	return base64.RawURLEncoding.EncodeToString([]byte(typ + ":" + strconv.FormatInt(id, 10)))
}

type edge[T any] struct {
	Node T `json:"node"`
}

type connection[T any] struct {
	Edges []edge[T] `json:"edges"`
}

// wind and values are the part of a stored decoded SYNOP (values_json) the
// benchmark's queries ask for; decoded is how the API names them.
type wind struct {
	DirectionDeg *int     `json:"directionDeg"`
	SpeedMS      *float64 `json:"speedMS"`
}

type values struct {
	AirTemperatureC     *float64 `json:"airTemperatureC"`
	DewPointC           *float64 `json:"dewPointC"`
	RelativeHumidityPct *int     `json:"relativeHumidityPct"`
	StationPressureHPa  *float64 `json:"stationPressureHPa"`
	SeaLevelPressureHPa *float64 `json:"seaLevelPressureHPa"`
	Wind                *wind    `json:"wind"`
}

type decodedWind struct {
	Direction *int     `json:"direction"`
	Speed     *float64 `json:"speed"`
}

type decoded struct {
	AirTemperature      *float64     `json:"airTemperature"`
	DewPointTemperature *float64     `json:"dewPointTemperature"`
	RelativeHumidity    *int         `json:"relativeHumidity"`
	StationPressure     *float64     `json:"stationPressure"`
	SeaLevelPressure    *float64     `json:"seaLevelPressure"`
	Wind                *decodedWind `json:"wind"`
}

func decode(valuesJSON sql.NullString) (*decoded, error) {
	if !valuesJSON.Valid {
		return nil, nil
	}
	var v values
	if err := json.Unmarshal([]byte(valuesJSON.String), &v); err != nil {
		return nil, err
	}
	d := &decoded{AirTemperature: v.AirTemperatureC, DewPointTemperature: v.DewPointC, RelativeHumidity: v.RelativeHumidityPct,
		StationPressure: v.StationPressureHPa, SeaLevelPressure: v.SeaLevelPressureHPa}
	if v.Wind != nil {
		d.Wind = &decodedWind{Direction: v.Wind.DirectionDeg, Speed: v.Wind.SpeedMS}
	}
	return d, nil
}

func utc(t time.Time) string { return t.UTC().Format(time.RFC3339Nano) }

func optString(s sql.NullString) *string {
	if !s.Valid || s.String == "" {
		return nil
	}
	return &s.String
}

func optFloat(f sql.NullFloat64) *float64 {
	if !f.Valid {
		return nil
	}
	return &f.Float64
}

// kinds turns the stored ",SYNOPTIC,CLIMATE," into the API's list.
func kinds(stored string) []string {
	return strings.FieldsFunc(stored, func(r rune) bool { return r == ',' })
}

// pageSize reads ?first=, as the API's `first` would be (1..500).
func pageSize(r *http.Request, def int) int {
	if n, err := strconv.Atoi(r.URL.Query().Get("first")); err == nil && n > 0 && n <= 500 {
		return n
	}
	return def
}
