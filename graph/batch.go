package graph

import (
	"context"
	"sync"

	"github.com/vektah/gqlparser/v2/gqlerror"
)

// A batch (several operations in one HTTP request, as Apollo Client's and
// Relay's batching send) is bound by one request's limits: its operations'
// validation work, cost and run-time work add up, and the batch is
// refused from the operation that passes a limit on (QueryLimits asks
// the budget). Depth stays per operation: it bounds how one operation
// nests, not how much a request costs.
type batchBudget struct {
	mu                    sync.Mutex
	docWork, cost, opWork int
}

type batchKey struct{}

// WithBatch returns ctx carrying a new budget shared by the operations of
// one batch run in it.
func WithBatch(ctx context.Context) context.Context {
	return context.WithValue(ctx, batchKey{}, &batchBudget{})
}

func batchFrom(ctx context.Context) *batchBudget {
	b, _ := ctx.Value(batchKey{}).(*batchBudget)
	return b
}

// chargeDocument adds a document's validation work; the error says when
// the batch's documents together pass the limit.
func (b *batchBudget) chargeDocument(work, max int) *gqlerror.Error {
	if b == nil {
		return nil
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	b.docWork += work
	if b.docWork > max {
		return limitError(CodeWorkLimit, "validating the batch's documents together would take %d or more units of work; the limit for one request is %d", b.docWork, max)
	}
	return nil
}

// chargeOperation adds an operation's measure.
func (b *batchBudget) chargeOperation(m Measure, l *QueryLimits) *gqlerror.Error {
	if b == nil {
		return nil
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	b.cost += m.Cost
	b.opWork += m.Work
	switch {
	case b.cost > l.MaxCost:
		return limitError(CodeComplexityLimit, "the batch's operations together have complexity %d, which exceeds the limit of %d for one request", b.cost, l.MaxCost)
	case b.opWork > l.MaxWork:
		return limitError(CodeWorkLimit, "the batch's operations together would read %d or more argument values as they run; the limit for one request is %d",
			b.opWork/ValueWork, l.MaxWork/ValueWork)
	}
	return nil
}
