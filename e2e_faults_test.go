package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"slices"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/bmkg/mkggraph/cache"
	"github.com/bmkg/mkggraph/internal/requestid"
	"github.com/bmkg/mkggraph/internal/testsvc"
	"github.com/bmkg/mkggraph/metrics"
	"github.com/bmkg/mkggraph/mkg"
	"github.com/bmkg/mkggraph/redis"
)

// The fault tests run the whole server on a PostgreSQL cluster and a Redis
// process of their own, freeze and kill them under a bounded load (a few
// goroutines, each sending its next request when the last is answered) and
// check what clients see.

// faultApp is a server on a private PostgreSQL, configured further by
// tweak; the first on a cluster loads the 149 stations of one demo file.
func faultApp(t *testing.T, pg *testsvc.Postgres, tweak func(*Config)) (*app, string) {
	t.Helper()
	cfg := testConfig(t, "sqlite")
	cfg.DatabaseURL, cfg.DemoData = pg.URL(), "false"
	tweak(cfg)
	start := time.Now()
	a, srv := startApp(t, cfg)
	if empty, err := a.Store.IsEmpty(context.Background()); err != nil || empty {
		ingestDemoFile(t, a, "stations/indonesia-synop-stations-kensein.json")
	}
	t.Logf("server ready in %v", time.Since(start).Round(time.Millisecond))
	return a, srv.URL
}

// warmUp sends a few requests first: the first ones open connections and
// fill caches, and would count as slow.
func warmUp(t *testing.T, base, query string) {
	t.Helper()
	for range 20 {
		post(t, base, query, nil)
	}
}

// sample is one request of a load: its id, when it started, how long it
// took, how long of that it waited on Redis, and what was wrong with its
// answer ("" when nothing).
type sample struct {
	id         string
	start      time.Time
	took, wait time.Duration
	fault      string
}

// end is when the sample's request ended.
func (s sample) end() time.Time { return s.start.Add(s.took) }

// loadRun posts one query from several goroutines until stopped, each
// sending its next request when the last is answered.
type loadRun struct {
	stop    chan struct{}
	wg      sync.WaitGroup
	mu      sync.Mutex
	samples []sample
}

// startLoad runs workers goroutines posting query to base; check says
// what is wrong with an answer.
func startLoad(base, query string, workers int, check func(status int, body []byte) string) *loadRun {
	l := &loadRun{stop: make(chan struct{})}
	client := &http.Client{Timeout: 30 * time.Second}
	body, _ := json.Marshal(map[string]any{"query": query})
	for w := range workers {
		l.wg.Go(func() {
			for i := 0; ; i++ {
				select {
				case <-l.stop:
					return
				default:
				}
				s := sample{id: fmt.Sprintf("load-%d-%d", w, i), start: time.Now()}
				req, _ := http.NewRequest(http.MethodPost, base+"/graphql", bytes.NewReader(body))
				req.Header.Set("Content-Type", "application/json")
				req.Header.Set("X-Request-Id", s.id)
				if resp, err := client.Do(req); err != nil {
					s.fault = err.Error()
				} else {
					b, _ := io.ReadAll(resp.Body)
					resp.Body.Close()
					s.fault = check(resp.StatusCode, b)
				}
				s.took = time.Since(s.start)
				l.mu.Lock()
				l.samples = append(l.samples, s)
				l.mu.Unlock()
			}
		})
	}
	return l
}

// cacheWaits is a cache backend that adds up, per request id, the time
// calls spend in it: what a request waited on Redis.
type cacheWaits struct {
	mkg.Cache
	mu    sync.Mutex
	total map[string]time.Duration
}

func (c *cacheWaits) observe(ctx context.Context, start time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.total[requestid.From(ctx)] += time.Since(start)
}

func (c *cacheWaits) Get(ctx context.Context, key string) ([]byte, error) {
	defer c.observe(ctx, time.Now())
	return c.Cache.Get(ctx, key)
}

