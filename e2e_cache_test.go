package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"net"
	"net/http"
	"net/url"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/bmkg/mkggraph/demo"
	"github.com/bmkg/mkggraph/ingest"
	"github.com/bmkg/mkggraph/internal/testenv"
	"github.com/bmkg/mkggraph/internal/testsvc"
)

const countQuery = `{ stations(filter: {kinds: [SYNOPTIC]}) { totalCount } }`

func stationCount(t *testing.T, srvURL string) float64 {
	t.Helper()
	r := post(t, srvURL, countQuery, nil)
	n, _ := dig(mustData(t, r), "stations", "totalCount").(float64)
	return n
}

// ingestDemoFile loads one bundled sample through an app's ingester.
func ingestDemoFile(t *testing.T, a *app, name string) {
	t.Helper()
	data, err := fs.ReadFile(demo.FS(), name)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.Ingest.File(context.Background(), name, data, ingest.Options{}); err != nil {
		t.Fatal(err)
	}
}

// TestRedisSharedAcrossInstances: two server instances share a database and
// a Redis cache: one node, a Redis behind Sentinel, or a Cluster of three
// masters. A cached read costs no SQL; an ingest through one instance
// retires the other's cached reads within a second.
func TestRedisSharedAcrossInstances(t *testing.T) {
	t.Run("single", func(t *testing.T) { sharedAcrossInstances(t, testenv.RedisURL) })
	t.Run("sentinel", func(t *testing.T) {
		sharedAcrossInstances(t, func(t testing.TB) (string, string) { return testsvc.RedisSentinel(t, 1).URL(0), "t:" })
	})
	t.Run("cluster", func(t *testing.T) {
		sharedAcrossInstances(t, func(t testing.TB) (string, string) { return testsvc.RedisCluster(t, 3).URL(), "t:" })
	})
}

