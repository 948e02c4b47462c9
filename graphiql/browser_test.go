// Browser tests: GraphiQL really starts in Chromium from the embedded
// assets alone, and a query typed into it reaches the endpoint.
//
//	apt-get install -y chromium   # once; or set $CHROMIUM
//	go test -run Browser -v ./graphiql/
//
// They skip when no Chromium is installed, unless MKG_REQUIRE_SERVICES=1
// (as in CI), where a missing browser fails them.
package graphiql_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/bmkg/mkggraph/graphiql"
	"github.com/bmkg/mkggraph/graphiql/graphiqltest"
	"github.com/bmkg/mkggraph/internal/testenv"
)

// startServer serves GraphiQL at /graphiql/ and the fake endpoint at
// /graphql, the layout of the real server.
func startServer(t *testing.T) (*httptest.Server, *fakeGraphQL) {
	t.Helper()
	fake := &fakeGraphQL{}
	mux := http.NewServeMux()
	mux.Handle("/graphiql/", http.StripPrefix("/graphiql", graphiql.Handler("/graphql")))
	mux.Handle("/graphql", fake)
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv, fake
}

func chromium(t *testing.T) string {
	t.Helper()
	bin, err := graphiqltest.FindChromium()
	if err != nil {
		testenv.Missing(t, err.Error())
	}
	return bin
}

// TestBrowserDumpDOM runs Chromium the plain way (--dump-dom after a
// virtual-time budget) and checks that the GraphiQL editor rendered with
// the default query, and, from Chromium's network log (--log-net-log), that
// the page requested nothing from anywhere but the test server.
func TestBrowserDumpDOM(t *testing.T) {
	bin := chromium(t)
	srv, _ := startServer(t)
	dir := t.TempDir()
	netlog := filepath.Join(dir, "netlog.json")
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin,
		"--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
		"--disable-background-networking", "--disable-component-update", "--disable-sync",
		// Nothing may leave the machine even if the page tried: every host
		// but the test server's fails to resolve (the attempt is still logged).
		"--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
		"--user-data-dir="+filepath.Join(dir, "profile"), "--log-net-log="+netlog,
		"--virtual-time-budget=10000", "--dump-dom", srv.URL+"/graphiql/")
	var stderr strings.Builder
	cmd.Stderr = &stderr
	dom, err := cmd.Output()
	if err != nil {
		t.Fatalf("chromium: %v\n%s", err, stderr.String())
	}
	html := string(dom)
	for _, want := range []string{
		`class="graphiql-container"`, `graphiql-query-editor`, `graphiql-execute-button`,
		// The default query, as CodeMirror tokens.
		`MKG Graph`, `>stations<`, `>totalCount<`, `>wmoIndex<`, `>longitude<`,
	} {
		if !strings.Contains(html, want) {
			t.Errorf("rendered DOM lacks %q", want)
		}
	}
	if t.Failed() {
		t.Logf("DOM:\n%.3000s", html)
	}
	page, browser := netlogURLs(t, netlog)
	if len(page) < 6 { // the page, 4 scripts, 2 style sheets, introspection
		t.Fatalf("network log shows only %d page requests: %q", len(page), page)
	}
	host := hostOf(t, srv.URL)
	if out := graphiqltest.OutsideHost(page, host); len(out) > 0 {
		t.Errorf("page requests outside %s: %q", host, out)
	}
	if len(browser) > 0 {
		t.Logf("Chromium's own requests (not the page's; blocked by --host-resolver-rules): %q", browser)
	}
}

// netlogURLs returns the URLs Chromium's network log shows the page
// requesting (the navigation and everything with the page as initiator),
// and separately those Chromium requested for itself (update checks,
// autofill, sign-in probes), which no flag fully silences.
func netlogURLs(t *testing.T, path string) (page, browser []string) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var log struct {
		Constants struct {
			EventTypes map[string]int `json:"logEventTypes"`
		} `json:"constants"`
		Events []struct {
			Type   int `json:"type"`
			Params struct {
				URL         string `json:"url"`
				Initiator   string `json:"initiator"`
				RequestType string `json:"request_type"`
			} `json:"params"`
		} `json:"events"`
	}
	if err := json.Unmarshal(data, &log); err != nil {
		// Chromium may leave the closing "]}" off when it exits.
		if err2 := json.Unmarshal(append(data, "]}"...), &log); err2 != nil {
			t.Fatalf("netlog: %v", err)
		}
	}
	start, ok := log.Constants.EventTypes["URL_REQUEST_START_JOB"]
	if !ok {
		t.Fatal("netlog: no URL_REQUEST_START_JOB event type")
	}
	for _, e := range log.Events {
		if e.Type != start || e.Params.URL == "" {
			continue
		}
		if e.Params.RequestType == "main frame" || e.Params.Initiator != "not an origin" {
			page = append(page, e.Params.URL)
		} else {
			browser = append(browser, e.Params.URL)
		}
	}
	return page, browser
}

