package main

import (
	"bytes"
	"context"
	"io"
	"mime/multipart"
	"net"
	"net/http"
	"net/http/httptest"
	"net/textproto"
	"strings"
	"testing"
	"time"

	"github.com/bmkg/mkggraph/mkg"
)

// postFrom sends a query with a key and extra headers.
func postFrom(t *testing.T, base, key string, headers map[string]string) *gqlResponse {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, base+"/graphql", strings.NewReader(`{"query":"{ viewer { anonymous } }"}`))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+key)
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	return decode(t, resp)
}

func partnerKey(t *testing.T, a *app) string {
	t.Helper()
	ctx := context.Background()
	acct, err := a.Store.CreateAccount(ctx, testActor, mkg.AccountInput{Organisation: "Universitas", ContactName: "C",
		ContactEmail: "c@example.org", Application: mkg.ClientApplication{Name: "campus app"}})
	if err != nil {
		t.Fatal(err)
	}
	key, _, err := a.Store.IssueKey(ctx, testActor, acct.ID, "", nil)
	if err != nil {
		t.Fatal(err)
	}
	return key
}

func freshBadKey() string { k, _, _ := mkg.NewAPIKey(); return k }

// TestValidKeyBehindABusyNAT: every client of a campus NAT shares one
// address; one of them sending 25 bad keys gets 429, and the others' valid
// keys still work.
func TestValidKeyBehindABusyNAT(t *testing.T) {
	a, srv := startApp(t, testConfig(t, "sqlite"))
	key := partnerKey(t, a)
	var last int
	for range 25 {
		last = postFrom(t, srv.URL, freshBadKey(), nil).Status
	}
	if last != http.StatusTooManyRequests {
		t.Fatalf("25th bad key: %d, want 429", last)
	}
	if r := postFrom(t, srv.URL, key, nil); r.Status != http.StatusOK || dig(r.Data, "viewer", "anonymous") != false {
		t.Errorf("valid key from the same address: %d %s", r.Status, r.Raw)
	}
}

// TestTrustedProxies: behind a trusted proxy, X-Forwarded-For names the
// client, so one client's bad keys throttle that client only; without the
// setting the header is ignored, so a client cannot dodge the throttle by
// writing it.
func TestTrustedProxies(t *testing.T) {
	cfg := testConfig(t, "sqlite")
	cfg.TrustedProxies = "127.0.0.0/8" // the test client is the proxy
	a, srv := startApp(t, cfg)
	key := partnerKey(t, a)
	from := func(ip string) map[string]string { return map[string]string{"X-Forwarded-For": ip} }
	for range 25 {
		postFrom(t, srv.URL, freshBadKey(), from("1.1.1.1, 192.0.2.10"))
	}
	if r := postFrom(t, srv.URL, freshBadKey(), from("192.0.2.10")); r.Status != http.StatusTooManyRequests {
		t.Errorf("the client who sent 25 bad keys: %d, want 429", r.Status)
	}
	if r := postFrom(t, srv.URL, freshBadKey(), from("192.0.2.11")); r.Status != http.StatusUnauthorized {
		t.Errorf("another client behind the same proxy, bad key: %d, want 401", r.Status)
	}
	if r := postFrom(t, srv.URL, key, from("192.0.2.10")); r.Status != http.StatusOK {
		t.Errorf("valid key from the throttled client: %d, want 200", r.Status)
	}

	_, plain := startApp(t, testConfig(t, "sqlite")) // no trusted proxies
	var last int
	for i := range 25 {
		last = postFrom(t, plain.URL, freshBadKey(), from("198.51.100."+string(rune('0'+i%10)))).Status
	}
	if last != http.StatusTooManyRequests {
		t.Errorf("without trusted proxies, a client varying X-Forwarded-For: %d after 25 bad keys, want 429", last)
	}
}

// TestBadStringsAreBadInput: a NUL byte or bytes that are not UTF-8 in a
// string argument, however it arrives (a variable, a literal, inside an
// input object), are BAD_USER_INPUT naming the argument, on both
// databases (PostgreSQL refuses both in text, which used to surface as
// INTERNAL).
func TestBadStringsAreBadInput(t *testing.T) {
	forEachBackend(t, func(t *testing.T, a *app, srv *httptest.Server) {
		cases := []struct {
			name  string
			r     *gqlResponse
			field string
		}{
			{"NUL in a variable", post(t, srv.URL, `query($s: String) { stations(filter: {search: $s}) { totalCount } }`,
				map[string]any{"s": "Jakarta\x00"}), "filter.search"},
			{"NUL in a literal", post(t, srv.URL, `{ stations(filter: {search: "Ja\u0000karta"}) { totalCount } }`, nil), "filter.search"},
			{"NUL in an argument", post(t, srv.URL, `{ stationByWmo(wmoIndex: "96\u0000749") { name } }`, nil), "wmoIndex"},
			{"not UTF-8 in a literal (GET)", get(t, srv.URL, "{ stations(filter: {search: \"Jakarta\xff\xfe\"}) { totalCount } }"), "filter.search"},
		}
		for _, c := range cases {
			if c.r.code(0) != mkg.EINVALID || c.r.Errors[0].Extensions["field"] != c.field {
				t.Errorf("%s: %d %s; want BAD_USER_INPUT naming %s", c.name, c.r.Status, c.r.Raw, c.field)
			}
		}
	})
}

