package main

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// TestDemoDataServed: a new installation answers with the bundled real data.
func TestDemoDataServed(t *testing.T) {
	forEachBackend(t, func(t *testing.T, a *app, srv *httptest.Server) {
		d := mustData(t, post(t, srv.URL, `{
			stations(first: 3, filter: {kinds: [SYNOPTIC], search: "soekarno"}) {
				totalCount
				edges { node { id wmoIndex name latitude longitude elevation kinds status sources identifiers { scheme value } } }
			}
			seismic: stations(filter: {kinds: [SEISMIC]}) { totalCount }
			all: stations { totalCount pageInfo { hasNextPage endCursor } }
			earthquakes { totalCount }
			latestEarthquake { originTime magnitude region felt { intensity place } sources { feed } }
		}`, nil))
		if n := dig(d, "stations", "totalCount"); n != float64(1) {
			t.Fatalf("Soekarno-Hatta stations: %v, want 1 (listed by the SYNOP directory and NOAA ISD)", n)
		}
		st := dig(d, "stations", "edges", 0, "node").(map[string]any)
		if st["wmoIndex"] != "96749" || st["elevation"] != 10.4 || len(st["sources"].([]any)) != 2 {
			t.Errorf("Soekarno-Hatta = %v", st)
		}
		if n := dig(d, "seismic", "totalCount").(float64); n < 1200 {
			t.Errorf("seismic stations: %v, want the BMKG sensor network (~1300 sites)", n)
		}
		if dig(d, "all", "pageInfo", "hasNextPage") != true {
			t.Errorf("station list should have more than one page")
		}
		if n := dig(d, "earthquakes", "totalCount").(float64); n < 200 {
			t.Errorf("earthquakes: %v", n)
		}
		latest := dig(d, "latestEarthquake").(map[string]any)
		if latest["originTime"] != "2025-12-24T05:30:34Z" || latest["magnitude"] != 4.6 {
			t.Errorf("latest earthquake = %v, want the 2025-12-24 05:30:34 UTC M4.6 Bengkulu event", latest)
		}
	})
}

// TestSameEventFromSeveralFeedsIsOne: the legacy autogempa event of
// 2013-11-07 18:38:53 UTC also appears in the legacy gempaterkini list.
func TestSameEventFromSeveralFeedsIsOne(t *testing.T) {
	forEachBackend(t, func(t *testing.T, a *app, srv *httptest.Server) {
		d := mustData(t, post(t, srv.URL, `query($from: DateTime, $to: DateTime) {
			earthquakes(filter: {from: $from, to: $to}) {
				totalCount edges { node { originTime latitude longitude magnitude depth sources { feed } } }
			}
		}`, map[string]any{"from": "2013-11-07T18:38:00Z", "to": "2013-11-07T18:40:00Z"}))
		if n := dig(d, "earthquakes", "totalCount"); n != float64(1) {
			t.Fatalf("events in that minute: %v, want 1", n)
		}
		q := dig(d, "earthquakes", "edges", 0, "node").(map[string]any)
		feeds := fmt.Sprint(q["sources"])
		if !strings.Contains(feeds, "legacy-autogempa") || !strings.Contains(feeds, "legacy-gempaterkini") {
			t.Errorf("sources = %s, want both legacy feeds", feeds)
		}
		if q["latitude"] != 3.9 || q["longitude"] != 126.4 || q["magnitude"] != 5.0 || q["depth"] != 24.0 {
			t.Errorf("event = %v", q)
		}
	})
}

// TestBadInputNamesTheArgument: every validation failure is BAD_USER_INPUT
// with the argument at fault.
func TestBadInputNamesTheArgument(t *testing.T) {
	forEachBackendAs(t, func(t *testing.T, a *app, srv *httptest.Server, c *callers) {
		cases := []struct{ query, field string }{
			{`{ stations(filter: {bbox: {south: -100, west: 0, north: 0, east: 1}}) { totalCount } }`, "filter.bbox.south"},
			{`{ stations(filter: {bbox: {south: 5, west: 0, north: 0, east: 1}}) { totalCount } }`, "filter.bbox"},
			{`{ stations(filter: {near: {latitude: 0, longitude: 0}, radiusKm: -5}) { totalCount } }`, "filter.near.radiusKm"},
			{`{ stations(filter: {radiusKm: 5}) { totalCount } }`, "filter.radiusKm"},
			{`{ stations(first: 501) { totalCount } }`, "first"},
			{`{ stations(first: -1) { totalCount } }`, "first"},
			{`{ stations(after: "garbage") { totalCount } }`, "after"},
			{`{ earthquakes(filter: {from: "2024-01-02T00:00:00Z", to: "2024-01-01T00:00:00Z"}) { totalCount } }`, "filter.from"},
			{`{ earthquakes(filter: {near: {latitude: 0, longitude: 0}, radiusKm: -1}) { totalCount } }`, "filter.radiusKm"},
			{`{ earthquakes(filter: {maxDepth: -3}) { totalCount } }`, "filter.maxDepth"},
			{`{ earthquakes(orderBy: DISTANCE) { totalCount } }`, "orderBy"},
			{`{ observations(filter: {from: "2024-01-02T00:00:00Z", to: "2024-01-01T00:00:00Z"}) { totalCount } }`, "filter.from"},
			{`{ stationByWmo(wmoIndex: "12") { name } }`, "wmoIndex"},
			{`{ latestEarthquake { nearestStations(first: 51) { distanceKm } } }`, "first"},
		}
		for _, cs := range cases {
			r := postAs(t, srv.URL, c.full, cs.query, nil)
			if r.code(0) != "BAD_USER_INPUT" || r.Errors[0].Extensions["field"] != cs.field {
				t.Errorf("%s\n  got %s\n  want BAD_USER_INPUT on %s", cs.query, r.Raw, cs.field)
			}
		}
		// A malformed DateTime is refused with a message that says what is expected.
		r := post(t, srv.URL, `{ earthquakes(filter: {from: "yesterday"}) { totalCount } }`, nil)
		if len(r.Errors) == 0 || !strings.Contains(r.Errors[0].Message, "RFC 3339") {
			t.Errorf("bad DateTime: %s", r.Raw)
		}
	})
}

