package main

import (
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"testing"
)

// TestProfilerOnlyOnAdminListener: the profiler answers on the operators'
// listener and is not part of the public API.
func TestProfilerOnlyOnAdminListener(t *testing.T) {
	_, srv := startApp(t, testConfig(t, "sqlite"))
	resp, err := http.Get(srv.URL + "/debug/pprof/")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode == http.StatusOK {
		t.Fatalf("the public listener serves /debug/pprof/")
	}

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	stop := serveAdminOn(ln, slog.New(slog.DiscardHandler), http.NotFoundHandler())
	defer stop()
	for path, want := range map[string]string{
		"/debug/pprof/":                  "goroutine",
		"/debug/pprof/heap?debug=1":      "heap profile",
		"/debug/pprof/profile?seconds=1": "", // a binary CPU profile
		"/debug/pprof/goroutine?debug=1": "goroutine profile",
	} {
		resp, err := http.Get("http://" + ln.Addr().String() + path)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK || len(body) == 0 || !strings.Contains(string(body), want) {
			t.Errorf("%s: %d, %d bytes, want %q in it", path, resp.StatusCode, len(body), want)
		}
	}
}
