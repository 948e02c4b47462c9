package httpapi

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/bmkg/mkggraph/graph"
	"github.com/bmkg/mkggraph/inmem"
	"github.com/bmkg/mkggraph/internal/telemetry"
	"github.com/bmkg/mkggraph/mkg"
)

// ResponseCache answers a GraphQL request that repeats one already answered
// (same body or query string, same Accept, same caller scope) with the
// stored response, without running it, as long as the generations of the
// data it was built from have not moved. Only complete answers (no error)
// built entirely from resolvers graph.TrackDependencies knows are stored,
// and a request with "Cache-Control: no-cache" is always run;
// so a response that depends on the clock, the caller's identity or data
// no generation tracks is never stored. Responses are kept in this
// process's memory only.
//
// It also makes GET answers cacheable by HTTP caches (browsers, a CDN in
// front of the instances): an answer that could be stored carries an ETag
// and Cache-Control (public when every field is open to all, else private
// with Vary: Authorization; max-age from how often its data change, at
// most MaxAge), and a request whose If-None-Match names its ETag is
// answered 304 without a body. Other GET answers are "no-store".
type ResponseCache struct {
	Generations mkg.Generations
	// MaxBytes bounds the memory of the stored responses (0: none are
	// stored; GET answers still get their HTTP validators); MaxResponse
	// one response.
	MaxBytes, MaxResponse int
	// TTL bounds an entry's life (memory; freshness is the generations').
	TTL time.Duration
	// MaxAge is the longest max-age given to HTTP caches (0: they must
	// revalidate every time, cheaply with the ETag).
	MaxAge time.Duration
	// Lookups, when set, is told whether each request that could be
	// answered from memory was (the server's metrics, namespace
	// "response").
	Lookups func(namespace string, hit bool)

	store *inmem.Objects
}

// cachedResponse is a complete answer, the generations it was built at and
// how HTTP caches may keep it.
type cachedResponse struct {
	contentType string
	body        []byte
	generations map[string]int64
	operation   string   // the operation's name as counted (telemetry.Request)
	costs       []int64  // each operation's requested cost, charged again on every hit
	parts       [][]byte // the body around each operation's extensions.cost (costTemplate)
	etag        string
	restricted  bool // some field is not open to all: private to its caller
	// used and rows are what the answer used when it ran (mkg.Usage),
	// counted again on every hit.
	used int64
	rows map[mkg.Dataset]int64
}

// handler wraps next (the GraphQL handler, after authentication and the
// body limit).
func (c *ResponseCache) handler(next http.Handler, m meter) http.Handler {
	if c == nil || c.Generations == nil {
		return next
	}
	if c.MaxBytes > 0 {
		c.store = inmem.NewObjects(c.MaxBytes)
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		get := r.Method == http.MethodGet
		if c.store == nil && !get {
			next.ServeHTTP(w, r)
			return
		}
		key, ok := c.key(r)
		if !ok {
			next.ServeHTTP(w, r)
			return
		}
		// "Cache-Control: no-cache" asks for an answer made now (it is
		// still stored for the next request).
		fresh := strings.Contains(r.Header.Get("Cache-Control"), "no-cache")
		if c.store != nil {
			e, hit := c.lookup(r.Context(), key)
			if c.Lookups != nil && !fresh {
				c.Lookups("response", hit)
			}
			if hit && !fresh {
				if req := telemetry.From(r.Context()); req != nil {
					req.Operation = e.operation
				}
				graph.BillFrom(r.Context()).Reuse(e.used, e.rows)
				body, ok := m.settleCached(w, r, e) // charged as if it ran
				if !ok {
					return
				}
				w.Header().Set("X-Cache", "hit")
				c.write(w, r, e, body)
				return
			}
		}
		start := c.snapshot(r.Context())
		ctx, deps := graph.WithDependencies(r.Context())
		// A GET answer is held until it is complete: its headers depend
		// on it.
		rec := &capture{ResponseWriter: w, max: c.MaxResponse, status: http.StatusOK, hold: get}
		w.Header().Set("X-Cache", "miss")
		next.ServeHTTP(rec, r.WithContext(ctx))
		var e *cachedResponse
		if rec.status == http.StatusOK && !rec.overflow && start != nil {
			e = c.complete(r.Context(), deps, start, rec, get)
		}
		if get && !rec.overflow {
			if e != nil {
				c.write(w, r, e, rec.body.Bytes())
			} else {
				rec.release("no-store")
			}
		}
		if e != nil && c.store != nil {
			size := len(e.body) + len(key)
			if m.policy != nil { // every hit is given its own extensions.cost
				e.parts, _ = costTemplate(e.body) // nil: made on each hit, which answers 500 if it fails
				size += len(e.body)
			}
			c.store.Put(key, e, size, c.TTL)
		}
	})
}

