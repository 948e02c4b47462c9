package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"maps"
	"net/http"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/bmkg/mkggraph/demo"
	"github.com/bmkg/mkggraph/graph/model"
	"github.com/bmkg/mkggraph/mkg"
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
	// Usage: every account's and one account's, whole and paged (from the
	// first line and after one), and the caller's own.
	`{ usage(from: "{usageFrom}", to: "{usageTo}") { requests } }`,
	`{ usage(accountId: "{usageAccount}", from: "{usageFrom}", to: "{usageTo}") { requests } viewer { usage(from: "{usageFrom}", to: "{usageTo}") { requests } } }`,
	`{ usageLines(first: 50, from: "{usageFrom}", to: "{usageTo}") { edges { node { requests } } pageInfo { endCursor } } }`,
	`{ usageLines(first: 50, after: "{usageCursor}", from: "{usageFrom}", to: "{usageTo}") { edges { node { requests } } } }`,
	`{ usageLines(first: 50, accountId: "{usageAccount}", from: "{usageFrom}", to: "{usageTo}") { edges { node { requests } } } }`,
	`{ usageLines(first: 50, accountId: "{usageAccount}", after: "{usageCursor}", from: "{usageFrom}", to: "{usageTo}") { edges { node { requests } } } }`,
	// A federation router's entities, a batch per type.
	`{ _entities(representations: [{__typename: "Station", id: "{station}"}, {__typename: "Earthquake", id: "{earthquake}"},
		{__typename: "Observation", id: "{observation}"}]) { ... on Station { name } ... on Earthquake { magnitude } ... on Observation { observedAt } } }`,
}

// mustPlan are parts of statements that the queries above must have sent
// (reads the schema walk does not reach, or reaches by other paths).
var mustPlan = []string{
	"FROM usage_daily",                           // usage, usageLines, viewer.usage, usage.csv
	"FROM trusted_documents",                     // the trusted-document set
	"ORDER BY q.updated_at, q.id",                // EarthquakesStoredSince
	"ORDER BY o.updated_at, o.id",                // ObservationsStoredSince
	"UPDATE webhook_deliveries SET next_attempt", // the webhook outbox's claim
	"UPDATE notifications SET next_attempt",      // the notification outbox's claim
}

