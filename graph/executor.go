package graph

import (
	"fmt"
	"log/slog"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/executor"
	"github.com/99designs/gqlgen/graphql/handler/extension"

	"github.com/bmkg/mkggraph/graph/model"
	"github.com/bmkg/mkggraph/mkg"
)

// Limits bound what one GraphQL document may cost; they are checked before
// it runs (QueryLimits).
type Limits struct {
	MaxDepth  int // field nesting
	MaxCost   int // complexity, list fields scaled by page size (SetComplexity)
	MaxWork   int // validation work (DocumentWork) and argument values read
	MaxTokens int // lexer tokens of the query document
	// Quota, when set, charges each operation's cost to its caller's
	// budget before it runs.
	Quota *mkg.QuotaPolicy
}

// The caches of parsed documents and of persisted queries: entries, and
// bytes (a parsed document at the token limit takes about 4 MB).
const (
	cachedEntries       = 1000
	cachedDocumentBytes = 64 << 20
	cachedQueryBytes    = 16 << 20
	maxRequestErrors    = 100 // validation errors reported for one document
)

// SchemaAuthorizer is the Authorizer of this package's schema: the access
// directives as the schema declares them. The executor enforces them on
// every field (NewExecutor); the resolvers check node types with it.
func SchemaAuthorizer() (*Authorizer, error) {
	return NewAuthorizer(parsedSchema, model.TypeName)
}

// Documents are where the documents clients send by id are found: automatic persisted
// queries shared through Shared (Redis; nil: this process only), and the
// documents admins registered (nil: none).
type Documents struct {
	Shared  mkg.Cache
	Trusted *TrustedDocuments
}

// NewExecutor assembles the GraphQL API, the one place it is put together:
// the executable schema over root with its cost model, the access
// directives enforced by authz, the limits, the caches of parsed documents
// and of persisted queries, the string checks, the error presenter and the
// panic recovery; and the extensions given (the server's metrics). With
// subgraph it is also an Apollo Federation subgraph (_service, _entities).
// It speaks no HTTP: httpapi serves it, with the transports.
func NewExecutor(root ResolverRoot, authz *Authorizer, lim Limits, sent Documents, subgraph bool, log *slog.Logger, extensions ...graphql.HandlerExtension) *executor.Executor {
	cfg := Config{Resolvers: root}
	if !subgraph {
		cfg.Schema = withoutFederation
	}
	SetComplexity(&cfg.Complexity)
	exec := executor.New(NewExecutableSchema(cfg))
	docs := newBoundedCache(cachedEntries, cachedDocumentBytes, documentWeight)
	exec.SetQueryCache(docs)
	exec.SetParserTokenLimit(lim.MaxTokens)
	exec.SetDefaultRulesFn(ValidationRules(maxRequestErrors))
	exec.SetDisableSuggestion(true)
	exec.Use(extension.Introspection{})
	// Before the persisted-query extension, which stores the query it is
	// given: a document refused for its cost is then never stored.
	exec.Use(&QueryLimits{MaxDepth: lim.MaxDepth, MaxCost: lim.MaxCost, MaxWork: lim.MaxWork, MaxTokens: lim.MaxTokens,
		Documents: docs, Quota: lim.Quota})
	if subgraph {
		exec.Use(NewRepresentations(parsedSchema))
	}
	if sent.Trusted != nil {
		exec.Use(*sent.Trusted)
	}
	exec.Use(extension.AutomaticPersistedQuery{Cache: newPersistedQueries(sent.Shared)})
	fields := fieldMiddleware{authz: authz}
	for _, e := range extensions {
		if t, ok := e.(FieldTimer); ok {
			fields.timer = t
		}
	}
	// String arguments, field times, access rights, and what the response
	// cache must know: one layer around every field (see fieldMiddleware),
	// put in place of gqlgen's chain of field interceptors (directFields).
	for _, e := range extensions {
		if _, ok := e.(graphql.FieldInterceptor); ok {
			panic(fmt.Sprintf("graph: extension %s intercepts fields: make it part of fieldMiddleware", e.ExtensionName()))
		}
	}
	exec.Use(directFields{fields.resolve})
	exec.Use(Strings{}) // the operation's table of checked fields
	exec.Use(EventErrors{})
	exec.SetErrorPresenter(ErrorPresenter(log))
	exec.SetRecoverFunc(Recover(log))
	for _, e := range extensions {
		exec.Use(e)
	}
	// Last, so that it is the innermost layer around a response: the
	// loaders count the goroutines of what runs inside it.
	exec.AroundRootFields(countRootField)
	exec.AroundResponses(countOperation)
	return exec
}
