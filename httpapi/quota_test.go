package httpapi

import (
	"encoding/json"
	"net/http"
	"testing"
	"time"

	"github.com/bmkg/mkggraph/mkg"
)

// TestWithCosts: a stored answer, one response or a batch's, is given this
// request's extensions.cost, each operation its own requested cost, its
// data and other extensions untouched.
func TestWithCosts(t *testing.T) {
	s := mkg.QuotaState{Allowed: true, Limit: 100, Used: 30, Remaining: 70, Window: "minute",
		ResetAt: time.Date(2026, 3, 2, 10, 1, 0, 0, time.UTC)}
	one := []byte(`{"data":{"a":1},"extensions":{"cost":{"requested":9,"remaining":99},"other":true}}` + "\n")
	out, err := withCosts(one, []int64{12}, s)
	if err != nil {
		t.Fatal(err)
	}
	var got map[string]any
	if err := json.Unmarshal(out, &got); err != nil {
		t.Fatal(err)
	}
	cost := got["extensions"].(map[string]any)["cost"].(map[string]any)
	if cost["requested"] != 12.0 || cost["actual"] != 12.0 || cost["remaining"] != 70.0 || cost["resetAt"] != "2026-03-02T10:01:00Z" ||
		got["extensions"].(map[string]any)["other"] != true || got["data"].(map[string]any)["a"] != 1.0 {
		t.Errorf("one response: %s", out)
	}
	batch := []byte(`[{"data":{"a":1}},{"data":{"b":2}}]`)
	if out, err = withCosts(batch, []int64{3, 4}, s); err != nil {
		t.Fatal(err)
	}
	var items []struct {
		Data       map[string]any
		Extensions struct{ Cost map[string]any }
	}
	if err := json.Unmarshal(out, &items); err != nil || len(items) != 2 || items[0].Extensions.Cost["requested"] != 3.0 ||
		items[1].Extensions.Cost["requested"] != 4.0 || items[1].Data["b"] != 2.0 {
		t.Errorf("batch: %s (%v)", out, err)
	}
	if _, err := withCosts([]byte(`{"data":`), nil, s); err == nil {
		t.Error("a truncated body was rewritten")
	}
}

// TestRateLimitHeaders: the headers tell the binding window; Retry-After
// on a refusal, rounded up to a whole second, and kept when a later
// operation of the batch passes.
func TestRateLimitHeaders(t *testing.T) {
	h := http.Header{}
	reset := time.Unix(1_800_000_060, 0)
	rateLimitHeaders(h, mkg.QuotaState{Allowed: false, Limit: 100, Used: 95, Remaining: 5, ResetAt: reset, RetryAfter: 1500 * time.Millisecond})
	if h.Get("X-RateLimit-Limit") != "100" || h.Get("X-RateLimit-Remaining") != "5" || h.Get("X-RateLimit-Used") != "95" ||
		h.Get("X-RateLimit-Reset") != "1800000060" || h.Get("Retry-After") != "2" {
		t.Errorf("refused: %v", h)
	}
	rateLimitHeaders(h, mkg.QuotaState{Allowed: true, Limit: 100, Used: 96, Remaining: 4, ResetAt: reset})
	if h.Get("Retry-After") != "2" || h.Get("X-RateLimit-Remaining") != "4" {
		t.Errorf("allowed after a refusal in one batch: %v", h)
	}
	h = http.Header{}
	rateLimitHeaders(h, mkg.QuotaState{Allowed: true, Limit: 100, Used: 10, Remaining: 90, ResetAt: reset})
	if h.Get("Retry-After") != "" {
		t.Errorf("allowed: %v", h)
	}
}
