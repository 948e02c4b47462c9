package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/bmkg/mkggraph/internal/testenv"
	"github.com/bmkg/mkggraph/internal/testsvc"
	"github.com/bmkg/mkggraph/mkg"
)

// testQuota are budgets no test but the quota tests comes near: the other
// tests send thousands of requests from one address to one server, which
// the default budgets would rightly throttle.
var testQuota = QuotaConfig{
	Enforce:   "true",
	Accounts:  mkg.Budget{PerMinute: mkg.MaxBudgetPerMinute, PerDay: mkg.MaxBudgetPerDay},
	Anonymous: mkg.Budget{PerMinute: mkg.MaxBudgetPerMinute, PerDay: mkg.MaxBudgetPerDay},
}

// costOf returns a response's extensions.cost.
func costOf(t *testing.T, r *gqlResponse) map[string]any {
	t.Helper()
	var body struct {
		Extensions struct {
			Cost map[string]any `json:"cost"`
		} `json:"extensions"`
	}
	if err := json.Unmarshal([]byte(r.Raw), &body); err != nil || body.Extensions.Cost == nil {
		t.Fatalf("no extensions.cost in %s", r.Raw)
	}
	return body.Extensions.Cost
}

// batchAs posts a batch of the same query n times.
func batchAs(t *testing.T, base, key, query string, n int) (int, http.Header, []map[string]any) {
	t.Helper()
	items := make([]map[string]any, n)
	for i := range items {
		items[i] = map[string]any{"query": query}
	}
	body, _ := json.Marshal(items)
	req, _ := http.NewRequest(http.MethodPost, base+"/graphql", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+key)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out []map[string]any
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, resp.Header, out
}

// standingMinute is a time for a clock that stands still: 10 s into a
// minute, and at least 2 s before now, so that what the test's callers
// make with the real clock (a grant expiring in 1.5 s) is still in the
// future on it. (Ten seconds into the current minute was up to 10 s ahead
// of the real clock: a run 8.5–10 s into a minute failed.)
func standingMinute() time.Time {
	t := time.Now().UTC().Truncate(time.Minute).Add(10 * time.Second)
	if t.After(time.Now().Add(-2 * time.Second)) {
		t = t.Add(-time.Minute)
	}
	return t
}

// quotaInstances starts two instances of one server (one database, one
// Redis) on a clock that stands still, so that no window ends during the
// test, with the anonymous budget given.
func quotaInstances(t *testing.T, backend, redisURL, prefix string, anonymous mkg.Budget) (*app, string, string) {
	shared := testConfig(t, backend)
	shared.SQLitePath = filepath.Join(t.TempDir(), "shared.db")
	clock := &fakeClock{now: standingMinute()}
	start := func(demo string) (*app, string) {
		cfg := testConfig(t, backend)
		cfg.SQLitePath, cfg.DatabaseURL, cfg.DemoData, cfg.RedisURL, cfg.RedisPrefix = shared.SQLitePath, shared.DatabaseURL, demo, redisURL, prefix
		cfg.Quota.Anonymous = anonymous
		cfg.clock = clock.Now
		a, srv := startApp(t, cfg)
		return a, srv.URL
	}
	a, urlA := start("true")
	_, urlB := start("false")
	return a, urlA, urlB
}

// TestQuotas: a partner's budget, set by an admin, is shared by two
// instances on one Redis and throttles it with 429 and Retry-After;
// rateLimit spends nothing; answers from the response cache are charged; a
// batch cannot go past the budget; anonymous callers have a budget per
// address; malformed budgets are refused naming the argument.
func TestQuotas(t *testing.T) {
	for _, backend := range []string{"sqlite", "postgres"} {
		t.Run(backend, func(t *testing.T) {
			redisURL, prefix := testenv.RedisURL(t)
			a, urlA, urlB := quotaInstances(t, backend, redisURL, prefix, mkg.Budget{PerMinute: 30, PerDay: 1000})
			c := &callers{}
			if err := c.setUp(a); err != nil {
				t.Fatal(err)
			}
			checkBudgetInput(t, urlA, c)
			budgetSeen(t, urlA, c)
			budgetSeen(t, urlB, c)
			checkThrottled(t, urlA, urlB, c)
			checkBatch(t, a, urlA, c)
			checkAnonymous(t, urlA, urlB)
		})
	}
}

