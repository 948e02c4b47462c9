// Package httpapi serves MKG Graph over HTTP: /graphql (GraphQL over HTTP,
// POST and GET), GraphiQL, health and readiness, with the middleware every
// request goes through (request id, structured log, panic recovery, body
// limit, CORS).
package httpapi

import (
	"log/slog"
	"net/http"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/handler"
	"github.com/99designs/gqlgen/graphql/handler/extension"
	"github.com/99designs/gqlgen/graphql/handler/transport"

	"github.com/bmkg/mkggraph/graph"
	"github.com/bmkg/mkggraph/graph/model"
	"github.com/bmkg/mkggraph/resolvers"
)

// Limits bound what one request may cost.
type Limits struct {
	MaxBodyBytes   int64         // request body, bytes (JSON requests)
	MaxUploadBytes int64         // multipart request body with files, bytes
	MaxDepth       int           // field nesting
	MaxComplexity  int           // gqlgen complexity, list fields scaled by page size
	MaxWork        int           // work before running: validation, argument values read (graph.QueryLimits)
	MaxTokens      int           // lexer tokens of the query document
	RequestTimeout time.Duration // whole request
	MaxRunning     int           // GraphQL requests executed at once (more wait their turn); 0 = no limit
}

// DefaultLimits are the defaults the configuration documents.
var DefaultLimits = Limits{MaxBodyBytes: 1 << 20, MaxUploadBytes: 11 << 20, MaxDepth: 12, MaxComplexity: 50000, MaxWork: 100000,
	MaxTokens: 15000, RequestTimeout: 30 * time.Second, MaxRunning: 32}

// The caches of parsed documents and of persisted queries: entries, and
// bytes (a parsed document at the token limit takes about 4 MB).
const (
	cachedEntries       = 1000
	cachedDocumentBytes = 64 << 20
	cachedQueryBytes    = 16 << 20
	maxRequestErrors    = 100 // validation errors reported for one document
)

// NewGraphQL builds the GraphQL handler: explicit transports (no websocket:
// the API has no subscriptions yet), the limits, the error presenter and the
// panic recovery.
func NewGraphQL(r *resolvers.Resolver, lim Limits, log *slog.Logger) (*handler.Server, error) {
	cfg := graph.Config{Resolvers: r}
	graph.SetComplexity(&cfg.Complexity)
	schema := graph.NewExecutableSchema(cfg)
	authz, err := graph.NewAuthorizer(schema.Schema(), model.TypeName)
	if err != nil {
		return nil, err
	}
	r.Types = authz
	srv := handler.New(schema)
	srv.AddTransport(transport.Options{})
	srv.AddTransport(getOnlyQueries{transport.GET{}})
	srv.AddTransport(transport.POST{})
	// Uploads (the request letter) follow the GraphQL multipart request
	// specification; files are kept in memory up to 1 MiB and spooled to a
	// temporary file beyond, never past the upload limit, and the other
	// parts keep the limit of a JSON request (see multipartForm).
	srv.AddTransport(multipartForm{maxFields: lim.MaxBodyBytes, maxBody: lim.MaxUploadBytes, maxMemory: 1 << 20})
	docs := newBoundedCache(cachedEntries, cachedDocumentBytes, documentWeight)
	srv.SetQueryCache(docs)
	srv.SetParserTokenLimit(lim.MaxTokens)
	srv.SetValidationRulesFn(graph.ValidationRules(maxRequestErrors))
	srv.SetDisableSuggestion(true)
	srv.Use(extension.Introspection{})
	// Before the persisted-query extension, which stores the query it is
	// given: a document refused for its cost is then never stored.
	srv.Use(&graph.QueryLimits{MaxDepth: lim.MaxDepth, MaxCost: lim.MaxComplexity, MaxWork: lim.MaxWork,
		MaxTokens: lim.MaxTokens, Documents: docs})
	srv.Use(extension.AutomaticPersistedQuery{Cache: newBoundedCache(cachedEntries, cachedQueryBytes, queryWeight)})
	srv.AroundFields(authz.Middleware) // access rights, and what the response cache must know
	srv.Use(graph.Strings{})
	srv.AroundResponses(markUnavailable)
	srv.SetErrorPresenter(graph.ErrorPresenter(log))
	srv.SetRecoverFunc(graph.Recover(log))
	return srv, nil
}

// getOnlyQueries answers a mutation sent by GET with 405 and Allow: POST,
// as the GraphQL-over-HTTP specification asks (gqlgen answers 406).
type getOnlyQueries struct{ transport.GET }

func (g getOnlyQueries) Do(w http.ResponseWriter, r *http.Request, exec graphql.GraphExecutor) {
	g.GET.Do(&methodNotAllowed{ResponseWriter: w}, r, exec)
}

type methodNotAllowed struct{ http.ResponseWriter }

func (m *methodNotAllowed) WriteHeader(code int) {
	if code == http.StatusNotAcceptable {
		m.Header().Set("Allow", "POST")
		code = http.StatusMethodNotAllowed
	}
	m.ResponseWriter.WriteHeader(code)
}