func TestNotFoundAndNodes(t *testing.T) {
	forEachBackend(t, func(t *testing.T, a *app, srv *httptest.Server) {
		d := mustData(t, post(t, srv.URL, `{ stationByWmo(wmoIndex: "96749") { id name } latestEarthquake { id } }`, nil))
		id := dig(d, "stationByWmo", "id").(string)
		qid := dig(d, "latestEarthquake", "id").(string)
		d = mustData(t, post(t, srv.URL, `query($a: ID!, $b: ID!) {
			a: node(id: $a) { id ... on Station { wmoIndex } }
			b: node(id: $b) { id ... on Earthquake { magnitude } }
			c: station(id: $a) { name } }`, map[string]any{"a": id, "b": qid}))
		if dig(d, "a", "wmoIndex") != "96749" || dig(d, "b", "magnitude") == nil || dig(d, "c", "name") == nil {
			t.Errorf("node lookups: %v", d)
		}
		for _, q := range []string{
			`{ node(id: "bm90LWFuLWlk") { id } }`,
			`{ station(id: "U3RhdGlvbjo5OTk5OTk5") { id } }`,
			`{ stationByWmo(wmoIndex: "00000") { id } }`,
			`{ earthquake(id: "garbage") { id } }`,
		} {
			r := post(t, srv.URL, q, nil)
			if r.code(0) != "NOT_FOUND" || r.Status != http.StatusOK {
				t.Errorf("%s: %s, want NOT_FOUND", q, r.Raw)
			}
		}
		// A station ID is not an earthquake ID.
		r := post(t, srv.URL, `query($a: ID!) { earthquake(id: $a) { id } }`, map[string]any{"a": id})
		if r.code(0) != "NOT_FOUND" {
			t.Errorf("earthquake(station id): %s", r.Raw)
		}
	})
}

func TestHTTPTransport(t *testing.T) {
	a, srv := startApp(t, testConfig(t, "sqlite"))
	_ = a
	// GET carries queries.
	r := get(t, srv.URL, `{ stations(first: 1) { totalCount } }`)
	if r.Status != http.StatusOK || dig(r.Data, "stations", "totalCount") == nil {
		t.Errorf("GET: %d %s", r.Status, r.Raw)
	}
	// Syntax errors are reported, not panics.
	r = post(t, srv.URL, `{ stations(first: 1) { totalCount `, nil)
	if len(r.Errors) == 0 || r.code(0) != "GRAPHQL_PARSE_FAILED" {
		t.Errorf("syntax error: %d %s", r.Status, r.Raw)
	}
	// Unknown fields fail validation.
	r = post(t, srv.URL, `{ stations { nope } }`, nil)
	if r.code(0) != "GRAPHQL_VALIDATION_FAILED" {
		t.Errorf("unknown field: %s", r.Raw)
	}
	// Oversized bodies are refused before parsing.
	big := `{"query":"{ stations { totalCount } }","variables":{"x":"` + strings.Repeat("a", 2<<20) + `"}}`
	resp, err := http.Post(srv.URL+"/graphql", "application/json", strings.NewReader(big))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusRequestEntityTooLarge {
		t.Errorf("2 MiB body: %d, want 413", resp.StatusCode)
	}
	// Depth and cost limits.
	deep := `{ stations { edges { node { latestObservation { station { latestObservation { station { latestObservation { station { latestObservation { station { latestObservation { observedAt } } } } } } } } } } } } }`
	if r = post(t, srv.URL, deep, nil); r.code(0) != "DEPTH_LIMIT_EXCEEDED" {
		t.Errorf("deep query: %s", r.Raw)
	}
	costly := `{ stations(first: 500) { edges { node { observations(first: 500) { edges { node { id } } } } } } }`
	if r = post(t, srv.URL, costly, nil); r.code(0) != "COMPLEXITY_LIMIT_EXCEEDED" {
		t.Errorf("costly query: %s", r.Raw)
	}
	// Health, readiness, GraphiQL, and / redirecting to it.
	for path, want := range map[string]string{"/healthz": `"ok"`, "/readyz": `"ready"`, "/graphiql/": "graphiql"} {
		resp, err := http.Get(srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK || !strings.Contains(string(body), want) {
			t.Errorf("%s: %d %.200s", path, resp.StatusCode, body)
		}
	}
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err = client.Get(srv.URL + "/")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusFound || resp.Header.Get("Location") != "/graphiql/" {
		t.Errorf("/: %d → %s", resp.StatusCode, resp.Header.Get("Location"))
	}
	if resp.Header.Get("X-Request-Id") == "" {
		t.Errorf("no X-Request-Id on responses")
	}
}
