package graph

import (
	"context"
	"sync"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/bmkg/mkggraph/dataloaders"
)

// The executor tells the request's loaders which of its goroutines run, so
// that a batch runs when every one of them waits for a load, and not after
// a time window (see dataloaders/batcher.go). Its goroutines are those of
// the root fields of a query, which run concurrently, and those of the
// elements of every list, which graphql.MarshalSliceConcurrently marshals
// each in a goroutine of its own: the generated code calls marshalSlice
// instead (internal/gqlgen rewrites the calls). Subscriptions are not
// counted: their events' loads wait dataloaders.Options.Wait.

// countOperation counts a query's or a mutation's goroutines for the
// loaders, for the duration of its response; it also keeps the
// operation's cache of collected fields (objects.go) for that time.
func countOperation(ctx context.Context, next graphql.ResponseHandler) *graphql.Response {
	oc := graphql.GetOperationContext(ctx)
	if oc == nil || oc.Operation == nil {
		return next(ctx)
	}
	var roots int
	switch oc.Operation.Operation {
	case ast.Query:
		roots = concurrentRoots(oc)
	case ast.Mutation:
		roots = 0 // they run one after another: each counts when it starts
	default:
		return next(ctx)
	}
	ctx = dataloaders.Track(ctx, oc, roots)
	defer dataloaders.Untrack(ctx)
	defer cacheFields(oc)()
	return next(ctx)
}

// concurrentRoots is how many root fields of a query run, each in its own
// goroutine or in the executor's, through the root field middleware: all
// but __typename, which the generated code answers itself.
func concurrentRoots(oc *graphql.OperationContext) int {
	n := 0
	for _, f := range graphql.CollectFields(oc, oc.Operation.SelectionSet, []string{"Query"}) {
		if f.Name != "__typename" {
			n++
		}
	}
	return n
}

// countRootField counts a root field's goroutine as ended when it is.
func countRootField(ctx context.Context, next graphql.RootResolver) graphql.Marshaler {
	if oc := graphql.GetOperationContext(ctx); oc != nil && oc.Operation != nil && oc.Operation.Operation == ast.Mutation {
		dataloaders.RootStarted(ctx)
	}
	defer dataloaders.RootDone(ctx)
	return next(ctx)
}

// marshalSlice is graphql.MarshalSliceConcurrently, with the elements'
// goroutines counted for the loaders and taken from the element workers
// (elements.go). The generated code calls it.
func marshalSlice(ctx context.Context, length int, workerLimit int64, omitPanicHandler bool,
	marshalElement func(ctx context.Context, i int) graphql.Marshaler) graphql.Array {
	// With a worker limit, elements wait for a slot without waiting for a
	// load: they would count as running and hold batches back. One
	// element runs in the caller's goroutine.
	if workerLimit != 0 || length < 2 {
		return graphql.MarshalSliceConcurrently(ctx, length, workerLimit, omitPanicHandler, marshalElement)
	}
	fork := dataloaders.NewFork(ctx, length) // nil when ctx is not counted
	ret := make(graphql.Array, length)
	var wg sync.WaitGroup
	wg.Add(length)
	for i := range length {
		fc := &graphql.FieldContext{Index: &i}
		elementCtx := graphql.WithFieldContext(ctx, fc)
		elementWorkers.run(func() {
			defer wg.Done()
			if fork != nil {
				defer fork.Done()
			}
			if !omitPanicHandler {
				defer func() {
					if r := recover(); r != nil {
						graphql.AddError(elementCtx, graphql.Recover(elementCtx, r))
						ret[i] = graphql.Null
					}
				}()
			}
			ret[i] = marshalElement(elementCtx, i)
		})
	}
	wg.Wait()
	return ret
}
