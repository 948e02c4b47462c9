package httpapi

import (
	"bytes"
	"encoding/json"
	"net/http"
	"testing"
	"time"

	"github.com/bmkg/mkggraph/graph"
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

// TestAppendCost: the cost written without reflection is what
// encoding/json writes of graph.CostExtension, allowed or refused.
func TestAppendCost(t *testing.T) {
	at := time.Date(2026, 3, 2, 10, 1, 0, 0, time.FixedZone("WIB", 7*3600))
	for _, s := range []mkg.QuotaState{
		{Allowed: true, Requested: 12, Limit: 100, Used: 30, Remaining: 70, Window: "minute", ResetAt: at},
		{Requested: 5000, Limit: 2_000_000_000, Used: 1_999_999_999, Remaining: 1, Window: "day", ResetAt: at, NeverFits: true},
		{Allowed: true, Window: "minute"},
	} {
		want, _ := json.Marshal(graph.CostExtension(s))
		if got := appendCost(nil, s); string(got) != string(want) {
			t.Errorf("appendCost(%+v)\n got %s\nwant %s", s, got, want)
		}
	}
}

// TestCostTemplate: a template joined with costs is the body withCosts
// made by decoding and encoding it (the way every hit was answered before
// templates), for one response and a batch; a body holding the placeholder
// is refused, not answered wrong.
func TestCostTemplate(t *testing.T) {
	s := mkg.QuotaState{Allowed: true, Limit: 100, Used: 30, Remaining: 70, Window: "minute",
		ResetAt: time.Date(2026, 3, 2, 10, 1, 0, 0, time.UTC)}
	for _, c := range []struct {
		body  string
		costs []int64
	}{
		{`{"data":{"a":"<b>&"},"extensions":{"cost":{"requested":9},"other":true}}` + "\n", []int64{12}},
		{`{"errors":[{"message":"x"}],"data":null}`, []int64{0}},
		{`[{"data":{"a":1}},{"data":{"b":2},"extensions":{"z":[1,2]}}]`, []int64{3, 4}},
	} {
		parts, err := costTemplate([]byte(c.body))
		if err != nil {
			t.Fatal(err)
		}
		want, err := decodedWithCosts([]byte(c.body), c.costs, s)
		if err != nil {
			t.Fatal(err)
		}
		if got := joinCosts(parts, c.costs, s); string(got) != string(want) {
			t.Errorf("%s:\n got %s\nwant %s", c.body, got, want)
		}
	}
	if _, err := costTemplate([]byte(`{"data":{"a":"` + costPlaceholder + `0"}}`)); err == nil {
		t.Error("a body holding the placeholder made a template")
	}
}

// decodedWithCosts is withCosts as it was before templates: the body
// decoded, given its costs, encoded again.
func decodedWithCosts(body []byte, costs []int64, s mkg.QuotaState) ([]byte, error) {
	one := body[0] == '{'
	var items []map[string]json.RawMessage
	if one {
		items = make([]map[string]json.RawMessage, 1)
		if err := json.Unmarshal(body, &items[0]); err != nil {
			return nil, err
		}
	} else if err := json.Unmarshal(body, &items); err != nil {
		return nil, err
	}
	for i, item := range items {
		ext := map[string]json.RawMessage{}
		if raw, ok := item["extensions"]; ok {
			if err := json.Unmarshal(raw, &ext); err != nil {
				return nil, err
			}
		}
		op := s
		op.Requested = costs[i]
		ext["cost"], _ = json.Marshal(graph.CostExtension(op))
		item["extensions"], _ = json.Marshal(ext)
	}
	var out bytes.Buffer
	enc := json.NewEncoder(&out)
	var err error
	if one {
		err = enc.Encode(items[0])
	} else {
		err = enc.Encode(items)
	}
	return out.Bytes(), err
}
