package httpapi

import (
	"bytes"
	"context"
	"crypto/sha256"
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
type ResponseCache struct {
	Generations mkg.Generations
	// MaxBytes bounds the memory of the stored responses; MaxResponse one
	// response.
	MaxBytes, MaxResponse int
	// TTL bounds an entry's life (memory; freshness is the generations').
	TTL time.Duration
	// Lookups, when set, is told whether each request that could be
	// answered from memory was (the server's metrics, namespace
	// "response").
	Lookups func(namespace string, hit bool)

	store *inmem.Objects
}

// cachedResponse is a stored answer and the generations it was built at.
type cachedResponse struct {
	contentType string
	body        []byte
	generations map[string]int64
	operation   string  // the operation's name as counted (telemetry.Request)
	costs       []int64 // each operation's requested cost, charged again on every hit
}

// handler wraps next (the GraphQL handler, after authentication and the
// body limit).
func (c *ResponseCache) handler(next http.Handler, m meter) http.Handler {
	if c == nil || c.MaxBytes <= 0 || c.Generations == nil {
		return next
	}
	c.store = inmem.NewObjects(c.MaxBytes)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		key, ok := c.key(r)
		if !ok {
			next.ServeHTTP(w, r)
			return
		}
		// "Cache-Control: no-cache" asks for an answer made now (it is
		// still stored for the next request).
		fresh := strings.Contains(r.Header.Get("Cache-Control"), "no-cache")
		e, hit := c.lookup(r.Context(), key)
		if c.Lookups != nil && !fresh {
			c.Lookups("response", hit)
		}
		if hit && !fresh {
			if req := telemetry.From(r.Context()); req != nil {
				req.Operation = e.operation
			}
			body, ok := m.settleCached(w, r, e)
			if !ok {
				return
			}
			h := w.Header()
			h.Set("Content-Type", e.contentType)
			// With its length known the answer goes out in one write,
			// not as chunks and a closing chunk (a third of a hit's CPU
			// was those system calls).
			h.Set("Content-Length", strconv.Itoa(len(body)))
			h.Set("X-Cache", "hit")
			w.Write(body)
			return
		}
		start := c.snapshot(r.Context())
		ctx, deps := graph.WithDependencies(r.Context())
		rec := &capture{ResponseWriter: w, max: c.MaxResponse, status: http.StatusOK}
		w.Header().Set("X-Cache", "miss")
		next.ServeHTTP(rec, r.WithContext(ctx))
		if rec.status != http.StatusOK || rec.overflow || start == nil {
			return
		}
		c.keep(r.Context(), key, deps, start, rec)
	})
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
	h := sha256.New()
	for _, part := range []string{r.Method, r.Header.Get("Accept"), mkg.PrincipalFrom(r.Context()).Scope()} {
		io.WriteString(h, part)
		h.Write([]byte{0})
	}
	h.Write(body)
	return string(h.Sum(nil)), true
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

func (c *ResponseCache) keep(ctx context.Context, key string, deps *graph.Dependencies, start map[string]int64, rec *capture) {
	names, ok := deps.Names()
	if !ok {
		return
	}
	gens := make(map[string]int64, len(names))
	for _, name := range names {
		now, err := c.Generations.Generation(ctx, name)
		if err != nil || now != start[name] {
			return // the data changed while the response was built
		}
		gens[name] = now
	}
	e := &cachedResponse{contentType: rec.Header().Get("Content-Type"), body: rec.body.Bytes(), generations: gens}
	if req := telemetry.From(ctx); req != nil {
		e.operation = req.Operation
	}
	if b := graph.BillFrom(ctx); b != nil {
		e.costs = b.Costs()
	}
	c.store.Put(key, e, len(e.body)+len(key), c.TTL)
}

// capture passes a response through and keeps a copy of up to max bytes.
type capture struct {
	http.ResponseWriter
	body     bytes.Buffer
	max      int
	status   int
	overflow bool
}

func (c *capture) WriteHeader(code int) { c.status = code; c.ResponseWriter.WriteHeader(code) }

func (c *capture) Write(b []byte) (int, error) {
	if !c.overflow {
		if c.body.Len()+len(b) > c.max {
			c.overflow = true
			c.body = bytes.Buffer{}
		} else {
			c.body.Write(b)
		}
	}
	return c.ResponseWriter.Write(b)
}

func (c *capture) Unwrap() http.ResponseWriter { return c.ResponseWriter }