func hostOf(t *testing.T, rawURL string) string {
	t.Helper()
	u, err := url.Parse(rawURL)
	if err != nil {
		t.Fatal(err)
	}
	return u.Host
}

// TestBrowserRunQuery drives GraphiQL over the DevTools Protocol: the
// default query is run with a real click and its result shown; then a
// query with an Authorization header reaches the endpoint with it. All the
// while the page must request nothing outside the server and report no
// error or CSP violation.
func TestBrowserRunQuery(t *testing.T) {
	chromium(t)
	srv, fake := startServer(t)
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	b, err := graphiqltest.Launch(ctx, graphiqltest.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	host := hostOf(t, srv.URL)

	res, err := graphiqltest.RunQuery(ctx, b, srv.URL+"/graphiql/", graphiqltest.Query{})
	if err != nil {
		t.Fatalf("RunQuery: %v\nproblems: %q", err, res.Problems)
	}
	checkResult(t, res, host)
	if auth, n := fake.lastAuthorization(); n != 1 || auth != "" {
		t.Errorf("endpoint saw %d queries, Authorization %q; want 1, none", n, auth)
	}

	res, err = graphiqltest.RunQuery(ctx, b, srv.URL+"/graphiql/", graphiqltest.Query{
		Query:     `query One($n: Int) { stations(first: $n) { totalCount } }`,
		Headers:   map[string]string{"Authorization": "Bearer test-key-123"},
		Variables: `{"n": 1}`,
	})
	if err != nil {
		t.Fatalf("RunQuery with headers: %v\nproblems: %q", err, res.Problems)
	}
	checkResult(t, res, host)
	if auth, n := fake.lastAuthorization(); n != 2 || auth != "Bearer test-key-123" {
		t.Errorf("endpoint saw %d queries, Authorization %q; want 2, Bearer test-key-123", n, auth)
	}
}

// TestBrowserSubscription: a subscription run in GraphiQL goes over a
// WebSocket (graphql-transport-ws) whose connection_init payload is the
// headers editor's JSON, the key with it; its event shows in the result
// pane, and the stop button completes it.
func TestBrowserSubscription(t *testing.T) {
	ctx, srv, fake, p := openGraphiQL(t)
	if err := p.SetEditorText(ctx, graphiqltest.QueryEditor, "subscription Live { stations(first: 1) { totalCount } }"); err != nil {
		t.Fatal(err)
	}
	if err := p.SetToolText(ctx, "Headers", `{"Authorization": "Bearer test-key-123"}`); err != nil {
		t.Fatal(err)
	}
	res, err := p.Run(ctx)
	if err != nil {
		t.Fatal(err)
	}
	checkResult(t, graphiqltest.Result{Response: res, Requests: p.Requests(), Problems: p.Problems()}, hostOf(t, srv.URL))
	if init, _ := fake.socket(); string(init) != `{"Authorization":"Bearer test-key-123"}` {
		t.Errorf("connection_init payload %s, want the headers editor's JSON", init)
	}
	if auth, n := fake.lastAuthorization(); n != 0 {
		t.Errorf("the subscription went over HTTP too (%d queries, Authorization %q)", n, auth)
	}
	if err := p.Click(ctx, ".graphiql-execute-button"); err != nil {
		t.Fatal(err)
	}
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		if _, done := fake.socket(); done {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the stop button did not complete the subscription")
		}
	}
}