func (c *cacheWaits) Set(ctx context.Context, key string, v []byte, ttl time.Duration) error {
	defer c.observe(ctx, time.Now())
	return c.Cache.Set(ctx, key, v, ttl)
}

func (c *cacheWaits) Incr(ctx context.Context, key string) (int64, error) {
	defer c.observe(ctx, time.Now())
	return c.Cache.Incr(ctx, key)
}

// finish stops the load and returns its samples.
func (l *loadRun) finish() []sample {
	close(l.stop)
	l.wg.Wait()
	return l.samples
}

// between returns the samples that started in [from, to).
func between(samples []sample, from, to time.Time) []sample {
	return matching(samples, func(s sample) bool { return !s.start.Before(from) && s.start.Before(to) })
}

// inFlight returns the samples that ran, in part at least, in [from, to).
func inFlight(samples []sample, from, to time.Time) []sample {
	return matching(samples, func(s sample) bool { return s.start.Before(to) && s.end().After(from) })
}

func matching(samples []sample, keep func(sample) bool) []sample {
	var out []sample
	for _, s := range samples {
		if keep(s) {
			out = append(out, s)
		}
	}
	return out
}

// percentile returns the q-th percentile (0–100) of f over the samples.
// (The slowest of 100 samples is their 99th percentile.)
func percentile(samples []sample, q float64, f func(sample) time.Duration) time.Duration {
	if len(samples) == 0 {
		return 0
	}
	d := make([]time.Duration, len(samples))
	for i, s := range samples {
		d[i] = f(s)
	}
	slices.Sort(d)
	return d[min(len(d)-1, int(float64(len(d))*q/100))]
}

func faults(samples []sample) []string {
	var out []string
	for _, s := range samples {
		if s.fault != "" {
			out = append(out, s.fault)
		}
	}
	return out
}

// readyzWithin checks that /readyz answers within a second with the given
// status, and returns its report.
func readyzWithin(t *testing.T, base string, wantStatus int) map[string]any {
	t.Helper()
	start := time.Now()
	resp, err := (&http.Client{Timeout: 3 * time.Second}).Get(base + "/readyz")
	if err != nil {
		t.Errorf("/readyz: %v", err)
		return nil
	}
	defer resp.Body.Close()
	d := time.Since(start)
	t.Logf("/readyz answered %d in %v", resp.StatusCode, d.Round(time.Millisecond))
	if d >= time.Second {
		t.Errorf("/readyz took %v, want under 1 s", d)
	}
	var st map[string]any
	json.NewDecoder(resp.Body).Decode(&st)
	if resp.StatusCode != wantStatus {
		t.Errorf("/readyz: %d %v, want HTTP %d", resp.StatusCode, st, wantStatus)
	}
	return st
}

// stationsAnswer checks the cached station count.
func stationsAnswer(want float64) func(int, []byte) string {
	return func(status int, body []byte) string {
		var r gqlResponse
		json.Unmarshal(body, &r)
		if status != http.StatusOK || len(r.Errors) > 0 || dig(r.Data, "stations", "totalCount") != want {
			return fmt.Sprintf("%d %s", status, body)
		}
		return ""
	}
}

// waitUntil polls cond every 10 ms for at most limit and returns how long
// it took, or -1.
func waitUntil(limit time.Duration, cond func() bool) time.Duration {
	start := time.Now()
	for time.Since(start) < limit {
		if cond() {
			return time.Since(start)
		}
		time.Sleep(10 * time.Millisecond)
	}
	return -1
}

