package main

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/bmkg/mkggraph/internal/testenv"
)

// quietPanels are the dashboard queries a healthy test run leaves without
// a figure, each with the reason. Every other query must show one.
var quietPanels = map[string]string{
	// No request fails with a 5xx in a healthy run, and the series of a
	// status appears only with its first request.
	`sum by (status) (rate(mkg_http_requests_total{status=~"5.."}[$__rate_interval]))`: "no 5xx in a healthy run",
}

// TestDashboardShowsTwoInstances runs the committed Grafana dashboard's
// queries in a real Prometheus (Debian's prometheus) that scrapes the
// operators' listeners of two instances on one PostgreSQL database and one
// Redis, after real traffic: requests to both, an ingest by a feed, an
// access request. Every panel shows a figure (a finite value), and every
// panel drawn per instance shows both instances; the few that a healthy
// run leaves empty are listed in quietPanels with their reason.
func TestDashboardShowsTwoInstances(t *testing.T) {
	prom, err := exec.LookPath("prometheus")
	if err != nil {
		testenv.Missing(t, "prometheus is not installed (Debian: apt-get install prometheus)")
		return
	}
	exprs := dashboardQueries(t)
	redisURL, prefix := testenv.RedisURL(t)

	up := autogempaServer(t)
	cfgA := testConfig(t, "postgres")
	cfgA.RedisURL, cfgA.RedisPrefix = redisURL, prefix
	withFeed(t, cfgA, up.URL+"/autogempa.json")
	a, srvA := startApp(t, cfgA)
	cfgB := *cfgA
	cfgB.DemoData, cfgB.Feeds.File = "false", ""
	b, srvB := startApp(t, &cfgB)
	ctx, cancel := context.WithCancel(context.Background())
	stopped := make(chan struct{})
	go func() { a.Feeds.Run(ctx); close(stopped) }()
	defer func() { cancel(); <-stopped }()

	targets := []string{serveMetrics(t, a), serveMetrics(t, b)}
	promURL := startPrometheus(t, prom, targets)

	// Traffic to both instances while Prometheus scrapes them: queries,
	// a refused one, an access request; the feed ingests on A.
	upload(t, srvA.URL, "", submitMutation, map[string]any{"input": requestInput("SIBATIK")}, "letter.png", letterPNG(t))
	deadline := time.Now().Add(6 * time.Second)
	for time.Now().Before(deadline) {
		for _, base := range []string{srvA.URL, srvB.URL} {
			post(t, base, dashboardQuery, nil)
			post(t, base, `{ latestEarthquake { magnitude nearestStations(first: 2) { distanceKm } } }`, nil)
			post(t, base, `{ nosuchfield }`, nil)
		}
		time.Sleep(100 * time.Millisecond)
	}
	waitScrapes(t, promURL, targets, 4)

	for _, expr := range exprs {
		q := strings.ReplaceAll(expr, "$__rate_interval", "15s")
		series, err := promQuery(promURL, q)
		if err != nil {
			t.Errorf("%s: %v", expr, err)
			continue
		}
		finite := slices.ContainsFunc(series, func(s promSeries) bool { return !math.IsNaN(s.value) && !math.IsInf(s.value, 0) })
		if why, quiet := quietPanels[expr]; quiet {
			t.Logf("%s: %d series (may be empty: %s)", expr, len(series), why)
			continue
		}
		if !finite {
			t.Errorf("%s shows no figure: %v", expr, series)
			continue
		}
		if strings.Contains(expr, "by (instance") {
			instances := map[string]bool{}
			for _, s := range series {
				instances[s.labels["instance"]] = true
			}
			for _, target := range targets {
				if !instances[target] {
					t.Errorf("%s has no series of instance %s: %v", expr, target, series)
				}
			}
		}
	}
	for expr := range quietPanels {
		if !slices.Contains(exprs, expr) {
			t.Errorf("quietPanels lists %s, which the dashboard no longer has", expr)
		}
	}
}

