package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"net/url"
	"path/filepath"
	"testing"

	"github.com/bmkg/mkggraph/internal/testenv"
	"github.com/bmkg/mkggraph/internal/testsvc"
)

// persisted sends an automatic persisted query: its hash, with the query
// when query is not empty, by POST or (get) by GET as mobile apps do.
func persisted(t *testing.T, base, query, hash string, get bool) *gqlResponse {
	t.Helper()
	ext := map[string]any{"persistedQuery": map[string]any{"version": 1, "sha256Hash": hash}}
	var resp *http.Response
	var err error
	if get {
		e, _ := json.Marshal(ext)
		q := url.Values{"extensions": {string(e)}}
		if query != "" {
			q.Set("query", query)
		}
		resp, err = http.Get(base + "/graphql?" + q.Encode())
	} else {
		body := map[string]any{"extensions": ext}
		if query != "" {
			body["query"] = query
		}
		b, _ := json.Marshal(body)
		resp, err = http.Post(base+"/graphql", "application/json", bytes.NewReader(b))
	}
	if err != nil {
		t.Fatal(err)
	}
	return decode(t, resp)
}

func sha256Hex(s string) string { sum := sha256.Sum256([]byte(s)); return hex.EncodeToString(sum[:]) }

func errorCode(r *gqlResponse) string {
	if len(r.Errors) == 0 {
		return ""
	}
	c, _ := r.Errors[0].Extensions["code"].(string)
	return c
}

// TestPersistedQueriesSharedThroughRedis: a query registered (sent with
// its hash) on one instance is then known by its hash alone on another
// instance on the same Redis, by POST and by GET; and an instance whose
// Redis died still answers the hashes it was sent and registers new ones
// for itself.
func TestPersistedQueriesSharedThroughRedis(t *testing.T) {
	redisURL, prefix := testenv.RedisURL(t)
	dbPath := filepath.Join(t.TempDir(), "shared.db")
	instance := func(redisURL string) string {
		cfg := testConfig(t, "sqlite")
		cfg.SQLitePath, cfg.DemoData = dbPath, "false"
		cfg.RedisURL, cfg.RedisPrefix = redisURL, prefix
		_, srv := startApp(t, cfg)
		return srv.URL
	}
	a, b := instance(redisURL), instance(redisURL)
	query := `query Count { stations(filter: {kinds: [SYNOPTIC]}) { totalCount } }`
	hash := sha256Hex(query)

	if r := persisted(t, b, "", hash, false); errorCode(r) != "PERSISTED_QUERY_NOT_FOUND" {
		t.Fatalf("a hash nobody was sent: %s; want PERSISTED_QUERY_NOT_FOUND", r.Raw)
	}
	mustData(t, persisted(t, a, query, hash, false)) // registered with A
	for _, get := range []bool{false, true} {
		r := persisted(t, b, "", hash, get)
		if n, ok := dig(mustData(t, r), "stations", "totalCount").(float64); !ok || n != 0 {
			t.Errorf("B answered A's hash (GET %v) with %s", get, r.Raw)
		}
	}
	if r := persisted(t, b, query+" ", hash, false); len(r.Errors) == 0 {
		t.Errorf("a query that does not have its hash was accepted: %s", r.Raw)
	}

	// An instance on a Redis that dies: its own hashes still work, a new
	// one is registered in process memory, and no request fails.
	rd := testsvc.Redis(t)
	c := instance(rd.RedisURL(0))
	mustData(t, persisted(t, c, query, hash, false))
	rd.Kill()
	mustData(t, persisted(t, c, "", hash, false))
	other := `query Total { stations { totalCount } }`
	mustData(t, persisted(t, c, other, sha256Hex(other), true))
	mustData(t, persisted(t, c, "", sha256Hex(other), true))
}