// write answers with body, e's for this request (its extensions.cost is
// this request's); a GET also gets e's HTTP validators, and 304 when the
// client's copy is current. The ETag names the stored answer: the cost
// figures of a copy kept by an HTTP cache are those of the request that
// filled it.
func (c *ResponseCache) write(w http.ResponseWriter, r *http.Request, e *cachedResponse, body []byte) {
	h := w.Header()
	if r.Method == http.MethodGet {
		h.Set("ETag", e.etag)
		h.Set("Cache-Control", c.cacheControl(e))
		if e.restricted {
			h.Add("Vary", "Authorization")
		}
		h.Add("Vary", "Accept")
		if etagMatch(r.Header.Get("If-None-Match"), e.etag) {
			w.WriteHeader(http.StatusNotModified)
			return
		}
	}
	h.Set("Content-Type", e.contentType)
	// With its length known the answer goes out in one write, not as
	// chunks and a closing chunk (a third of a hit's CPU was those system
	// calls).
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.Write(body)
}

// cacheControl says how long HTTP caches may reuse e, and which.
func (c *ResponseCache) cacheControl(e *cachedResponse) string {
	names := make([]string, 0, len(e.generations))
	for n := range e.generations {
		names = append(names, n)
	}
	who := "public"
	if e.restricted {
		who = "private"
	}
	age := mkg.MaxAge(names, c.MaxAge)
	if age <= 0 {
		return who + ", no-cache"
	}
	return who + ", max-age=" + strconv.Itoa(int(age/time.Second))
}

// etagMatch reports whether an If-None-Match header names etag (or is "*").
// Weak and strong forms compare alike, as RFC 9110 asks for this header.
func etagMatch(header, etag string) bool {
	for t := range strings.SplitSeq(header, ",") {
		t = strings.TrimPrefix(strings.TrimSpace(t), "W/")
		if t == "*" || t == etag {
			return true
		}
	}
	return false
}

// key identifies a request: its method, what it accepts, its caller's
// scope and its body (POST) or query string (GET). Uploads are never
// cached.
func (c *ResponseCache) key(r *http.Request) (string, bool) {
	var body []byte
	switch r.Method {
	case http.MethodGet:
		body = []byte(r.URL.RawQuery)
	case http.MethodPost:
		if !strings.HasPrefix(r.Header.Get("Content-Type"), "application/json") || r.Body == nil {
			return "", false
		}
		b, err := io.ReadAll(r.Body) // already read into memory, and bounded, by limitBody
		if err != nil {
			return "", false
		}
		r.Body = io.NopCloser(bytes.NewReader(b))
		body = b
	default:
		return "", false
	}
	// The whole request, not a hash of it: no two requests share a key
	// (a key is counted in the cache's memory), and a lookup costs one
	// map hash instead of a SHA-256 of the body.
	var k strings.Builder
	scope := mkg.PrincipalFrom(r.Context()).Scope()
	accept := r.Header.Get("Accept")
	k.Grow(len(r.Method) + len(accept) + len(scope) + len(body) + 3)
	for _, part := range []string{r.Method, accept, scope} {
		k.WriteString(part)
		k.WriteByte(0)
	}
	k.Write(body)
	return k.String(), true
}

func (c *ResponseCache) lookup(ctx context.Context, key string) (*cachedResponse, bool) {
	v, ok := c.store.Get(key)
	if !ok {
		return nil, false
	}
	e := v.(*cachedResponse)
	for name, gen := range e.generations {
		if now, err := c.Generations.Generation(ctx, name); err != nil || now != gen {
			return nil, false
		}
	}
	return e, true
}

