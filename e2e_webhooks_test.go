package main

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/bmkg/mkggraph/ingest"
	"github.com/bmkg/mkggraph/internal/testenv"
	"github.com/bmkg/mkggraph/mkg"
	"github.com/bmkg/mkggraph/webhooks"
)

// receiver is a partner's server: it records every POST and answers each
// with the status answer gives for it (counted from 0).
type receiver struct {
	*httptest.Server
	mu     sync.Mutex
	got    []received
	answer func(n int) int
}

type received struct {
	header http.Header
	body   []byte
	status int
}

func newReceiver(t *testing.T, answer func(n int) int) *receiver {
	r := &receiver{answer: answer}
	r.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		body, _ := io.ReadAll(req.Body)
		r.mu.Lock()
		status := r.answer(len(r.got))
		r.got = append(r.got, received{header: req.Header.Clone(), body: body, status: status})
		r.mu.Unlock()
		w.WriteHeader(status)
	}))
	t.Cleanup(r.Close)
	return r
}

func (r *receiver) requests() []received {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]received(nil), r.got...)
}

// waitFor polls cond until it holds, failing the test after within.
func waitFor(t *testing.T, within time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(within)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("not within %v: %s", within, what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// startWebhookApp starts a server on backend with the stations only, the
// webhooks allowed to reach the test's receivers (http, loopback), failing
// webhooks paused after 3 failures, retries after 50 ms, and the
// dispatcher and delivery worker running.
func startWebhookApp(t *testing.T, backend string, change func(*Config)) (*app, *httptest.Server) {
	t.Helper()
	cfg := testConfig(t, backend)
	cfg.demoFiles = func(name string) bool { return strings.HasPrefix(name, "stations/") && coreDemo(name) }
	cfg.Webhooks.AllowHTTP, cfg.Webhooks.AllowPrivate = "true", "true"
	cfg.Webhooks.PauseAfter = 3
	cfg.Webhooks.FirstRetry, cfg.Webhooks.MaxRetry = 50*time.Millisecond, 100*time.Millisecond
	cfg.Webhooks.SecretKey = strings.Repeat("k", 32)
	if change != nil {
		change(cfg)
	}
	a, srv := startApp(t, cfg)
	ctx, cancel := context.WithCancel(context.Background())
	stopped := a.RunWebhooks(ctx)
	t.Cleanup(func() { cancel(); <-stopped })
	return a, srv
}

const createWebhook = `mutation($d: String!, $u: String!) { createWebhook(document: $d, callbackUrl: $u) { secret webhook { id status } } }`

const quakeDocument = `subscription { earthquakeReported { change earthquake { magnitude } } }`

// register creates a webhook as key and returns its id and secret.
func register(t *testing.T, base, key, document, url string) (id, secret string) {
	t.Helper()
	r := postAs(t, base, key, createWebhook, map[string]any{"d": document, "u": url})
	d := mustData(t, r)
	id, _ = dig(d, "createWebhook", "webhook", "id").(string)
	secret, _ = dig(d, "createWebhook", "secret").(string)
	if id == "" || !strings.HasPrefix(secret, "whsec_") || dig(d, "createWebhook", "webhook", "status") != "ACTIVE" {
		t.Fatalf("createWebhook: %s", r.Raw)
	}
	return id, secret
}

const webhookHistory = `query($id: ID!) { webhook(id: $id) { status pausedReason failures lastError
	deliveries { id attempts deliveredAt lastStatus lastError payload } } }`

// TestWebhooks: on each database, an ingested earthquake reaches a
// partner's receiver signed; a receiver answering 500 then 200 gets it
// once more, with the same delivery id, and the history shows both
// attempts; a receiver that always fails pauses its webhook with the
// reason; a partner without a dataset's grant gets those fields null and
// FORBIDDEN in the payload.
func TestWebhooks(t *testing.T) {
	for _, backend := range []string{"sqlite", "postgres"} {
		t.Run(backend, func(t *testing.T) {
			a, srv := startWebhookApp(t, backend, nil)
			ok := newReceiver(t, func(int) int { return http.StatusOK })
			flaky := newReceiver(t, func(n int) int { return map[bool]int{true: 500, false: 200}[n == 0] })
			down := newReceiver(t, func(int) int { return http.StatusInternalServerError })
			key := partnerKey(t, a)
			okID, secret := register(t, srv.URL, key, quakeDocument, ok.URL+"/hook")
			flakyID, _ := register(t, srv.URL, key, quakeDocument, flaky.URL)
			downID, _ := register(t, srv.URL, key, quakeDocument, down.URL)
			// Only events of magnitude 6 or more: this one is not delivered.
			big := newReceiver(t, func(int) int { return http.StatusOK })
			register(t, srv.URL, key, `subscription { earthquakeReported(filter: {minMagnitude: 6}) { change } }`, big.URL)

			ingestQuake(t, a, 1, 5.2)
			waitFor(t, 10*time.Second, "the receiver is called", func() bool { return len(ok.requests()) == 1 })
			got := ok.requests()[0]
			h := got.header
			if !mkg.VerifyWebhook(secret, h.Get(webhooks.HeaderTimestamp), h.Get(webhooks.HeaderSignature), got.body, time.Now()) {
				t.Fatalf("signature does not verify: %v %s", h, got.body)
			}
			if mkg.VerifyWebhook("whsec_other", h.Get(webhooks.HeaderTimestamp), h.Get(webhooks.HeaderSignature), got.body, time.Now()) ||
				mkg.VerifyWebhook(secret, h.Get(webhooks.HeaderTimestamp), h.Get(webhooks.HeaderSignature), got.body, time.Now().Add(6*time.Minute)) {
				t.Fatal("a wrong secret or a replay after the window verifies")
			}
			if h.Get(webhooks.HeaderWebhook) != okID || h.Get(webhooks.HeaderDelivery) == "" || h.Get("Content-Type") != "application/json" {
				t.Fatalf("headers: %v", h)
			}
			if want := `{"data":{"earthquakeReported":{"change":"INSERTED","earthquake":{"magnitude":5.2}}}}`; string(got.body) != want {
				t.Fatalf("body %s; want %s", got.body, want)
			}

			waitFor(t, 10*time.Second, "the flaky receiver is tried again", func() bool { return len(flaky.requests()) >= 2 })
			fr := flaky.requests()
			if fr[0].header.Get(webhooks.HeaderDelivery) != fr[1].header.Get(webhooks.HeaderDelivery) || string(fr[0].body) != string(fr[1].body) {
				t.Fatalf("the retry is another delivery: %v / %v", fr[0].header, fr[1].header)
			}
			var r *gqlResponse
			var ds []any
			waitFor(t, 5*time.Second, "the retry is recorded", func() bool {
				r = postAs(t, srv.URL, key, webhookHistory, map[string]any{"id": flakyID})
				ds, _ = dig(mustData(t, r), "webhook", "deliveries").([]any)
				return len(ds) == 1 && dig(ds[0], "deliveredAt") != nil
			})
			if len(ds) != 1 || dig(ds[0], "attempts") != 2.0 || dig(ds[0], "lastStatus") != 200.0 || dig(ds[0], "deliveredAt") == nil ||
				dig(ds[0], "id") != fr[0].header.Get(webhooks.HeaderDelivery) {
				t.Fatalf("flaky history: %s", r.Raw)
			}

			waitFor(t, 15*time.Second, "the failing webhook is paused", func() bool {
				r := postAs(t, srv.URL, key, webhookHistory, map[string]any{"id": downID})
				return dig(mustData(t, r), "webhook", "status") == "PAUSED"
			})
			r = postAs(t, srv.URL, key, webhookHistory, map[string]any{"id": downID})
			if reason, _ := dig(mustData(t, r), "webhook", "pausedReason").(string); !strings.Contains(reason, "3 failed deliveries") ||
				!strings.Contains(reason, "HTTP 500") || len(down.requests()) != 3 {
				t.Fatalf("paused webhook (%d requests): %s", len(down.requests()), r.Raw)
			}
			// Paused: a new event is queued but not sent, until resumed.
			ingestQuake(t, a, 2, 5.3)
			waitFor(t, 10*time.Second, "the second event reaches the working receivers", func() bool {
				return len(ok.requests()) == 2 && len(flaky.requests()) == 3
			})
			if n := len(down.requests()); n != 3 {
				t.Fatalf("a paused webhook was called: %d requests", n)
			}
			if n := len(big.requests()); n != 0 {
				t.Fatalf("an event the filter leaves out was delivered: %d requests", n)
			}
			// Resumed, with its receiver mended: both events queued meanwhile
			// go out.
			down.mu.Lock()
			down.answer = func(int) int { return http.StatusNoContent }
			down.mu.Unlock()
			r = postAs(t, srv.URL, key, `mutation($id: ID!) { resumeWebhook(id: $id) { status failures pausedReason } }`, map[string]any{"id": downID})
			if d := mustData(t, r); dig(d, "resumeWebhook", "status") != "ACTIVE" || dig(d, "resumeWebhook", "failures") != 0.0 ||
				dig(d, "resumeWebhook", "pausedReason") != nil {
				t.Fatalf("resume: %s", r.Raw)
			}
			waitFor(t, 10*time.Second, "the resumed webhook delivers what was queued", func() bool { return len(down.requests()) == 5 })
		})
	}
}

// TestWebhookForbiddenFields: a partner without the SYNOP_L1 grant gets
// the Level 1 report null with FORBIDDEN in the delivered payload, the
// Level 2 values delivered, as over WebSocket. The delivery worker polls
// only every minute here: the delivery is sent when it is queued, not at
// the next poll.
func TestWebhookForbiddenFields(t *testing.T) {
	for _, backend := range []string{"sqlite", "postgres"} {
		t.Run(backend, func(t *testing.T) {
			a, srv := startWebhookApp(t, backend, func(c *Config) { c.webhookPoll = time.Minute })
			rec := newReceiver(t, func(int) int { return http.StatusOK })
			register(t, srv.URL, partnerKey(t, a), `subscription { observationReceived(filter: {wmoIndexes: ["15015"]}) {
				observation { stationIndex decoded { airTemperature } raw { text } } } }`, rec.URL)
			const name = "demo/samples/synop/A_SMRO01YRBK211200_C_EDZW_20220321120500_12524785.txt"
			data, err := os.ReadFile(name)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := a.Ingest.File(context.Background(), name, data, ingest.Options{}); err != nil {
				t.Fatal(err)
			}
			waitFor(t, 10*time.Second, "the receiver is called", func() bool { return len(rec.requests()) == 1 })
			var p struct {
				Data struct {
					ObservationReceived struct {
						Observation struct {
							StationIndex string
							Decoded      *struct{ AirTemperature *float64 }
							Raw          any
						}
					}
				}
				Errors []struct{ Extensions map[string]any }
			}
			body := rec.requests()[0].body
			if err := json.Unmarshal(body, &p); err != nil {
				t.Fatal(err)
			}
			o := p.Data.ObservationReceived.Observation
			if o.StationIndex != "15015" || o.Decoded == nil || o.Decoded.AirTemperature == nil || o.Raw != nil ||
				len(p.Errors) != 1 || p.Errors[0].Extensions["code"] != "FORBIDDEN" || p.Errors[0].Extensions["dataset"] != "SYNOP_L1" {
				t.Fatalf("payload: %s", body)
			}
		})
	}
}

// TestWebhookRegistration: on each database, with the default settings,
// callback URLs that are not https:// or not on a public address are
// refused (BAD_USER_INPUT on callbackUrl), and so are invalid documents
// (on document); a URL stored anyway (a name re-pointed after it was
// registered) is refused when connecting; a suspended account's webhook
// queues nothing; a partner neither sees nor deletes another's webhooks;
// admins list everyone's.
func TestWebhookRegistration(t *testing.T) {
	for _, backend := range []string{"sqlite", "postgres"} {
		t.Run(backend, func(t *testing.T) {
			a, srv := startWebhookApp(t, backend, func(c *Config) {
				c.Webhooks.AllowHTTP, c.Webhooks.AllowPrivate = "false", "false"
				c.demoFiles = func(string) bool { return false }
			})
			ctx := context.Background()
			alice, bob := partnerKey(t, a), partnerKey(t, a)
			for _, url := range []string{"http://203.0.113.10/hook", "https://127.0.0.1/hook", "https://[::1]:8443/", "https://10.1.2.3/",
				"https://169.254.169.254/latest", "https://localhost/hook", "ftp://203.0.113.10/", "https://user:pw@203.0.113.10/", "/relative"} {
				r := postAs(t, srv.URL, alice, createWebhook, map[string]any{"d": quakeDocument, "u": url})
				if r.code(0) != "BAD_USER_INPUT" || r.Errors[0].Extensions["field"] != "callbackUrl" {
					t.Errorf("%s: %s", url, r.Raw)
				}
			}
			for doc, reason := range map[string]string{
				`subscription { earthquakeReported(filter: {minMagnitude: 11}) { change } }`: "filter.minMagnitude",
				`subscription { earthquakeReported { nope } }`:                               "nope",
				`query { stations { totalCount } }`:                                          "subscription",
				`subscription {`:                                                             "",
				`subscription { accessRequestChanged { state } }`:                            "role",
			} {
				r := postAs(t, srv.URL, alice, createWebhook, map[string]any{"d": doc, "u": "https://203.0.113.10/hook"})
				if r.code(0) != "BAD_USER_INPUT" || r.Errors[0].Extensions["field"] != "document" || !strings.Contains(r.Errors[0].Message, reason) {
					t.Errorf("%s: %s", doc, r.Raw)
				}
			}
			if r := post(t, srv.URL, createWebhook, map[string]any{"d": quakeDocument, "u": "https://203.0.113.10/hook"}); r.code(0) != "UNAUTHENTICATED" {
				t.Errorf("anonymous: %s", r.Raw)
			}

			// Without callbackUrl: the application's, from the access request.
			const noURL = `mutation($d: String!) { createWebhook(document: $d) { webhook { callbackUrl } } }`
			if r := postAs(t, srv.URL, alice, noURL, map[string]any{"d": quakeDocument}); r.code(0) != "BAD_USER_INPUT" || r.Errors[0].Extensions["field"] != "callbackUrl" {
				t.Errorf("no callback URL anywhere: %s", r.Raw)
			}
			if _, err := a.Store.UpdateAccount(ctx, testActor, accountOf(t, a, alice).ID, mkg.AccountInput{Organisation: "Universitas", ContactName: "C",
				ContactEmail: "c@example.org", Application: mkg.ClientApplication{Name: "campus app", CallbackURL: "https://203.0.113.20/cb"}}); err != nil {
				t.Fatal(err)
			}
			if r := postAs(t, srv.URL, alice, noURL, map[string]any{"d": quakeDocument}); dig(mustData(t, r), "createWebhook", "webhook", "callbackUrl") != "https://203.0.113.20/cb" {
				t.Errorf("the application's callback URL: %s", r.Raw)
			}
			id, _ := register(t, srv.URL, alice, quakeDocument, "https://203.0.113.10/hook")
			for _, q := range []string{`query($id: ID!) { webhook(id: $id) { id } }`, `mutation($id: ID!) { deleteWebhook(id: $id) }`,
				`mutation($id: ID!) { pauseWebhook(id: $id) { id } }`, `mutation($id: ID!) { rotateWebhookSecret(id: $id) { secret } }`} {
				if r := postAs(t, srv.URL, bob, q, map[string]any{"id": id}); r.code(0) != "NOT_FOUND" {
					t.Errorf("another partner: %s: %s", q, r.Raw)
				}
			}
			if r := postAs(t, srv.URL, bob, `{ webhooks { id } }`, nil); len(dig(mustData(t, r), "webhooks").([]any)) != 0 {
				t.Errorf("another partner's list: %s", r.Raw)
			}
			aliceAcct := accountOf(t, a, alice)
			if r := postAs(t, srv.URL, bob, `query($a: ID!) { webhooks(accountId: $a) { id } }`, map[string]any{"a": nodeID("Account", aliceAcct.ID)}); r.code(0) != "FORBIDDEN" {
				t.Errorf("another partner's list by account: %s", r.Raw)
			}
			admin := partnerKey(t, a)
			if _, err := a.Store.UpdateAccount(ctx, testActor, accountOf(t, a, admin).ID, mkg.AccountInput{Organisation: "Admin", ContactName: "A",
				ContactEmail: "a@example.org", Application: mkg.ClientApplication{Name: "admin"}, Roles: []mkg.Role{mkg.RoleAdmin}}); err != nil {
				t.Fatal(err)
			}
			if r := postAs(t, srv.URL, admin, `{ webhooks { id accountId } }`, nil); len(dig(mustData(t, r), "webhooks").([]any)) != 2 ||
				dig(mustData(t, r), "webhooks", 0, "accountId") != nodeID("Account", aliceAcct.ID) {
				t.Errorf("admin's list: %s", r.Raw)
			}
			r := postAs(t, srv.URL, alice, `mutation($id: ID!) { rotateWebhookSecret(id: $id) { secret webhook { id } } }`, map[string]any{"id": id})
			if s, _ := dig(mustData(t, r), "rotateWebhookSecret", "secret").(string); !strings.HasPrefix(s, "whsec_") {
				t.Errorf("rotate: %s", r.Raw)
			}
			if r := postAs(t, srv.URL, alice, `mutation($id: ID!) { deleteWebhook(id: $id) }`, map[string]any{"id": id}); dig(mustData(t, r), "deleteWebhook") != true {
				t.Errorf("delete: %s", r.Raw)
			}

			// Stored behind the registration's back: the connection is refused.
			rec := newReceiver(t, func(int) int { return http.StatusOK })
			active, err := a.Store.CreateWebhook(ctx, aliceAcct.ID, quakeDocument, rec.URL, "plain:whsec_x", time.Now())
			if err != nil {
				t.Fatal(err)
			}
			suspendedAcct := accountOf(t, a, bob)
			suspended, err := a.Store.CreateWebhook(ctx, suspendedAcct.ID, quakeDocument, rec.URL, "plain:whsec_y", time.Now())
			if err != nil {
				t.Fatal(err)
			}
			if _, err := a.Store.SetAccountStatus(ctx, testActor, suspendedAcct.ID, mkg.AccountSuspended, "tests"); err != nil {
				t.Fatal(err)
			}
			ingestQuake(t, a, 7, 5.0)
			waitFor(t, 10*time.Second, "the attempt is recorded", func() bool {
				ds, err := a.Store.WebhookDeliveries(ctx, active.ID, 0, 10)
				return err == nil && len(ds) == 1 && strings.Contains(ds[0].LastError, "not public")
			})
			if ds, err := a.Store.WebhookDeliveries(ctx, suspended.ID, 0, 10); err != nil || len(ds) != 0 {
				t.Errorf("a suspended account's webhook queued %d deliveries (%v)", len(ds), err)
			}
			if n := len(rec.requests()); n != 0 {
				t.Errorf("the loopback receiver was called %d times", n)
			}
		})
	}
}

// accountOf returns the account of a key.
func accountOf(t *testing.T, a *app, key string) *mkg.Account {
	t.Helper()
	prefix, _ := mkg.KeyPrefix(key)
	cred, err := a.Store.CredentialByPrefix(context.Background(), prefix)
	if err != nil {
		t.Fatal(err)
	}
	return cred.Account
}

// TestWebhooksAcrossInstances: two instances on one PostgreSQL and Redis,
// both running the webhooks: an event ingested by one, and one ingested by
// a separate process, are heard by both, queued once and delivered once
// each.
func TestWebhooksAcrossInstances(t *testing.T) {
	redisURL, prefix := testenv.RedisURL(t)
	shared := func(c *Config) { c.RedisURL, c.RedisPrefix = redisURL, prefix }
	var database string
	a, srvA := startWebhookApp(t, "postgres", func(c *Config) { shared(c); database = c.DatabaseURL })
	startWebhookApp(t, "postgres", func(c *Config) { shared(c); c.DatabaseURL, c.DemoData = database, "false" })
	rec := newReceiver(t, func(int) int { return http.StatusOK })
	register(t, srvA.URL, partnerKey(t, a), quakeDocument, rec.URL)
	time.Sleep(300 * time.Millisecond) // the relays' SUBSCRIBE
	ingestQuake(t, a, 20, 5.1)
	cfg := testConfig(t, "postgres")
	shared(cfg)
	bus, closeBus := publishOnly(cfg, slog.New(slog.DiscardHandler))
	defer closeBus()
	sep := ingest.New(a.Store, nil).WithEvents(bus)
	if _, err := sep.File(context.Background(), "q.json", autogempa(21, 5.4), ingest.Options{}); err != nil {
		t.Fatal(err)
	}
	waitFor(t, 10*time.Second, "both events are delivered", func() bool { return len(rec.requests()) >= 2 })
	time.Sleep(1500 * time.Millisecond) // the workers' next polls: nothing more
	got := rec.requests()
	if len(got) != 2 || got[0].header.Get(webhooks.HeaderDelivery) == got[1].header.Get(webhooks.HeaderDelivery) {
		var seen []string
		for _, r := range got {
			seen = append(seen, r.header.Get(webhooks.HeaderDelivery)+" "+string(r.body))
		}
		t.Fatalf("%d deliveries, want 2 (delivery id, body):\n%s", len(got), strings.Join(seen, "\n"))
	}
	for i, want := range []string{`"magnitude":5.1`, `"magnitude":5.4`} {
		if !strings.Contains(string(got[i].body), want) {
			t.Errorf("delivery %d: %s; want %s", i, got[i].body, want)
		}
	}
}
