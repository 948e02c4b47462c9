package cache

import (
	"context"
	"log/slog"
	"sync/atomic"
	"time"

	"github.com/bmkg/mkggraph/inmem"
	"github.com/bmkg/mkggraph/internal/lograte"
	"github.com/bmkg/mkggraph/mkg"
)

// Quotas spends budgets in a shared store (Redis) and falls back to
// in-process spending when it fails: a call is given QuotaTimeout, and
// after a failure the shared store is left alone for QuotaSkip. A request
// thus never waits long on a Redis that does not answer and is never
// refused because of it; while Redis is down each instance keeps its own
// count (so the budget is per instance for that while, the documented
// price of answering at all). The failure is logged once a minute.
type Quotas struct {
	shared mkg.Quotas // nil: in-process only
	local  *inmem.Quotas
	log    *lograte.Logger

	// skipUntil is when (Unix nanoseconds) to try the shared store again
	// after it failed: read by every charge, so an atomic, not a mutex.
	skipUntil atomic.Int64
}

const (
	// QuotaTimeout bounds one shared call: Redis answers a check in well
	// under a millisecond.
	QuotaTimeout = 100 * time.Millisecond
	// QuotaSkip is how long the in-process count is used after the
	// shared store failed, before it is tried again.
	QuotaSkip = 2 * time.Second
)

var _ mkg.Quotas = (*Quotas)(nil)

// NewQuotas spends in shared (nil: in-process only).
func NewQuotas(shared mkg.Quotas, log *slog.Logger) *Quotas {
	return &Quotas{shared: shared, local: inmem.NewQuotas(0), log: lograte.New(log, time.Minute)}
}

// Spend implements mkg.Quotas; it never fails.
func (q *Quotas) Spend(ctx context.Context, subject string, b mkg.Budget, cost int64, now time.Time) (mkg.QuotaUsage, bool, error) {
	if q.useShared() {
		sctx, cancel := context.WithTimeout(ctx, QuotaTimeout)
		used, ok, err := q.shared.Spend(sctx, subject, b, cost, now)
		cancel()
		if err == nil {
			return used, ok, nil
		}
		if ctx.Err() == nil { // the request's own end is not the store's failure
			q.skipUntil.Store(time.Now().Add(QuotaSkip).UnixNano())
			q.log.Log(ctx, slog.LevelWarn, "quotas", "quotas: the shared store failed; counting in-process for now", slog.Any("err", err))
		}
	}
	return q.local.Spend(ctx, subject, b, cost, now)
}

func (q *Quotas) useShared() bool {
	return q.shared != nil && time.Now().UnixNano() > q.skipUntil.Load()
}