const setBudget = `mutation($id: ID!, $m: Int, $d: Int) { setAccountBudget(id: $id, perMinute: $m, perDay: $d) { budget { perMinute perDay } } }`

func checkBudgetInput(t *testing.T, url string, c *callers) {
	t.Helper()
	id := nodeID("Account", c.partnerAccount)
	for _, bad := range []struct {
		vars  map[string]any
		field string
	}{
		{map[string]any{"m": -1}, "perMinute"},
		{map[string]any{"d": 0}, "perDay"},
		{map[string]any{"m": 100, "d": 10}, "perMinute"},
		{map[string]any{"m": mkg.MaxBudgetPerMinute + 1}, "perMinute"},
	} {
		bad.vars["id"] = id
		r := postAs(t, url, c.admin, setBudget, bad.vars)
		if r.code(0) != "BAD_USER_INPUT" || r.Errors[0].Extensions["field"] != bad.field {
			t.Errorf("setAccountBudget(%v): %s; want BAD_USER_INPUT naming %s", bad.vars, r.Raw, bad.field)
		}
	}
	if r := postAs(t, url, c.full, setBudget, map[string]any{"id": id, "m": 1000}); len(r.Errors) == 0 {
		t.Errorf("a partner set its own budget: %s", r.Raw)
	}
	d := mustData(t, postAs(t, url, c.admin, setBudget, map[string]any{"id": id, "m": 40, "d": 1000}))
	if b := dig(d, "setAccountBudget", "budget"); fmt.Sprint(b) != "map[perDay:1000 perMinute:40]" {
		t.Errorf("budget after setting it: %v", b)
	}
}

// budgetSeen waits until the instance at url applies the partner's new
// budget (an admin's change reaches every instance within a second).
func budgetSeen(t *testing.T, url string, c *callers) {
	t.Helper()
	withinASecond(t, "the new budget applies on "+url, func() bool {
		r := postAs(t, url, c.full, `{ rateLimit { perMinute } }`, nil)
		return dig(mustData(t, r), "rateLimit", "perMinute") == 40.0
	})
}

const stationsQuery = `{ stations(first: 3) { edges { node { wmoIndex } } } }`