// TestRedisFaultsUnderLoad: with Redis frozen, then killed, under load,
// no request fails; once the fault has begun, the 99th percentile of the
// time requests wait on Redis stays under 50 ms (it is 0: the breaker is
// open); at its onset only requests already calling Redis wait, one Redis
// timeout at most when it froze, not at all when it died; /readyz answers
// within a second, and the cache is used again within a second of Redis's
// return.
//
// What a Redis fault adds is the time requests wait on Redis, measured
// where the server calls it; the end-to-end latencies are logged too, but
// on a busy machine their percentiles are mostly the machine's noise, and
// answering from the database instead of the cache costs what the
// database costs.
func TestRedisFaultsUnderLoad(t *testing.T) {
	start := time.Now()
	pg, rd := testsvc.StartPostgres(t), testsvc.Redis(t)
	t.Logf("PostgreSQL and Redis started in %v", time.Since(start).Round(time.Millisecond))
	waits := &cacheWaits{total: map[string]time.Duration{}}
	a, base := faultApp(t, pg, func(cfg *Config) {
		cfg.RedisURL = rd.RedisURL(0)
		cfg.observeCache = func(c mkg.Cache) mkg.Cache { waits.Cache = c; return waits }
		// Every request reaches Redis: no response cache, no decoded
		// values in process memory in front of it.
		cfg.ResponseCacheBytes, cfg.CacheObjectBytes = 0, 0
	})
	warmUp(t, base, countQuery)
	if st := a.Cache.Status(); !st.OK || st.Backend != "redis" {
		t.Fatalf("cache before the faults: %+v", st)
	}
	load := startLoad(base, countQuery, 3, stationsAnswer(149))
	time.Sleep(2 * time.Second)

	type window struct {
		name     string
		from, to time.Time
		onset    time.Duration // the longest a request may wait on Redis at the fault's onset
	}
	var windows []window
	fault := func(name string, begin, end func(), onset time.Duration) {
		w := window{name: name, from: time.Now(), onset: onset}
		begin()
		time.Sleep(3 * time.Second)
		w.to = time.Now()
		if st := readyzWithin(t, base, http.StatusOK); st["status"] != "degraded" {
			t.Errorf("/readyz with Redis %s: %v, want degraded", name, st)
		}
		end()
		windows = append(windows, w)
		d := waitUntil(3*time.Second, func() bool { return a.Cache.Status().OK })
		t.Logf("Redis %s: cache used again %v after Redis returned", name, d.Round(time.Millisecond))
		if d < 0 || d > time.Second {
			t.Errorf("Redis %s: the cache was used again %v after Redis returned, want within 1 s (-1: not within 3 s)", name, d)
		}
		time.Sleep(300 * time.Millisecond)
	}
	// Frozen, requests already waiting on Redis wait for its timeout: no
	// client can tell a frozen Redis from a slow one sooner. Killed, Redis
	// refuses at once.
	fault("frozen", rd.Freeze, rd.Thaw, redis.IOTimeout)
	fault("killed", rd.Kill, rd.Restart, 0)
	all := load.finish()
	waits.mu.Lock()
	for i := range all {
		all[i].wait = waits.total[all[i].id]
	}
	waits.mu.Unlock()

	if f := faults(all); len(f) > 0 {
		t.Errorf("%d of %d requests failed, first: %s", len(f), len(all), f[0])
	}
	took := func(s sample) time.Duration { return s.took }
	wait := func(s sample) time.Duration { return s.wait }
	calm := matching(all, func(s sample) bool { return s.end().Before(windows[0].from) })
	t.Logf("without faults: %d requests, latency p50 %v, p99 %v; waiting on Redis p99 %v", len(calm),
		percentile(calm, 50, took), percentile(calm, 99, took), percentile(calm, 99, wait))
	const margin = 250 * time.Millisecond // a busy machine's scheduling delays
	for _, w := range windows {
		onsetEnd := w.from.Add(2 * redis.IOTimeout)
		onset, after := inFlight(all, w.from, onsetEnd), between(all, onsetEnd, w.to)
		t.Logf("Redis %s: %d requests; at the onset waiting on Redis at most %v; after it, latency p50 %v, p99 %v, waiting on Redis p99 %v, at most %v",
			w.name, len(onset)+len(after), percentile(onset, 100, wait), percentile(after, 50, took), percentile(after, 99, took),
			percentile(after, 99, wait), percentile(after, 100, wait))
		if p := percentile(after, 99, wait); p >= 50*time.Millisecond {
			t.Errorf("Redis %s: requests waited on Redis %v (p99), want under 50 ms", w.name, p)
		}
		if worst := percentile(onset, 100, wait); worst > w.onset+margin {
			t.Errorf("Redis %s: a request at the onset waited %v on Redis, want at most %v (+%v margin)", w.name, worst, w.onset, margin)
		}
	}
}

