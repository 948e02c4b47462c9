package httpapi

import (
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"time"

	"github.com/bmkg/mkggraph/cache"
	"github.com/bmkg/mkggraph/dataloaders"
	"github.com/bmkg/mkggraph/graphiql"
)

// Readiness tells /readyz what to check.
type Readiness struct {
	Database func(ctx context.Context) error
	Cache    func(ctx context.Context) cache.Status
}

// Server is the HTTP side of MKG Graph.
type Server struct {
	GraphQL     http.Handler
	Auth        Authenticator
	Loaders     dataloaders.Reader
	Readiness   Readiness
	Limits      Limits
	CORSOrigins []string
	Log         *slog.Logger
}

// Handler returns the routes wrapped in the common middleware.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	gql := s.withPrincipal(s.withLoaders(limitBody(s.Limits.MaxBodyBytes, s.GraphQL)))
	mux.Handle("/graphql", withTimeout(s.Limits.RequestTimeout, gql))
	mux.Handle("/graphiql/", http.StripPrefix("/graphiql", graphiql.Handler("/graphql")))
	mux.Handle("GET /graphiql", http.RedirectHandler("/graphiql/", http.StatusMovedPermanently))
	mux.Handle("GET /{$}", http.RedirectHandler("/graphiql/", http.StatusFound))
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
	})
	mux.HandleFunc("GET /readyz", s.ready)
	return requestLog(s.Log, recoverPanics(s.Log, cors(s.CORSOrigins, mux)))
}

func (s *Server) withLoaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := dataloaders.With(r.Context(), dataloaders.New(s.Loaders))
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

// ready reports whether the server can answer: the database must answer
// (503 otherwise); a cache that does not is reported but does not make the
// server unready, since requests are then answered from the database.
func (s *Server) ready(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	type dbStatus struct {
		OK    bool   `json:"ok"`
		Error string `json:"error,omitempty"`
	}
	report := struct {
		Status   string       `json:"status"`
		Database dbStatus     `json:"database"`
		Cache    cache.Status `json:"cache"`
	}{Status: "ready", Database: dbStatus{OK: true}}
	if err := s.Readiness.Database(ctx); err != nil {
		s.Log.ErrorContext(ctx, "readiness: database", "err", err)
		report.Status, report.Database = "unavailable", dbStatus{Error: "database does not answer"}
	}
	report.Cache = s.Readiness.Cache(ctx)
	if !report.Cache.OK && report.Status == "ready" {
		report.Status = "degraded"
	}
	code := http.StatusOK
	if !report.Database.OK {
		code = http.StatusServiceUnavailable
	}
	writeJSON(w, code, report)
}

func writeJSON(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(code)
	json.NewEncoder(w).Encode(v)
}