// snapshot reads every generation before the request runs: a response is
// stored under the generations it started at, and only if they have not
// moved by the time it is complete. nil when they cannot be read.
func (c *ResponseCache) snapshot(ctx context.Context) map[string]int64 {
	out := map[string]int64{}
	for _, name := range mkg.GenerationNames {
		g, err := c.Generations.Generation(ctx, name)
		if err != nil {
			return nil
		}
		out[name] = g
	}
	return out
}

// complete returns the answer in rec as a stored response, or nil when it
// must not be reused: a field that is not cacheable ran, or the data
// changed while it was built.
func (c *ResponseCache) complete(ctx context.Context, deps *graph.Dependencies, start map[string]int64, rec *capture, get bool) *cachedResponse {
	names, ok := deps.Names()
	if !ok {
		return nil
	}
	gens := make(map[string]int64, len(names))
	for _, name := range names {
		now, err := c.Generations.Generation(ctx, name)
		if err != nil || now != start[name] {
			return nil // the data changed while the response was built
		}
		gens[name] = now
	}
	e := &cachedResponse{contentType: rec.Header().Get("Content-Type"), body: rec.body.Bytes(),
		generations: gens, restricted: deps.Restricted()}
	if get { // (a stored POST answer is never given to a GET: the method is in the key)
		e.etag = entityTag(e.contentType, e.body)
	}
	if req := telemetry.From(ctx); req != nil {
		e.operation = req.Operation
	}
	if b := graph.BillFrom(ctx); b != nil {
		e.costs = b.Costs()
		e.used, e.rows = b.Used()
	}
	return e
}

// entityTag names an answer for HTTP caches: its media type and its
// body without the top-level "extensions" (extensions.cost is the request's
// own, different every time; the data and errors are the answer).
func entityTag(contentType string, body []byte) string {
	var top map[string]json.RawMessage
	if json.Unmarshal(body, &top) == nil {
		delete(top, "extensions")
		if b, err := json.Marshal(top); err == nil {
			body = b
		}
	}
	sum := sha256.New()
	io.WriteString(sum, contentType)
	sum.Write([]byte{0})
	sum.Write(body)
	return `"` + base64.RawURLEncoding.EncodeToString(sum.Sum(nil)[:18]) + `"`
}

// capture passes a response through and keeps a copy of up to max bytes;
// when it holds, it passes nothing until release (or until the response
// outgrows max: then what it held goes out and the rest passes through).
type capture struct {
	http.ResponseWriter
	body     bytes.Buffer
	max      int
	status   int
	overflow bool
	hold     bool
}

func (c *capture) WriteHeader(code int) {
	c.status = code
	if !c.hold {
		c.ResponseWriter.WriteHeader(code)
	}
}

func (c *capture) Write(b []byte) (int, error) {
	if c.overflow {
		return c.ResponseWriter.Write(b)
	}
	if c.body.Len()+len(b) <= c.max {
		c.body.Write(b)
		if c.hold {
			return len(b), nil
		}
		return c.ResponseWriter.Write(b)
	}
	c.overflow = true
	if c.hold {
		c.hold = false
		c.ResponseWriter.WriteHeader(c.status)
		if _, err := c.ResponseWriter.Write(c.body.Bytes()); err != nil {
			return 0, err
		}
	}
	c.body = bytes.Buffer{}
	return c.ResponseWriter.Write(b)
}

// release sends a held response as it was written, with the Cache-Control
// given unless the handler set one.
func (c *capture) release(cacheControl string) {
	if !c.hold {
		return
	}
	c.hold = false
	h := c.Header()
	if h.Get("Cache-Control") == "" {
		h.Set("Cache-Control", cacheControl)
	}
	h.Set("Content-Length", strconv.Itoa(c.body.Len()))
	c.ResponseWriter.WriteHeader(c.status)
	c.ResponseWriter.Write(c.body.Bytes())
}

func (c *capture) Unwrap() http.ResponseWriter { return c.ResponseWriter }
