package httpapi

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"math"
	"net/http"
	"strconv"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/bmkg/mkggraph/graph"
	"github.com/bmkg/mkggraph/mkg"
)

// meter tells a client what its request cost: extensions.cost in each
// response and the X-RateLimit-* headers, from the charge the executor made
// (graph.Bill), or from a read of the budget when nothing was charged (the
// request failed before its cost was known). A refused request is 429 with
// Retry-After.
type meter struct {
	policy *mkg.QuotaPolicy // nil: no quotas
}

// withBill gives each request a bill the executor writes its charges to.
func withBill(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx, _ := graph.WithBill(r.Context())
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

// settle adds the operation's charge to resp and the headers, and returns
// the status to answer with: 429 when the budget refused the operation,
// else status.
func (m meter) settle(w http.ResponseWriter, r *http.Request, resp *graphql.Response, status int) int {
	if m.policy == nil {
		return status
	}
	s, charged := graph.BillFrom(r.Context()).Take()
	if !charged {
		var err error
		if s, err = m.policy.Charge(r.Context(), mkg.PrincipalFrom(r.Context()), mkg.ClientFrom(r.Context()), 0); err != nil {
			return status
		}
	}
	if resp.Extensions == nil {
		resp.Extensions = map[string]any{}
	}
	resp.Extensions["cost"] = graph.CostExtension(s)
	rateLimitHeaders(w.Header(), s)
	if !s.Allowed {
		return http.StatusTooManyRequests
	}
	return status
}

// rateLimitHeaders sets the X-RateLimit-* headers (GitHub's names: the
// binding window's limit, what is left and used of it, and its end in
// Unix seconds), and Retry-After when s was refused (left in place by the
// later operations of a batch).
func rateLimitHeaders(h http.Header, s mkg.QuotaState) {
	h.Set("X-RateLimit-Limit", strconv.FormatInt(s.Limit, 10))
	h.Set("X-RateLimit-Remaining", strconv.FormatInt(s.Remaining, 10))
	h.Set("X-RateLimit-Used", strconv.FormatInt(s.Used, 10))
	h.Set("X-RateLimit-Reset", strconv.FormatInt(s.ResetAt.Unix(), 10))
	if !s.Allowed { // kept once set: a batch with a refused operation says when to retry it
		h.Set("Retry-After", strconv.Itoa(int(math.Ceil(s.RetryAfter.Seconds()))))
	}
}

// settleCached charges an answer from the response cache as if it had run:
// its operations' requested costs, together (an answer from memory costs
// the server less, but a cost that depended on whether another client
// asked first would be neither predictable nor fair, and the cache would
// become a way around the budget). It returns the stored body with each
// response's extensions.cost made for this request, or answers the
// request itself (429, or 500 for a body it cannot read) and returns
// false.
func (m meter) settleCached(w http.ResponseWriter, r *http.Request, e *cachedResponse) ([]byte, bool) {
	if m.policy == nil {
		return e.body, true
	}
	total := int64(0)
	for _, c := range e.costs {
		total += c
	}
	ctx := r.Context()
	s, err := m.policy.Charge(ctx, mkg.PrincipalFrom(ctx), mkg.ClientFrom(ctx), total)
	if err != nil {
		return e.body, true // the store never fails (cache.Quotas); if it did, the answer is not withheld
	}
	rateLimitHeaders(w.Header(), s)
	if !s.Allowed {
		media, ok := responseMedia(r)
		if !ok {
			media = mediaJSON
		}
		resp := &graphql.Response{Errors: gqlerror.List{graph.RateLimited(s)},
			Extensions: map[string]any{"cost": graph.CostExtension(s)}}
		writeResponse(w, media, http.StatusTooManyRequests, resp)
		return nil, false
	}
	parts := e.parts
	if parts == nil {
		if parts, err = costTemplate(e.body); err != nil {
			writeError(w, r, http.StatusInternalServerError, "INTERNAL", "the stored answer could not be read")
			return nil, false
		}
	}
	return joinCosts(parts, e.costs, s), true
}

// withCosts rewrites a stored body (one response, or a batch's array)
// with extensions.cost: each operation's own requested cost, and what is
// left after the whole request.
func withCosts(body []byte, costs []int64, s mkg.QuotaState) ([]byte, error) {
	parts, err := costTemplate(body)
	if err != nil {
		return nil, err
	}
	return joinCosts(parts, costs, s), nil
}

// costPlaceholder marks where an operation's extensions.cost goes in a
// template: a JSON string no answer holds (it carries a random number of
// this process), checked to occur once.
var costPlaceholder = func() string {
	b := make([]byte, 16)
	rand.Read(b)
	return "mkg-cost-" + hex.EncodeToString(b) + "-"
}()

// costTemplate splits a stored body (one response, or a batch's array)
// around each operation's extensions.cost, so that an answer from the
// response cache joins the pieces with its own costs (joinCosts) instead
// of decoding and encoding the body on every hit (that was a fifth of a
// hit's CPU). parts[i] goes before operation i's cost; the last part after
// the last cost. Its other extensions and its data are kept as they are.
func costTemplate(body []byte) (parts [][]byte, err error) {
	one := len(body) > 0 && body[0] == '{'
	var items []map[string]json.RawMessage
	if one {
		items = make([]map[string]json.RawMessage, 1)
		err = json.Unmarshal(body, &items[0])
	} else {
		err = json.Unmarshal(body, &items)
	}
	if err != nil {
		return nil, err
	}
	marks := make([][]byte, len(items))
	for i, item := range items {
		ext := map[string]json.RawMessage{}
		if raw, ok := item["extensions"]; ok {
			if err := json.Unmarshal(raw, &ext); err != nil {
				return nil, err
			}
		}
		marks[i] = []byte(`"` + costPlaceholder + strconv.Itoa(i) + `"`)
		ext["cost"] = marks[i]
		item["extensions"], _ = json.Marshal(ext)
	}
	var out bytes.Buffer
	enc := json.NewEncoder(&out)
	if one {
		err = enc.Encode(items[0])
	} else {
		err = enc.Encode(items)
	}
	if err != nil {
		return nil, err
	}
	rest := out.Bytes()
	for _, mark := range marks {
		if bytes.Count(rest, mark) != 1 {
			return nil, errors.New("httpapi: a stored answer holds a cost placeholder")
		}
		before, after, _ := bytes.Cut(rest, mark)
		parts = append(parts, before)
		rest = after
	}
	return append(parts, rest), nil
}

// joinCosts makes the body of a template (costTemplate) with each
// operation's own requested cost, and what is left after the whole request.
func joinCosts(parts [][]byte, costs []int64, s mkg.QuotaState) []byte {
	n := 0
	for _, p := range parts {
		n += len(p) + 128
	}
	out := make([]byte, 0, n)
	for i, p := range parts {
		out = append(out, p...)
		if i == len(parts)-1 {
			break
		}
		op := s
		op.Requested = 0
		if i < len(costs) {
			op.Requested = costs[i]
		}
		out = appendCost(out, op)
	}
	return out
}

// appendCost appends graph.CostExtension(s) as encoding/json writes it
// (its keys sorted), without reflection: TestAppendCost holds them equal.
func appendCost(out []byte, s mkg.QuotaState) []byte {
	actual := s.Requested
	if !s.Allowed {
		actual = 0
	}
	out = strconv.AppendInt(append(out, `{"actual":`...), actual, 10)
	out = strconv.AppendInt(append(out, `,"limit":`...), s.Limit, 10)
	out = strconv.AppendInt(append(out, `,"remaining":`...), s.Remaining, 10)
	out = strconv.AppendInt(append(out, `,"requested":`...), s.Requested, 10)
	out = s.ResetAt.UTC().AppendFormat(append(out, `,"resetAt":"`...), time.RFC3339)
	out = strconv.AppendQuote(append(out, `","window":`...), s.Window) // "minute" or "day"
	return append(out, '}')
}
