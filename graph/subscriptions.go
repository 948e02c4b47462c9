package graph

import (
	"context"
	"sync"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
)

// EventErrors puts the field errors of each subscription event into that
// event's message. gqlgen resolves an event's fields in the context the
// subscription started in, so their errors (a FORBIDDEN field after a grant
// was withdrawn) would go to the start's error list, which nobody reads
// again, and grow with every event. Here, once the subscription has
// started, the error presenter hands them to the operation's sink instead
// (divert), and each response takes those gathered while it was made.
type EventErrors struct{}

var _ interface {
	graphql.HandlerExtension
	graphql.OperationInterceptor
	graphql.ResponseInterceptor
} = EventErrors{}

// ExtensionName implements graphql.HandlerExtension.
func (EventErrors) ExtensionName() string { return "EventErrors" }

// Validate implements graphql.HandlerExtension.
func (EventErrors) Validate(graphql.ExecutableSchema) error { return nil }

type eventSink struct {
	mu    sync.Mutex
	armed bool // the subscription has started: errors belong to events
	errs  gqlerror.List
}

type eventSinkKey struct{}

// InterceptOperation implements graphql.OperationInterceptor.
func (EventErrors) InterceptOperation(ctx context.Context, next graphql.OperationHandler) graphql.ResponseHandler {
	if op := graphql.GetOperationContext(ctx); op.Operation != nil && op.Operation.Operation == ast.Subscription {
		ctx = context.WithValue(ctx, eventSinkKey{}, &eventSink{})
	}
	return next(ctx)
}

// InterceptResponse implements graphql.ResponseInterceptor.
func (EventErrors) InterceptResponse(ctx context.Context, next graphql.ResponseHandler) *graphql.Response {
	s, _ := ctx.Value(eventSinkKey{}).(*eventSink)
	if s == nil {
		return next(ctx)
	}
	s.mu.Lock()
	s.armed = true
	s.mu.Unlock()
	resp := next(ctx)
	s.mu.Lock()
	errs := s.errs
	s.errs = nil
	s.mu.Unlock()
	if resp != nil {
		resp.Errors = append(resp.Errors, errs...)
	}
	return resp
}

// divert takes a presented error for the current event when ctx is a
// started subscription's.
func divert(ctx context.Context, err *gqlerror.Error) bool {
	s, _ := ctx.Value(eventSinkKey{}).(*eventSink)
	if s == nil {
		return false
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.armed {
		return false
	}
	s.errs = append(s.errs, err)
	return true
}
