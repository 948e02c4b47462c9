package httpapi_test

import (
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/bmkg/mkggraph/httpapi"
	"github.com/bmkg/mkggraph/mkg"
)

// TestReadyAnswersWithinASecond: /readyz answers within a second even when
// its checks hang and ignore their context (as lib/pq did on a frozen
// PostgreSQL): the database is reported down (503), the cache too.
func TestReadyAnswersWithinASecond(t *testing.T) {
	hang := make(chan struct{})
	s := &httpapi.Server{
		Readiness: httpapi.Readiness{
			Database: func(context.Context) error { <-hang; return nil },
			Cache:    func(context.Context) mkg.CacheStatus { <-hang; return mkg.CacheStatus{OK: true} },
		},
		Log: slog.New(slog.DiscardHandler),
	}
	srv := httptest.NewServer(s.Handler())
	defer srv.Close()
	defer close(hang) // before srv.Close, which waits for handlers
	start := time.Now()
	resp, err := (&http.Client{Timeout: 3 * time.Second}).Get(srv.URL + "/readyz")
	if err != nil {
		t.Fatalf("/readyz with hanging checks: %v", err)
	}
	defer resp.Body.Close()
	if d := time.Since(start); d >= time.Second {
		t.Errorf("/readyz took %v with hanging checks, want under 1 s", d)
	}
	var report struct {
		Status   string
		Database struct{ OK bool }
		Cache    mkg.CacheStatus
	}
	json.NewDecoder(resp.Body).Decode(&report)
	if resp.StatusCode != http.StatusServiceUnavailable || report.Status != "unavailable" || report.Database.OK || report.Cache.OK {
		t.Errorf("readyz = %d %+v; want 503, database and cache not ok", resp.StatusCode, report)
	}
}

// TestReadyRunsChecksAtOnce: a slow cache check does not delay the
// database's, so the two together stay within the bound.
func TestReadyRunsChecksAtOnce(t *testing.T) {
	slow := func() { time.Sleep(600 * time.Millisecond) }
	s := &httpapi.Server{
		Readiness: httpapi.Readiness{
			Database: func(context.Context) error { slow(); return nil },
			Cache:    func(context.Context) mkg.CacheStatus { slow(); return mkg.CacheStatus{Backend: "redis", OK: true} },
		},
		Log: slog.New(slog.DiscardHandler),
	}
	srv := httptest.NewServer(s.Handler())
	defer srv.Close()
	start := time.Now()
	resp, err := http.Get(srv.URL + "/readyz")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if d := time.Since(start); d >= time.Second || resp.StatusCode != http.StatusOK {
		t.Errorf("/readyz with two 600 ms checks: %d after %v; want 200 within 1 s", resp.StatusCode, d)
	}
}
