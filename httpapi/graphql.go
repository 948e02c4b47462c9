// Package httpapi serves MKG Graph over HTTP: /graphql (GraphQL over HTTP,
// POST and GET), GraphiQL, health and readiness, with the middleware every
// request goes through (request id, structured log, panic recovery, body
// limit, CORS).
package httpapi

import (
	"net/http"
	"runtime"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/handler/transport"

	"github.com/bmkg/mkggraph/graph"
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
	MaxBatch       int           // operations in one batch (a JSON array of requests)
}

// DefaultLimits are the defaults the configuration documents.
var DefaultLimits = Limits{MaxBodyBytes: 1 << 20, MaxUploadBytes: 11 << 20, MaxDepth: 12, MaxComplexity: 50000, MaxWork: 100000,
	MaxTokens: 15000, RequestTimeout: 30 * time.Second, MaxRunning: RunningPerCPU * runtime.GOMAXPROCS(0), MaxBatch: 10}

// RunningPerCPU is how many GraphQL requests run at once by default for
// each CPU the Go runtime uses (see limitRunning).
const RunningPerCPU = 4

// GraphQL returns the limits graph.NewExecutor checks before a document
// runs.
func (l Limits) GraphQL() graph.Limits {
	return graph.Limits{MaxDepth: l.MaxDepth, MaxCost: l.MaxComplexity, MaxWork: l.MaxWork, MaxTokens: l.MaxTokens}
}

// graphQL serves the executor over HTTP through explicit transports (no
// websocket: the API has no subscriptions yet), the first that supports
// the request answering it, as gqlgen's handler.Server does; that server
// would build its own executor, while this one is assembled by
// graph.NewExecutor.
func (s *Server) graphQL() http.Handler {
	transports := []graphql.Transport{
		transport.Options{},
		// Uploads (the request letter) follow the GraphQL multipart request
		// specification; files are kept in memory up to 1 MiB and spooled to
		// a temporary file beyond, never past the upload limit, and the
		// other parts keep the limit of a JSON request (see multipartForm).
		multipartForm{maxFields: s.Limits.MaxBodyBytes, maxBody: s.Limits.MaxUploadBytes, maxMemory: 1 << 20, meter: meter{s.Quota}},
		// GET and JSON POST, batches, and every refusal (overhttp.go): last.
		overHTTP{maxBatch: s.Limits.MaxBatch, meter: meter{s.Quota}},
	}
	exec := unavailableMarking{s.GraphQL}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r = r.WithContext(graphql.StartOperationTrace(r.Context()))
		for _, t := range transports {
			if t.Supports(r) {
				t.Do(w, r, exec)
				return
			}
		}
		writeError(w, r, http.StatusBadRequest, codeBadRequest, "this server has no transport for that request")
	})
}
