package main

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/bmkg/mkggraph/internal/testenv"
	"github.com/bmkg/mkggraph/mkg"
)

// mixedQuery asks for open, registered, restricted and staff-only data at
// once.
const mixedQuery = `{
	viewer { anonymous roles rights { dataset allowed } }
	latestEarthquake { magnitude }
	stationByWmo(wmoIndex: "15015") {
		name
		latestObservation { observedAt raw { text } decoded { airTemperature } }
	}
	accounts(first: 1) { totalCount }
}`

// TestMixedQueryPerCaller: one query mixing what a caller may and may not
// see delivers exactly what the default classifications and the caller's
// rights allow, with an error at each denied field, on both databases.
func TestMixedQueryPerCaller(t *testing.T) {
	forEachBackendAs(t, func(t *testing.T, a *app, srv *httptest.Server, c *callers) {
		cases := []struct {
			caller, key       string
			decoded, raw, acc string // "" delivered, else the error code
		}{
			{"anonymous", "", "UNAUTHENTICATED", "UNAUTHENTICATED", "UNAUTHENTICATED"},
			{"partner without grants", c.none, "", "FORBIDDEN", "FORBIDDEN"},
			{"partner with grants", c.full, "", "", "FORBIDDEN"},
			{"partner with expired grants", c.expired, "", "FORBIDDEN", "FORBIDDEN"},
			{"suspended partner", c.suspended, "FORBIDDEN", "FORBIDDEN", "FORBIDDEN"},
			{"administrator", c.admin, "", "", ""},
		}
		for _, cs := range cases {
			r := postAs(t, srv.URL, cs.key, mixedQuery, nil)
			if r.Status != http.StatusOK {
				t.Fatalf("%s: status %d %s", cs.caller, r.Status, r.Raw)
			}
			if dig(r.Data, "latestEarthquake", "magnitude") == nil || dig(r.Data, "stationByWmo", "name") != "OCNA SUGATAG" {
				t.Errorf("%s: open data not delivered: %s", cs.caller, r.Raw)
			}
			// The observation itself is visible whenever decoded values are.
			obsWant := cs.decoded
			if cs.raw == "" {
				obsWant = ""
			}
			checks := map[string]struct {
				path []string
				want string
			}{
				"observation": {[]string{"stationByWmo", "latestObservation"}, obsWant},
				"decoded":     {[]string{"stationByWmo", "latestObservation", "decoded"}, cs.decoded},
				"raw":         {[]string{"stationByWmo", "latestObservation", "raw"}, cs.raw},
				"accounts":    {[]string{"accounts"}, cs.acc},
			}
			for name, ck := range checks {
				if name != "observation" && obsWant != "" && name != "accounts" {
					continue // denied above; nothing below is reached
				}
				got := codeAt(r, stepsOf(ck.path))
				if got != ck.want {
					t.Errorf("%s, %s: got %q, want %q\n%s", cs.caller, name, got, ck.want, r.Raw)
				}
			}
			for _, e := range r.Errors {
				if c, _ := e.Extensions["code"].(string); c == "FORBIDDEN" && e.Extensions["dataset"] == nil && e.Extensions["requiredRoles"] == nil {
					t.Errorf("%s: FORBIDDEN without the dataset or role it needs: %v", cs.caller, e)
				}
			}
		}
	})
}

func stepsOf(path []string) []step {
	out := make([]step, len(path))
	for i, p := range path {
		out[i] = step{field: p}
	}
	return out
}

