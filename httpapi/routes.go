package httpapi

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/netip"
	"strconv"
	"strings"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"go.opentelemetry.io/otel/trace"

	"github.com/bmkg/mkggraph/dataloaders"
	"github.com/bmkg/mkggraph/graph"
	"github.com/bmkg/mkggraph/graphiql"
	"github.com/bmkg/mkggraph/internal/lograte"
	"github.com/bmkg/mkggraph/internal/telemetry"
	"github.com/bmkg/mkggraph/mkg"
)

// Readiness tells /readyz what to check.
type Readiness struct {
	Database func(ctx context.Context) error
	Cache    func(ctx context.Context) mkg.CacheStatus
}

// Server is the HTTP side of MKG Graph.
type Server struct {
	// GraphQL is the API as graph.NewExecutor assembles it; the server
	// adds the transports (graphQL).
	GraphQL graphql.GraphExecutor
	Auth    Authenticator
	Loaders dataloaders.Reader
	// LoaderOptions are the loaders' time limits (zero: the defaults).
	LoaderOptions dataloaders.Options
	Readiness     Readiness
	// Letters serves request letters to staff (nil: no such route).
	Letters interface {
		LetterOf(ctx context.Context, id int64) (*mkg.Letter, []byte, error)
	}
	// Downloads serves signed download links (nil: no such route).
	Downloads http.Handler
	// Responses answers repeated requests from memory (nil: off).
	Responses   *ResponseCache
	Limits      Limits
	CORSOrigins []string
	// TrustedProxies are the networks of the reverse proxies whose
	// Forwarded / X-Forwarded-For headers name the client (see clientIP).
	TrustedProxies []netip.Prefix
	Log            *slog.Logger
	// Metrics, when set, counts every request once it is answered.
	Metrics interface {
		ObserveRequest(route string, status int, took time.Duration, rec *telemetry.Request)
	}
	// Tracing, when set, gives every request a span (and its loader
	// batches and SQL statements spans of their own: internal/telemetry).
	// A traceparent header from the client is followed, but the sampler
	// decides (see main's tracing setup): a client cannot make the server
	// trace more.
	Tracing trace.TracerProvider
	// Live bounds subscriptions (zero: DefaultLiveLimits).
	Live LiveLimits
	// Quota, when set, is the budget policy the executor charges (it must
	// be the executor's graph.Limits.Quota): the server reports the
	// charges, and charges answers from the response cache.
	Quota *mkg.QuotaPolicy
	// Usage, when set, sums what each account's requests used (written
	// to the database by its owner, mkg.UsageTally.FlushEvery).
	Usage *mkg.UsageTally
	// UsageData is where usage is read from (GET /usage.csv; nil: not
	// served).
	UsageData mkg.UsageStore

	outage   *lograte.Logger // failures every request meets, logged once per interval
	sessions sessions        // live connections (subscriptions)
}

// LiveConnections returns how many live connections (WebSocket, server-sent
// events) the server holds.
func (s *Server) LiveConnections() int { return s.sessions.count() }

// Shutdown ends every live connection, telling its client to reconnect
// (WebSocket close 1012, or a last `end` event), and refuses new ones. Call
// it when shutdown begins (http.Server.RegisterOnShutdown): the listener's
// Shutdown waits for neither hijacked connections nor open streams.
func (s *Server) Shutdown() { s.sessions.shutdown() }

// Handler returns the routes wrapped in the common middleware.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	s.outage = lograte.New(s.Log, graph.LogInterval)
	// A stored response is answered before the body's values are counted:
	// only requests that passed every limit were stored.
	// Requests answered from the stored responses never queue behind those
	// that run.
	run := limitRunning(s.Limits.MaxRunning, limitValues(s.Limits.MaxWork/graph.ValueWork, s.withLoaders(withUnavailableStatus(s.graphQL()))))
	gql := s.withPrincipal(limitBody(s.Limits.MaxBodyBytes, s.Limits.MaxUploadBytes, withBill(s.withUsage(s.Responses.handler(run, meter{s.Quota})))))
	if s.Live == (LiveLimits{}) {
		s.Live = DefaultLiveLimits
	}
	s.sessions = sessions{all: map[*session]bool{}, byAccount: map[int64]int{}, byAddress: map[string]int{}}
	live := limitBody(s.Limits.MaxBodyBytes, s.Limits.MaxUploadBytes, s.live())
	queries := withTimeout(s.Limits.RequestTimeout, gql)
	mux.Handle("/graphql", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r = r.WithContext(mkg.WithClient(r.Context(), s.clientIP(r))) // anonymous budgets are per address
		switch {
		case r.Header.Get("Upgrade") != "":
			live.ServeHTTP(w, r) // authenticated by the connection's init
		case isLive(r):
			s.withPrincipal(live).ServeHTTP(w, r)
		default:
			queries.ServeHTTP(w, r)
		}
	}))
	mux.Handle("/graphiql/", http.StripPrefix("/graphiql", graphiql.Handler("/graphql")))
	mux.Handle("GET /graphiql", http.RedirectHandler("/graphiql/", http.StatusMovedPermanently))
	mux.Handle("GET /{$}", http.RedirectHandler("/graphiql/", http.StatusFound))
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
	})
	mux.HandleFunc("GET /readyz", s.ready)
	if s.Downloads != nil {
		mux.Handle("GET /downloads/{token}", s.Downloads)
	}
	if s.Letters != nil {
		mux.Handle("GET /access-requests/{id}/letter", s.withPrincipal(http.HandlerFunc(s.letter)))
	}
	if s.UsageData != nil {
		mux.Handle("GET /usage.csv", s.withPrincipal(http.HandlerFunc(s.usageCSV)))
	}
	return s.requestLog(recoverPanics(s.Log, cors(s.CORSOrigins, mux)))
}

