package main

import (
	"context"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"

	"github.com/bmkg/mkggraph/ingest"
	"github.com/bmkg/mkggraph/internal/testenv"
	"github.com/bmkg/mkggraph/mkg"
)

// scrape reads /metrics from an admin listener's address.
func scrape(t *testing.T, admin string) map[string]*dto.MetricFamily {
	t.Helper()
	resp, err := http.Get("http://" + admin + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("/metrics: %d", resp.StatusCode)
	}
	p := expfmt.NewTextParser(model.UTF8Validation)
	fams, err := p.TextToMetricFamilies(resp.Body)
	if err != nil {
		t.Fatalf("/metrics does not parse: %v", err)
	}
	return fams
}

// serveMetrics starts the operators' listener of a.
func serveMetrics(t *testing.T, a *app) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(serveAdminOn(ln, slog.New(slog.DiscardHandler), a.Metrics.Handler()))
	return ln.Addr().String()
}

// series returns the metric of family name whose labels are exactly
// labels, or nil.
func series(fams map[string]*dto.MetricFamily, name string, labels map[string]string) *dto.Metric {
	f := fams[name]
	if f == nil {
		return nil
	}
	for _, m := range f.Metric {
		if len(m.Label) != len(labels) {
			continue
		}
		ok := true
		for _, l := range m.Label {
			if v, has := labels[l.GetName()]; !has || v != l.GetValue() {
				ok = false
			}
		}
		if ok {
			return m
		}
	}
	return nil
}

// value is a counter's, gauge's or untyped metric's value, or a
// histogram's count; -1 when the series is missing.
func value(fams map[string]*dto.MetricFamily, name string, labels map[string]string) float64 {
	m := series(fams, name, labels)
	switch {
	case m == nil:
		return -1
	case m.Counter != nil:
		return m.Counter.GetValue()
	case m.Gauge != nil:
		return m.Gauge.GetValue()
	case m.Histogram != nil:
		return float64(m.Histogram.GetSampleCount())
	case m.Untyped != nil:
		return m.Untyped.GetValue()
	}
	return -1
}

func forBothDatabases(t *testing.T, fn func(t *testing.T, backend string)) {
	for _, backend := range []string{"sqlite", "postgres"} {
		t.Run(backend, func(t *testing.T) {
			if backend == "postgres" && os.Getenv("TEST_DATABASE_URL") == "" {
				testenv.Missing(t, "TEST_DATABASE_URL")
			}
			fn(t, backend)
		})
	}
}

const dashboardQuery = `query Dashboard { stations(first: 5, filter: {kinds: [SYNOPTIC]}) { edges { node { name latestObservation { observedAt } } } } }`

