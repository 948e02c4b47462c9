// Package telemetry carries what one request learns about itself on its
// way through the layers (the GraphQL operation, the error code, the SQL
// statements it sent), so the HTTP layer can count it and log it once the
// request ends; and starts the spans of the layers below the request,
// only when the request itself is traced (sampled), so that tracing costs
// nothing where it is off.
package telemetry

import (
	"context"
	"sync/atomic"
	"time"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/trace"
)

// Request is one request's record. The HTTP middleware puts it in the
// context; the layers below fill it in. Operation and ErrorCode are
// written by the GraphQL executor before the response is written, and
// read by the middleware after: no lock is needed. The SQL figures are
// added to concurrently by the resolvers.
type Request struct {
	// Operation is the GraphQL operation's name as it may be used as a
	// metric label (see the metrics package): empty for requests that are
	// not GraphQL.
	Operation string
	// ErrorCode is extensions.code of the response's first error.
	ErrorCode string

	statements atomic.Int64
	sqlNanos   atomic.Int64
}

// Statement records one SQL statement that took d.
func (r *Request) Statement(d time.Duration) {
	if r == nil {
		return
	}
	r.statements.Add(1)
	r.sqlNanos.Add(int64(d))
}

// SQL returns the statements sent for the request so far and the time
// they took.
func (r *Request) SQL() (statements int64, took time.Duration) {
	if r == nil {
		return 0, 0
	}
	return r.statements.Load(), time.Duration(r.sqlNanos.Load())
}

type requestKey struct{}

// With returns ctx carrying r.
func With(ctx context.Context, r *Request) context.Context {
	return context.WithValue(ctx, requestKey{}, r)
}

// From returns the request's record, nil outside a request (jobs, the
// ingest command); every method of a nil record does nothing.
func From(ctx context.Context) *Request {
	r, _ := ctx.Value(requestKey{}).(*Request)
	return r
}

// Scope names the tracers of this program.
const Scope = "github.com/bmkg/mkggraph"

// Start starts a child span of the request's span when that one is
// recorded (tracing on and the request sampled), with the tracer provider
// the request span came from. Otherwise it returns ctx and the parent,
// which records nothing (its End does nothing): tracing that is off or
// sampled out costs a context look-up, no allocation. Callers end the
// span they get in every case.
func Start(ctx context.Context, name string, attrs ...attribute.KeyValue) (context.Context, trace.Span) {
	parent := trace.SpanFromContext(ctx)
	if !parent.IsRecording() {
		return ctx, parent
	}
	return parent.TracerProvider().Tracer(Scope).Start(ctx, name, trace.WithAttributes(attrs...))
}