// TestBadKeysAreRefused: a key that is not a valid, current key is refused
// with 401 and a message saying why; it is never served as anonymous.
func TestBadKeysAreRefused(t *testing.T) {
	a, srv := startApp(t, testConfig(t, "sqlite"))
	c := &callers{}
	if err := c.setUp(a); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	acct, _ := a.Store.CreateAccount(ctx, testActor, mkg.AccountInput{Organisation: "Soon gone", ContactName: "X", ContactEmail: "x@example.org", Application: mkg.ClientApplication{Name: "x"}})
	revokedKey, k, _ := a.Store.IssueKey(ctx, testActor, acct.ID, "", nil)
	a.Store.RevokeKey(ctx, testActor, k.ID, "test")
	acct2, _ := a.Store.CreateAccount(ctx, testActor, mkg.AccountInput{Organisation: "Revoked org", ContactName: "X", ContactEmail: "x@example.org", Application: mkg.ClientApplication{Name: "x"}})
	revokedAcctKey, _, _ := a.Store.IssueKey(ctx, testActor, acct2.ID, "", nil)
	a.Store.SetAccountStatus(ctx, testActor, acct2.ID, mkg.AccountRevoked, "agreement ended")
	unknown, _, _ := mkg.NewAPIKey()
	cases := map[string]struct{ header, want string }{
		"malformed header": {"Token abc", "Bearer"},
		"not a key":        {"Bearer hunter2", "not an MKG Graph API key"},
		"unknown key":      {"Bearer " + unknown, "unknown API key"},
		"revoked key":      {"Bearer " + revokedKey, "was revoked"},
		"revoked account":  {"Bearer " + revokedAcctKey, "revoked"},
	}
	for name, cs := range cases {
		req, _ := http.NewRequest(http.MethodPost, srv.URL+"/graphql", strings.NewReader(`{"query":"{ latestEarthquake { magnitude } }"}`))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", cs.header)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		r := decode(t, resp)
		if r.Status != http.StatusUnauthorized || r.code(0) != "UNAUTHENTICATED" || !strings.Contains(r.Errors[0].Message, cs.want) || r.Data != nil {
			t.Errorf("%s: %d %s; want 401 mentioning %q and no data", name, r.Status, r.Raw, cs.want)
		}
		if resp.Header.Get("WWW-Authenticate") == "" {
			t.Errorf("%s: no WWW-Authenticate header", name)
		}
	}
}

// TestFloodOfBadKeys: a client sending many bad keys is turned away with
// 429 without a key lookup each (the access version is in memory; the index
// of current keys is read once), while requests without a key still pass.
func TestFloodOfBadKeys(t *testing.T) {
	a, srv := startApp(t, testConfig(t, "sqlite"))
	send := func(n int) (last int) {
		for range n {
			key, _, _ := mkg.NewAPIKey()
			last = postAs(t, srv.URL, key, `{ viewer { anonymous } }`, nil).Status
		}
		return last
	}
	if status := send(20); status != http.StatusUnauthorized {
		t.Fatalf("20th bad key: %d, want 401", status)
	}
	settle(a)
	before := a.Store.Statements()
	if status := send(40); status != http.StatusTooManyRequests {
		t.Errorf("bad keys after the 20th: %d, want 429", status)
	}
	if n := a.Store.Statements() - before; n > 2 {
		t.Errorf("40 bad keys from a blocked client cost %d statements, want at most 2 (the index of current keys, a late read of the generations)", n)
	}
	if r := post(t, srv.URL, `{ latestEarthquake { magnitude } }`, nil); r.Status != http.StatusOK {
		t.Errorf("anonymous request during the block: %d", r.Status)
	}
}

