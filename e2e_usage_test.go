package main

import (
	"context"
	"fmt"
	"io"
	"maps"
	"net/http"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/bmkg/mkggraph/graph/model"
	"github.com/bmkg/mkggraph/mkg"
)

// TestUsage: what a partner's requests and downloads used is written per
// day and dataset: requests and their cost as charged (answers from memory
// included), the rows of each dataset returned, downloads with their
// bytes; the partner sees its own (viewer.usage), an admin any account's,
// nobody else.
func TestUsage(t *testing.T) {
	for _, backend := range []string{"sqlite", "postgres"} {
		t.Run(backend, func(t *testing.T) {
			a, srv := startApp(t, testConfig(t, backend))
			c := &callers{}
			if err := c.setUp(a); err != nil {
				t.Fatal(err)
			}
			ctx := context.Background()
			if err := a.Usage.Flush(ctx, a.Store); err != nil { // what setting up used
				t.Fatal(err)
			}
			before := usageOf(t, srv.URL, c.admin, c.partnerAccount)

			cost := 0.0
			send := func(q string) *gqlResponse {
				t.Helper()
				r := postAs(t, srv.URL, c.full, q, nil)
				mustData(t, r)
				cost += costOf(t, r)["requested"].(float64)
				return r
			}
			stations := `{ stations(first: 3) { edges { node { name } } } }`
			send(stations)
			if r := send(stations); r.Header.Get("X-Cache") != "hit" {
				t.Fatalf("the second request was not answered from memory (X-Cache %q)", r.Header.Get("X-Cache"))
			}
			send(`{ earthquakes(first: 2) { edges { node { magnitude } } } }`)
			link := send(`{ exportEarthquakes(format: CSV) { url } }`)
			resp, err := http.Get(srv.URL + dig(link.Data, "exportEarthquakes", "url").(string))
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != 200 || len(body) == 0 {
				t.Fatalf("download: %d, %d bytes", resp.StatusCode, len(body))
			}
			if err := a.Usage.Flush(ctx, a.Store); err != nil {
				t.Fatal(err)
			}

			after := usageOf(t, srv.URL, c.full, 0)
			want := map[string][5]float64{ // requests, cost, rows, downloads, bytes (added)
				"":                 {4, cost, 0, 0, 0},
				"STATION_METADATA": {2, 0, 6, 0, 0},
				"EARTHQUAKE":       {1, 0, 2, 1, float64(len(body))},
			}
			for d, w := range want {
				got, was := after[d], before[d]
				added := [5]float64{}
				for i := range added {
					added[i] = got[i] - was[i]
				}
				if d != "" {
					added[1], w[1] = 0, 0 // a dataset's cost is its requests' (checked in total)
				}
				if added != w {
					t.Errorf("dataset %q: added %v (requests, cost, rows, downloads, bytes), want %v", d, added, w)
				}
			}
			if admin := usageOf(t, srv.URL, c.admin, c.partnerAccount); admin[""] != after[""] {
				t.Errorf("the admin's view %v differs from the partner's %v", admin[""], after[""])
			}

			// The same lines as CSV: the partner's own, an admin's of any
			// account, nobody else's.
			day := time.Now().UTC().Format(time.DateOnly)
			csvOf := func(key, params string) (int, string) {
				t.Helper()
				if !strings.HasPrefix(params, "?") {
					params = "?from=" + day + "&to=" + day + params
				}
				req, _ := http.NewRequest(http.MethodGet, srv.URL+"/usage.csv"+params, nil)
				if key != "" {
					req.Header.Set("Authorization", "Bearer "+key)
				}
				resp := mustDo(t, req)
				defer resp.Body.Close()
				b, _ := io.ReadAll(resp.Body)
				return resp.StatusCode, string(b)
			}
			partnerID := model.NodeID(model.TypeAccount, c.partnerAccount)
			totals := fmt.Sprintf("%s,%s,,%.0f,%.0f,0,0,0\n", partnerID, day, after[""][0], after[""][1])
			if status, body := csvOf(c.full, ""); status != 200 || !strings.HasPrefix(body, "account_id,day,dataset,requests,cost,rows,downloads,bytes\n") ||
				!strings.Contains(body, totals) {
				t.Errorf("the partner's CSV: %d\n%s\nwant a line %q", status, body, totals)
			}
			if status, body := csvOf(c.admin, "&account="+partnerID); status != 200 || !strings.Contains(body, totals) {
				t.Errorf("the admin's CSV of the partner: %d\n%s", status, body)
			}
			if status, _ := csvOf(c.full, "&account="+partnerID); status != 403 {
				t.Errorf("a partner asking for an account's CSV: %d, want 403", status)
			}
			if status, _ := csvOf("", ""); status != 401 {
				t.Errorf("an anonymous CSV: %d, want 401", status)
			}
			if status, body := csvOf(c.full, "?from=yesterday&to="+day); status != 400 || !strings.Contains(body, `"field":"from"`) {
				t.Errorf("a bad from: %d %s", status, body)
			}

			// The same file through a signed link, like the other exports:
			// the partner's own; an admin's of the partner; refused to a
			// partner for another account, and to anonymous callers.
			exportQ := `query($a: ID, $from: DateTime!, $to: DateTime!) { exportUsage(accountId: $a, from: $from, to: $to) { url } }`
			linkOf := func(key string, account any) (*gqlResponse, string) {
				t.Helper()
				r := postAs(t, srv.URL, key, exportQ, map[string]any{"a": account, "from": day + "T00:00:00Z", "to": day + "T23:59:59Z"})
				url, _ := dig(r.Data, "exportUsage", "url").(string)
				if url == "" {
					return r, ""
				}
				resp, err := http.Get(srv.URL + url)
				if err != nil {
					t.Fatal(err)
				}
				defer resp.Body.Close()
				b, _ := io.ReadAll(resp.Body)
				if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "text/csv; charset=utf-8" {
					t.Errorf("the usage link: %d %s\n%s", resp.StatusCode, resp.Header.Get("Content-Type"), b)
				}
				return r, string(b)
			}
			ownLine := partnerID + "," + day + ",,"
			if r, body := linkOf(c.full, nil); !strings.HasPrefix(body, "account_id,day,dataset,requests,cost,rows,downloads,bytes\n") ||
				!strings.Contains(body, "\n"+ownLine) {
				t.Errorf("the partner's usage link: %s\n%s", r.Raw, body)
			}
			if r, body := linkOf(c.admin, partnerID); !strings.Contains(body, "\n"+ownLine) {
				t.Errorf("the admin's usage link of the partner: %s\n%s", r.Raw, body)
			}
			if r, _ := linkOf(c.full, model.NodeID(model.TypeAccount, c.partnerAccount+1000)); errorCode(r) != "FORBIDDEN" {
				t.Errorf("a partner's link to another account's usage: %s", r.Raw)
			}
			if r, _ := linkOf("", nil); errorCode(r) != "UNAUTHENTICATED" {
				t.Errorf("an anonymous usage link: %s", r.Raw)
			}

			q := `query($a: ID, $from: DateTime!, $to: DateTime!) { usage(accountId: $a, from: $from, to: $to) { requests } }`
			vars := map[string]any{"a": model.NodeID(model.TypeAccount, c.partnerAccount), "from": today(), "to": today()}
			if r := postAs(t, srv.URL, c.full, q, vars); errorCode(r) != "FORBIDDEN" {
				t.Errorf("a partner read another account's usage: %s", r.Raw)
			}
			own := `query($from: DateTime!, $to: DateTime!) { viewer { usage(from: $from, to: $to) { requests } } }`
			if r := post(t, srv.URL, own, map[string]any{"from": today(), "to": today()}); errorCode(r) != "UNAUTHENTICATED" {
				t.Errorf("anonymous viewer.usage: %s", r.Raw)
			}
			bad := map[string]any{"from": today(), "to": time.Now().UTC().AddDate(0, 0, -2).Format(time.RFC3339)}
			if r := postAs(t, srv.URL, c.full, own, bad); errorCode(r) != "BAD_USER_INPUT" || r.Errors[0].Extensions["field"] != "to" {
				t.Errorf("to before from: %s", r.Raw)
			}
		})
	}
}

