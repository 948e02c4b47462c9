package main

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/bmkg/mkggraph/mkg"
)

// TestFeedsAdminAPI: a server seeded from a config file polls the feed it
// enables (a real HTTP server serving BMKG's autogempa.json) into the
// graph; admins see and change feeds through GraphQL, with bad input named
// by field; nobody else sees them.
func TestFeedsAdminAPI(t *testing.T) {
	for _, backend := range []string{"sqlite", "postgres"} {
		t.Run(backend, func(t *testing.T) {
			body, err := os.ReadFile("format/bmkgquake/testdata/bmkg-autogempa-20211005-dompu.json")
			if err != nil {
				t.Fatal(err)
			}
			var requests atomic.Int64
			up := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				requests.Add(1)
				if r.Header.Get("If-None-Match") == `"v1"` {
					w.WriteHeader(http.StatusNotModified)
					return
				}
				w.Header().Set("ETag", `"v1"`)
				w.Write(body)
			}))
			defer up.Close()
			a, srv := startFeedApp(t, backend, up.URL+"/DataMKG/TEWS/autogempa.json")
			ctx, cancel := context.WithCancel(context.Background())
			stopped := make(chan struct{})
			go func() { a.Feeds.Run(ctx); close(stopped) }()
			defer func() { cancel(); <-stopped }()
			c := &callers{}
			if err := c.setUp(a); err != nil {
				t.Fatal(err)
			}
			admin := func(q string, vars map[string]any) map[string]any {
				t.Helper()
				return mustData(t, postAs(t, srv.URL, c.admin, q, vars))
			}

			// The defaults are there, disabled; the file's feed polls.
			d := admin(`{ feeds { name kind url enabled format intervalSeconds } }`, nil)
			names := map[string]bool{}
			for _, f := range dig(d, "feeds").([]any) {
				m := f.(map[string]any)
				names[m["name"].(string)] = m["enabled"].(bool)
			}
			for _, n := range []string{"bmkg-autogempa", "bmkg-gempaterkini", "bmkg-gempadirasakan", "bmkg-realtime", "usgs-indonesia"} {
				if on, ok := names[n]; !ok || on {
					t.Errorf("default feed %s: present %v, enabled %v", n, ok, on)
				}
			}
			if !names["local-autogempa"] {
				t.Fatalf("the config file's feed is not enabled: %v", d)
			}
			state := `query($n: String!) { feed(name: $n) { enabled state { lastFetchAt lastSuccessAt lastError consecutiveFailures nextRunAt
				lastRun { inserted updated unchanged rejected } totals { inserted updated unchanged rejected } etag } } }`
			deadline := time.Now().Add(10 * time.Second)
			for {
				d = admin(state, map[string]any{"n": "local-autogempa"})
				if dig(d, "feed", "state", "totals", "inserted") == float64(1) {
					break
				}
				if time.Now().After(deadline) {
					t.Fatalf("the feed was not ingested: %v", d)
				}
				time.Sleep(100 * time.Millisecond)
			}
			if dig(d, "feed", "state", "etag") != `"v1"` || dig(d, "feed", "state", "lastError") != nil || dig(d, "feed", "state", "nextRunAt") == nil {
				t.Errorf("state %v", d)
			}
			// The operators see the feed's polls in the metrics.
			fams := scrape(t, serveMetrics(t, a))
			if m := series(fams, "mkg_feed_lag_seconds", map[string]string{"feed": "local-autogempa"}); m == nil || m.GetGauge().GetValue() > 60 {
				t.Errorf("feed lag after a successful poll: %v", m)
			}
			if m := series(fams, "mkg_feed_last_poll_timestamp_seconds", map[string]string{"feed": "local-autogempa"}); m == nil ||
				time.Since(time.Unix(int64(m.GetGauge().GetValue()), 0)) > time.Minute {
				t.Errorf("feed's last poll: %v", m)
			}
			q := mustData(t, postAs(t, srv.URL, c.admin, `{ latestEarthquake { magnitude region } }`, nil))
			if dig(q, "latestEarthquake", "magnitude") != 4.5 {
				t.Errorf("the feed's event is not in the graph: %v", q)
			}

			// Nobody but an admin sees or changes feeds.
			if r := postAs(t, srv.URL, c.full, `{ feeds { name } }`, nil); r.code(0) != "FORBIDDEN" {
				t.Errorf("partner: %s", r.Raw)
			}
			if r := post(t, srv.URL, `mutation { setFeedEnabled(name: "bmkg-autogempa", enabled: true) { name } }`, nil); r.code(0) != "UNAUTHENTICATED" {
				t.Errorf("anonymous: %s", r.Raw)
			}

			// Bad input names the field; nothing is stored.
			bad := []struct{ input, field, code string }{
				{`{name: "x", kind: HTTP, url: "ftp://example.org/a.json", intervalSeconds: 60}`, "input.url", "BAD_USER_INPUT"},
				{`{name: "x", kind: HTTP, url: "https://user:pw@example.org/a.json", intervalSeconds: 60}`, "input.url", "BAD_USER_INPUT"},
				{`{name: "x", kind: HTTP, url: "https://example.org/a.json", intervalSeconds: 1}`, "input.intervalSeconds", "BAD_USER_INPUT"},
				{`{name: "x", kind: HTTP, url: "https://example.org/a.json", intervalSeconds: 99999999999}`, "input.intervalSeconds", "BAD_USER_INPUT"},
				{`{name: "Not A Name", kind: HTTP, url: "https://example.org/a.json", intervalSeconds: 60}`, "input.name", "BAD_USER_INPUT"},
				{`{name: "x", kind: SPOOL, path: "../../etc", intervalSeconds: 60}`, "input.path", "BAD_USER_INPUT"},
				{`{name: "x", kind: SPOOL, path: "/var/spool", intervalSeconds: 60}`, "input.path", "BAD_USER_INPUT"},
				{`{name: "x", kind: HTTP, url: "https://example.org/a.json", format: "pdf", intervalSeconds: 60}`, "input.format", "BAD_USER_INPUT"},
				{`{name: "bmkg-autogempa", kind: HTTP, url: "https://example.org/a.json", intervalSeconds: 60}`, "input.name", "CONFLICT"},
			}
			for _, b := range bad {
				r := postAs(t, srv.URL, c.admin, `mutation { createFeed(input: `+b.input+`) { name } }`, nil)
				if r.code(0) != b.code || len(r.Errors) == 0 || r.Errors[0].Extensions["field"] != b.field {
					t.Errorf("%s: %s", b.input, r.Raw)
				}
			}
			if r := postAs(t, srv.URL, c.admin, `{ feed(name: "x") { name } }`, nil); r.code(0) != "NOT_FOUND" {
				t.Errorf("a feed never created: %s", r.Raw)
			}

			// Create, update, enable, delete; each in the audit log.
			d = admin(`mutation { createFeed(input: {name: "gts", kind: SPOOL, path: "gts", intervalSeconds: 10, description: "message switch"}) {
				name kind path url enabled intervalSeconds description state { consecutiveFailures totals { inserted } } } }`, nil)
			if dig(d, "createFeed", "enabled") != false || dig(d, "createFeed", "path") != "gts" || dig(d, "createFeed", "url") != nil {
				t.Errorf("created: %v", d)
			}
			d = admin(`mutation { updateFeed(name: "gts", input: {name: "gts-2", kind: SPOOL, path: "gts/in", intervalSeconds: 20}) { name path intervalSeconds enabled } }`, nil)
			if dig(d, "updateFeed", "name") != "gts-2" || dig(d, "updateFeed", "intervalSeconds") != float64(20) {
				t.Errorf("updated: %v", d)
			}
			d = admin(`mutation { setFeedEnabled(name: "gts-2", enabled: true) { enabled } }`, nil)
			if dig(d, "setFeedEnabled", "enabled") != true {
				t.Errorf("enabled: %v", d)
			}
			admin(`mutation { deleteFeed(name: "gts-2") }`, nil)
			if r := postAs(t, srv.URL, c.admin, `mutation { deleteFeed(name: "gts-2") }`, nil); r.code(0) != "NOT_FOUND" {
				t.Errorf("deleted twice: %s", r.Raw)
			}
			d = admin(`{ auditLog(filter: {targetType: "feed"}) { edges { node { action targetId } } } }`, nil)
			var actions []string
			for _, e := range dig(d, "auditLog", "edges").([]any) {
				actions = append(actions, dig(e, "node", "action").(string))
			}
			if got := strings.Join(actions, " "); got != "feed.delete feed.enable feed.update feed.create" {
				t.Errorf("audit log: %s", got)
			}

			// Unchanged since: the poller's requests are answered 304 and
			// the feed's state stays as it was.
			before := admin(state, map[string]any{"n": "local-autogempa"})
			n := requests.Load()
			time.Sleep(2500 * time.Millisecond)
			if requests.Load() == n {
				t.Error("the poller stopped polling")
			}
			after := admin(state, map[string]any{"n": "local-autogempa"})
			if fmt.Sprint(before) != fmt.Sprint(after) {
				t.Errorf("unchanged polls changed the state:\n%v\n%v", before, after)
			}
		})
	}
}