// earthquakeCount is a read no cache answers: it needs the database.
const earthquakeCount = `{ earthquakes(first: 1) { totalCount } }`

// outcome sums an answer up: "" for data without errors, else the HTTP
// status and the first error's code.
func outcome(status int, body []byte) string {
	var r gqlResponse
	if err := json.Unmarshal(body, &r); err != nil {
		return fmt.Sprintf("%d not JSON", status)
	}
	if status == http.StatusOK && len(r.Errors) == 0 {
		return ""
	}
	if r.code(0) == "INTERNAL" { // a fault of the server: its message says where
		return fmt.Sprintf("%d %s %s", status, r.code(0), body)
	}
	return fmt.Sprintf("%d %s", status, r.code(0))
}

// TestFrozenPostgres: a frozen PostgreSQL holds no request past its
// timeout, and no shutdown past its grace period.
func TestFrozenPostgres(t *testing.T) {
	const timeout = time.Second
	pg := testsvc.StartPostgres(t)
	a, base := faultApp(t, pg, func(cfg *Config) { cfg.Limits.RequestTimeout = timeout })
	t.Run("under load", func(t *testing.T) { frozenPostgresUnderLoad(t, pg, base, timeout) })
	t.Run("shutdown", func(t *testing.T) { shutdownWithFrozenPostgres(t, pg, a, timeout) })
}

// frozenPostgresUnderLoad: while PostgreSQL is frozen, every request is
// answered within its timeout: from the caches while the instance's copy
// of the generations is less than a second old (it cannot be stale for
// longer), UNAVAILABLE after that; /readyz answers 503 within a second;
// within a second of PostgreSQL's return requests succeed again, and every
// one after that does (no connection that hung is reused).
func frozenPostgresUnderLoad(t *testing.T, pg *testsvc.Postgres, base string, timeout time.Duration) {
	warmUp(t, base, earthquakeCount)
	load := startLoad(base, earthquakeCount, 3, outcome)
	time.Sleep(time.Second)
	pg.Freeze()
	frozen := time.Now()
	time.Sleep(1200 * time.Millisecond)
	if st := readyzWithin(t, base, http.StatusServiceUnavailable); st["status"] != "unavailable" {
		t.Errorf("/readyz with PostgreSQL frozen: %v", st)
	}
	time.Sleep(1200 * time.Millisecond)
	readyzWithin(t, base, http.StatusServiceUnavailable)
	thawed := time.Now()
	pg.Thaw()
	time.Sleep(2 * time.Second)
	all := load.finish()

	if f := faults(matching(all, func(s sample) bool { return s.end().Before(frozen) })); len(f) > 0 {
		t.Fatalf("before the fault: %d failed requests, first: %s", len(f), f[0])
	}
	during := inFlight(all, frozen, thawed)
	t.Logf("PostgreSQL frozen: %d requests, slowest %v", len(during), percentile(during, 100, func(s sample) time.Duration { return s.took }))
	if len(during) < 3 {
		t.Errorf("only %d requests during the freeze", len(during))
	}
	for _, s := range during {
		switch {
		case s.took > timeout+500*time.Millisecond:
			t.Errorf("a request %v into the freeze took %v, want its %v timeout at most", s.start.Sub(frozen).Round(time.Millisecond), s.took, timeout)
		case s.fault == "" && s.start.Before(frozen.Add(time.Second)):
			// Answered from the caches while the generations were fresh.
		case s.fault != "503 UNAVAILABLE" && !s.start.Before(frozen) && s.end().Before(thawed):
			// (One running at the freeze or the thaw may end any way, in time.)
			t.Errorf("a request %v into the freeze got %q, want 503 UNAVAILABLE", s.start.Sub(frozen).Round(time.Millisecond), s.fault)
		}
	}
	var back time.Time
	for _, s := range between(all, thawed, time.Now()) {
		if s.fault == "" && (back.IsZero() || s.end().Before(back)) {
			back = s.end()
		}
		if s.fault != "" && s.start.After(thawed.Add(time.Second)) {
			t.Errorf("a request %v after the thaw got %q", s.start.Sub(thawed).Round(time.Millisecond), s.fault)
		}
	}
	t.Logf("first good answer %v after the thaw", back.Sub(thawed).Round(time.Millisecond))
	if back.IsZero() || back.Sub(thawed) > time.Second {
		t.Errorf("first good answer %v after the thaw, want within 1 s", back.Sub(thawed))
	}
}

