package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/bmkg/mkggraph/demo"
	"github.com/bmkg/mkggraph/volume"
)

// planQueries are the list queries the API offers, with each filter, sort
// and nested relation, over the generated set ({placeholders} as in
// pathArgs). With the schema walk's queries (every field) they make the
// statements whose plans are checked.
var planQueries = []string{
	`{ stations(first: 50) { totalCount pageInfo { endCursor } edges { node { name history { source } latestObservation { observedAt } } } } }`,
	`{ stations(first: 50, filter: {kinds: [SYNOPTIC], status: [ACTIVE]}) { totalCount edges { node { wmoIndex observations(first: 24) { totalCount edges { node { observedAt decoded { airTemperature } } } } } } } }`,
	`{ stations(first: 20, filter: {search: "jakarta"}) { totalCount edges { node { name } } } }`,
	`{ stations(first: 20, filter: {near: {latitude: -6.2, longitude: 106.8}, radiusKm: 300, kinds: [SYNOPTIC]}) { totalCount edges { distanceKm node { name } } } }`,
	`{ stations(first: 20, filter: {bbox: {south: -11, west: 94, north: 6, east: 142}}) { totalCount edges { node { name } } } }`,
	`{ stationByWmo(wmoIndex: "96749") { observations(first: 24, from: "{from}", to: "{to}") { totalCount edges { node { observedAt raw { text } } } } } }`,
	`{ observations(first: 50) { totalCount pageInfo { endCursor } edges { node { observedAt station { name } } } } }`,
	`{ observations(first: 50, filter: {wmoIndexes: ["96749", "96745"], from: "{from}", to: "{to}"}) { totalCount edges { node { observedAt } } } }`,
	`{ observations(first: 50, filter: {stationIds: ["{station}"], includeNil: true}) { totalCount edges { node { observedAt } } } }`,
	`{ earthquakes(first: 50) { totalCount pageInfo { endCursor } edges { node { magnitude sources { feed } nearestStations(first: 3) { station { name } } groundMotions { pga } } } } }`,
	`{ earthquakes(first: 50, orderBy: TIME_ASC, filter: {from: "{from}", to: "{to}"}) { totalCount edges { node { magnitude } } } }`,
	`{ earthquakes(first: 50, orderBy: MAGNITUDE_DESC, filter: {minMagnitude: 5}) { totalCount edges { node { magnitude } } } }`,
	`{ earthquakes(first: 50, filter: {bbox: {south: -9, west: 105, north: -5, east: 115}, maxDepth: 70}) { totalCount edges { node { magnitude } } } }`,
	`{ earthquakes(first: 50, filter: {maxDepth: 20}) { totalCount edges { node { magnitude } } } }`,
	`{ earthquakes(first: 50, filter: {from: "{from}"}) { totalCount } observations(filter: {to: "{to}"}) { totalCount } }`,
	`{ earthquakes(first: 50, filter: {near: {latitude: -6.2, longitude: 106.8}, radiusKm: 500, minMagnitude: 3}) { totalCount edges { node { magnitude } } } }`,
	`{ latestEarthquake { magnitude nearestStations(first: 5, kinds: [SYNOPTIC]) { distanceKm } } }`,
	`{ lightningStrikes(bbox: {south: -8, west: 105, north: -5, east: 108}, from: "{hourFrom}", to: "{hourTo}", first: 500) { edges { node { time } } pageInfo { endCursor } } }`,
	`{ lightningDensity(bbox: {south: -11, west: 94, north: 6, east: 142}, from: "{dayFrom}", to: "{dayTo}", cellSizeKm: 25) { total } }`,
	`{ lightningDensity(bbox: {south: -8, west: 105, north: -5, east: 108}, from: "{hourFrom}", to: "{hourTo}", cellSizeKm: 7) { total } }`,
	`{ stations(first: 10, filter: {kinds: [CLIMATE]}) { edges { node { climate(from: "{climateFrom}", to: "{to}") { date rainfall { value } } } } } }`,
	`{ airQualityStations { code dailyIndex(from: "{climateFrom}", to: "{to}") { ispu } measurements(from: "{climateFrom}", to: "{to}") { value } } }`,
	`{ radarScans(first: 10) { edges { node { start site { scans(first: 2) { edges { node { id } } } } } } } }`,
	`{ accessRequests(first: 20, filter: {status: [SUBMITTED, FORWARDED], breached: true}) { totalCount edges { node { number events { action } } } } }`,
	`{ accessRequests(first: 20, filter: {unassigned: true, notificationFailed: false}) { totalCount edges { node { number } } } }`,
	`{ accounts(first: 20, filter: {search: "partner"}) { totalCount edges { node { organisation apiKeys { prefix } } } } }`,
	`{ auditLog(first: 20, filter: {action: "grant.add"}) { edges { node { action } } } }`,
}