func today() string { return time.Now().UTC().Format(time.RFC3339) }

// usageOf reads today's usage lines of an account, by dataset: as that
// account (account 0: through viewer) or as an admin.
func usageOf(t *testing.T, base, key string, account int64) map[string][5]float64 {
	t.Helper()
	vars := map[string]any{"from": today(), "to": today()}
	q := `query($from: DateTime!, $to: DateTime!) { viewer { usage(from: $from, to: $to) { dataset requests cost rows downloads bytes } } }`
	path := []any{"viewer", "usage"}
	if account != 0 {
		q = `query($a: ID, $from: DateTime!, $to: DateTime!) { usage(accountId: $a, from: $from, to: $to) { dataset requests cost rows downloads bytes } }`
		vars["a"] = model.NodeID(model.TypeAccount, account)
		path = []any{"usage"}
	}
	out := map[string][5]float64{}
	lines, _ := dig(mustData(t, postAs(t, base, key, q, vars)), path...).([]any)
	for _, l := range lines {
		m := l.(map[string]any)
		d, _ := m["dataset"].(string)
		out[strings.TrimSpace(d)] = [5]float64{m["requests"].(float64), m["cost"].(float64), m["rows"].(float64), m["downloads"].(float64), m["bytes"].(float64)}
	}
	return out
}

