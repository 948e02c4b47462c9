package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/bmkg/mkggraph/graph/model"
	"github.com/bmkg/mkggraph/internal/testenv"
)

// testConfig is the default configuration, as `go run .` would have it,
// with the demo data loaded into a fresh database of the given backend:
// the stations, observations, earthquakes and radar files (the servers
// shared by the read-only tests hold all of it; see forEachBackend).
func testConfig(t *testing.T, backend string) *Config {
	t.Helper()
	cfg := defaultConfig()
	cfg.DemoData = "true"
	cfg.demoFiles = coreDemo
	cfg.Quota = testQuota
	cfg.FileDir = t.TempDir()
	switch backend {
	case "sqlite":
		cfg.SQLitePath = filepath.Join(t.TempDir(), "mkggraph.db")
	case "postgres":
		cfg.DatabaseURL = testenv.PostgresURL(t)
	}
	return &cfg
}

// coreDemo keeps the demo files most tests use: loading all of them costs
// seconds more per server under -race. The 1,320 seismic sensors are left
// out too (8 s per server under -race, with SQLite's C code instrumented);
// the shared servers have them.
func coreDemo(name string) bool {
	if name == "stations/bmkg-seismic-sensors.tsv" {
		return false
	}
	for _, dir := range []string{"stations/", "synop/", "earthquakes/", "radar/"} {
		if strings.HasPrefix(name, dir) {
			return true
		}
	}
	return false
}

// startApp wires the whole server as serve does and serves it over HTTP.
func startApp(t *testing.T, cfg *Config) (*app, *httptest.Server) {
	t.Helper()
	a, err := newApp(context.Background(), cfg, failureLog(t))
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(a.Handler)
	t.Cleanup(func() { srv.Close(); a.Close() })
	return a, srv
}

// failureLog keeps the last warnings and errors a test's server writes and
// hands them to the test's output if the test fails: what a failure needs
// (an INTERNAL error's cause …), without the noise of the tests that pass.
func failureLog(t *testing.T) *slog.Logger {
	w := &tailWriter{max: 64 << 10}
	t.Cleanup(func() { // registered first, so it runs after the server stopped
		if t.Failed() {
			t.Logf("the server's warnings and errors (last %d KiB):\n%s", w.max>>10, w.String())
		}
	})
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: slog.LevelWarn}))
}

// tailWriter keeps the last max bytes written to it.
type tailWriter struct {
	mu  sync.Mutex
	max int
	buf []byte
}

func (w *tailWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.buf = append(w.buf, p...)
	if over := len(w.buf) - w.max; over > 0 {
		w.buf = append(w.buf[:0], w.buf[over:]...)
	}
	return len(p), nil
}

func (w *tailWriter) String() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return string(w.buf)
}

// forEachBackend runs fn against a server with the demo data on each
// database. The servers are shared by the tests that only read (loading the
// demo data costs seconds, more under -race); tests that write start their
// own with startApp.
func forEachBackend(t *testing.T, fn func(t *testing.T, a *app, srv *httptest.Server)) {
	for _, backend := range []string{"sqlite", "postgres"} {
		t.Run(backend, func(t *testing.T) {
			s := shared[backend]
			s.once.Do(func() { s.start(backend) })
			if s.skip != "" {
				testenv.Missing(t, s.skip)
			}
			if s.err != nil {
				t.Fatal(s.err)
			}
			fn(t, s.app, s.srv)
		})
	}
}

type sharedApp struct {
	once    sync.Once
	callers *callers
	app     *app
	srv     *httptest.Server
	err     error
	skip    string
	cleanup []func()
}

var shared = map[string]*sharedApp{"sqlite": {}, "postgres": {}}

func (s *sharedApp) start(backend string) {
	cfg := defaultConfig()
	cfg.DemoData = "true"
	cfg.Quota = testQuota
	dir, err := os.MkdirTemp("", "mkggraph-e2e")
	if err != nil {
		s.err = err
		return
	}
	s.cleanup = append(s.cleanup, func() { os.RemoveAll(dir) })
	cfg.FileDir = filepath.Join(dir, "files")
	switch backend {
	case "sqlite":
		cfg.SQLitePath = filepath.Join(dir, "mkggraph.db")
	case "postgres":
		if os.Getenv("TEST_DATABASE_URL") == "" {
			s.skip = "TEST_DATABASE_URL is not set"
			return
		}
		u, drop, err := testenv.NewPostgresSchema()
		if err != nil {
			s.err = err
			return
		}
		s.cleanup = append(s.cleanup, drop)
		cfg.DatabaseURL = u
	}
	s.app, s.err = newApp(context.Background(), &cfg, slog.New(slog.DiscardHandler))
	if s.err == nil {
		s.srv = httptest.NewServer(s.app.Handler)
		s.cleanup = append(s.cleanup, s.srv.Close, s.app.Close)
	}
}

func TestMain(m *testing.M) {
	code := m.Run()
	for _, s := range shared {
		for i := len(s.cleanup) - 1; i >= 0; i-- {
			s.cleanup[i]()
		}
	}
	os.Exit(code)
}

// gqlResponse is a GraphQL response as a client reads it.
type gqlResponse struct {
	Status int
	Header http.Header
	Data   map[string]any `json:"data"`
	Errors []struct {
		Message    string         `json:"message"`
		Path       []any          `json:"path"`
		Extensions map[string]any `json:"extensions"`
	} `json:"errors"`
	Raw string
}

func (r *gqlResponse) code(i int) string {
	if i >= len(r.Errors) {
		return ""
	}
	c, _ := r.Errors[i].Extensions["code"].(string)
	return c
}

func post(t *testing.T, base string, query string, vars map[string]any) *gqlResponse {
	t.Helper()
	return postAs(t, base, "", query, vars)
}

// postAs sends a query with an API key ("" = anonymous).
func postAs(t *testing.T, base, key, query string, vars map[string]any) *gqlResponse {
	t.Helper()
	body, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
	req, _ := http.NewRequest(http.MethodPost, base+"/graphql", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	if key != "" {
		req.Header.Set("Authorization", "Bearer "+key)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	return decode(t, resp)
}

func get(t *testing.T, base string, query string) *gqlResponse {
	t.Helper()
	resp, err := http.Get(base + "/graphql?query=" + url.QueryEscape(query))
	if err != nil {
		t.Fatal(err)
	}
	return decode(t, resp)
}

func decode(t *testing.T, resp *http.Response) *gqlResponse {
	t.Helper()
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	out := &gqlResponse{Status: resp.StatusCode, Header: resp.Header, Raw: string(raw)}
	if err := json.Unmarshal(raw, out); err != nil {
		t.Fatalf("response is not JSON (%d): %s", resp.StatusCode, raw)
	}
	return out
}

// dig walks a decoded JSON value: dig(v, "a", 0, "b").
func dig(v any, path ...any) any {
	for _, p := range path {
		switch k := p.(type) {
		case string:
			m, ok := v.(map[string]any)
			if !ok {
				return nil
			}
			v = m[k]
		case int:
			l, ok := v.([]any)
			if !ok || k >= len(l) {
				return nil
			}
			v = l[k]
		}
	}
	return v
}

func mustData(t *testing.T, r *gqlResponse) map[string]any {
	t.Helper()
	if len(r.Errors) > 0 || r.Status != http.StatusOK {
		t.Fatalf("status %d, errors: %s", r.Status, r.Raw)
	}
	return r.Data
}

func nodeID(typ string, id int64) string { return model.NodeID(typ, id) }