// TestKeysAreNeverLogged sends good and bad keys and reads every log line
// the server wrote.
func TestKeysAreNeverLogged(t *testing.T) {
	var logs bytes.Buffer
	cfg := testConfig(t, "sqlite")
	a, err := newApp(context.Background(), cfg, slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug})))
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	srv := httptest.NewServer(a.Handler)
	defer srv.Close()
	c := &callers{}
	if err := c.setUp(a); err != nil {
		t.Fatal(err)
	}
	bad, _, _ := mkg.NewAPIKey()
	for _, key := range []string{c.full, c.admin, bad} {
		postAs(t, srv.URL, key, mixedQuery, nil)
	}
	// The secret is what follows the public prefix (it may itself hold "_").
	secret := func(k string) string {
		prefix, ok := mkg.KeyPrefix(k)
		if !ok {
			t.Fatalf("not a key: %.12s…", k)
		}
		return k[len(prefix)+1:]
	}
	for _, key := range []string{c.full, c.admin, bad} {
		if strings.Contains(logs.String(), secret(key)) || strings.Contains(logs.String(), mkg.HashAPIKey(key)) {
			t.Fatalf("a key or its hash appears in the log")
		}
	}
	if !strings.Contains(logs.String(), `"key":"mkg_`) {
		t.Errorf("request log lines should name the key by its public prefix")
	}
	// Download links work for whoever holds them: fetched, they are not
	// logged either.
	link := dig(mustData(t, postAs(t, srv.URL, c.full, `{ radarScans(first: 1) { edges { node { download { url } } } } }`, nil)),
		"radarScans", "edges", 0, "node", "download", "url").(string)
	if r, _ := fetch(t, srv.URL, link); r.StatusCode != 200 {
		t.Fatalf("download: %d", r.StatusCode)
	}
	if token := strings.TrimPrefix(link, "/downloads/"); strings.Contains(logs.String(), token[len(token)-20:]) {
		t.Fatalf("a download link appears in the log")
	}
	if !strings.Contains(logs.String(), `"path":"/downloads/(link)"`) {
		t.Errorf("the download request should be logged without its link")
	}
}

