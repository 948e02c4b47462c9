package httpapi_test

import (
	"bytes"
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/bmkg/mkggraph/authn"
	"github.com/bmkg/mkggraph/httpapi"
	"github.com/bmkg/mkggraph/mkg"
	"github.com/bmkg/mkggraph/resolvers"
	"github.com/bmkg/mkggraph/shakemaps"
)

type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}
func (b *lockedBuffer) String() string { b.mu.Lock(); defer b.mu.Unlock(); return b.b.String() }

// TestDatabaseDownInAResolver: a resolver whose database is gone (a closed
// pool: what a real store returns during shutdown or after losing its
// server) gives UNAVAILABLE, not INTERNAL; with no data at all the answer
// is 503 with Retry-After, with some data it stays 200; and fifty failed
// requests write one log line, not fifty.
func TestDatabaseDownInAResolver(t *testing.T) {
	down := store(t)
	down.Close()
	var logs lockedBuffer
	log := slog.New(slog.NewJSONHandler(&logs, nil))
	gql := executor(t, &resolvers.Resolver{StationData: down, ObservationData: down}, log)
	live := store(t) // authentication still works: the failure is inside the resolver
	s := &httpapi.Server{GraphQL: gql, Auth: authn.NewAuthenticator(live, nil, log, nil), Loaders: loaderReads{live, shakemaps.Reader{Grids: live}}, Log: log,
		Limits:    httpapi.DefaultLimits,
		Readiness: httpapi.Readiness{Database: live.Ping, Cache: func(context.Context) mkg.CacheStatus { return mkg.CacheStatus{OK: true} }}}
	srv := httptest.NewServer(s.Handler())
	defer srv.Close()

	for range 50 {
		code, out, raw := query(t, srv, `{ stationByWmo(wmoIndex: "96749") { name } }`)
		if code != http.StatusServiceUnavailable {
			t.Fatalf("status %d, want 503: %s", code, raw)
		}
		e := out["errors"].([]any)[0].(map[string]any)
		if ext := e["extensions"].(map[string]any); ext["code"] != "UNAVAILABLE" || ext["requestId"] == "" {
			t.Fatalf("error %v, want UNAVAILABLE with a request id", e)
		}
		if strings.Contains(raw, "sql") {
			t.Fatalf("the driver's error reached the client: %s", raw)
		}
	}
	resp, err := http.Post(srv.URL+"/graphql", "application/json", strings.NewReader(`{"query":"{ stationByWmo(wmoIndex: \"96749\") { name } }"}`))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.Header.Get("Retry-After") == "" {
		t.Error("503 without Retry-After")
	}
	code, out, raw := query(t, srv, `{ stationByWmo(wmoIndex: "96749") { name } viewer { anonymous } }`)
	if code != http.StatusOK || out["data"].(map[string]any)["viewer"] == nil {
		t.Errorf("with some data the answer is %d, want 200: %s", code, raw)
	}
	if n := strings.Count(logs.String(), "unavailable: the database"); n != 1 {
		t.Errorf("%d log lines for 52 failures within the interval, want 1:\n%s", n, logs.String())
	}
}

// TestDatabaseDownInAuthentication: every request needs the access version;
// with the database gone each is 503 UNAVAILABLE with Retry-After, and the
// outage is logged once, not once per request.
func TestDatabaseDownInAuthentication(t *testing.T) {
	down := store(t)
	down.Close()
	var logs lockedBuffer
	log := slog.New(slog.NewJSONHandler(&logs, nil))
	gql := executor(t, &resolvers.Resolver{}, log)
	s := &httpapi.Server{GraphQL: gql, Auth: authn.NewAuthenticator(down, nil, log, nil), Loaders: loaderReads{down, shakemaps.Reader{Grids: down}}, Log: log,
		Limits:    httpapi.DefaultLimits,
		Readiness: httpapi.Readiness{Database: down.Ping, Cache: func(context.Context) mkg.CacheStatus { return mkg.CacheStatus{OK: true} }}}
	srv := httptest.NewServer(s.Handler())
	defer srv.Close()
	for range 30 {
		resp, err := http.Post(srv.URL+"/graphql", "application/json", strings.NewReader(`{"query":"{ viewer { anonymous } }"}`))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusServiceUnavailable || resp.Header.Get("Retry-After") == "" {
			t.Fatalf("status %d, Retry-After %q; want 503 with Retry-After", resp.StatusCode, resp.Header.Get("Retry-After"))
		}
	}
	if n := strings.Count(logs.String(), "authentication failed"); n != 1 {
		t.Errorf("%d log lines for 30 failed requests, want 1:\n%s", n, logs.String())
	}
}