// multipartBody is a GraphQL multipart request: operations, map, and the
// file (none when file is nil).
func multipartBody(t *testing.T, ops string, file []byte) (io.Reader, string) {
	t.Helper()
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	w.WriteField("operations", ops)
	if file == nil {
		w.WriteField("map", `{}`)
	} else {
		w.WriteField("map", `{"0": ["variables.letter"]}`)
		part, _ := w.CreateFormFile("0", "letter.png")
		part.Write(file)
	}
	w.Close()
	return &body, w.FormDataContentType()
}

// TestMultipartLimits: the 1 MiB limit of a query holds in a multipart
// request too (its parts other than files), and an upload over the
// upload limit is 413 however it is sent, chunked included.
func TestMultipartLimits(t *testing.T) {
	_, srv := startApp(t, testConfig(t, "sqlite"))
	send := func(body io.Reader, ctype string, chunked bool) *gqlResponse {
		if chunked {
			body = io.MultiReader(body) // hides the length: sent chunked
		}
		req, _ := http.NewRequest(http.MethodPost, srv.URL+"/graphql", body)
		req.Header.Set("Content-Type", ctype)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		if chunked && req.ContentLength != 0 && req.ContentLength != -1 {
			t.Fatalf("request sent with a length: %d", req.ContentLength)
		}
		return decode(t, resp)
	}
	bigQuery := `{"query":"{ stations { totalCount } }","variables":{"x":"` + strings.Repeat("a", 2<<20) + `"}}`
	for _, chunked := range []bool{false, true} {
		b, ct := multipartBody(t, bigQuery, nil)
		if r := send(b, ct, chunked); r.Status != http.StatusRequestEntityTooLarge || r.code(0) != "REQUEST_TOO_LARGE" {
			t.Errorf("2 MiB of query in a multipart request without a file (chunked %v): %d %.200s", chunked, r.Status, r.Raw)
		}
		b, ct = multipartBody(t, bigQuery, letterPNG(t))
		if r := send(b, ct, chunked); r.Status != http.StatusRequestEntityTooLarge {
			t.Errorf("2 MiB of query beside a file (chunked %v): %d %.200s", chunked, r.Status, r.Raw)
		}
		ops := `{"query":"mutation($letter: Upload!) { __typename }","variables":{"letter":null}}`
		b, ct = multipartBody(t, ops, make([]byte, 12<<20))
		if r := send(b, ct, chunked); r.Status != http.StatusRequestEntityTooLarge || r.code(0) != "REQUEST_TOO_LARGE" {
			t.Errorf("12 MiB upload (chunked %v): %d %.200s", chunked, r.Status, r.Raw)
		}
	}
	// Within the limits a multipart request is served.
	b, ct := multipartBody(t, `{"query":"{ stations { totalCount } }"}`, nil)
	if r := send(b, ct, true); r.Status != http.StatusOK || dig(r.Data, "stations", "totalCount") == nil {
		t.Errorf("small multipart request: %d %s", r.Status, r.Raw)
	}
}

// TestStaffNamesAreStaffOnly: who changed a classification is a staff
// member's name; anonymous callers and partners get null and an error,
// staff see it.
func TestStaffNamesAreStaffOnly(t *testing.T) {
	a, srv := startApp(t, testConfig(t, "sqlite"))
	c := &callers{}
	if err := c.setUp(a); err != nil {
		t.Fatal(err)
	}
	mustData(t, postAs(t, srv.URL, c.admin, `mutation { setDatasetClassification(dataset: "LIGHTNING", classification: "REGISTERED") { classification } }`, nil))
	const q = `{ datasets { dataset classification updatedBy } }`
	updatedBy := func(r *gqlResponse) any {
		for _, d := range dig(r.Data, "datasets").([]any) {
			if dig(d, "dataset") == "LIGHTNING" {
				return dig(d, "updatedBy")
			}
		}
		t.Fatalf("LIGHTNING not listed: %s", r.Raw)
		return nil
	}
	if r := postAs(t, srv.URL, c.admin, q, nil); updatedBy(r) == nil || strings.Contains(r.Raw, "errors") {
		t.Errorf("admin: %s", r.Raw)
	}
	for name, key := range map[string]string{"anonymous": "", "partner": c.full} {
		r := postAs(t, srv.URL, key, q, nil)
		if updatedBy(r) != nil || len(r.Errors) == 0 {
			t.Errorf("%s sees who changed a classification: %s", name, r.Raw)
			continue
		}
		want := map[string]string{"anonymous": "UNAUTHENTICATED", "partner": "FORBIDDEN"}[name]
		if r.code(0) != want || dig(r.Data, "datasets", 0, "classification") == nil {
			t.Errorf("%s: %s; want %s on updatedBy and the classifications delivered", name, r.Raw, want)
		}
	}
}

