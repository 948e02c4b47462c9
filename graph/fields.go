package graph

import (
	"context"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/gqlerror"
)

// FieldTimer is implemented by an executor extension that records how
// long each field running a resolver took (metrics.Metrics.GraphQL).
type FieldTimer interface {
	TimeField(object, field string, took time.Duration)
}

// fieldMiddleware is the executor's one field middleware: the string
// arguments' check (Strings), then the timer when the field runs a
// resolver, then access rights (Authorizer). They are one layer, not three
// extensions, because gqlgen wraps every field in a closure and two stack
// frames per field middleware, and a list element's goroutine goes through
// them at every level it nests: in a profile of the dashboard query without
// the response cache, growing those goroutines' stacks was a sixth of the
// process's CPU (BENCHMARKS.md, issue 10).
type fieldMiddleware struct {
	authz *Authorizer
	timer FieldTimer // nil: fields are not timed
}

func (m fieldMiddleware) resolve(ctx context.Context, next graphql.Resolver) (any, error) {
	fc := graphql.GetFieldContext(ctx)
	if fc == nil || fc.Field.Field == nil {
		return next(ctx)
	}
	if len(fc.Field.Arguments) > 0 {
		if err := checkStrings(ctx, fc); err != nil {
			return nil, err
		}
	}
	if m.timer == nil || !fc.IsResolver {
		return m.authz.resolve(ctx, fc, next)
	}
	start := time.Now()
	res, err := m.authz.resolve(ctx, fc, next)
	m.timer.TimeField(fc.Object, fc.Field.Name, time.Since(start))
	return res, err
}

// directFields makes fieldMiddleware the operation's field middleware
// itself. Installed with AroundFields, it would be the one interceptor of
// gqlgen's chain, which wraps it in a closure made for every field (7 % of
// the allocations of the dashboard without the response cache) and two
// more stack frames. The executor sets its chain on the operation context
// before the mutators run; this mutator replaces it. NewExecutor refuses
// an extension that intercepts fields, which the chain would have run.
type directFields struct{ resolve graphql.FieldMiddleware }

func (directFields) ExtensionName() string                   { return "FieldMiddleware" }
func (directFields) Validate(graphql.ExecutableSchema) error { return nil }
func (d directFields) MutateOperationContext(_ context.Context, oc *graphql.OperationContext) *gqlerror.Error {
	oc.ResolverMiddleware = d.resolve
	return nil
}
