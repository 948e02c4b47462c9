package metrics

import (
	"context"
	"strings"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/bmkg/mkggraph/internal/telemetry"
)

// GraphQL returns the gqlgen extension that names each request's
// operation and first error code in its record (telemetry.Request, counted
// by ObserveRequest) and times resolver fields (TimeField, which the
// executor's one field middleware calls: see graph.FieldTimer).
func (m *Metrics) GraphQL() graphql.HandlerExtension { return graphQLExtension{m} }

type graphQLExtension struct{ m *Metrics }

var _ graphql.ResponseInterceptor = graphQLExtension{}

func (graphQLExtension) ExtensionName() string                          { return "Metrics" }
func (graphQLExtension) Validate(schema graphql.ExecutableSchema) error { return nil }

// InterceptResponse records the operation (only a validated document has
// one: a request refused before validation is "invalid") and the first
// error's code.
func (g graphQLExtension) InterceptResponse(ctx context.Context, next graphql.ResponseHandler) *graphql.Response {
	resp := next(ctx)
	rec := telemetry.From(ctx)
	if rec == nil || isSubscription(ctx) {
		// A subscription's events are counted apart (SubscriptionEvent):
		// the subscriptions of one connection share its request's record,
		// and their events are answered concurrently.
		return resp
	}
	rec.Operation = "invalid"
	if graphql.HasOperationContext(ctx) {
		if oc := graphql.GetOperationContext(ctx); oc != nil && oc.Operation != nil {
			rec.Operation = g.m.operationLabel(oc.Operation.Name)
		}
	}
	if resp != nil && len(resp.Errors) > 0 && rec.ErrorCode == "" {
		rec.ErrorCode = g.m.codeLabel(resp.Errors[0].Extensions["code"])
	}
	return resp
}

// TimeField records how long a field that runs a resolver took (the
// executor times only those: the others are read from their parent, and
// timing them would cost more than they do). The field's histogram is
// found without allocating; its coordinate comes from the schema, so their
// number is bounded by it.
func (g graphQLExtension) TimeField(object, field string, took time.Duration) {
	g.m.field(object, field).Observe(took.Seconds())
}

func (m *Metrics) field(object, name string) prometheus.Observer {
	key := [2]string{object, name}
	m.fieldMu.RLock()
	o, ok := m.fieldObs[key]
	m.fieldMu.RUnlock()
	if ok {
		return o
	}
	m.fieldMu.Lock()
	defer m.fieldMu.Unlock()
	if o, ok := m.fieldObs[key]; ok {
		return o
	}
	o = m.fields.WithLabelValues(object + "." + name)
	// The name may be part of a request's document: keep a copy.
	m.fieldObs[[2]string{strings.Clone(object), strings.Clone(name)}] = o
	return o
}

// isSubscription reports whether ctx is a validated subscription's.
func isSubscription(ctx context.Context) bool {
	if !graphql.HasOperationContext(ctx) {
		return false
	}
	oc := graphql.GetOperationContext(ctx)
	return oc != nil && oc.Operation != nil && oc.Operation.Operation == ast.Subscription
}