// refusingSMTP is a mail relay that refuses every recipient with 550, as a
// relay does for an address that does not exist.
func refusingSMTP(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				defer conn.Close()
				conn.SetDeadline(time.Now().Add(10 * time.Second))
				tp := textproto.NewConn(conn)
				tp.PrintfLine("220 relay.example ESMTP")
				for {
					line, err := tp.ReadLine()
					if err != nil {
						return
					}
					switch verb, _, _ := strings.Cut(strings.ToUpper(line), " "); verb {
					case "EHLO", "HELO":
						tp.PrintfLine("250 relay.example")
					case "MAIL", "RSET", "NOOP":
						tp.PrintfLine("250 2.0.0 ok")
					case "RCPT":
						tp.PrintfLine("550 5.1.1 <%s>: no such user", "sari@ui.ac.id")
					case "QUIT":
						tp.PrintfLine("221 bye")
						return
					default:
						tp.PrintfLine("503 5.5.1 bad sequence")
					}
				}
			}()
		}
	}()
	return ln.Addr().String()
}

// TestUndeliveredNotificationsShownToStaff: the mail relay refuses the
// applicant's address; the outbox tries three times, then gives up (it
// used to retry hourly forever), and the service desk finds the request,
// and what the relay said, among those whose applicant was not told.
func TestUndeliveredNotificationsShownToStaff(t *testing.T) {
	for _, backend := range []string{"sqlite", "postgres"} {
		t.Run(backend, func(t *testing.T) {
			clock := &fakeClock{now: time.Now().UTC().Truncate(time.Second)}
			cfg := testConfig(t, backend)
			cfg.demoFiles = func(string) bool { return false }
			cfg.clock, cfg.SMTPURL = clock.Now, "smtp://"+refusingSMTP(t)
			a, srv := startApp(t, cfg)
			ctx := context.Background()
			acct, err := a.Store.CreateAccount(ctx, testActor, mkg.AccountInput{Organisation: "Service desk", ContactName: "Desk",
				ContactEmail: "desk@bmkg.go.id", Application: mkg.ClientApplication{Name: "service"}, Roles: []mkg.Role{mkg.RoleServiceDesk}})
			if err != nil {
				t.Fatal(err)
			}
			desk, _, _ := a.Store.IssueKey(ctx, testActor, acct.ID, "", nil)
			r := upload(t, srv.URL, "", submitMutation, map[string]any{"input": requestInput("SIBATIK"), "key": "undeliverable-00000001"}, "l.png", letterPNG(t))
			number := dig(mustData(t, r), "submitAccessRequest", "request", "number")
			for range 5 {
				if _, _, err := a.Outbox.Flush(ctx); err != nil {
					t.Fatal(err)
				}
				clock.Advance(2 * time.Hour)
			}
			d := mustData(t, postAs(t, srv.URL, desk, `{ accessRequests(filter: {notificationFailed: true}) {
				edges { node { number notifications { state attempts recipient lastError failedAt } } } } }`, nil))
			edges := dig(d, "accessRequests", "edges").([]any)
			if len(edges) != 1 || dig(edges[0], "node", "number") != number {
				t.Fatalf("requests whose applicant was not told: %v; want %v", edges, number)
			}
			n := dig(edges[0], "node", "notifications", 0)
			if dig(n, "state") != "FAILED" || dig(n, "attempts") != float64(3) || dig(n, "recipient") != "sari@ui.ac.id" ||
				!strings.Contains(dig(n, "lastError").(string), "550") || dig(n, "failedAt") == nil {
				t.Errorf("notification: %v; want FAILED after 3 attempts with the relay's 550", n)
			}
			// Applicants and partners do not see the outbox.
			if r := post(t, srv.URL, `{ accessRequests { edges { node { notifications { state } } } } }`, nil); r.code(0) != "UNAUTHENTICATED" {
				t.Errorf("anonymous: %s", r.Raw)
			}
		})
	}
}

// TestTrustedProxiesSetting: -trusted-proxies (or MKG_TRUSTED_PROXIES)
// takes networks and single addresses; anything else is refused at start.
func TestTrustedProxiesSetting(t *testing.T) {
	for value, ok := range map[string]bool{
		"":                            true,
		"10.0.0.0/8, 192.0.2.7":       true,
		"2001:db8::/32,172.16.0.0/12": true,
		"10.0.0.0/33":                 false,
		"proxy.internal":              false,
		"10.0.0.0/8,,not-a-network/8": false,
	} {
		cfg := defaultConfig()
		fs, settings, _ := lookup("serve").flagSet(&cfg)
		fs.Parse(nil)
		if err := settings.applyEnv(func(k string) string {
			if k == "MKG_TRUSTED_PROXIES" {
				return value
			}
			return ""
		}); err != nil {
			t.Fatal(err)
		}
		err := cfg.Validate()
		if (err == nil) != ok || (err != nil && !strings.Contains(err.Error(), "trusted-proxies")) {
			t.Errorf("MKG_TRUSTED_PROXIES=%q: %v; want accepted %v", value, err, ok)
		}
	}
}
