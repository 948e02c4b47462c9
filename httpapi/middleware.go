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

	"github.com/bmkg/mkggraph/internal/requestid"
)

// requestLog gives each request an id (the client's X-Request-Id when it is
// a sane one), returns it in the response, and logs one line per request.
// Headers and bodies are not logged: they may carry credentials.
func requestLog(log *slog.Logger, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id := r.Header.Get("X-Request-Id")
		if !requestid.Valid(id) {
			id = requestid.New()
		}
		w.Header().Set("X-Request-Id", id)
		info := &logInfo{}
		ctx := context.WithValue(requestid.With(r.Context(), id), logInfoKey{}, info)
		rec := &statusRecorder{ResponseWriter: w, status: http.StatusOK}
		start := time.Now()
		next.ServeHTTP(rec, r.WithContext(ctx))
		attrs := []slog.Attr{slog.String("request_id", id), slog.String("method", r.Method),
			slog.String("path", logPath(r.URL.Path)), slog.Int("status", rec.status), slog.Int64("bytes", rec.bytes),
			slog.Duration("duration", time.Since(start))}
		if info.account != 0 {
			attrs = append(attrs, slog.Int64("account", info.account), slog.String("key", info.key))
		}
		log.LogAttrs(ctx, slog.LevelInfo, "request", attrs...)
	})
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

type statusRecorder struct {
	http.ResponseWriter
	status int
	bytes  int64
}

func (s *statusRecorder) WriteHeader(code int) { s.status = code; s.ResponseWriter.WriteHeader(code) }
func (s *statusRecorder) Write(b []byte) (int, error) {
	n, err := s.ResponseWriter.Write(b)
	s.bytes += int64(n)
	return n, err
}
func (s *statusRecorder) Unwrap() http.ResponseWriter { return s.ResponseWriter }

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