// TestServeStopsThePoller: serve runs the poller; on SIGTERM a poll in
// flight (an upstream that never answers) is cancelled and serve returns
// well within the shutdown timeout, not after the fetch's time limit.
func TestServeStopsThePoller(t *testing.T) {
	asked := make(chan struct{}, 1)
	up := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case asked <- struct{}{}:
		default:
		}
		<-r.Context().Done()
	}))
	defer up.Close()
	cfg := testConfig(t, "sqlite")
	cfg.DemoData = "false"
	cfg.Addr = "127.0.0.1:" + fmt.Sprint(freePort(t))
	cfg.ShutdownTimeout = 10 * time.Second
	cfg.Feeds.AllowPrivate = "true"
	cfg.Feeds.Timeout = time.Minute
	cfg.Feeds.File = filepath.Join(t.TempDir(), "feeds.json")
	conf := fmt.Sprintf(`{"feeds": [{"name": "silent", "kind": "http", "url": %q, "interval": "5s", "enabled": true}]}`, up.URL+"/autogempa.json")
	if err := os.WriteFile(cfg.Feeds.File, []byte(conf), 0o644); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- serve(ctx, cfg, slog.New(slog.DiscardHandler)) }()
	select {
	case <-asked:
	case <-time.After(10 * time.Second):
		t.Fatal("the server's poller never asked the upstream")
	}
	start := time.Now()
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
		if d := time.Since(start); d > 3*time.Second {
			t.Errorf("serve took %v to stop", d)
		}
	case <-time.After(cfg.ShutdownTimeout + 5*time.Second):
		t.Fatal("serve did not stop")
	}
}