// TestPlansUseIndexes: over a generated set, every statement the API sends
// for the list queries above and for the schema walk's query of every field
// is read by EXPLAIN on both databases, and none may read a data table
// whole (a sequential scan in PostgreSQL's plan, a SCAN without an index in
// SQLite's). A query added later is covered when the schema walk reaches it.
func TestPlansUseIndexes(t *testing.T) {
	if testing.Short() {
		t.Skip("generates a volume set")
	}
	for _, backend := range []string{"sqlite", "postgres"} {
		t.Run(backend, func(t *testing.T) {
			ctx := context.Background()
			cfg := testConfig(t, backend)
			cfg.DemoData = "false"
			a, srv := startApp(t, cfg)
			end := time.Now().UTC().Truncate(24*time.Hour).AddDate(0, 0, -1)
			vc := volume.Config{Start: end.AddDate(0, 0, -30), Days: 30, Stations: 40, EarthquakesPerYear: 40_000,
				LightningStrikes: 150_000, ClimateStations: 4, ClimateYears: 4, AQStations: 2, AQYears: 2, Seed: 11}
			if _, err := volume.Generate(ctx, a.Store, a.Ingest, vc, time.Now(), slog.New(slog.DiscardHandler)); err != nil {
				t.Fatal(err)
			}
			// The real samples too: the kinds the generator does not make
			// (radar, ground motions) and the objects the schema walk asks for.
			if _, err := demo.LoadSome(ctx, a.Ingest, slog.New(slog.DiscardHandler), nil); err != nil {
				t.Fatal(err)
			}
			// PostgreSQL plans with the statistics of the generated set (and,
			// for the tables the set keeps small, as if they were big: see
			// TableScans). SQLite plans without statistics as if every
			// table were big; with them, it reads the small ones whole.
			if backend == "postgres" {
				if err := a.Store.Analyze(ctx); err != nil {
					t.Fatal(err)
				}
			}
			c := &callers{}
			if err := c.setUp(a); err != nil {
				t.Fatal(err)
			}
			ids := sampleIDs(t, a, srv, c)
			for k, v := range map[string]time.Time{"from": vc.Start.AddDate(0, 0, 10), "to": vc.End(),
				"hourFrom": vc.Start.AddDate(0, 0, 12).Add(14 * time.Hour), "hourTo": vc.Start.AddDate(0, 0, 12).Add(15 * time.Hour),
				"dayFrom": vc.Start.AddDate(0, 0, 12), "dayTo": vc.Start.AddDate(0, 0, 13), "climateFrom": vc.End().AddDate(-1, 0, 0)} {
				ids[k] = v.Format(time.RFC3339)
			}

			var mu sync.Mutex
			sent := map[string][]any{}
			stop := a.Store.Trace(func(q string, args []any) {
				if !strings.HasPrefix(strings.TrimSpace(strings.ToUpper(q)), "SELECT") {
					return
				}
				mu.Lock()
				if _, ok := sent[q]; !ok {
					sent[q] = append([]any(nil), args...)
				}
				mu.Unlock()
			})
			for _, q := range planQueries {
				runPlanQuery(t, srv.URL, c.admin, fill(q, ids))
			}
			for _, e := range protectedEntries(t) {
				if !strings.HasPrefix(e.query(ids), "mutation") {
					runPlanQuery(t, srv.URL, c.admin, e.query(ids))
				}
			}
			fetchExports(t, srv.URL, c.admin, ids)
			stop()

			var queries []string
			for q := range sent {
				queries = append(queries, q)
			}
			sort.Strings(queries)
			for _, q := range queries {
				scans, err := a.Store.TableScans(ctx, q, sent[q])
				if err != nil {
					t.Errorf("%v\n%s", err, q)
					continue
				}
				if len(scans) > 0 {
					plan, _ := a.Store.Plan(ctx, q, sent[q])
					t.Errorf("reads %s whole:\n%s\nplan:\n%s", strings.Join(scans, ", "), q, plan)
				}
			}
			t.Logf("%d distinct statements checked", len(queries))
			if len(queries) < 40 {
				t.Errorf("only %d statements were traced: the queries did not run", len(queries))
			}
		})
	}
}

func fill(q string, ids map[string]string) string {
	for k, v := range ids {
		q = strings.ReplaceAll(q, "{"+k+"}", v)
	}
	return q
}

// runPlanQuery runs a query (uncached) and fails on errors other than the
// ones the data make legitimate (nothing found).
func runPlanQuery(t *testing.T, base, key, query string) {
	t.Helper()
	r := postAs(t, base, key, query+"\n# plan "+fmt.Sprint(uniqueRequests.Add(1)), nil)
	for i := range r.Errors {
		if code := r.code(i); code != "NOT_FOUND" {
			t.Errorf("%s: %s", query, r.Raw)
			return
		}
	}
}

// fetchExports issues and fetches the export links of the list kinds: an
// export pages through the same store reads as the lists.
func fetchExports(t *testing.T, base, key string, ids map[string]string) {
	t.Helper()
	q := fill(`{ exportObservations(level: L2, format: CSV, filter: {from: "{from}", to: "{to}"}) { url }
		exportEarthquakes(format: GEOJSON, filter: {minMagnitude: 4}) { url }
		exportLightning(bbox: {south: -8, west: 105, north: -5, east: 108}, from: "{dayFrom}", to: "{dayTo}", format: CSV) { url } }`, ids)
	d := mustData(t, postAs(t, base, key, q, nil))
	for _, name := range []string{"exportObservations", "exportEarthquakes", "exportLightning"} {
		resp, err := http.Get(base + dig(d, name, "url").(string))
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Errorf("%s download: %d", name, resp.StatusCode)
		}
	}
}