// TestMetricsAfterRequests scrapes /metrics after real requests and checks
// the series they must have made, with their values; that /metrics is not
// on the public listener; and that no key, token or e-mail address sent
// with the requests appears in any label.
func TestMetricsAfterRequests(t *testing.T) {
	forBothDatabases(t, func(t *testing.T, backend string) {
		w := newTicketWorld(t, backend)
		a, base := w.app, w.srv
		admin := serveMetrics(t, a)

		resp, err := http.Get(base + "/metrics")
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusNotFound {
			t.Errorf("public listener /metrics: %d, want 404", resp.StatusCode)
		}

		// A ticket submitted (the applicant's e-mail is in the request),
		// then 20 minutes without review: the desk's step is past due.
		sub := upload(t, base, "", submitMutation, map[string]any{"input": requestInput("SIBATIK"),
			"key": "c6c1b8a2-5d0e-4f7a-9a61-3b2f1e0d9c88"}, "surat.png", letterPNG(t))
		token, _ := dig(mustData(t, sub), "submitAccessRequest", "trackingToken").(string)
		w.clock.Advance(20 * time.Minute)

		before := a.Store.Statements()
		for range 2 { // the second is answered from the response cache
			if r := postAs(t, base, w.admin, dashboardQuery, nil); len(r.Errors) > 0 {
				t.Fatalf("dashboard: %v", r.Errors)
			}
		}
		statements := a.Store.Statements() - before
		bad, _, _ := mkg.NewAPIKey()
		postAs(t, base, bad, dashboardQuery, nil) // 401
		keyName := strings.ReplaceAll(strings.TrimSuffix(w.admin[:40], "_"), "-", "_")
		postAs(t, base, "", "query "+keyName+" { __typename }", nil)
		postAs(t, base, "", `query Mail($e: String!) { accessRequestByToken(token: $e) { number } }`, map[string]any{"e": "sari@ui.ac.id"})
		postAs(t, base, "", `{ nosuchfield }`, nil)
		postAs(t, base, "", `{ accessRequestByToken(token: "`+token+`") { number } }`, nil)

		// An ingest: the records it counts are what its summary says.
		data, err := os.ReadFile("demo/samples/earthquakes/bmkg-autogempa-20211005-dompu.json")
		if err != nil {
			t.Fatal(err)
		}
		fams := scrape(t, admin)
		unchanged0 := max(0, value(fams, "mkg_ingest_records_total", map[string]string{"format": "bmkg-infogempa", "outcome": "unchanged"}))
		files0 := value(fams, "mkg_ingest_files_total", map[string]string{"format": "bmkg-infogempa", "result": "ok"}) // the demo's
		s, err := a.Ingest.File(context.Background(), "bmkg-autogempa-20211005-dompu.json", data, ingest.Options{})
		if err != nil {
			t.Fatal(err)
		}
		fams = scrape(t, admin)

		gql := func(op, status, code string) float64 {
			return value(fams, "mkg_http_requests_total", map[string]string{"route": "/graphql", "operation": op, "status": status, "code": code})
		}
		for _, c := range []struct {
			what string
			got  float64
			want float64
		}{
			{"Dashboard 200", gql("Dashboard", "200", ""), 2},
			{"Dashboard latency count", value(fams, "mkg_http_request_duration_seconds", map[string]string{"route": "/graphql", "operation": "Dashboard"}), 2},
			{"bad key", gql("", "401", "UNAUTHENTICATED"), 1},
			{"key-like operation name", gql("other", "200", ""), 1},
			{"validation failure", gql("invalid", "400", "GRAPHQL_VALIDATION_FAILED"), 1},
			{"a NOT_FOUND", gql("Mail", "200", "NOT_FOUND"), 1},
			{"response cache hit", value(fams, "mkg_cache_lookups_total", map[string]string{"namespace": "response", "result": "hit"}), 1},
			{"stations read through the cache", value(fams, "mkg_cache_lookups_total", map[string]string{"namespace": "stations", "result": "miss"}), 1},
			{"Query.stations resolved once", value(fams, "mkg_graphql_resolver_duration_seconds", map[string]string{"field": "Query.stations"}), 1},
			{"Station.latestObservation resolved per station", value(fams, "mkg_graphql_resolver_duration_seconds", map[string]string{"field": "Station.latestObservation"}), 5},
			{"Station.name is no resolver", value(fams, "mkg_graphql_resolver_duration_seconds", map[string]string{"field": "Station.name"}), -1},
			{"ingest unchanged", value(fams, "mkg_ingest_records_total", map[string]string{"format": "bmkg-infogempa", "outcome": "unchanged"}) - unchanged0, float64(s.Unchanged)},
			{"ingest file", value(fams, "mkg_ingest_files_total", map[string]string{"format": "bmkg-infogempa", "result": "ok"}) - files0, 1},
			{"cache up", value(fams, "mkg_cache_up", map[string]string{"backend": "memory"}), 1},
			{"breaker closed", value(fams, "mkg_cache_breaker_state", map[string]string{"backend": "memory", "state": "closed"}), 1},
			{"tickets submitted", value(fams, "mkg_tickets_open", map[string]string{"state": "SUBMITTED"}), 1},
			{"tickets forwarded", value(fams, "mkg_tickets_open", map[string]string{"state": "FORWARDED"}), 0},
			{"review past due", value(fams, "mkg_ticket_steps_past_due", map[string]string{"step": "SERVICE_DESK_REVIEW"}), 1},
			{"fulfilment past due", value(fams, "mkg_ticket_steps_past_due", map[string]string{"step": "OFFICER_FULFILMENT"}), 0},
			{"subscriptions open", value(fams, "mkg_graphql_subscriptions_open", nil), 0},
		} {
			if c.got != c.want {
				t.Errorf("%s: %v, want %v", c.what, c.got, c.want)
			}
		}
		if s.Unchanged == 0 {
			t.Errorf("the demo's autogempa.json ingested again should be unchanged: %+v", s)
		}
		if v := value(fams, "mkg_ticket_step_median_seconds", map[string]string{"step": "APPLICANT_SUBMISSION"}); v < 0 {
			t.Errorf("no median for the applicant's step")
		}
		if v := value(fams, "mkg_db_max_open_connections", map[string]string{"pool": "main"}); v <= 0 {
			t.Errorf("database pool: max open %v", v)
		}
		if v := value(fams, "mkg_db_connections", map[string]string{"pool": "main", "state": "idle"}); v < 0 {
			t.Errorf("database pool: no idle connection figure")
		}
		// The two dashboard requests' statements: the first's (the second
		// sent none) are counted in the request, and match the store's
		// own count.
		per := series(fams, "mkg_sql_statements_per_request", nil).Histogram
		if per.GetSampleCount() == 0 || per.GetSampleSum() < float64(statements) {
			t.Errorf("statements per request: %d requests, %v statements; the dashboard requests alone sent %d",
				per.GetSampleCount(), per.GetSampleSum(), statements)
		}
		if d := series(fams, "mkg_sql_statement_duration_seconds", nil).Histogram; d.GetSampleCount() < uint64(statements) || d.GetSampleSum() <= 0 {
			t.Errorf("statement durations: %d observed, want ≥ %d", d.GetSampleCount(), statements)
		}

		// No label value carries a key, a token or an e-mail address.
		secrets := []string{w.admin, w.admin[:12], bad, bad[:12], keyName, token, "sari@ui.ac.id", "@"}
		for name, f := range fams {
			for _, m := range f.Metric {
				for _, l := range m.Label {
					for _, s := range secrets {
						if strings.Contains(l.GetValue(), s) {
							t.Errorf("%s{%s=%q} carries %.14s…", name, l.GetName(), l.GetValue(), s)
						}
					}
				}
			}
		}
	})
}

