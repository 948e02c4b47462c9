package main

import (
	"bytes"
	"context"
	"encoding/hex"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	coltrace "go.opentelemetry.io/proto/otlp/collector/trace/v1"
	tracepb "go.opentelemetry.io/proto/otlp/trace/v1"
	"google.golang.org/protobuf/proto"
)

// otlpReceiver is an OTLP/HTTP trace receiver: it decodes the protobuf
// export requests the server sends and keeps their spans.
type otlpReceiver struct {
	mu    sync.Mutex
	spans []*tracepb.Span
}

func (rc *otlpReceiver) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	if r.URL.Path != "/v1/traces" || r.Header.Get("Content-Type") != "application/x-protobuf" {
		http.Error(w, "not an OTLP/HTTP protobuf trace export", http.StatusBadRequest)
		return
	}
	var req coltrace.ExportTraceServiceRequest
	if err := proto.Unmarshal(body, &req); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	rc.mu.Lock()
	for _, rs := range req.ResourceSpans {
		for _, ss := range rs.ScopeSpans {
			rc.spans = append(rc.spans, ss.Spans...)
		}
	}
	rc.mu.Unlock()
	w.Header().Set("Content-Type", "application/x-protobuf")
	b, _ := proto.Marshal(&coltrace.ExportTraceServiceResponse{})
	w.Write(b)
}

func (rc *otlpReceiver) all() []*tracepb.Span {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	return append([]*tracepb.Span(nil), rc.spans...)
}

// TestTracingExportsSpans runs a request with the tracing on (every request
// sampled) and checks what reaches a real OTLP receiver: the request's span,
// a span per loader batch under it, and a span per SQL statement under
// those, in one trace whose id is on the request's log line; no SQL
// argument in any span. A client's "sampled" traceparent does not make an
// unsampled server trace.
func TestTracingExportsSpans(t *testing.T) {
	forBothDatabases(t, func(t *testing.T, backend string) {
		rc := &otlpReceiver{}
		collector := httptest.NewServer(rc)
		defer collector.Close()
		var logs bytes.Buffer
		var logMu sync.Mutex
		cfg := testConfig(t, backend)
		cfg.OTLPEndpoint, cfg.TraceSampleRatio = collector.URL, 1
		cfg.ResponseCacheBytes = 0
		a, err := newApp(context.Background(), cfg, slog.New(slog.NewJSONHandler(lockedWriter{&logs, &logMu}, nil)))
		if err != nil {
			t.Fatal(err)
		}
		srv := httptest.NewServer(a.Handler)
		// A station by its index: the search's argument must not reach a span.
		r := post(t, srv.URL, `query Traced { stations(first: 5, filter: {search: "secret-search-text"}) { edges { node { name } } }
			earthquakes(first: 5) { edges { node { magnitude nearestStations(first: 2) { distanceKm station { name } } } } } }`, nil)
		if len(r.Errors) > 0 {
			t.Fatal(r.Errors)
		}
		srv.Close()
		a.Close() // flushes the spans

		spans := rc.all()
		byID := map[string]*tracepb.Span{}
		for _, s := range spans {
			byID[string(s.SpanId)] = s
		}
		var root *tracepb.Span
		for _, s := range spans {
			if s.Name == "/graphql" && len(s.ParentSpanId) == 0 {
				root = s
			}
		}
		if root == nil {
			t.Fatalf("no request span among %d spans", len(spans))
		}
		var loaderSQL, sqlUnderRequest int
		for _, s := range spans {
			if !bytes.Equal(s.TraceId, root.TraceId) {
				continue
			}
			parent := byID[string(s.ParentSpanId)]
			switch {
			case strings.HasPrefix(s.Name, "sql ") && parent != nil && strings.HasPrefix(parent.Name, "loader ") &&
				bytes.Equal(parent.ParentSpanId, root.SpanId):
				loaderSQL++
			case strings.HasPrefix(s.Name, "sql ") && parent == root:
				sqlUnderRequest++
			}
			for _, kv := range s.Attributes {
				if strings.Contains(kv.Value.String(), "secret-search-text") {
					t.Errorf("span %s carries a SQL argument in %s", s.Name, kv.Key)
				}
			}
		}
		if loaderSQL == 0 || sqlUnderRequest == 0 {
			t.Errorf("want SQL spans under a loader batch under the request (%d) and under the request itself (%d); spans: %v",
				loaderSQL, sqlUnderRequest, spanNames(spans))
		}
		traceID := hex.EncodeToString(root.TraceId)
		logMu.Lock()
		logged := logs.String()
		logMu.Unlock()
		if !requestLine(logged, "Traced", traceID) {
			t.Errorf("no request log line with operation Traced and trace_id %s", traceID)
		}

		// Sampled out: a client's traceparent asks for a trace; the server,
		// at ratio 0, sends none.
		rc2 := &otlpReceiver{}
		collector2 := httptest.NewServer(rc2)
		defer collector2.Close()
		cfg2 := testConfig(t, backend)
		cfg2.OTLPEndpoint, cfg2.TraceSampleRatio = collector2.URL, 0
		a2, err := newApp(context.Background(), cfg2, slog.New(slog.DiscardHandler))
		if err != nil {
			t.Fatal(err)
		}
		srv2 := httptest.NewServer(a2.Handler)
		req, _ := http.NewRequest("POST", srv2.URL+"/graphql", strings.NewReader(`{"query":"{ stations(first: 2) { edges { node { name } } } }"}`))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		srv2.Close()
		a2.Close()
		if n := len(rc2.all()); n != 0 {
			t.Errorf("sampled out, yet %d spans were exported", n)
		}
	})
}

type lockedWriter struct {
	w  io.Writer
	mu *sync.Mutex
}

func (l lockedWriter) Write(b []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(b)
}

func spanNames(spans []*tracepb.Span) []string {
	var names []string
	for _, s := range spans {
		names = append(names, s.Name)
	}
	return names
}

// requestLine reports whether a request line of the JSON log names the
// operation and the trace, with its duration in milliseconds and the
// client's address.
func requestLine(logs, operation, traceID string) bool {
	for _, line := range strings.Split(logs, "\n") {
		var l struct {
			Msg        string   `json:"msg"`
			Operation  string   `json:"operation"`
			TraceID    string   `json:"trace_id"`
			DurationMS *float64 `json:"duration_ms"`
			Client     string   `json:"client"`
		}
		if json.Unmarshal([]byte(line), &l) == nil && l.Msg == "request" && l.Operation == operation && l.TraceID == traceID &&
			l.DurationMS != nil && *l.DurationMS > 0 && l.Client == "127.0.0.1" {
			return true
		}
	}
	return false
}

// TestTracingSettingsAreChecked: a collector that is no http(s) URL, or a
// sample ratio outside 0..1, stops the server before it starts.
func TestTracingSettingsAreChecked(t *testing.T) {
	for env, want := range map[string]map[string]string{
		"OTEL_EXPORTER_OTLP_ENDPOINT (-otlp-endpoint) must be an http:// or https:// URL": {"OTEL_EXPORTER_OTLP_ENDPOINT": "collector:4318"},
		"trace-sample-ratio must be between 0 and 1":                                      {"MKG_TRACE_SAMPLE_RATIO": "1.5"},
	} {
		code, _, errOut := runCLI(t, want, "serve")
		if code != 2 || !strings.Contains(errOut, env) {
			t.Errorf("%v: exit %d, stderr %q", want, code, errOut)
		}
	}
	if got := tracesURL("http://c:4318/"); got != "http://c:4318/v1/traces" {
		t.Errorf("tracesURL: %s", got)
	}
}
