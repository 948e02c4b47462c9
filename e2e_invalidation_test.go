package main

import (
	"testing"
	"time"

	"github.com/bmkg/mkggraph/internal/testsvc"
)

// TestNoStaleReadAfterInvalidationDuringRedisFault: an ingest while Redis
// does not answer changes the station catalogue, and its invalidation
// cannot reach Redis; yet once Redis is back, no instance serves the count
// cached before the ingest.
//
// Redis is frozen, as a network partition behaves: its data survive. The
// ingest comes once the instances have found Redis not answering (a
// command sent to a frozen Redis before that would be carried out when it
// thaws).
func TestNoStaleReadAfterInvalidationDuringRedisFault(t *testing.T) {
	pg, rd := testsvc.StartPostgres(t), testsvc.Redis(t)
	withRedis := func(cfg *Config) {
		cfg.RedisURL = rd.RedisURL(0)
		// Reads go to Redis, not to the copies each process keeps.
		cfg.ResponseCacheBytes, cfg.CacheObjectBytes = 0, 0
	}
	a, urlA := faultApp(t, pg, withRedis)
	b, urlB := faultApp(t, pg, withRedis)
	for _, u := range []string{urlA, urlB, urlA, urlB} {
		if n := stationCount(t, u); n != 149 {
			t.Fatalf("before the fault: %v synoptic stations, want 149", n)
		}
	}

	rd.Freeze()
	for _, u := range []string{urlA, urlB} {
		if n := stationCount(t, u); n != 149 {
			t.Fatalf("Redis frozen, before the ingest: %v synoptic stations, want 149", n)
		}
	}
	if a.Cache.Available() || b.Cache.Available() {
		t.Fatalf("instances still call a frozen Redis: %+v, %+v", a.Cache.Status(), b.Cache.Status())
	}
	ingestDemoFile(t, b, "stations/noaa-isd-history-indonesia-96xxx.csv")
	if n := stationCount(t, urlB); n != 158 {
		t.Errorf("instance B, Redis frozen, after its ingest: %v synoptic stations, want 158", n)
	}
	withinASecond(t, "instance A, Redis frozen, sees B's ingest", func() bool { return stationCount(t, urlA) == 158 })
	rd.Thaw()
	for _, inst := range []struct {
		app *app
		url string
	}{{a, urlA}, {b, urlB}} {
		// Requests start the probes that close the breaker.
		back := func() bool { stationCount(t, inst.url); return inst.app.Cache.Status().OK }
		if waitUntil(3*time.Second, back) < 0 {
			t.Fatalf("Redis not used again 3 s after it returned: %+v", inst.app.Cache.Status())
		}
	}
	for name, u := range map[string]string{"A": urlA, "B": urlB} {
		if n := stationCount(t, u); n != 158 {
			t.Errorf("instance %s, Redis back: %v synoptic stations, want 158 (a count cached before the ingest was served)", name, n)
		}
	}
}