// TestAdminAPI runs an account's life through the GraphQL admin API, and
// checks that each change is in force on the next request and recorded.
func TestAdminAPI(t *testing.T) {
	for _, backend := range []string{"sqlite", "postgres"} {
		t.Run(backend, func(t *testing.T) {
			a, srv := startApp(t, testConfig(t, backend))
			c := &callers{}
			if err := c.setUp(a); err != nil {
				t.Fatal(err)
			}
			admin := func(q string, vars map[string]any) map[string]any {
				t.Helper()
				return mustData(t, postAs(t, srv.URL, c.admin, q, vars))
			}
			d := admin(`mutation { createAccount(input: {organisation: "Universitas Indonesia", contactName: "Dr. Sari", contactEmail: "sari@ui.ac.id",
				application: {name: "Flood early warning", platform: "server", callsPerDay: 2000}}) { id status } }`, nil)
			id := dig(d, "createAccount", "id").(string)
			d = admin(`mutation($id: ID!) { issueApiKey(accountId: $id, label: "prod") { key apiKey { id prefix active } } }`, map[string]any{"id": id})
			key := dig(d, "issueApiKey", "key").(string)
			keyID := dig(d, "issueApiKey", "apiKey", "id").(string)
			if !strings.HasPrefix(key, dig(d, "issueApiKey", "apiKey", "prefix").(string)+"_") {
				t.Fatalf("key %q does not start with its prefix", key)
			}
			raw := `{ stationByWmo(wmoIndex: "15015") { latestObservation { raw { text } } } }`
			if r := postAs(t, srv.URL, key, raw, nil); r.code(0) != "FORBIDDEN" {
				t.Errorf("before the grant: %s", r.Raw)
			}
			admin(`mutation($id: ID!) { grantDataset(accountId: $id, dataset: "SYNOP_L1") { grants { dataset active } } }`, map[string]any{"id": id})
			if r := postAs(t, srv.URL, key, raw, nil); len(r.Errors) > 0 {
				t.Errorf("the grant is not in force on the next request: %s", r.Raw)
			}
			v := mustData(t, postAs(t, srv.URL, key, `{ viewer { anonymous keyPrefix account { organisation grants { dataset } } rights { dataset allowed reason } } }`, nil))
			rights := map[string]bool{}
			for _, r := range dig(v, "viewer", "rights").([]any) {
				rights[r.(map[string]any)["dataset"].(string)] = r.(map[string]any)["allowed"].(bool)
			}
			if dig(v, "viewer", "account", "organisation") != "Universitas Indonesia" || !rights["SYNOP_L1"] || rights["LIGHTNING"] || !rights["SYNOP_L2"] {
				t.Errorf("viewer = %v", v)
			}
			// Bad input names the argument.
			bad := []struct{ q, field string }{
				{`mutation($id: ID!) { grantDataset(accountId: $id, dataset: "SYNOP_L9") { id } }`, "dataset"},
				{`mutation($id: ID!) { grantDataset(accountId: $id, dataset: "SYNOP_L1") { id } }`, "dataset"},
				{`mutation($id: ID!) { grantDataset(accountId: $id, dataset: "LIGHTNING", expiresAt: "2001-01-01T00:00:00Z") { id } }`, "expiresAt"},
				{`mutation { setDatasetClassification(dataset: "SYNOP_L1", classification: "SECRET") { dataset } }`, "classification"},
				{`mutation { createAccount(input: {organisation: "", contactName: "a", contactEmail: "a@b.co", application: {name: "x"}}) { id } }`, "input.organisation"},
				{`mutation { createAccount(input: {organisation: "o", contactName: "a", contactEmail: "nope", application: {name: "x"}}) { id } }`, "input.contactEmail"},
			}
			for _, b := range bad {
				r := postAs(t, srv.URL, c.admin, b.q, map[string]any{"id": id})
				if r.code(0) != "BAD_USER_INPUT" || r.Errors[0].Extensions["field"] != b.field {
					t.Errorf("%s: %s; want BAD_USER_INPUT on %s", b.q, r.Raw, b.field)
				}
			}
			// Rotation: the old key is refused from the next request, the new one works.
			d = admin(`mutation($k: ID!) { rotateApiKey(id: $k) { key } }`, map[string]any{"k": keyID})
			newKey := dig(d, "rotateApiKey", "key").(string)
			if r := postAs(t, srv.URL, key, `{ viewer { anonymous } }`, nil); r.Status != http.StatusUnauthorized {
				t.Errorf("old key after rotation: %d", r.Status)
			}
			if r := postAs(t, srv.URL, newKey, raw, nil); len(r.Errors) > 0 {
				t.Errorf("new key: %s", r.Raw)
			}
			// Suspension: the key still identifies the account, which sees open data only.
			admin(`mutation($id: ID!) { setAccountStatus(id: $id, status: SUSPENDED, reason: "unpaid") { status } }`, map[string]any{"id": id})
			if r := postAs(t, srv.URL, newKey, raw+` `, nil); r.code(0) != "FORBIDDEN" || !strings.Contains(r.Errors[0].Message, "suspended") {
				t.Errorf("suspended: %s", r.Raw)
			}
			// Classification: RESTRICTED earthquakes are refused to anonymous callers at once (caches included).
			post(t, srv.URL, `{ latestEarthquake { magnitude } }`, nil)
			admin(`mutation { setDatasetClassification(dataset: "EARTHQUAKE", classification: "RESTRICTED") { classification } }`, nil)
			if r := post(t, srv.URL, `{ latestEarthquake { magnitude } }`, nil); r.code(0) != "UNAUTHENTICATED" {
				t.Errorf("anonymous after EARTHQUAKE became RESTRICTED: %s", r.Raw)
			}
			if r := postAs(t, srv.URL, c.full, `{ latestEarthquake { magnitude } }`, nil); len(r.Errors) > 0 {
				t.Errorf("granted partner after EARTHQUAKE became RESTRICTED: %s", r.Raw)
			}
			// Revocation is final and refuses the key.
			admin(`mutation($id: ID!) { setAccountStatus(id: $id, status: REVOKED, reason: "agreement ended") { status } }`, map[string]any{"id": id})
			if r := postAs(t, srv.URL, newKey, `{ viewer { anonymous } }`, nil); r.Status != http.StatusUnauthorized {
				t.Errorf("key of a revoked account: %d", r.Status)
			}
			if r := postAs(t, srv.URL, c.admin, `mutation($id: ID!) { grantDataset(accountId: $id, dataset: "LIGHTNING") { id } }`, map[string]any{"id": id}); r.code(0) != "BAD_USER_INPUT" || r.Errors[0].Extensions["field"] != "accountId" {
				t.Errorf("grant to a revoked account: %s", r.Raw)
			}
			// Every change is in the audit log, with who made it.
			d = admin(`{ auditLog(first: 50) { edges { node { action actor actorAccount { organisation } targetType details } } } }`, nil)
			log := fmt.Sprint(d)
			for _, action := range []string{"account.create", "key.issue", "grant.add", "key.rotate", "account.status", "dataset.classify"} {
				if !strings.Contains(log, action) {
					t.Errorf("audit log lacks %s", action)
				}
			}
			if !strings.Contains(log, "Agency administration") {
				t.Errorf("audit log does not name the admin: %s", log)
			}
			if strings.Contains(log, newKey[len(newKey)-20:]) || strings.Contains(log, key[len(key)-20:]) {
				t.Errorf("audit log contains a key")
			}
			d = admin(`{ accounts(filter: {search: "universitas"}) { totalCount edges { node { organisation status apiKeys { prefix active } } } } }`, nil)
			if dig(d, "accounts", "totalCount") != float64(1) || dig(d, "accounts", "edges", 0, "node", "status") != "REVOKED" {
				t.Errorf("accounts = %v", d)
			}
		})
	}
}