// mustPrepare are parts of the hot reads that run as prepared statements
// with generic plans on PostgreSQL (sqlstore/prepared.go), whose plans are
// then checked as they run: made once, for any argument.
var mustPrepare = []string{
	"CROSS JOIN observations o",                // a page of observations of each station (Station.observations)
	"SELECT key, kind, day, n FROM day_counts", // the stations' day floor under those pages
	"FROM earthquakes q WHERE",                 // the earthquake list
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
			cfg.Federation = "true"
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
			usage := planUsage(t, a, end)
			planWebhooks(t, a)
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
			maps.Copy(ids, usage)

			var mu sync.Mutex
			sent := map[string][]any{}
			stop := a.Store.Trace(func(q string, args []any) {
				// Reads, and the outboxes' claims (an UPDATE … RETURNING
				// that finds the due rows).
				if u := strings.ToUpper(strings.TrimSpace(q)); !strings.HasPrefix(u, "SELECT") &&
					!(strings.HasPrefix(u, "UPDATE") && strings.Contains(u, "RETURNING")) {
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
			fetchUsage(t, srv.URL, c.admin, ids)
			catchUp(t, a, srv.URL, c.admin)
			now := time.Now()
			if _, err := a.Store.ClaimWebhookDeliveries(ctx, now, now.Add(time.Minute), 10); err != nil {
				t.Fatal(err)
			}
			if _, err := a.Store.ClaimNotifications(ctx, now, now.Add(time.Minute), 10); err != nil {
				t.Fatal(err)
			}
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
			for _, what := range mustPlan {
				if !slices.ContainsFunc(queries, func(q string) bool { return strings.Contains(q, what) }) {
					t.Errorf("no statement with %q was traced: its plan was not checked", what)
				}
			}
			if backend == "postgres" {
				prepared := 0
				for _, q := range queries {
					if a.Store.Prepared(q) {
						prepared++
					}
				}
				t.Logf("%d of them prepared, explained with their generic plans", prepared)
				for _, what := range mustPrepare {
					if !slices.ContainsFunc(queries, func(q string) bool { return strings.Contains(q, what) && a.Store.Prepared(q) }) {
						t.Errorf("no statement with %q ran prepared: the hot reads lost their generic plans", what)
					}
				}
			}
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

// planUsage stores usage lines of 40 accounts over 30 days up to end, and
// returns the placeholders of the usage queries.
func planUsage(t *testing.T, a *app, end time.Time) map[string]string {
	t.Helper()
	from := end.AddDate(0, 0, -29)
	lines := map[mkg.UsageKey]mkg.UsageCounts{}
	for acc := int64(1); acc <= 40; acc++ {
		for d := range 30 {
			maps.Copy(lines, mkg.RequestUsage(acc, from.AddDate(0, 0, d), 10, map[mkg.Dataset]int64{"EARTHQUAKE": 3, "SYNOP_L1": 5}))
		}
	}
	if err := a.Store.AddUsage(context.Background(), lines); err != nil {
		t.Fatal(err)
	}
	return map[string]string{"usageFrom": from.AddDate(0, 0, 10).Format(time.RFC3339), "usageTo": end.Format(time.RFC3339),
		"usageAccount": model.NodeID(model.TypeAccount, 7),
		"usageCursor":  mkg.UsageCursor(mkg.Usage{AccountID: 7, Day: from.AddDate(0, 0, 20), Dataset: "EARTHQUAKE"}).Encode()}
}

// fetchUsage downloads the usage CSV, every account's and one account's.
func fetchUsage(t *testing.T, base, key string, ids map[string]string) {
	t.Helper()
	period := "?from=" + ids["usageFrom"][:10] + "&to=" + ids["usageTo"][:10]
	for _, params := range []string{period, period + "&account=" + ids["usageAccount"]} {
		req, _ := http.NewRequest(http.MethodGet, base+"/usage.csv"+params, nil)
		req.Header.Set("Authorization", "Bearer "+key)
		resp := mustDo(t, req)
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Errorf("usage.csv%s: %d", params, resp.StatusCode)
		}
	}
}

// catchUp subscribes with since, as a client that reconnects does: the
// catch-up reads of earthquakes and of reports (every station's, some
// stations', a box's) run before each subscription is registered.
func catchUp(t *testing.T, a *app, base, key string) {
	t.Helper()
	before := a.Events.Subscribers()
	ws := openLive(t, base, map[string]any{"Authorization": "Bearer " + key})
	since := map[string]any{"since": time.Now().UTC().Add(-time.Second).Format(time.RFC3339)}
	ws.subscribe("q", `subscription($since: DateTime) { earthquakeReported(since: $since, filter: {minMagnitude: 5}) { change } }`, since)
	for i, f := range []string{`{}`, `{wmoIndexes: ["96749", "96745"]}`, `{bbox: {south: -8, west: 105, north: -5, east: 108}}`} {
		ws.subscribe(fmt.Sprint("o", i), `subscription($since: DateTime) { observationReceived(since: $since, filter: `+f+`) { change } }`, since)
	}
	waitSubscribers(t, a, before+4)
	ws.conn.CloseNow()
}

// planWebhooks stores a webhook's outbox as it is after a while: 2,000
// deliveries, all but 20 delivered.
func planWebhooks(t *testing.T, a *app) {
	t.Helper()
	ctx := context.Background()
	now := time.Now()
	acct, err := a.Store.CreateAccount(ctx, testActor, mkg.AccountInput{Organisation: "Hooked", ContactName: "H",
		ContactEmail: "h@example.org", Application: mkg.ClientApplication{Name: "hooks"}})
	if err != nil {
		t.Fatal(err)
	}
	hook, err := a.Store.CreateWebhook(ctx, acct.ID, `subscription { earthquakeReported { change } }`, "https://example.org/hook", "sealed", now)
	if err != nil {
		t.Fatal(err)
	}
	for i := range 2000 {
		if _, err := a.Store.EnqueueWebhookDelivery(ctx, hook.ID, fmt.Sprint("event-", i), "{}", now.Add(time.Duration(i-2000)*time.Second), 10_000); err != nil {
			t.Fatal(err)
		}
	}
	for delivered := 0; delivered < 1980; {
		jobs, err := a.Store.ClaimWebhookDeliveries(ctx, now, now.Add(time.Hour), min(500, 1980-delivered))
		if err != nil || len(jobs) == 0 {
			t.Fatalf("claim: %d, %v", len(jobs), err)
		}
		for _, j := range jobs {
			if err := a.Store.WebhookDelivered(ctx, j, now, 200); err != nil {
				t.Fatal(err)
			}
		}
		delivered += len(jobs)
	}
}
