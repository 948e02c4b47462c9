package httpapi

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"runtime/debug"
	"slices"
	"strings"
	"time"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/propagation"
	"go.opentelemetry.io/otel/trace"

	"github.com/bmkg/mkggraph/internal/httpcount"
	"github.com/bmkg/mkggraph/internal/requestid"
	"github.com/bmkg/mkggraph/internal/telemetry"
)

// requestLog gives each request an id (the client's X-Request-Id when it is
// a sane one), returns it in the response, and logs one line per request:
// its time in milliseconds, the client's address, the GraphQL operation's
// name, and the trace id when it is traced. It also starts the request's
// span (when tracing is on) and hands the request's record to the metrics.
// Headers and bodies are not logged: they may carry credentials.
func (s *Server) requestLog(next http.Handler) http.Handler {
	var tracer trace.Tracer
	if s.Tracing != nil {
		tracer = s.Tracing.Tracer(telemetry.Scope)
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		id := r.Header.Get("X-Request-Id")
		if !requestid.Valid(id) {
			id = requestid.New()
		}
		w.Header().Set("X-Request-Id", id)
		info := &logInfo{}
		rec := &telemetry.Request{}
		ctx := context.WithValue(requestid.With(r.Context(), id), logInfoKey{}, info)
		ctx = telemetry.With(ctx, rec)
		var span trace.Span
		if tracer != nil {
			ctx = propagation.TraceContext{}.Extract(ctx, propagation.HeaderCarrier(r.Header))
			ctx, span = tracer.Start(ctx, r.Method, trace.WithSpanKind(trace.SpanKindServer))
		}
		sw := httpcount.New(w)
		r = r.WithContext(ctx)
		next.ServeHTTP(sw, r)
		took := time.Since(start)
		route := r.Pattern // set by the mux on this request: the server's own patterns, never the client's path
		// A subscription's stream lives as long as its client: it is counted
		// as open subscriptions, not as a request's time.
		if s.Metrics != nil && !isLive(r) {
			s.Metrics.ObserveRequest(route, sw.Status, took, rec)
		}
		attrs := []slog.Attr{slog.String("request_id", id), slog.String("method", r.Method),
			slog.String("path", logPath(r.URL.Path)), slog.Int("status", sw.Status), slog.Int64("bytes", sw.Bytes),
			slog.Float64("duration_ms", float64(took.Microseconds())/1000), slog.String("client", s.clientIP(r))}
		if rec.Operation != "" {
			attrs = append(attrs, slog.String("operation", rec.Operation))
		}
		if info.account != 0 {
			attrs = append(attrs, slog.Int64("account", info.account), slog.String("key", info.key))
		}
		if span != nil {
			endSpan(span, r, route, sw.Status, rec)
			if sc := span.SpanContext(); sc.IsSampled() {
				attrs = append(attrs, slog.String("trace_id", sc.TraceID().String()))
			}
		}
		s.Log.LogAttrs(ctx, slog.LevelInfo, "request", attrs...)
	})
}

// endSpan names the request's span after its route and ends it with what
// the request did: never the path's values (a download link's token), the
// query, or the caller's key.
func endSpan(span trace.Span, r *http.Request, route string, status int, rec *telemetry.Request) {
	if !span.IsRecording() {
		span.End()
		return
	}
	if route != "" {
		span.SetName(route)
	}
	n, sqlTime := rec.SQL()
	span.SetAttributes(attribute.String("http.request.method", r.Method), attribute.String("http.route", route),
		attribute.Int("http.response.status_code", status), attribute.String("graphql.operation.name", rec.Operation),
		attribute.Int64("db.statements", n), attribute.Float64("db.time_ms", float64(sqlTime.Microseconds())/1000))
	if rec.ErrorCode != "" {
		span.SetAttributes(attribute.String("error.code", rec.ErrorCode))
	}
	if status >= 500 {
		span.SetStatus(codes.Error, http.StatusText(status))
	}
	span.End()
}

// logPath is the path as logged: a download link works for whoever holds
// it until it expires, so it is not written to logs.
func logPath(p string) string {
	if strings.HasPrefix(p, "/downloads/") {
		return "/downloads/(link)"
	}
	return p
}