func (s *Server) withLoaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := dataloaders.With(r.Context(), dataloaders.New(s.Loaders, s.LoaderOptions))
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

// ReadyTimeout bounds the checks of /readyz, which answers within a second
// whatever the database or the cache does: a check that has not answered
// by then counts as failed.
const ReadyTimeout = 800 * time.Millisecond

// ready reports whether the server can answer: the database must answer
// (503 otherwise); a cache that does not is reported but does not make the
// server unready, since requests are then answered from the database. Both
// checks run at once; neither is waited for past ReadyTimeout, even if it
// ignores its context.
func (s *Server) ready(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), ReadyTimeout)
	defer cancel()
	type dbStatus struct {
		OK    bool   `json:"ok"`
		Error string `json:"error,omitempty"`
	}
	report := struct {
		Status   string          `json:"status"`
		Database dbStatus        `json:"database"`
		Cache    mkg.CacheStatus `json:"cache"`
	}{Status: "ready", Database: dbStatus{OK: true}}
	dbErr := make(chan error, 1)
	go func() { dbErr <- s.Readiness.Database(ctx) }()
	cacheStatus := make(chan mkg.CacheStatus, 1)
	go func() { cacheStatus <- s.Readiness.Cache(ctx) }()
	select {
	case err := <-dbErr:
		if err != nil {
			s.Log.ErrorContext(ctx, "readiness: database", "err", err)
			report.Status, report.Database = "unavailable", dbStatus{Error: "database does not answer"}
		}
	case <-ctx.Done():
		s.Log.ErrorContext(ctx, "readiness: database", "err", "no answer within "+ReadyTimeout.String())
		report.Status, report.Database = "unavailable", dbStatus{Error: "database does not answer"}
	}
	select {
	case report.Cache = <-cacheStatus:
	case <-ctx.Done():
		report.Cache = mkg.CacheStatus{Error: "cache does not answer"}
	}
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

// letter serves a ticket's request letter to staff who handle tickets. A
// caller who may not see tickets gets the same 404 as for a ticket that
// does not exist.
func (s *Server) letter(w http.ResponseWriter, r *http.Request) {
	p := mkg.PrincipalFrom(r.Context())
	if err := p.RequireRole(mkg.RoleServiceDesk, mkg.RoleOfficer, mkg.RoleAdmin); err != nil {
		if p.Anonymous() {
			w.Header().Set("WWW-Authenticate", `Bearer realm="MKG Graph"`)
			writeJSON(w, http.StatusUnauthorized, gqlErrorBody("staff only: send a staff account's key as Authorization: Bearer <key>", mkg.EUNAUTHENTICATED, ""))
			return
		}
		writeJSON(w, http.StatusNotFound, gqlErrorBody("not found", mkg.ENOTFOUND, ""))
		return
	}
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		writeJSON(w, http.StatusNotFound, gqlErrorBody("not found", mkg.ENOTFOUND, ""))
		return
	}
	l, data, err := s.Letters.LetterOf(r.Context(), id)
	if mkg.ErrorCode(err) == mkg.EUNAVAILABLE {
		s.outage.Log(r.Context(), slog.LevelError, "letter: unavailable", "letter", slog.Any("err", err))
		w.Header().Set("Retry-After", strconv.Itoa(retryAfter))
		writeJSON(w, http.StatusServiceUnavailable, gqlErrorBody("the database is unavailable; try again shortly", mkg.EUNAVAILABLE, ""))
		return
	}
	if err != nil {
		if mkg.ErrorCode(err) != mkg.ENOTFOUND {
			s.Log.ErrorContext(r.Context(), "letter", "err", err)
		}
		writeJSON(w, http.StatusNotFound, gqlErrorBody("not found", mkg.ENOTFOUND, ""))
		return
	}
	w.Header().Set("Content-Type", l.ContentType)
	w.Header().Set("Content-Disposition", `attachment; filename="`+safeFilename(l.Filename)+`"`)
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.Header().Set("Cache-Control", "private, no-store")
	http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(data))
}

// safeFilename keeps a name fit for a header: letters, digits, dot, dash,
// underscore.
func safeFilename(name string) string {
	var b strings.Builder
	for _, c := range name {
		if c < 128 && (c == '.' || c == '-' || c == '_' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z') {
			b.WriteRune(c)
		}
	}
	if b.Len() == 0 {
		return "letter"
	}
	return b.String()
}