// TestBrowserRunRightAfterAnEdit: a run started in the same moment as an
// edit (a paste, then Ctrl-Enter) runs the edited text's operation.
// GraphiQL parses the editor 100 ms after an edit, and until then offers
// the previous text's operation name (here the first example's,
// StationsNearJakarta): a named query went out under that name, and a
// subscription over HTTP.
func TestBrowserRunRightAfterAnEdit(t *testing.T) {
	ctx, _, fake, p := openGraphiQL(t)
	// The edit and the click in one task: GraphiQL's parse cannot come
	// between them, however fast or slow the machine.
	editAndRun := func(text string) {
		t.Helper()
		expr := `(() => {
			document.querySelector(` + strconvQuote(graphiqltest.QueryEditor) + `).CodeMirror.setValue(` + strconvQuote(text) + `);
			document.querySelector(".graphiql-execute-button").click();
		})()`
		if err := p.Eval(ctx, expr, nil); err != nil {
			t.Fatal(err)
		}
	}
	until := func(what string, done func() bool) {
		t.Helper()
		for deadline := time.Now().Add(10 * time.Second); !done(); time.Sleep(20 * time.Millisecond) {
			if time.Now().After(deadline) {
				t.Fatalf("%s\n%s", what, p.Describe())
			}
		}
	}

	editAndRun("query Other { stations(first: 1) { totalCount } }")
	until("the query did not reach the server", func() bool { _, _, n := fake.operations(); return n == 1 })
	if op, _, _ := fake.operations(); op != "Other" {
		t.Errorf("the query went out as operation %q, want Other\n%s", op, p.Describe())
	}
	if err := p.WaitFor(ctx, `document.querySelector(".graphiql-response .CodeMirror").CodeMirror.getValue() !== ""`); err != nil {
		t.Fatal(err)
	}

	editAndRun("subscription Live { stations(first: 1) { totalCount } }")
	until("the subscription did not reach the server's WebSocket", func() bool { _, op, _ := fake.operations(); return op != "" })
	if _, op, n := fake.operations(); op != "Live" || n != 1 {
		t.Errorf("the subscription went out as operation %q over the WebSocket, and %d queries over HTTP (want Live, 1)\n%s", op, n, p.Describe())
	}
	if probs := p.Problems(); len(probs) > 0 {
		t.Errorf("the page reported problems: %v", probs)
	}
}

func checkResult(t *testing.T, res graphiqltest.Result, host string) {
	t.Helper()
	var got, want any
	if err := json.Unmarshal([]byte(res.Response), &got); err != nil {
		t.Errorf("result pane is not JSON: %v\n%s", err, res.Response)
	}
	if err := json.Unmarshal([]byte(cannedResult), &want); err != nil {
		t.Fatal(err)
	}
	if g, w := mustJSON(got), mustJSON(want); g != w {
		t.Errorf("result pane shows\n%s\nwant\n%s", g, w)
	}
	if out := graphiqltest.OutsideHost(res.Requests, host); len(out) > 0 {
		t.Errorf("requests outside %s: %q", host, out)
	}
	if len(res.Problems) > 0 {
		t.Errorf("page problems: %q", res.Problems)
	}
}

func mustJSON(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

// TestBrowserDialogsUnderCSP opens GraphiQL's dialogs and side panels. The
// dialogs inject a <style> element (react-remove-scroll, via Radix), which
// is why the policy allows 'unsafe-inline' for styles; this test fails if
// the policy is tightened without a replacement.
func TestBrowserDialogsUnderCSP(t *testing.T) {
	chromium(t)
	srv, _ := startServer(t)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	b, err := graphiqltest.Launch(ctx, graphiqltest.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	p, err := b.NewPage(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	if err := p.Navigate(ctx, srv.URL+"/graphiql/"); err != nil {
		t.Fatal(err)
	}
	if err := p.WaitFor(ctx, `document.querySelector(".graphiql-query-editor .CodeMirror")`); err != nil {
		t.Fatal(err)
	}
	for _, step := range []struct{ click, shows string }{
		{`[aria-label="Show Documentation Explorer"]`, `.graphiql-doc-explorer`},
		{`[aria-label="Show History"]`, `.graphiql-history`},
		{`[aria-label="Open settings dialog"]`, `.graphiql-dialog`},
	} {
		if err := p.Click(ctx, step.click); err != nil {
			t.Fatal(err)
		}
		if err := p.WaitFor(ctx, "document.querySelector("+strconvQuote(step.shows)+")"); err != nil {
			t.Fatal(err)
		}
	}
	if err := p.WaitFor(ctx, `document.querySelector("head style, body > style")`); err != nil {
		t.Logf("no injected <style> seen: %v", err)
	}
	if problems := p.Problems(); len(problems) > 0 {
		t.Errorf("page problems: %q", problems)
	}
	if out := graphiqltest.OutsideHost(p.Requests(), hostOf(t, srv.URL)); len(out) > 0 {
		t.Errorf("requests outside the server: %q", out)
	}
}

func strconvQuote(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// openGraphiQL starts the fake server and Chromium, and opens GraphiQL:
// for up to 60 s, all closed when t ends.
func openGraphiQL(t *testing.T) (context.Context, *httptest.Server, *fakeGraphQL, *graphiqltest.Page) {
	t.Helper()
	chromium(t)
	srv, fake := startServer(t)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	t.Cleanup(cancel)
	b, err := graphiqltest.Launch(ctx, graphiqltest.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { b.Close() })
	p, err := graphiqltest.Open(ctx, b, srv.URL+"/graphiql/")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { p.Close() })
	return ctx, srv, fake, p
}
