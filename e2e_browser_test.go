package main

import (
	"context"
	"encoding/json"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/bmkg/mkggraph/graphiql"
	"github.com/bmkg/mkggraph/graphiql/graphiqltest"
	"github.com/bmkg/mkggraph/internal/testenv"
)

// TestGraphiQLInChromium opens the server's own GraphiQL in headless
// Chromium, runs a query against the real data with a click, and checks that
// the page loaded nothing from anywhere but the server (partners may be on
// closed networks) and reported no error.
func TestGraphiQLInChromium(t *testing.T) {
	if _, err := graphiqltest.FindChromium(); err != nil {
		testenv.Missing(t, err.Error())
	}
	forEachBackendAs(t, func(t *testing.T, a *app, srv *httptest.Server, c *callers) {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		defer cancel()
		b, err := graphiqltest.Launch(ctx, graphiqltest.Options{})
		if err != nil {
			t.Fatal(err)
		}
		defer b.Close()
		res, err := graphiqltest.RunQuery(ctx, b, srv.URL+"/graphiql/", graphiqltest.Query{
			Query: `{ stationByWmo(wmoIndex: "15015") { name latestObservation { observedAt decoded { airTemperature } } }
			          latestEarthquake { originTime magnitude region } }`,
			Headers: map[string]string{"Authorization": "Bearer " + c.full},
		})
		if err != nil {
			t.Fatal(err)
		}
		for _, want := range []string{`"OCNA SUGATAG"`, `"2022-03-21T12:00:00Z"`, `10.3`, `"2025-12-24T05:30:34Z"`} {
			if !strings.Contains(res.Response, want) {
				t.Errorf("result pane lacks %s:\n%s", want, res.Response)
			}
		}
		u, _ := url.Parse(srv.URL)
		if outside := graphiqltest.OutsideHost(res.Requests, u.Hostname()); len(outside) > 0 {
			t.Errorf("the page requested outside the server: %v", outside)
		}
		if len(res.Problems) > 0 {
			t.Errorf("the page reported problems: %v", res.Problems)
		}
	})
}

// offline is a browser that can reach no host but the test server's: every
// other name fails to resolve.
var offline = graphiqltest.Options{Args: []string{"--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"}}

// onlyServer fails the test if the page requested anything outside the
// server.
func onlyServer(t *testing.T, p *graphiqltest.Page, server string) {
	t.Helper()
	u, _ := url.Parse(server)
	if outside := graphiqltest.OutsideHost(p.Requests(), u.Hostname()); len(outside) > 0 {
		t.Errorf("the page requested outside the server: %v", outside)
	}
}

