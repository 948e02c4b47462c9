package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/bmkg/mkggraph/graph/model"
	"github.com/bmkg/mkggraph/internal/testenv"
	"github.com/bmkg/mkggraph/mkg"
)

// BenchmarkShapesAtVolume compares what each query shape costs at one year
// of data with what it costs at the demo volume (issue 10: within 2×). It
// needs the one-year PostgreSQL database of the load benchmark
// (bench/README.md) in MKG_BENCH_VOLUME_URL; the demo volume is the real
// demo data, loaded into a fresh schema of TEST_DATABASE_URL and analysed.
// Each shape is the load benchmark's (W1–W4, LE, from bench/bodies) or a
// list query of the plan test (planQueries), sent as an administrator to
// both servers in turn, the response cache off (the data caches on, as
// they are by default). It reports the medians of the requests' times
// (demo-ms, year-ms) and their ratio (year/demo):
//
//	MKG_BENCH_VOLUME_URL=postgres://…/mkg_bench TEST_DATABASE_URL=postgres://…/test \
//	  go test -run '^$' -bench ShapesAtVolume -benchtime 100x -timeout 30m .
//
// It adds an administrator account to the one-year database at each run.
func BenchmarkShapesAtVolume(b *testing.B) {
	yearURL := os.Getenv("MKG_BENCH_VOLUME_URL")
	if yearURL == "" {
		b.Skip("MKG_BENCH_VOLUME_URL (the one-year benchmark database) is not set")
	}
	demo := volumeServer(b, testenv.PostgresURL(b), true)
	year := volumeServer(b, yearURL, false)
	for _, s := range volumeShapes(b) {
		b.Run(s.name, func(b *testing.B) {
			demoQuery, yearQuery := fill(s.query, demo.ids), fill(s.query, year.ids)
			var demoObjects, yearObjects int
			for range 3 { // warm both: connections, plans, the data caches
				_, demoObjects = demo.send(b, demoQuery)
				_, yearObjects = year.send(b, yearQuery)
			}
			var demoTimes, yearTimes []time.Duration
			i := 0
			for b.Loop() {
				// Interleaved, and each first every other time.
				if i%2 == 0 {
					demoTimes = append(demoTimes, demo.time(b, demoQuery))
					yearTimes = append(yearTimes, year.time(b, yearQuery))
				} else {
					yearTimes = append(yearTimes, year.time(b, yearQuery))
					demoTimes = append(demoTimes, demo.time(b, demoQuery))
				}
				i++
			}
			d, y := median(demoTimes), median(yearTimes)
			b.ReportMetric(ms(d), "demo-ms")
			b.ReportMetric(ms(y), "year-ms")
			b.ReportMetric(float64(y)/float64(d), "year/demo")
			b.ReportMetric(float64(demoObjects), "demo-objects")
			b.ReportMetric(float64(yearObjects), "year-objects")
		})
	}
}

type volumeShape struct{ name, query string }

// volumeShapes are the load benchmark's shapes and the plan test's list
// queries.
func volumeShapes(b *testing.B) []volumeShape {
	var out []volumeShape
	for id, file := range map[string]string{"W1": "w1", "W2": "w2", "W3": "w3", "W4": "w4", "LE": "latest-earthquake"} {
		raw, err := os.ReadFile(filepath.Join("bench", "bodies", file+"-mkggraph.json"))
		if err != nil {
			b.Fatal(err)
		}
		var body struct{ Query string }
		if err := json.Unmarshal(raw, &body); err != nil {
			b.Fatal(err)
		}
		out = append(out, volumeShape{id, body.Query})
	}
	slices.SortFunc(out, func(a, b volumeShape) int { return strings.Compare(a.name, b.name) })
	for i, q := range planQueries {
		out = append(out, volumeShape{fmt.Sprintf("plan%02d", i+1), q})
	}
	return out
}

type volumeApp struct {
	url, key string
	ids      map[string]string
	client   *http.Client
}