// shutdownWithFrozenPostgres: on SIGTERM, requests stuck on a frozen
// PostgreSQL are answered and the server stops within the grace period,
// shorter here than the requests' own timeout.
func shutdownWithFrozenPostgres(t *testing.T, pg *testsvc.Postgres, a *app, timeout time.Duration) {
	cfg := testConfig(t, "sqlite")
	port := freePort(t)
	cfg.Addr, cfg.ShutdownTimeout = fmt.Sprintf("127.0.0.1:%d", port), timeout*3/5
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	stopped := make(chan error, 1)
	go func() { stopped <- listenAndServe(ctx, cfg, a.Handler, a.API.Shutdown, slog.New(slog.DiscardHandler)) }()
	waitForPort(t, port)
	pg.Freeze()
	defer pg.Thaw()
	answers := make(chan string, 3)
	body, _ := json.Marshal(map[string]any{"query": earthquakeCount})
	for range 3 {
		go func() {
			// Run, not answered by the response cache: it must wait on PostgreSQL.
			req, _ := http.NewRequest(http.MethodPost, "http://"+cfg.Addr+"/graphql", bytes.NewReader(body))
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("Cache-Control", "no-cache")
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				answers <- err.Error()
				return
			}
			b, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			answers <- outcome(resp.StatusCode, b)
		}()
	}
	time.Sleep(300 * time.Millisecond)
	start := time.Now()
	cancel()
	select {
	case err := <-stopped:
		d := time.Since(start)
		t.Logf("stopped %v after SIGTERM (grace %v), requests in flight on a frozen PostgreSQL", d.Round(time.Millisecond), cfg.ShutdownTimeout)
		if err != nil || d > cfg.ShutdownTimeout+300*time.Millisecond {
			t.Errorf("shutdown with requests stuck on PostgreSQL: %v after %v; want nil within %v", err, d, cfg.ShutdownTimeout)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the server has not stopped 5 s after SIGTERM")
	}
	for range 3 {
		select {
		case got := <-answers:
			if got != "503 UNAVAILABLE" {
				t.Errorf("a request in flight at shutdown got %q, want 503 UNAVAILABLE", got)
			}
		case <-time.After(time.Second):
			t.Fatal("a request in flight at shutdown got no answer")
		}
	}
}