// TestGraphiQLDeepLinks: in headless Chromium, against the demo data. A
// first visit opens the example tabs, one per kind of data. A link with
// query, variables and operationName opens a tab with them (a headers
// parameter is ignored) that runs the named operation; editing moves the
// address bar along, and "Copy link" copies a link to what is in the
// editors, never the headers.
func TestGraphiQLDeepLinks(t *testing.T) {
	if _, err := graphiqltest.FindChromium(); err != nil {
		testenv.Missing(t, err.Error())
	}
	examples, err := graphiql.Examples()
	if err != nil {
		t.Fatal(err)
	}
	forEachBackendAs(t, func(t *testing.T, a *app, srv *httptest.Server, c *callers) {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		defer cancel()
		b, err := graphiqltest.Launch(ctx, offline)
		if err != nil {
			t.Fatal(err)
		}
		defer b.Close()

		// A first visit: the example tabs, the first one in the editor.
		p, err := graphiqltest.Open(ctx, b, srv.URL+"/graphiql/")
		if err != nil {
			t.Fatal(err)
		}
		var titles []string
		if err := p.Eval(ctx, `[...document.querySelectorAll(".graphiql-tab")].map(t => t.textContent.trim())`, &titles); err != nil {
			t.Fatal(err)
		}
		if got := strings.Join(titles, ","); !strings.Contains(got, "StationsNearJakarta") || !strings.Contains(got, "LightningDensity") || len(titles) != len(examples) {
			t.Errorf("first visit: tabs %q, want one per example (%d)", titles, len(examples))
		}
		if q, _ := p.EditorText(ctx, graphiqltest.QueryEditor); q != examples[0].Query {
			t.Errorf("first visit: the editor holds %q, want the first example", q)
		}
		if res, err := p.Run(ctx); err != nil || !strings.Contains(res, `"wmoIndex": "96745"`) {
			t.Errorf("the first example, run: %v\n%s", err, res)
		}
		p.Close()

		// A deep link, with GraphiQL's tabs in storage now: a tab with its
		// query and variables opens, and runs the operation it names.
		doc := "query First { latestEarthquake { magnitude } }\nquery Second($n: Int) { stations(first: $n) { edges { node { name } } } }"
		link := srv.URL + "/graphiql/?" + url.Values{"query": {doc}, "variables": {`{"n": 2}`}, "operationName": {"Second"},
			"headers": {`{"Authorization": "Bearer from-the-link"}`}}.Encode()
		p, err = graphiqltest.Open(ctx, b, link)
		if err != nil {
			t.Fatal(err)
		}
		defer p.Close()
		if q, _ := p.EditorText(ctx, graphiqltest.QueryEditor); q != doc {
			t.Errorf("deep link: the editor holds %q, want %q", q, doc)
		}
		if v, err := p.ToolText(ctx, "Variables"); err != nil || !strings.Contains(v, `"n": 2`) {
			t.Errorf("deep link: variables %q, %v", v, err)
		}
		if h, err := p.ToolText(ctx, "Headers"); err != nil || strings.Contains(h, "from-the-link") {
			t.Errorf("deep link: headers %q, %v: a link must not set headers", h, err)
		}
		res, err := p.Run(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(res, `"stations"`) || strings.Contains(res, "latestEarthquake") || strings.Count(res, `"name"`) != 2 {
			t.Errorf("deep link run: want operation Second with n = 2:\n%s", res)
		}

		// Edit, add a key, copy the link: the link holds the edit, not the key.
		if err := b.AllowClipboard(ctx, srv.URL); err != nil {
			t.Fatal(err)
		}
		edited := "query Edited { latestEarthquake { magnitude region } }"
		if err := p.SetEditorText(ctx, graphiqltest.QueryEditor, edited); err != nil {
			t.Fatal(err)
		}
		if err := p.SetToolText(ctx, "Headers", `{"Authorization": "Bearer `+c.full+`"}`); err != nil {
			t.Fatal(err)
		}
		if err := p.Click(ctx, ".mkg-copy-link"); err != nil {
			t.Fatal(err)
		}
		if err := p.WaitFor(ctx, `document.querySelector(".mkg-copy-link").getAttribute("data-copied")`); err != nil {
			t.Fatal(err)
		}
		var copied, location string
		if err := p.Eval(ctx, `navigator.clipboard.readText()`, &copied); err != nil {
			t.Fatal(err)
		}
		// GraphiQL tells of an edit after a delay; the address bar follows
		// it then (the copied link reads the editor itself).
		follows := `new URL(location.href).searchParams.get("query") === ` + strconv.Quote(edited)
		if err := p.WaitFor(ctx, follows); err != nil {
			t.Errorf("the address bar did not follow the editor: %v", err)
		}
		p.Eval(ctx, `location.href`, &location)
		u, err := url.Parse(copied)
		if err != nil || u.Query().Get("query") != edited || !strings.Contains(u.Query().Get("variables"), `"n": 2`) || u.Path != "/graphiql/" {
			t.Errorf("copied link %q: want the edited query", copied)
		}
		if strings.Contains(copied, c.full) || strings.Contains(copied, "Authorization") || strings.Contains(location, c.full) {
			t.Errorf("the link carries the headers: %q (address bar %q)", copied, location)
		}
		if loc, err := url.Parse(location); err != nil || loc.Query().Get("query") != edited {
			t.Errorf("address bar %q: want it to follow the editor", location)
		}
		if probs := p.Problems(); len(probs) > 0 {
			t.Errorf("the page reported problems: %v", probs)
		}
		onlyServer(t, p, srv.URL)
		// A request error (400 in application/graphql-response+json, which
		// GraphiQL asks for) is shown, not a failed fetch.
		if err := p.SetEditorText(ctx, graphiqltest.QueryEditor, "{ nope }"); err != nil {
			t.Fatal(err)
		}
		if res, err := p.Run(ctx); err != nil || !strings.Contains(res, "GRAPHQL_VALIDATION_FAILED") {
			t.Errorf("an invalid query, run: %v\n%s", err, res)
		}

		// The same link in a browser that never opened GraphiQL: the linked
		// tab comes first, before the examples, and runs.
		fresh, err := graphiqltest.Launch(ctx, offline)
		if err != nil {
			t.Fatal(err)
		}
		defer fresh.Close()
		p2, err := graphiqltest.Open(ctx, fresh, link)
		if err != nil {
			t.Fatal(err)
		}
		defer p2.Close()
		if q, _ := p2.EditorText(ctx, graphiqltest.QueryEditor); q != doc {
			t.Errorf("deep link, first visit: the editor holds %q, want %q", q, doc)
		}
		if res, err := p2.Run(ctx); err != nil || !strings.Contains(res, `"stations"`) || strings.Count(res, `"name"`) != 2 {
			t.Errorf("deep link, first visit, run: %v\n%s", err, res)
		}
	})
}

// TestGraphiQLExplorerBuildsAQuery: in headless Chromium, the explorer
// plugin (the query builder) opens from the side bar, and clicking fields
// of its tree writes them into the query, which then runs.
func TestGraphiQLExplorerBuildsAQuery(t *testing.T) {
	if _, err := graphiqltest.FindChromium(); err != nil {
		testenv.Missing(t, err.Error())
	}
	forEachBackendAs(t, func(t *testing.T, a *app, srv *httptest.Server, c *callers) {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		defer cancel()
		b, err := graphiqltest.Launch(ctx, offline)
		if err != nil {
			t.Fatal(err)
		}
		defer b.Close()
		p, err := graphiqltest.Open(ctx, b, srv.URL+"/graphiql/?"+url.Values{"query": {"query Built {\n  __typename\n}"}}.Encode())
		if err != nil {
			t.Fatal(err)
		}
		defer p.Close()
		mark := `(() => {
			const b = [...document.querySelectorAll(".graphiql-sidebar button")]
				.find(b => /explorer/i.test(b.getAttribute("aria-label") || "") && !/documentation/i.test(b.getAttribute("aria-label")));
			if (b) b.setAttribute("data-test", "explorer");
			return !!b;
		})()`
		if err := p.WaitFor(ctx, mark); err != nil {
			t.Fatalf("no explorer button in the side bar: %v", err)
		}
		if err := p.Click(ctx, `[data-test="explorer"]`); err != nil {
			t.Fatal(err)
		}
		// Click a field of the tree by its name (the explorer lists the
		// schema once it is loaded).
		field := func(name string) {
			t.Helper()
			find := `(() => {
				const s = [...document.querySelectorAll(".graphiql-explorer-root .graphiql-explorer-field-view, .graphiql-explorer-root span")]
					.find(s => s.textContent.trim() === ` + strconvQuote(name) + `);
				if (s) s.setAttribute("data-test", ` + strconvQuote(name) + `);
				return !!s;
			})()`
			if err := p.WaitFor(ctx, find); err != nil {
				t.Fatalf("the explorer shows no field %s: %v", name, err)
			}
			if err := p.Click(ctx, `[data-test=`+strconvQuote(name)+`]`); err != nil {
				t.Fatal(err)
			}
		}
		field("latestEarthquake")
		field("magnitude")
		if err := p.WaitFor(ctx, `(q => q.includes("latestEarthquake") && q.includes("magnitude"))(document.querySelector(".graphiql-query-editor .CodeMirror").CodeMirror.getValue())`); err != nil {
			q, _ := p.EditorText(ctx, graphiqltest.QueryEditor)
			t.Fatalf("the explorer did not write the fields into the query: %v\n%s", err, q)
		}
		res, err := p.Run(ctx)
		if err != nil || !strings.Contains(res, `"latestEarthquake"`) || !strings.Contains(res, `"magnitude"`) {
			t.Errorf("the built query, run: %v\n%s", err, res)
		}
		if probs := p.Problems(); len(probs) > 0 {
			t.Errorf("the page reported problems: %v", probs)
		}
		onlyServer(t, p, srv.URL)
	})
}

func strconvQuote(s string) string { b, _ := json.Marshal(s); return string(b) }