func sharedAcrossInstances(t *testing.T, start func(testing.TB) (string, string)) {
	redisURL, prefix := start(t)
	dbPath := filepath.Join(t.TempDir(), "shared.db")
	newInstance := func() (*app, string) {
		cfg := testConfig(t, "sqlite")
		cfg.SQLitePath, cfg.DemoData = dbPath, "false"
		cfg.RedisURL, cfg.RedisPrefix = redisURL, prefix
		a, srv := startApp(t, cfg)
		return a, srv.URL
	}
	a, urlA := newInstance()
	b, urlB := newInstance()
	ingestDemoFile(t, a, "stations/indonesia-synop-stations-kensein.json")

	if n := stationCount(t, urlA); n != 149 {
		t.Fatalf("A sees %v synoptic stations, want 149", n)
	}
	d := fewest(func() int64 {
		before := b.Store.Statements()
		if n := stationCount(t, urlB); n != 149 {
			t.Fatalf("B sees %v", n)
		}
		return b.Store.Statements() - before
	})
	if d != 0 {
		t.Errorf("B answered a read A had cached with %d statements, want none (the data from the shared cache)", d)
	}
	ingestDemoFile(t, b, "stations/noaa-isd-history-indonesia-96xxx.csv")
	changed := time.Now()
	for n := stationCount(t, urlA); n != 158; n = stationCount(t, urlA) {
		if time.Since(changed) > time.Second {
			t.Fatalf("a second after B ingested ISD, A still sees %v synoptic stations, want 158 (the cache must not serve the old count)", n)
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Logf("A saw B's ingest after %v", time.Since(changed).Round(time.Millisecond))
}

// TestInProcessCacheInvalidatedByIngest: the default cache is invalidated
// when the server's own ingest changes the data.
func TestInProcessCacheInvalidatedByIngest(t *testing.T) {
	cfg := testConfig(t, "sqlite")
	cfg.DemoData = "false"
	a, srv := startApp(t, cfg)
	ingestDemoFile(t, a, "stations/indonesia-synop-stations-kensein.json")
	stationCount(t, srv.URL)
	d := fewest(func() int64 {
		before := a.Store.Statements()
		if n := stationCount(t, srv.URL); n != 149 {
			t.Fatalf("second read: %v stations, want 149", n)
		}
		return a.Store.Statements() - before
	})
	if d != 0 {
		t.Fatalf("a read answered from the cache cost %d statements, want none", d)
	}
	ingestDemoFile(t, a, "stations/noaa-isd-history-indonesia-96xxx.csv")
	if n := stationCount(t, srv.URL); n != 158 {
		t.Errorf("after ingest: %v, want 158", n)
	}
}

// TestRedisGoesAway: a Redis that stops answering costs speed, never
// answers; /readyz says so and the server stays ready.
func TestRedisGoesAway(t *testing.T) {
	bin, err := exec.LookPath("redis-server")
	if err != nil {
		testenv.Missing(t, "redis-server not installed")
	}
	port := freePort(t)
	redis := exec.Command(bin, "--port", strconv.Itoa(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no")
	if err := redis.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { redis.Process.Kill(); redis.Wait() })
	waitForPort(t, port)

	cfg := testConfig(t, "sqlite")
	cfg.RedisURL = "redis://127.0.0.1:" + strconv.Itoa(port) + "/0"
	_, srv := startApp(t, cfg)
	if n := stationCount(t, srv.URL); n < 149 {
		t.Fatalf("with Redis up: %v", n)
	}
	if st := readiness(t, srv.URL); st["status"] != "ready" {
		t.Errorf("readyz with Redis up: %v", st)
	}

	redis.Process.Kill()
	redis.Wait()
	for i := range 3 {
		start := time.Now()
		if n := stationCount(t, srv.URL); n < 149 {
			t.Fatalf("request %d after Redis died: %v stations", i, n)
		}
		if d := time.Since(start); d > 3*time.Second {
			t.Errorf("request %d took %v with Redis down", i, d)
		}
	}
	st := readiness(t, srv.URL)
	cache, _ := st["cache"].(map[string]any)
	if st["status"] != "degraded" || cache["ok"] != false || st["httpStatus"] != float64(200) {
		t.Errorf("readyz with Redis down: %v; want 200, status degraded, cache not ok", st)
	}
}

func readiness(t *testing.T, base string) map[string]any {
	t.Helper()
	resp, err := http.Get(base + "/readyz")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	var out map[string]any
	if err := json.Unmarshal(body, &out); err != nil {
		t.Fatalf("readyz: %s", body)
	}
	out["httpStatus"] = float64(resp.StatusCode)
	return out
}

func freePort(t *testing.T) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

func waitForPort(t *testing.T, port int) {
	t.Helper()
	for range 100 {
		if c, err := net.Dial("tcp", "127.0.0.1:"+strconv.Itoa(port)); err == nil {
			c.Close()
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("nothing listens on %d", port)
}

// TestLatestObservationFollowsIngest: each station's latest observation is
// cached; a newer report ingested (through this instance, or a correction
// through another one) replaces it at once here and within a second there.
func TestLatestObservationFollowsIngest(t *testing.T) {
	for _, backend := range []string{"sqlite", "postgres"} {
		t.Run(backend, func(t *testing.T) {
			cfgA := testConfig(t, backend)
			a, srvA := startApp(t, cfgA)
			cfgB := testConfig(t, backend)
			cfgB.SQLitePath, cfgB.DatabaseURL, cfgB.DemoData = cfgA.SQLitePath, cfgA.DatabaseURL, "false"
			b, srvB := startApp(t, cfgB)
			c := &callers{}
			if err := c.setUp(a); err != nil {
				t.Fatal(err)
			}
			q := `{ stationByWmo(wmoIndex: "15015") { latestObservation { observedAt raw { text } } } }`
			latest := func(url string) (any, any) {
				d := mustData(t, postAs(t, url, c.full, q, nil))
				return dig(d, "stationByWmo", "latestObservation", "observedAt"), dig(d, "stationByWmo", "latestObservation", "raw", "text")
			}
			for _, u := range []string{srvA.URL, srvB.URL} {
				if at, _ := latest(u); at != "2022-03-21T12:00:00Z" {
					t.Fatalf("before: latest observation at %v", at)
				}
			}
			newer := "SMRO01 YRBK 211500\n\nAAXX 21151\n\n15015 02999 02501 10113 21090 39765 42952 57020 60001=\n"
			ingestText(t, a, "A_SMRO01YRBK211500_C_EDZW_20220321150500_1.txt", newer)
			if at, _ := latest(srvA.URL); at != "2022-03-21T15:00:00Z" {
				t.Errorf("instance A after ingesting a newer report: latest at %v", at)
			}
			withinASecond(t, "instance B serves the newer report", func() bool {
				at, _ := latest(srvB.URL)
				return at == "2022-03-21T15:00:00Z"
			})
			correction := "SMRO01 YRBK 211500 CCA\n\nAAXX 21151\n\n15015 02999 02501 10123 21090 39765 42952 57020 60001=\n"
			ingestText(t, b, "A_SMRO01YRBK211500_C_EDZW_20220321151000_2.txt", correction)
			withinASecond(t, "instance A serves the correction made through B", func() bool {
				_, text := latest(srvA.URL)
				return strings.Contains(fmt.Sprint(text), "10123")
			})
		})
	}
}

func ingestText(t *testing.T, a *app, name, text string) {
	t.Helper()
	s, err := a.Ingest.File(context.Background(), name, []byte(text), ingest.Options{})
	if err != nil || s.Inserted+s.Updated != 1 {
		t.Fatalf("ingest %s: %+v, %v", name, s, err)
	}
}

// TestResponseCache: a repeated request is answered from memory without
// running (no statement), under the caller's scope only, and never once the
// data behind it changed; responses with an error, or that depend on
// anything but tracked data (the viewer), are never stored.
func TestResponseCache(t *testing.T) {
	for _, backend := range []string{"sqlite", "postgres"} {
		t.Run(backend, func(t *testing.T) {
			cfg := testConfig(t, backend)
			a, srv := startApp(t, cfg)
			c := &callers{}
			if err := c.setUp(a); err != nil {
				t.Fatal(err)
			}
			dashboard := `{ stations(first: 20, filter: {kinds: [SYNOPTIC]}) { edges { node { id wmoIndex name
				latestObservation { observedAt decoded { airTemperature wind { direction speed } } } } } }
				stationByWmo(wmoIndex: "15015") { latestObservation { observedAt } } }`
			hit := func(key, q string) (bool, int64, *gqlResponse) {
				settle(a)
				before := a.Store.Statements()
				r := postAs(t, srv.URL, key, q, nil)
				return r.Header.Get("X-Cache") == "hit", a.Store.Statements() - before, r
			}
			first, _, r1 := hit(c.full, dashboard)
			again, n, r2 := hit(c.full, dashboard)
			if first || !again || n != 0 || answer(t, r1) != answer(t, r2) {
				t.Fatalf("repeat: first hit %v, second hit %v with %d statements, same answer %v", first, again, n, answer(t, r1) == answer(t, r2))
			}
			if c1, c2 := costOf(t, r1), costOf(t, r2); c2["requested"] != c1["requested"] || c2["remaining"] != c1["remaining"].(float64)-c1["requested"].(float64) {
				t.Errorf("the stored answer's cost %v after %v: want it charged again", c2, c1)
			}
			if cl := r2.Header.Get("Content-Length"); cl != strconv.Itoa(len(r2.Raw)) {
				t.Errorf("a stored answer's Content-Length is %q for %d bytes", cl, len(r2.Raw))
			}
			if h, _, _ := hit(c.admin, dashboard); h {
				t.Error("an admin was answered with a partner's stored response (same datasets, other roles)")
			}
			if h, _, r := hit("", dashboard); h || len(r.Errors) == 0 {
				t.Errorf("anonymous: hit %v, errors %d; want a fresh answer with SYNOP denied", h, len(r.Errors))
			}
			if h, _, _ := hit("", dashboard); h {
				t.Error("a response with errors was stored")
			}
			viewer := `{ viewer { anonymous } stations(first: 2) { edges { node { name } } } }`
			hit(c.full, viewer)
			if h, _, _ := hit(c.full, viewer); h {
				t.Error("a response that depends on the caller (viewer) was stored")
			}
			// New data: the stored response is not served again.
			newer := "SMRO01 YRBK 211500\n\nAAXX 21151\n\n15015 02999 02501 10113 21090 39765 42952 57020 60001=\n"
			ingestText(t, a, "A_SMRO01YRBK211500_C_EDZW_20220321150500_1.txt", newer)
			if h, _, r := hit(c.full, dashboard); h || answer(t, r) == answer(t, r1) {
				t.Errorf("after an ingest: hit %v, answer unchanged %v", h, answer(t, r) == answer(t, r1))
			}
			// An access change: neither.
			hit(c.full, dashboard)
			mustData(t, postAs(t, srv.URL, c.admin, `mutation { setDatasetClassification(dataset: "STATION_METADATA", classification: "REGISTERED") { classification } }`, nil))
			if h, _, _ := hit(c.full, dashboard); h {
				t.Error("a stored response was served after an access change")
			}
		})
	}
}

// answer is a response without its extensions (extensions.cost, which
// differs from one request to the next), as JSON.
func answer(t *testing.T, r *gqlResponse) string {
	t.Helper()
	var body map[string]json.RawMessage
	if err := json.Unmarshal([]byte(r.Raw), &body); err != nil {
		t.Fatal(err)
	}
	delete(body, "extensions")
	out, _ := json.Marshal(body)
	return string(out)
}

// getWith sends a query by GET with a key ("" = anonymous) and headers
// (name, value pairs); the body is not decoded (a 304 has none).
func getWith(t *testing.T, base, key, query string, header ...string) (*http.Response, string) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, base+"/graphql?query="+url.QueryEscape(query), nil)
	if key != "" {
		req.Header.Set("Authorization", "Bearer "+key)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp, string(body)
}

// TestHTTPCaching: a GET answer that could be kept carries an ETag and
// Cache-Control (public only when every field is open to all, max-age from
// its data), a current If-None-Match is answered 304 without a body, the
// ETag moves with the data, and any other GET answer is no-store; with the
// response cache off, the validators still hold.
func TestHTTPCaching(t *testing.T) {
	for _, backend := range []string{"sqlite", "postgres"} {
		t.Run(backend, func(t *testing.T) {
			cfg := testConfig(t, backend)
			if backend == "sqlite" {
				cfg.ResponseCacheBytes = 0 // validators without the response cache
			}
			a, srv := startApp(t, cfg)
			c := &callers{}
			if err := c.setUp(a); err != nil {
				t.Fatal(err)
			}
			check := func(name string, resp *http.Response, status int, cacheControl string, vary ...string) {
				t.Helper()
				if resp.StatusCode != status || resp.Header.Get("Cache-Control") != cacheControl {
					t.Errorf("%s: %d with Cache-Control %q, want %d with %q", name, resp.StatusCode, resp.Header.Get("Cache-Control"), status, cacheControl)
				}
				for _, v := range vary {
					if !slices.Contains(resp.Header.Values("Vary"), v) {
						t.Errorf("%s: Vary %v, want %s among them", name, resp.Header.Values("Vary"), v)
					}
				}
			}
			catalogue := `{ stations(first: 3) { edges { node { name wmoIndex } } } }`
			first, body := getWith(t, srv.URL, "", catalogue)
			check("open catalogue", first, 200, "public, max-age=60", "Accept")
			etag := first.Header.Get("ETag")
			if !strings.HasPrefix(etag, `"`) || !strings.Contains(body, "edges") {
				t.Fatalf("open catalogue: ETag %q, body %s", etag, body)
			}
			again, body := getWith(t, srv.URL, "", catalogue, "If-None-Match", `"other", `+etag)
			check("revalidated", again, 304, "public, max-age=60")
			if body != "" || again.Header.Get("ETag") != etag {
				t.Errorf("304: body %q, ETag %q (want none, %q)", body, again.Header.Get("ETag"), etag)
			}
			if other, _ := getWith(t, srv.URL, "", catalogue, "If-None-Match", `"stale"`); other.StatusCode != 200 {
				t.Errorf("an If-None-Match naming another ETag: %d, want 200", other.StatusCode)
			}
			if r := postAs(t, srv.URL, "", catalogue, nil); r.Header.Get("ETag") != "" {
				t.Errorf("a POST answer carries ETag %q", r.Header.Get("ETag"))
			}

			quake, _ := getWith(t, srv.URL, "", `{ latestEarthquake { magnitude region } }`)
			check("latest earthquake", quake, 200, "public, max-age=5")

			// SYNOP is granted to partners only: the answer is theirs.
			latest := `{ stationByWmo(wmoIndex: "15015") { name latestObservation { observedAt decoded { airTemperature } } } }`
			mine, _ := getWith(t, srv.URL, c.full, latest)
			check("granted SYNOP", mine, 200, "private, max-age=60", "Authorization", "Accept")
			denied, _ := getWith(t, srv.URL, "", latest)
			check("SYNOP denied (an error)", denied, 200, "no-store")
			viewer, _ := getWith(t, srv.URL, c.full, `{ viewer { anonymous } }`)
			check("viewer", viewer, 200, "no-store")
			if viewer.Header.Get("ETag") != "" {
				t.Errorf("an answer that depends on the caller carries ETag %q", viewer.Header.Get("ETag"))
			}

			// New data: the old ETag no longer matches.
			newer := "SMRO01 YRBK 211500\n\nAAXX 21151\n\n15015 02999 02501 10113 21090 39765 42952 57020 60001=\n"
			ingestText(t, a, "A_SMRO01YRBK211500_C_EDZW_20220321150500_1.txt", newer)
			settle(a)
			after, _ := getWith(t, srv.URL, c.full, latest, "If-None-Match", mine.Header.Get("ETag"))
			if after.StatusCode != 200 || after.Header.Get("ETag") == mine.Header.Get("ETag") {
				t.Errorf("after an ingest: %d with ETag %q (before: %q), want 200 with another", after.StatusCode, after.Header.Get("ETag"), mine.Header.Get("ETag"))
			}
		})
	}
}