// TestUsageOfEveryAccountIsBounded: every account's usage over a year is
// more lines than one read may hold. The unpaged field refuses it, naming
// accountId; usageLines gives it in pages of at most 500 (cost scaled by
// the page size); the CSV gives every line, read a page per statement (the
// statements traced: each asks for at most one page and one line more).
func TestUsageOfEveryAccountIsBounded(t *testing.T) {
	for _, backend := range []string{"sqlite", "postgres"} {
		t.Run(backend, func(t *testing.T) {
			a, srv := startApp(t, testConfig(t, backend))
			c := &callers{}
			if err := c.setUp(a); err != nil {
				t.Fatal(err)
			}
			const accounts, days = 40, 100 // × 3 lines: 12,000
			from := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
			lines := map[mkg.UsageKey]mkg.UsageCounts{}
			for acc := int64(1); acc <= accounts; acc++ {
				for d := range days {
					maps.Copy(lines, mkg.RequestUsage(1000+acc, from.AddDate(0, 0, d), 5, map[mkg.Dataset]int64{"EARTHQUAKE": 1, "STATION_METADATA": 2}))
				}
			}
			ctx := context.Background()
			if err := a.Store.AddUsage(ctx, lines); err != nil {
				t.Fatal(err)
			}
			to := from.AddDate(0, 0, days-1)
			period := map[string]any{"from": from.Format(time.RFC3339), "to": to.Format(time.RFC3339)}

			unpaged := `query($from: DateTime!, $to: DateTime!) { usage(from: $from, to: $to) { requests } }`
			if r := postAs(t, srv.URL, c.admin, unpaged, period); errorCode(r) != "BAD_USER_INPUT" || r.Errors[0].Extensions["field"] != "accountId" {
				t.Errorf("every account's 12,000 lines unpaged: %s", r.Raw)
			}

			paged := `query($from: DateTime!, $to: DateTime!, $first: Int, $after: String) {
				usageLines(from: $from, to: $to, first: $first, after: $after) { edges { node { accountId day dataset requests } } pageInfo { hasNextPage endCursor } } }`
			vars := maps.Clone(period)
			vars["first"] = 501
			if r := postAs(t, srv.URL, c.admin, paged, vars); errorCode(r) != "BAD_USER_INPUT" || r.Errors[0].Extensions["field"] != "first" {
				t.Errorf("a page of 501: %s", r.Raw)
			}
			vars["first"] = 500
			seen, pages := 0, 0
			for {
				r := postAs(t, srv.URL, c.admin, paged, vars)
				if cost := costOf(t, r)["requested"].(float64); cost < 500 {
					t.Fatalf("a page of 500 lines cost %v", cost)
				}
				edges := dig(mustData(t, r), "usageLines", "edges").([]any)
				if pages++; len(edges) > 500 {
					t.Fatalf("page %d: %d lines", pages, len(edges))
				}
				seen += len(edges)
				if dig(r.Data, "usageLines", "pageInfo", "hasNextPage") != true {
					break
				}
				vars["after"] = dig(r.Data, "usageLines", "pageInfo", "endCursor")
			}
			if seen != len(lines) || pages != 24 {
				t.Errorf("usageLines: %d lines in %d pages, want %d in 24", seen, pages, len(lines))
			}

			var limits []int64
			var mu sync.Mutex
			stop := a.Store.Trace(func(q string, args []any) {
				if strings.Contains(q, "FROM usage_daily") {
					mu.Lock()
					limits = append(limits, reflect.ValueOf(args[len(args)-1]).Int())
					mu.Unlock()
				}
			})
			req, _ := http.NewRequest(http.MethodGet, srv.URL+"/usage.csv?from="+from.Format(time.DateOnly)+"&to="+to.Format(time.DateOnly), nil)
			req.Header.Set("Authorization", "Bearer "+c.admin)
			resp := mustDo(t, req)
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			stop()
			if n := strings.Count(string(body), "\n"); resp.StatusCode != 200 || n != len(lines)+1 {
				t.Errorf("every account's CSV: %d, %d lines, want %d and a header", resp.StatusCode, n, len(lines))
			}
			if len(limits) != 24 || slices.Max(limits) > 501 {
				t.Errorf("the CSV read %d statements asking for %v lines, want 24 of at most 501", len(limits), limits)
			}
		})
	}
}