func checkThrottled(t *testing.T, urlA, urlB string, c *callers) {
	t.Helper()
	// rateLimit is free, and tells the budget (the partner's refused
	// mutation was charged: what a request asks for is charged before it
	// runs, whatever becomes of it).
	var left float64
	for i := range 3 {
		r := postAs(t, urlA, c.full, `{ rateLimit { cost perMinute perDay window limit used remaining resetAt } }`, nil)
		rl := dig(mustData(t, r), "rateLimit")
		if i == 0 {
			left = dig(rl, "remaining").(float64)
		}
		if dig(rl, "perMinute") != 40.0 || dig(rl, "remaining") != left || dig(rl, "used") != 40-left || dig(rl, "cost") != 0.0 ||
			costOf(t, r)["requested"] != 0.0 || costOf(t, r)["remaining"] != left {
			t.Fatalf("rateLimit: %s", r.Raw)
		}
	}
	// Each query is charged its cost on either instance, from one budget;
	// the repeated query is answered from the response cache and charged
	// all the same.
	first := postAs(t, urlA, c.full, stationsQuery, nil)
	cost := costOf(t, first)["requested"].(float64)
	if cost < 5 || costOf(t, first)["actual"] != cost || costOf(t, first)["remaining"] != left-cost {
		t.Fatalf("first query: %s", first.Raw)
	}
	spent, hits := 40-left+cost, 0
	var last *gqlResponse
	for i := 0; i < 20; i++ {
		url := []string{urlB, urlA}[i%2]
		last = postAs(t, url, c.full, stationsQuery, nil)
		if last.Status == http.StatusTooManyRequests {
			break
		}
		mustData(t, last)
		spent += cost
		if last.Header.Get("X-Cache") == "hit" {
			hits++
		}
		if got, want := last.Header.Get("X-RateLimit-Remaining"), strconv.Itoa(int(40-spent)); got != want || costOf(t, last)["remaining"] != 40-spent {
			t.Fatalf("after %v points over two instances: X-RateLimit-Remaining %s, %v; want %s", spent, got, costOf(t, last), want)
		}
		if last.Header.Get("X-RateLimit-Limit") != "40" || last.Header.Get("X-RateLimit-Reset") == "" {
			t.Fatalf("headers: %v", last.Header)
		}
	}
	if last.Status != http.StatusTooManyRequests || last.code(0) != "RATE_LIMITED" {
		t.Fatalf("a partner over its budget: %d %s; want 429 RATE_LIMITED", last.Status, last.Raw)
	}
	if spent+cost <= 40 {
		t.Errorf("refused at %v spent with %v to go: the budget was 40", spent, cost)
	}
	if s, err := strconv.Atoi(last.Header.Get("Retry-After")); err != nil || s < 1 || s > 60 {
		t.Errorf("Retry-After %q; want the seconds to the minute's end", last.Header.Get("Retry-After"))
	}
	if hits == 0 {
		t.Error("no answer came from the response cache: the test does not show they are charged")
	}
	// rateLimit still answers, free, over budget.
	r := postAs(t, urlB, c.full, `{ rateLimit { remaining } }`, nil)
	if r.Status != http.StatusOK || dig(mustData(t, r), "rateLimit", "remaining") != 40-spent {
		t.Errorf("rateLimit over budget: %d %s", r.Status, r.Raw)
	}
}