// volumeServer serves the database at dbURL (loading the demo data first
// when demo is set) with the response cache off, to an administrator
// granted every dataset, and
// fills the plan queries' placeholders from its data.
func volumeServer(b *testing.B, dbURL string, demo bool) *volumeApp {
	cfg := defaultConfig()
	cfg.DatabaseURL, cfg.FileDir, cfg.ResponseCacheBytes = dbURL, b.TempDir(), 0
	cfg.Quota = testQuota
	cfg.DemoData = "false"
	if demo {
		cfg.DemoData = "true"
	}
	ctx := context.Background()
	a, err := newApp(ctx, &cfg, slog.New(slog.DiscardHandler))
	if err != nil {
		b.Fatal(err)
	}
	srv := httptest.NewServer(a.Handler)
	b.Cleanup(func() { srv.Close(); a.Close() })
	if demo {
		if err := a.Store.Analyze(ctx); err != nil {
			b.Fatal(err)
		}
	}
	acct, err := a.Store.CreateAccount(ctx, testActor, mkg.AccountInput{Organisation: "Volume benchmark", ContactName: "Bench",
		ContactEmail: "bench@example.org", Application: mkg.ClientApplication{Name: "volume benchmark"}, Roles: []mkg.Role{mkg.RoleAdmin}})
	if err != nil {
		b.Fatal(err)
	}
	for _, d := range mkg.Datasets {
		if _, err := a.Store.AddGrant(ctx, testActor, acct.ID, d, nil); err != nil {
			b.Fatal(err)
		}
	}
	key, _, err := a.Store.IssueKey(ctx, testActor, acct.ID, "bench", nil)
	if err != nil {
		b.Fatal(err)
	}
	ids, err := volumePlaceholders(ctx, dbURL)
	if err != nil {
		b.Fatal(err)
	}
	return &volumeApp{url: srv.URL, key: key, ids: ids, client: srv.Client()}
}

// volumePlaceholders are the plan queries' {placeholders} for a database's
// own data: windows ending at its latest observation, strike and climate
// day, and the station of its latest observation.
func volumePlaceholders(ctx context.Context, dbURL string) (map[string]string, error) {
	db, err := sqlx.Open("postgres", dbURL)
	if err != nil {
		return nil, err
	}
	defer db.Close()
	var row struct {
		Observed  time.Time `db:"observed"`
		Station   int64     `db:"station"`
		StrikeMS  int64     `db:"strike_ms"`
		ClimateTo string    `db:"climate_to"`
	}
	err = db.GetContext(ctx, &row, `SELECT
		(SELECT max(observed_at) FROM observations) AS observed,
		(SELECT s.id FROM stations s WHERE s.wmo_index =
			(SELECT station_wmo FROM observations ORDER BY observed_at DESC LIMIT 1) LIMIT 1) AS station,
		(SELECT max(time_ms) FROM lightning_strikes) AS strike_ms,
		(SELECT max(day) FROM climate_days) AS climate_to`)
	if err != nil {
		return nil, err
	}
	to := row.Observed.UTC().Truncate(24*time.Hour).AddDate(0, 0, 1)
	strike := time.UnixMilli(row.StrikeMS).UTC()
	climateTo, err := time.Parse(time.DateOnly, row.ClimateTo)
	if err != nil {
		return nil, err
	}
	if climateTo.After(to) {
		climateTo = to // the climate queries end at {to}
	}
	ids := map[string]string{"station": model.NodeID(model.TypeStation, row.Station)}
	for k, v := range map[string]time.Time{"from": to.AddDate(0, 0, -20), "to": to,
		"hourFrom": strike.Truncate(time.Hour), "hourTo": strike.Truncate(time.Hour).Add(time.Hour),
		"dayFrom": strike.Truncate(24 * time.Hour), "dayTo": strike.Truncate(24*time.Hour).AddDate(0, 0, 1),
		"climateFrom": climateTo.AddDate(-1, 0, 0)} {
		ids[k] = v.Format(time.RFC3339)
	}
	return ids, nil
}

func (v *volumeApp) time(b *testing.B, query string) time.Duration {
	took, _ := v.send(b, query)
	return took
}

// send runs query and returns how long the answer took and the objects in
// its data; an answer with an error other than NOT_FOUND fails the
// benchmark.
func (v *volumeApp) send(b *testing.B, query string) (time.Duration, int) {
	body, _ := json.Marshal(map[string]string{"query": query})
	req, _ := http.NewRequest(http.MethodPost, v.url+"/graphql", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+v.key)
	start := time.Now()
	resp, err := v.client.Do(req)
	if err != nil {
		b.Fatal(err)
	}
	raw, err := io.ReadAll(resp.Body)
	took := time.Since(start)
	resp.Body.Close()
	if err != nil {
		b.Fatal(err)
	}
	var r struct {
		Data   any `json:"data"`
		Errors []struct {
			Extensions struct{ Code string } `json:"extensions"`
		} `json:"errors"`
	}
	if resp.StatusCode != http.StatusOK || json.Unmarshal(raw, &r) != nil {
		b.Fatalf("%s: status %d: %.300s", query, resp.StatusCode, raw)
	}
	for _, e := range r.Errors {
		if e.Extensions.Code != mkg.ENOTFOUND {
			b.Fatalf("%s: %.300s", query, raw)
		}
	}
	return took, objects(r.Data)
}

// objects counts the JSON objects in v.
func objects(v any) int {
	n := 0
	switch v := v.(type) {
	case map[string]any:
		n++
		for _, x := range v {
			n += objects(x)
		}
	case []any:
		for _, x := range v {
			n += objects(x)
		}
	}
	return n
}

func median(d []time.Duration) time.Duration {
	s := slices.Clone(d)
	slices.Sort(s)
	return s[len(s)/2]
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