// TestReadmeFeedsConfig: the README's config file example is read as
// written, and seeds its feeds.
func TestReadmeFeedsConfig(t *testing.T) {
	readme, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	section := string(readme[strings.Index(string(readme), "## Live feeds"):])
	section = section[:strings.Index(section[3:], "\n## ")+3]
	m := regexp.MustCompile("(?s)```json\n(.*?)```").FindStringSubmatch(section)
	if m == nil {
		t.Fatal("no JSON example in the README's Live feeds section")
	}
	file := filepath.Join(t.TempDir(), "feeds.json")
	if err := os.WriteFile(file, []byte(m[1]), 0o644); err != nil {
		t.Fatal(err)
	}
	cfg := testConfig(t, "sqlite")
	cfg.DemoData = "false"
	cfg.Feeds.File = file
	a, _ := startApp(t, cfg)
	list, err := a.Store.Feeds(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]mkg.Feed{}
	for _, f := range list {
		got[f.Name] = f
	}
	if f := got["autogempa-mirror"]; !f.Enabled || f.Interval != 15*time.Second || f.Format != "bmkg-infogempa" || f.Kind != mkg.FeedHTTP {
		t.Errorf("autogempa-mirror: %+v", f)
	}
	if f := got["gts-quakes"]; !f.Enabled || f.Kind != mkg.FeedSpool || f.Path != "gts/quakes" {
		t.Errorf("gts-quakes: %+v", f)
	}
	if len(got) != 7 || got["bmkg-realtime"].Enabled {
		t.Errorf("feeds: %v", got)
	}
}

