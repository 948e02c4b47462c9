package main

import (
	"context"
	"net/http"
	"strings"
	"testing"

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