// TestShutdownCancelsRequestsAtTheGraceDeadline: a request still running
// near the end of the grace period has its context cancelled, answers,
// and the server stops in time without an error.
func TestShutdownCancelsRequestsAtTheGraceDeadline(t *testing.T) {
	cfg := testConfig(t, "sqlite")
	port := freePort(t)
	cfg.Addr, cfg.ShutdownTimeout = fmt.Sprintf("127.0.0.1:%d", port), 600*time.Millisecond
	release := make(chan struct{})
	defer close(release)
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
			w.WriteHeader(http.StatusServiceUnavailable)
			io.WriteString(w, "cancelled")
		case <-release:
		}
	})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	stopped := make(chan error, 1)
	go func() { stopped <- listenAndServe(ctx, cfg, h, func() {}, slog.New(slog.DiscardHandler)) }()
	waitForPort(t, port)
	got := make(chan string, 1)
	go func() {
		resp, err := http.Get("http://" + cfg.Addr + "/")
		if err != nil {
			got <- err.Error()
			return
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		got <- string(b)
	}()
	time.Sleep(200 * time.Millisecond)
	start := time.Now()
	cancel()
	select {
	case err := <-stopped:
		if d := time.Since(start); err != nil || d > cfg.ShutdownTimeout+200*time.Millisecond {
			t.Errorf("listenAndServe: %v after %v; want nil within %v", err, d, cfg.ShutdownTimeout)
		}
	case <-time.After(3 * time.Second):
		t.Fatal("the server has not stopped 3 s after SIGTERM")
	}
	select {
	case body := <-got:
		if body != "cancelled" {
			t.Errorf("the request in flight got %q, want its handler's answer to the cancellation", body)
		}
	case <-time.After(time.Second):
		t.Error("the request in flight got no answer")
	}
}

// TestStartupWaitsForRedisOneSecondAtMost: a Redis that is frozen, or
// unreachable (its connections never complete), delays start-up by less
// than a second; the server starts with the breaker open.
func TestStartupWaitsForRedisOneSecondAtMost(t *testing.T) {
	rd := testsvc.Redis(t)
	rd.Freeze()
	for name, url := range map[string]string{"frozen": rd.RedisURL(0), "unreachable": "redis://" + blackhole(t) + "/0"} {
		t.Run(name, func(t *testing.T) {
			cfg := &Config{RedisURL: url, RedisPrefix: "t:", CacheMaxBytes: 1 << 20}
			opened := make(chan *cache.Resilient, 1)
			start := time.Now()
			go func() {
				c, _, closeCache := openCache(context.Background(), cfg, slog.New(slog.DiscardHandler), metrics.New())
				t.Cleanup(closeCache)
				opened <- c
			}()
			select {
			case c := <-opened:
				d := time.Since(start)
				t.Logf("start-up waited %v for a %s Redis", d.Round(time.Millisecond), name)
				if d >= time.Second {
					t.Errorf("start-up waited %v for Redis, want under 1 s", d)
				}
				if st := c.Status(); st.OK || st.Backend != "redis" {
					t.Errorf("cache status at start: %+v, want Redis, not ok", st)
				}
			case <-time.After(3 * time.Second):
				t.Error("start-up still waits for Redis after 3 s")
			}
		})
	}
}

// blackhole returns an address where TCP connections never complete: a
// socket listening with a backlog of 0, filled by one connection, so the
// kernel drops every further SYN (as a firewall or a dead host does).
func blackhole(t *testing.T) string {
	t.Helper()
	fd, err := syscall.Socket(syscall.AF_INET, syscall.SOCK_STREAM, 0)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { syscall.Close(fd) })
	if err := syscall.Bind(fd, &syscall.SockaddrInet4{Addr: [4]byte{127, 0, 0, 1}}); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Listen(fd, 0); err != nil {
		t.Fatal(err)
	}
	sa, err := syscall.Getsockname(fd)
	if err != nil {
		t.Fatal(err)
	}
	addr := fmt.Sprintf("127.0.0.1:%d", sa.(*syscall.SockaddrInet4).Port)
	filler, err := net.DialTimeout("tcp", addr, time.Second)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { filler.Close() })
	if c, err := net.DialTimeout("tcp", addr, 200*time.Millisecond); err == nil {
		c.Close()
		t.Skip("this kernel completes connections past the backlog; cannot make an unreachable address")
	}
	return addr
}