// TestFeedSettingsAreChecked: the feed settings are refused when they make
// no sense, naming the setting.
func TestFeedSettingsAreChecked(t *testing.T) {
	for name, change := range map[string]func(c *Config){
		"feeds-poll":          func(c *Config) { c.Feeds.Poll = "yes" },
		"feeds-allow-private": func(c *Config) { c.Feeds.AllowPrivate = "1" },
		"feeds-timeout":       func(c *Config) { c.Feeds.Timeout = 0 },
		"feeds-max-bytes":     func(c *Config) { c.Feeds.MaxBytes = 10 },
	} {
		cfg := defaultConfig()
		change(&cfg)
		if err := cfg.Validate(); err == nil || !strings.Contains(err.Error(), name) {
			t.Errorf("%s: %v", name, err)
		}
	}
	cfg := defaultConfig()
	if err := cfg.Validate(); err != nil {
		t.Fatalf("defaults: %v", err)
	}
}

// startFeedApp starts a server on backend without demo data, with one
// enabled feed, local-autogempa, polling url every 2 s (the poller is not
// running until the test runs a.Feeds).
func startFeedApp(t *testing.T, backend, url string) (*app, *httptest.Server) {
	t.Helper()
	cfg := testConfig(t, backend)
	cfg.DemoData = "false"
	withFeed(t, cfg, url)
	return startApp(t, cfg)
}

// withFeed gives cfg one enabled feed, local-autogempa, polling url every
// 2 s (allowed to reach the test's local server).
func withFeed(t *testing.T, cfg *Config, url string) {
	t.Helper()
	cfg.Feeds.AllowPrivate = "true"
	cfg.Feeds.File = filepath.Join(t.TempDir(), "feeds.json")
	conf := fmt.Sprintf(`{"feeds": [{"name": "local-autogempa", "kind": "http", "url": %q, "format": "bmkg-infogempa", "interval": "2s", "enabled": true}]}`, url)
	if err := os.WriteFile(cfg.Feeds.File, []byte(conf), 0o644); err != nil {
		t.Fatal(err)
	}
}

// autogempaServer serves the real autogempa sample (a magnitude 4.5
// earthquake near Dompu) at any path, as BMKG's feed would.
func autogempaServer(t *testing.T) *httptest.Server {
	t.Helper()
	body, err := os.ReadFile("format/bmkgquake/testdata/bmkg-autogempa-20211005-dompu.json")
	if err != nil {
		t.Fatal(err)
	}
	up := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.Write(body) }))
	t.Cleanup(up.Close)
	return up
}

// TestFeedToSubscribers: an earthquake a feed brings in reaches a
// subscriber as it is stored, through the same ingest path and events as
// a file ingested by hand.
func TestFeedToSubscribers(t *testing.T) {
	for _, backend := range []string{"sqlite", "postgres"} {
		t.Run(backend, func(t *testing.T) {
			up := autogempaServer(t)
			a, srv := startFeedApp(t, backend, up.URL+"/autogempa.json")
			ws, err := dialLive(t, srv.URL, nil, nil)
			if err != nil {
				t.Fatal(err)
			}
			ws.expect("connection_ack")
			ws.subscribe("1", quakeSubscription, nil)
			waitSubscribers(t, a, 1)
			ctx, cancel := context.WithCancel(context.Background())
			stopped := make(chan struct{})
			go func() { a.Feeds.Run(ctx); close(stopped) }()
			defer func() { cancel(); <-stopped }()
			m := ws.expect("next")
			if !strings.Contains(string(m.Payload), `"magnitude":4.5`) || !strings.Contains(string(m.Payload), `"change":"INSERTED"`) {
				t.Fatalf("the subscriber got %s", m.Payload)
			}
		})
	}
}