// logInfo collects what inner handlers learn for the request's log line:
// the account and the key's public prefix (never the key).
type logInfo struct {
	account int64
	key     string
}

type logInfoKey struct{}

func logInfoFrom(ctx context.Context) *logInfo {
	info, _ := ctx.Value(logInfoKey{}).(*logInfo)
	return info
}

// recoverPanics turns a panic outside the GraphQL executor (which has its
// own recovery) into a 500 for that request only.
func recoverPanics(log *slog.Logger, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if p := recover(); p != nil {
				if p == http.ErrAbortHandler {
					panic(p)
				}
				id := requestid.From(r.Context())
				log.ErrorContext(r.Context(), "panic", "request_id", id, "panic", fmt.Sprint(p), "stack", string(debug.Stack()))
				writeJSON(w, http.StatusInternalServerError, gqlErrorBody("internal error", "INTERNAL", id))
			}
		}()
		next.ServeHTTP(w, r)
	})
}

func gqlErrorBody(msg, code, id string) map[string]any {
	ext := map[string]any{"code": code}
	if id != "" {
		ext["requestId"] = id
	}
	return map[string]any{"errors": []map[string]any{{"message": msg, "extensions": ext}}}
}

// limitBody refuses request bodies over max bytes with 413, before anything
// parses them: maxJSON for queries, maxUpload for multipart requests (whose
// parts the multipart transport limits again: every part but the files
// within maxJSON, and a body cut off at the limit is 413 there too).
func limitBody(maxJSON, maxUpload int64, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		max := maxJSON
		if strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/form-data") {
			if r.ContentLength > maxUpload {
				tooLarge(w, r, maxUpload)
				return
			}
			r.Body = http.MaxBytesReader(w, r.Body, maxUpload)
			next.ServeHTTP(w, r)
			return
		}
		if r.ContentLength > max {
			tooLarge(w, r, max)
			return
		}
		if r.Body != nil && r.Body != http.NoBody {
			body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, max))
			var mbe *http.MaxBytesError
			if errors.As(err, &mbe) {
				tooLarge(w, r, max)
				return
			}
			if err != nil {
				writeError(w, r, http.StatusBadRequest, codeBadRequest, "could not read the request body")
				return
			}
			r.Body = io.NopCloser(bytes.NewReader(body))
		}
		next.ServeHTTP(w, r)
	})
}

func tooLarge(w http.ResponseWriter, r *http.Request, max int64) {
	writeError(w, r, http.StatusRequestEntityTooLarge, codeTooLarge, fmt.Sprintf("request body is larger than %d bytes", max))
}

func withTimeout(d time.Duration, next http.Handler) http.Handler {
	if d <= 0 {
		return next
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), d)
		defer cancel()
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

// cors lets browser apps on other origins call the API. "*" allows any
// origin; credentials are bearer keys in a header, not cookies, so no
// credentialed CORS is needed.
func cors(origins []string, next http.Handler) http.Handler {
	any := slices.Contains(origins, "*")
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		origin := r.Header.Get("Origin")
		if origin != "" && (any || slices.Contains(origins, origin)) {
			h := w.Header()
			if any {
				h.Set("Access-Control-Allow-Origin", "*")
			} else {
				h.Set("Access-Control-Allow-Origin", origin)
				h.Add("Vary", "Origin")
			}
			h.Set("Access-Control-Expose-Headers", "X-Request-Id")
			if r.Method == http.MethodOptions && r.Header.Get("Access-Control-Request-Method") != "" {
				h.Set("Access-Control-Allow-Methods", "GET, POST, OPTIONS")
				h.Set("Access-Control-Allow-Headers", "Content-Type, Authorization, X-Request-Id")
				h.Set("Access-Control-Max-Age", "600")
				w.WriteHeader(http.StatusNoContent)
				return
			}
		}
		next.ServeHTTP(w, r)
	})
}

// ParseOrigins splits a comma-separated origin list.
func ParseOrigins(s string) []string {
	var out []string
	for _, o := range strings.Split(s, ",") {
		if o = strings.TrimSpace(o); o != "" {
			out = append(out, o)
		}
	}
	return out
}
