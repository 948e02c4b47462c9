package graph

import (
	"context"
	"fmt"
	"maps"
	"sync"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/bmkg/mkggraph/mkg"
)

// A Bill records what the operations of one HTTP request were charged to
// their caller's budget (QueryLimits charges each operation, batches and
// subscriptions included, before it runs), for the transport to tell the
// client: extensions.cost and the X-RateLimit-* headers.
type Bill struct {
	mu      sync.Mutex
	pending *mkg.QuotaState // the last charge not yet taken
	costs   []int64         // every operation's requested cost, in order
	// What the request used (mkg.Usage): the cost of every operation that
	// ran, charged or not, and the rows it returned by dataset.
	used int64
	rows map[mkg.Dataset]int64
}

// measured records the cost of an operation about to run.
func (b *Bill) measured(cost int) {
	if b == nil {
		return
	}
	b.mu.Lock()
	b.used += int64(cost)
	b.mu.Unlock()
}

// returned records n rows of dataset d in the response.
func (b *Bill) returned(d mkg.Dataset, n int64) {
	if b == nil || n == 0 {
		return
	}
	b.mu.Lock()
	if b.rows == nil {
		b.rows = map[mkg.Dataset]int64{}
	}
	b.rows[d] += n
	b.mu.Unlock()
}

// Reuse records what an answer reused from memory used when it ran (a
// stored response counts in usage as if it ran again).
func (b *Bill) Reuse(cost int64, rows map[mkg.Dataset]int64) {
	if b == nil {
		return
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	b.used += cost
	for d, n := range rows {
		if b.rows == nil {
			b.rows = map[mkg.Dataset]int64{}
		}
		b.rows[d] += n
	}
}

// Used returns the cost of the operations that ran and the rows they
// returned by dataset.
func (b *Bill) Used() (int64, map[mkg.Dataset]int64) {
	if b == nil {
		return 0, nil
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.used, maps.Clone(b.rows)
}

type billKey struct{}

// WithBill returns ctx carrying a new, empty bill.
func WithBill(ctx context.Context) (context.Context, *Bill) {
	b := &Bill{}
	return context.WithValue(ctx, billKey{}, b), b
}

// BillFrom returns the request's bill, or nil.
func BillFrom(ctx context.Context) *Bill {
	b, _ := ctx.Value(billKey{}).(*Bill)
	return b
}

func (b *Bill) add(s mkg.QuotaState) {
	if b == nil {
		return
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	b.pending = &s
	if s.Allowed {
		b.costs = append(b.costs, s.Requested)
	}
}

// Take returns the charge made since the last Take (the operation just
// run), if any.
func (b *Bill) Take() (mkg.QuotaState, bool) {
	if b == nil {
		return mkg.QuotaState{}, false
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.pending == nil {
		return mkg.QuotaState{}, false
	}
	s := *b.pending
	b.pending = nil
	return s, true
}

// Costs returns the requested cost of every operation charged, in order.
func (b *Bill) Costs() []int64 {
	b.mu.Lock()
	defer b.mu.Unlock()
	return append([]int64(nil), b.costs...)
}

// costStat names the operation's cost among its stats.
const costStat = "mkg.cost"

// OperationCost returns the cost measured for the operation of ctx before
// it ran (0 outside one): what each event of a subscription costs.
func OperationCost(ctx context.Context) int {
	if !graphql.HasOperationContext(ctx) {
		return 0
	}
	c, _ := graphql.GetOperationContext(ctx).Stats.GetExtension(costStat).(int)
	return c
}

// chargeQuota spends an operation's cost (Measure.Cost, the complexity
// computed before it runs) from the caller's budget, or refuses it
// RATE_LIMITED. The quota store never fails (cache.Quotas falls back to
// in-process counting); if it did, the request would run uncharged rather
// than be refused for the server's own fault.
func (l *QueryLimits) chargeQuota(ctx context.Context, cost int) *gqlerror.Error {
	if l.Quota == nil {
		return nil
	}
	s, err := l.Quota.Charge(ctx, mkg.PrincipalFrom(ctx), mkg.ClientFrom(ctx), int64(cost))
	if err != nil {
		return nil
	}
	BillFrom(ctx).add(s)
	if s.Allowed {
		return nil
	}
	return RateLimited(s)
}

// RateLimited is the error of a request refused by its caller's budget.
func RateLimited(s mkg.QuotaState) *gqlerror.Error {
	msg := fmt.Sprintf("the operation costs %d points and %d of your %d per %s are left; the %s's budget resets at %s",
		s.Requested, s.Remaining, s.Limit, s.Window, s.Window, s.ResetAt.UTC().Format(time.RFC3339))
	if s.NeverFits {
		msg = fmt.Sprintf("the operation costs %d points, more than your whole budget of %d per %s: ask for smaller pages",
			s.Requested, s.Limit, s.Window)
	}
	err := limitError(mkg.CodeRateLimited, "%s", msg)
	err.Extensions["cost"] = CostExtension(s)
	return err
}

// CostExtension is extensions.cost of a response: the cost requested and
// actually charged (the same: the actual cost is not measured, the
// requested one is charged before the operation runs), and the budget's
// window that binds.
func CostExtension(s mkg.QuotaState) map[string]any {
	actual := s.Requested
	if !s.Allowed {
		actual = 0
	}
	return map[string]any{"requested": s.Requested, "actual": actual, "limit": s.Limit, "remaining": s.Remaining,
		"resetAt": s.ResetAt.UTC().Format(time.RFC3339), "window": s.Window}
}
