package main

import (
	"context"
	"database/sql"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"slices"
	"testing"
	"time"

	"github.com/bmkg/mkggraph/demo"
	"github.com/bmkg/mkggraph/ingest"
	"github.com/bmkg/mkggraph/internal/testenv"
	"github.com/bmkg/mkggraph/sqlstore"
)

// floorOnDemo serves the floor over a fresh PostgreSQL schema holding real
// demo samples, written through the project's own ingest path: the station
// catalogue, the Romanian SYNOP bulletin (2022-03-21 12 UTC) and a BMKG
// earthquake feed.
func floorOnDemo(t *testing.T) *httptest.Server {
	t.Helper()
	url := testenv.PostgresURL(t)
	ctx := context.Background()
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	store, err := sqlstore.Open(ctx, url, sqlstore.Options{Logger: log})
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	keep := []string{"stations/indonesia-synop-stations-kensein.json", "synop/romania-station_list.csv",
		"synop/A_SMRO01YRBK211200_C_EDZW_20220321120500_12524785.txt", "earthquakes/bmkg-gempaterkini-20230712.json"}
	if _, err := demo.LoadSome(ctx, ingest.New(store, log), log, func(name string) bool { return slices.Contains(keep, name) }); err != nil {
		t.Fatal(err)
	}
	db, err := sql.Open("postgres", url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	srv := httptest.NewServer(routes(db, defaultHello))
	t.Cleanup(srv.Close)
	return srv
}

func getJSON(t *testing.T, url string) map[string]any {
	t.Helper()
	resp, err := http.Post(url, "application/json", nil)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var v map[string]any
	if resp.StatusCode != 200 || json.NewDecoder(resp.Body).Decode(&v) != nil {
		t.Fatalf("%s: HTTP %d or not JSON", url, resp.StatusCode)
	}
	return v
}

func at(v any, path ...any) any {
	for _, p := range path {
		switch k := p.(type) {
		case string:
			m, _ := v.(map[string]any)
			v = m[k]
		case int:
			l, _ := v.([]any)
			if k >= len(l) {
				return nil
			}
			v = l[k]
		}
	}
	return v
}

// TestDashboardBothWays: the LATERAL statement and latest_observations give
// the same page, with the Romanian stations' reports decoded.
func TestDashboardBothWays(t *testing.T) {
	srv := floorOnDemo(t)
	lateral := getJSON(t, srv.URL+"/w1?first=500")
	latest := getJSON(t, srv.URL+"/w1-latest?first=500")
	a, _ := json.Marshal(lateral)
	b, _ := json.Marshal(latest)
	if string(a) != string(b) {
		t.Fatalf("/w1 and /w1-latest differ:\n%s\n%s", a, b)
	}
	found := false
	for _, e := range at(lateral, "data", "stations", "edges").([]any) {
		n := at(e, "node")
		if at(n, "wmoIndex") != "15015" {
			continue
		}
		found = true
		if at(n, "latestObservation", "observedAt") != "2022-03-21T12:00:00Z" || at(n, "latestObservation", "decoded", "airTemperature") != 10.3 ||
			at(n, "latestObservation", "decoded", "wind", "direction") != 250.0 {
			t.Errorf("station 15015: %v", n)
		}
	}
	if !found {
		t.Fatal("station 15015 is not on the dashboard")
	}
}

func TestStationObservationsEarthquakesAndStations(t *testing.T) {
	srv := floorOnDemo(t)
	st := at(getJSON(t, srv.URL+"/w2?wmo=15015&first=24"), "data", "stationByWmo")
	if at(st, "wmoIndex") != "15015" || len(at(st, "observations", "edges").([]any)) != 1 ||
		at(st, "observations", "edges", 0, "node", "decoded", "relativeHumidity") != 25.0 {
		t.Errorf("/w2: %v", st)
	}
	if st := at(getJSON(t, srv.URL+"/w2?wmo=00000"), "data", "stationByWmo"); st != nil {
		t.Errorf("/w2 of an unknown station: %v, want null", st)
	}
	quakes := at(getJSON(t, srv.URL+"/w3?first=5"), "data", "earthquakes", "edges").([]any)
	if len(quakes) != 5 {
		t.Fatalf("/w3?first=5: %d earthquakes", len(quakes))
	}
	for i := 1; i < len(quakes); i++ {
		prev, _ := time.Parse(time.RFC3339Nano, at(quakes[i-1], "node", "originTime").(string))
		this, err := time.Parse(time.RFC3339Nano, at(quakes[i], "node", "originTime").(string))
		if err != nil || prev.Before(this) {
			t.Errorf("/w3 not newest first at %d (%v): %v", i, err, quakes)
		}
	}
	stations := at(getJSON(t, srv.URL+"/w4?first=10"), "data", "stations", "edges").([]any)
	if len(stations) != 10 || len(at(stations[0], "node", "kinds").([]any)) == 0 {
		t.Fatalf("/w4?first=10: %v", stations)
	}
	if hello := at(getJSON(t, srv.URL+"/hello"), "data", "latestEarthquake", "magnitude"); hello != 4.6 {
		t.Errorf("/hello: %v", hello)
	}
}