// TestAdminChangesReachEveryInstance: two instances share the database
// (and Redis, or each its own in-process cache); a revocation and a
// classification change made through one are in force on its own next
// request and on the other's within a second, although both had cached the
// state before.
func TestAdminChangesReachEveryInstance(t *testing.T) {
	t.Run("sqlite, redis", func(t *testing.T) {
		redisURL, prefix := testenv.RedisURL(t)
		changesReachEveryInstance(t, "sqlite", redisURL, prefix)
	})
	t.Run("sqlite, in-process caches", func(t *testing.T) { changesReachEveryInstance(t, "sqlite", "", "") })
	t.Run("postgres, redis", func(t *testing.T) {
		redisURL, prefix := testenv.RedisURL(t)
		changesReachEveryInstance(t, "postgres", redisURL, prefix)
	})
}

func changesReachEveryInstance(t *testing.T, backend, redisURL, prefix string) {
	shared := testConfig(t, backend)
	shared.SQLitePath = filepath.Join(t.TempDir(), "shared.db")
	start := func(demo string) (*app, string) {
		cfg := testConfig(t, backend)
		cfg.SQLitePath, cfg.DatabaseURL, cfg.DemoData, cfg.RedisURL, cfg.RedisPrefix = shared.SQLitePath, shared.DatabaseURL, demo, redisURL, prefix
		a, srv := startApp(t, cfg)
		return a, srv.URL
	}
	a, urlA := start("true")
	_, urlB := start("false")
	c := &callers{}
	if err := c.setUp(a); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	key, k, _ := a.Store.IssueKey(ctx, testActor, c.partnerAccount, "second", nil)
	q := `{ latestEarthquake { magnitude } }`
	for _, u := range []string{urlA, urlB} {
		if r := postAs(t, u, key, q, nil); len(r.Errors) > 0 {
			t.Fatalf("before: %s", r.Raw)
		}
		post(t, u, q, nil)
	}
	mustData(t, postAs(t, urlA, c.admin, fmt.Sprintf(`mutation { revokeApiKey(id: "%s", reason: "leaked") { revokedAt } }`, keyID(k.ID)), nil))
	if r := postAs(t, urlA, key, q, nil); r.Status != http.StatusUnauthorized {
		t.Errorf("instance A still accepts the key revoked through it: %d %s", r.Status, r.Raw)
	}
	withinASecond(t, "instance B refuses the key revoked through A", func() bool {
		return postAs(t, urlB, key, q, nil).Status == http.StatusUnauthorized
	})
	mustData(t, postAs(t, urlA, c.admin, `mutation { setDatasetClassification(dataset: "EARTHQUAKE", classification: "REGISTERED") { classification } }`, nil))
	if r := post(t, urlA, q, nil); r.code(0) != "UNAUTHENTICATED" {
		t.Errorf("instance A still serves EARTHQUAKE to anonymous callers after restricting it: %s", r.Raw)
	}
	withinASecond(t, "instance B stops serving EARTHQUAKE to anonymous callers after A restricted it", func() bool {
		return post(t, urlB, q, nil).code(0) == "UNAUTHENTICATED"
	})
}