func checkBatch(t *testing.T, a *app, url string, c *callers) {
	t.Helper()
	q := costOf(t, postAs(t, url, c.none, stationsQuery, nil))["requested"].(float64)
	// A fresh account with a budget of three queries.
	ctx := context.Background()
	acct, err := a.Store.CreateAccount(ctx, testActor, mkg.AccountInput{Organisation: "Batching partner", ContactName: "Tester",
		ContactEmail: "tester@example.org", Application: mkg.ClientApplication{Name: "e2e tests"}})
	if err != nil {
		t.Fatal(err)
	}
	key, _, err := a.Store.IssueKey(ctx, testActor, acct.ID, "tests", nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.Store.SetAccountBudget(ctx, testActor, acct.ID, mkg.AccountBudget{PerMinute: mkg.Ptr(int64(3 * q))}); err != nil {
		t.Fatal(err)
	}
	// A batch of five on a budget of three: three run, two are refused.
	status, h, out := batchAs(t, url, key, stationsQuery, 5)
	ran, refused := 0, 0
	for _, item := range out {
		if item["data"] != nil {
			ran++
		} else if dig(item, "errors", 0, "extensions", "code") == "RATE_LIMITED" {
			refused++
		}
	}
	if status != http.StatusOK || ran != 3 || refused != 2 || h.Get("Retry-After") == "" {
		t.Errorf("batch of 5 on a budget of 3: %d, %d ran, %d refused, Retry-After %q; want 200, 3, 2 and a Retry-After", status, ran, refused, h.Get("Retry-After"))
	}
	if status, _, _ := batchAs(t, url, key, stationsQuery, 2); status != http.StatusTooManyRequests {
		t.Errorf("a batch past the budget: %d; want 429", status)
	}
}

func checkAnonymous(t *testing.T, urlA, urlB string) {
	t.Helper()
	q := `{ latestEarthquake { magnitude } }`
	cost := costOf(t, post(t, urlA, q, nil))["requested"].(float64)
	spent := cost
	for i := 0; spent+cost <= 30; i++ {
		mustData(t, post(t, []string{urlB, urlA}[i%2], q, nil))
		spent += cost
	}
	r := post(t, urlB, q, nil)
	if r.Status != http.StatusTooManyRequests || r.code(0) != "RATE_LIMITED" {
		t.Errorf("anonymous past its address's budget of 30: %d %s", r.Status, r.Raw)
	}
	// Neither a persisted query's hash nor a subscription gets past it:
	// both are charged as the document they stand for.
	if r := persisted(t, urlA, q, sha256Hex(q), false); r.Status != http.StatusTooManyRequests || errorCode(r) != "RATE_LIMITED" {
		t.Errorf("a persisted query past the budget: %d %s", r.Status, r.Raw)
	}
	_, sse := openEvents(t, urlA, "", quakeSubscription, nil)
	if ev := sse.expect(t, "next: "); !strings.Contains(ev, "RATE_LIMITED") {
		t.Errorf("a subscription past the budget: %s", ev)
	}
}

// TestQuotasWithoutRedis: a server whose Redis dies keeps answering,
// charging budgets in process (never an error, never a hang).
func TestQuotasWithoutRedis(t *testing.T) {
	rd := testsvc.Redis(t)
	cfg := testConfig(t, "sqlite")
	cfg.RedisURL, cfg.RedisPrefix = rd.RedisURL(0), "q:"
	cfg.Quota.Anonymous = mkg.Budget{PerMinute: 1000, PerDay: 1000}
	_, srv := startApp(t, cfg)
	q := `{ latestEarthquake { magnitude } }`
	before := costOf(t, post(t, srv.URL, q, nil))
	rd.Kill()
	start := time.Now()
	for range 3 {
		r := post(t, srv.URL, `{ rateLimit { remaining } }`, nil)
		mustData(t, r)
	}
	r := post(t, srv.URL, q+" ", nil) // not the cached answer
	mustData(t, r)
	after := costOf(t, r)
	if after["requested"] != before["requested"] || r.Header.Get("X-RateLimit-Remaining") == "" {
		t.Errorf("charged while Redis is down: %v, headers %v", after, r.Header)
	}
	if took := time.Since(start); took > 2*time.Second {
		t.Errorf("four requests took %s with Redis down", took)
	}
}

// TestAnonymousBudgetPerAddress: behind a trusted proxy, each client the
// proxy names has its own budget (on a clock that stands still, so that no
// minute ends during the test).
func TestAnonymousBudgetPerAddress(t *testing.T) {
	cfg := testConfig(t, "sqlite")
	cfg.DemoData = "false"
	cfg.TrustedProxies = "127.0.0.0/8"
	cfg.Quota.Anonymous = mkg.Budget{PerMinute: 3, PerDay: 1000}
	cfg.clock = (&fakeClock{now: time.Now().UTC().Truncate(time.Minute)}).Now
	_, srv := startApp(t, cfg)
	from := func(client string) *gqlResponse {
		body, _ := json.Marshal(map[string]any{"query": `{ __typename }`})
		req, _ := http.NewRequest(http.MethodPost, srv.URL+"/graphql", bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("X-Forwarded-For", client)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		return decode(t, resp)
	}
	for i := range 3 {
		if r := from("203.0.113.5"); r.Status != http.StatusOK {
			t.Fatalf("request %d of a budget of 3: %d %s", i+1, r.Status, r.Raw)
		}
	}
	if r := from("203.0.113.5"); r.Status != http.StatusTooManyRequests {
		t.Errorf("the 4th request of a budget of 3: %d %s", r.Status, r.Raw)
	}
	if r := from("203.0.113.6"); r.Status != http.StatusOK || costOf(t, r)["remaining"] != 2.0 {
		t.Errorf("another client behind the proxy: %d %s; want its own budget", r.Status, r.Raw)
	}
}

// TestQuotasOff: with -quotas false nothing is kept or charged: a budget
// of 2 points does not stop the third request, answers carry no cost and no
// X-RateLimit headers, and rateLimit says quotas are off.
func TestQuotasOff(t *testing.T) {
	cfg := testConfig(t, "sqlite")
	cfg.Quota.Enforce = "false"
	cfg.Quota.Anonymous = mkg.Budget{PerMinute: 2, PerDay: 2}
	_, srv := startApp(t, cfg)
	for i := range 3 {
		r := post(t, srv.URL, `{ latestEarthquake { magnitude } }`, nil)
		mustData(t, r)
		if r.Header.Get("X-RateLimit-Limit") != "" || strings.Contains(string(r.Raw), `"cost"`) {
			t.Errorf("request %d with quotas off: headers %v, body %s", i+1, r.Header, r.Raw)
		}
	}
	r := post(t, srv.URL, `{ rateLimit { remaining } }`, nil)
	if len(r.Errors) != 1 || !strings.Contains(r.Errors[0].Message, "quotas are off") {
		t.Errorf("rateLimit with quotas off: %s", r.Raw)
	}
	bad := defaultConfig()
	bad.Quota.Enforce = "no"
	if err := bad.Validate(); err == nil || !strings.Contains(err.Error(), "quotas must be true or false") {
		t.Errorf("-quotas no: %v", err)
	}
}

// TestQuotaSettingsAreChecked: default budgets that make no sense are
// refused at start, naming the setting; the defaults pass.
func TestQuotaSettingsAreChecked(t *testing.T) {
	for name, change := range map[string]func(c *Config){
		"quota-account-minute":   func(c *Config) { c.Quota.Accounts.PerMinute = -1 },
		"quota-account-day":      func(c *Config) { c.Quota.Accounts.PerDay = 0 },
		"quota-anonymous-minute": func(c *Config) { c.Quota.Anonymous.PerMinute = c.Quota.Anonymous.PerDay + 1 },
		"quota-anonymous-day":    func(c *Config) { c.Quota.Anonymous.PerDay = mkg.MaxBudgetPerDay + 1 },
	} {
		cfg := defaultConfig()
		change(&cfg)
		if err := cfg.Validate(); err == nil || !strings.Contains(err.Error(), name) {
			t.Errorf("%s: %v", name, err)
		}
	}
	cfg := defaultConfig()
	if err := cfg.Validate(); err != nil {
		t.Fatalf("defaults: %v", err)
	}
}

// TestSubscriptionEventsCharged: a subscription is charged its cost when
// it starts and again for each message sent; the message past the budget
// ends the stream with RATE_LIMITED instead of being sent.
func TestSubscriptionEventsCharged(t *testing.T) {
	cfg := testConfig(t, "sqlite")
	cfg.Quota.Anonymous = mkg.Budget{PerMinute: 1000, PerDay: 1000}
	cfg.clock = (&fakeClock{now: time.Now().UTC().Truncate(time.Minute)}).Now
	a, srv := startApp(t, cfg)
	remaining := func() int {
		return int(dig(mustData(t, post(t, srv.URL, `{ rateLimit { remaining } }`, nil)), "rateLimit", "remaining").(float64))
	}
	before := remaining()
	_, sse := openEvents(t, srv.URL, "", quakeSubscription, nil)
	waitSubscribers(t, a, 1)
	after := remaining()
	cost := before - after
	if cost < 2 {
		t.Fatalf("subscribing cost %d", cost)
	}
	// Spend all but one message's cost: { __typename } costs 1, a page of
	// n stations with their names 1 + 3n.
	for drain := after - cost; drain > 0; {
		q, c := `{ __typename }`, 1
		if n := min((drain-1)/3, 500); n > 0 {
			q, c = fmt.Sprintf(`{ stations(first: %d) { edges { node { name } } } }`, n), 1+3*n
		}
		mustData(t, post(t, srv.URL, q, nil))
		drain -= c
	}
	if r := remaining(); r != cost {
		t.Fatalf("%d left after spending; want %d, one message", r, cost)
	}
	ingestQuake(t, a, 1, 6.1)
	sse.expect(t, "next: ")
	if r := remaining(); r != 0 {
		t.Errorf("%d left after a message of %d; want 0", r, cost)
	}
	ingestQuake(t, a, 2, 6.2)
	if ev := sse.expect(t, "end: "); !strings.Contains(ev, "RATE_LIMITED") {
		t.Errorf("the message past the budget: %s", ev)
	}
}