// TestMetricsOnlyOnAdminListener: the server's listener does not answer
// /metrics (nor the profiler), the operators' listener does.
func TestMetricsOnlyOnAdminListener(t *testing.T) {
	a, srv := startApp(t, testConfig(t, "sqlite"))
	for _, path := range []string{"/metrics", "/debug/pprof/"} {
		resp, err := http.Get(srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusNotFound || strings.Contains(string(body), "mkg_http_requests_total") {
			t.Errorf("public %s: %d", path, resp.StatusCode)
		}
	}
	fams := scrape(t, serveMetrics(t, a))
	if value(fams, "mkg_http_requests_total", map[string]string{"route": "none", "operation": "", "status": "404", "code": ""}) != 2 {
		t.Errorf("the two 404s of the public listener are not counted")
	}
	if fams["go_goroutines"] == nil || fams["process_resident_memory_bytes"] == nil {
		t.Errorf("the Go runtime and process collectors are missing")
	}
}

// TestRedisMetrics: with Redis, the pool's figures and the breaker are
// exported.
func TestRedisMetrics(t *testing.T) {
	url, prefix := testenv.RedisURL(t)
	cfg := testConfig(t, "sqlite")
	cfg.RedisURL, cfg.RedisPrefix = url, prefix
	a, srv := startApp(t, cfg)
	post(t, srv.URL, dashboardQuery, nil)
	fams := scrape(t, serveMetrics(t, a))
	if v := value(fams, "mkg_cache_up", map[string]string{"backend": "redis"}); v != 1 {
		t.Errorf("mkg_cache_up{backend=redis}: %v", v)
	}
	if v := value(fams, "mkg_redis_pool_connections", map[string]string{"state": "total"}); v < 1 {
		t.Errorf("Redis pool: %v connections", v)
	}
	if v := value(fams, "mkg_redis_pool_events_total", map[string]string{"event": "miss"}); v < 1 {
		t.Errorf("Redis pool: %v dials", v)
	}
}