// withinASecond fails the test unless cond holds within a second of the
// call: how soon a change made through one instance is in force on others.
func withinASecond(t *testing.T, what string, cond func() bool) {
	t.Helper()
	start := time.Now()
	for !cond() {
		if time.Since(start) > time.Second {
			t.Errorf("%s: not within a second", what)
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Logf("%s: after %v", what, time.Since(start).Round(time.Millisecond))
}

func keyID(id int64) string { return nodeID("ApiKey", id) }

func TestCreateAdminCommand(t *testing.T) {
	db := filepath.Join(t.TempDir(), "admin.db")
	code, out, errOut := runCLI(t, nil, "create-admin", "--sqlite-path", db, "--log-level", "error",
		"-organisation", "BMKG Pusdatin", "-name", "Admin Satu", "-email", "admin@bmkg.go.id")
	if code != 0 || !strings.Contains(out, "API key (shown once") {
		t.Fatalf("create-admin: %d %q %q", code, out, errOut)
	}
	var key string
	for _, f := range strings.Fields(out) {
		if strings.HasPrefix(f, "mkg_") && len(f) > 20 {
			key = f
			break
		}
	}
	cfg := testConfig(t, "sqlite")
	cfg.SQLitePath, cfg.DemoData = db, "false"
	_, srv := startApp(t, cfg)
	d := mustData(t, postAs(t, srv.URL, key, `{ viewer { roles account { organisation } } auditLog(first: 5) { edges { node { action actor } } } }`, nil))
	if fmt.Sprint(dig(d, "viewer", "roles")) != "[ADMIN]" || !strings.Contains(fmt.Sprint(d), "create-admin") {
		t.Errorf("the created admin: %v", d)
	}
	if code, _, errOut := runCLI(t, nil, "create-admin", "--sqlite-path", db, "-organisation", "X", "-name", "Y", "-email", "bad"); code == 0 || !strings.Contains(errOut, "-email") {
		t.Errorf("bad e-mail: %d %s", code, errOut)
	}
}

// TestCachesAreKeyedByRights: a cached read is reused by callers with the
// same rights, and never served to a caller with other rights.
func TestCachesAreKeyedByRights(t *testing.T) {
	a, srv := startApp(t, testConfig(t, "sqlite"))
	c := &callers{}
	if err := c.setUp(a); err != nil {
		t.Fatal(err)
	}
	q := `{ stations(first: 3) { totalCount edges { node { name } } } }`
	for _, key := range []string{c.full, c.none, c.admin, ""} {
		postAs(t, srv.URL, key, `{ viewer { anonymous } }`, nil) // authenticate (and cache the key) first
	}
	cost := func(key string) int64 {
		settle(a)
		before := a.Store.Statements()
		mustData(t, postAs(t, srv.URL, key, q, nil))
		return a.Store.Statements() - before
	}
	if n := cost(c.full); n == 0 {
		t.Fatalf("first read cost no statement")
	}
	// A cached read costs no statement: the access version and the
	// stations generation are in memory.
	if n := fewest(func() int64 { return cost(c.full) }); n != 0 {
		t.Errorf("same caller again: %d statements, want none (cached)", n)
	}
	if n := fewest(func() int64 { return cost(c.admin) }); n != 0 {
		t.Errorf("a caller with the same rights: %d statements, want none (same fingerprint)", n)
	}
	if n := cost(c.none); n < 1 {
		t.Errorf("a caller with other rights was served the other caller's cached entry")
	}
	if n := cost(""); n < 1 {
		t.Errorf("an anonymous caller was served a partner's cached entry")
	}
}