// dashboardQueries returns every query of the committed dashboard.
func dashboardQueries(t *testing.T) []string {
	t.Helper()
	var dash struct {
		Panels []struct {
			Targets []struct {
				Expr string `json:"expr"`
			} `json:"targets"`
		} `json:"panels"`
	}
	raw, err := os.ReadFile("ops/grafana/mkggraph-dashboard.json")
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(raw, &dash); err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, p := range dash.Panels {
		for _, tg := range p.Targets {
			out = append(out, tg.Expr)
		}
	}
	if len(out) == 0 {
		t.Fatal("the dashboard has no queries")
	}
	return out
}

// startPrometheus runs Prometheus scraping targets every second as job
// "mkggraph" (the job the dashboard selects), on a port of its own.
func startPrometheus(t *testing.T, bin string, targets []string) string {
	t.Helper()
	dir := t.TempDir()
	quoted := make([]string, len(targets))
	for i, target := range targets {
		quoted[i] = strconv.Quote(target)
	}
	conf := fmt.Sprintf("global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\nscrape_configs:\n  - job_name: mkggraph\n    static_configs:\n      - targets: [%s]\n", strings.Join(quoted, ", "))
	if err := os.WriteFile(filepath.Join(dir, "prometheus.yml"), []byte(conf), 0o644); err != nil {
		t.Fatal(err)
	}
	addr := "127.0.0.1:" + strconv.Itoa(freePort(t))
	cmd := exec.Command(bin, "--config.file="+filepath.Join(dir, "prometheus.yml"), "--storage.tsdb.path="+filepath.Join(dir, "data"),
		"--web.listen-address="+addr, "--log.level=warn")
	logs, err := os.Create(filepath.Join(dir, "prometheus.log"))
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stdout, cmd.Stderr = logs, logs
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cmd.Process.Kill()
		cmd.Wait()
		if t.Failed() {
			if raw, err := os.ReadFile(logs.Name()); err == nil {
				t.Logf("prometheus log:\n%s", raw)
			}
		}
	})
	base := "http://" + addr
	for start := time.Now(); time.Since(start) < 15*time.Second; time.Sleep(100 * time.Millisecond) {
		if resp, err := http.Get(base + "/-/ready"); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return base
			}
		}
	}
	t.Fatal("prometheus did not become ready within 15 s")
	return ""
}

// waitScrapes waits until Prometheus holds n successful scrapes of every
// target.
func waitScrapes(t *testing.T, base string, targets []string, n int) {
	t.Helper()
	for start := time.Now(); time.Since(start) < 20*time.Second; time.Sleep(250 * time.Millisecond) {
		series, err := promQuery(base, `sum_over_time(up{job="mkggraph"}[30s])`)
		if err != nil {
			continue
		}
		ok := 0
		for _, s := range series {
			if slices.Contains(targets, s.labels["instance"]) && s.value >= float64(n) {
				ok++
			}
		}
		if ok == len(targets) {
			return
		}
	}
	t.Fatalf("prometheus did not scrape both instances %d times within 20 s", n)
}

type promSeries struct {
	labels map[string]string
	value  float64
}

// promQuery evaluates an instant query through Prometheus's HTTP API.
func promQuery(base, q string) ([]promSeries, error) {
	resp, err := http.Get(base + "/api/v1/query?query=" + url.QueryEscape(q))
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	var out struct {
		Status string `json:"status"`
		Error  string `json:"error"`
		Data   struct {
			ResultType string `json:"resultType"`
			Result     []struct {
				Metric map[string]string `json:"metric"`
				Value  [2]any            `json:"value"`
			} `json:"result"`
		} `json:"data"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		return nil, err
	}
	if out.Status != "success" {
		return nil, fmt.Errorf("prometheus: %s", out.Error)
	}
	series := make([]promSeries, 0, len(out.Data.Result))
	for _, r := range out.Data.Result {
		s, _ := r.Value[1].(string)
		v, err := strconv.ParseFloat(s, 64)
		if err != nil {
			return nil, fmt.Errorf("value %q: %v", s, err)
		}
		series = append(series, promSeries{labels: r.Metric, value: v})
	}
	return series, nil
}
