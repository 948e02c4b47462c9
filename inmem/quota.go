package inmem

import (
	"context"
	"sync"
	"time"

	"github.com/bmkg/mkggraph/mkg"
)

// Quotas is an in-process mkg.Quotas: one instance's view, for a server
// without Redis and as the fallback while Redis fails. Its table is
// bounded: past max subjects, ended windows are dropped and, failing that,
// the whole table is reset (forgetting spending is safe for the server;
// remembering without bound is not).
type Quotas struct {
	max int

	mu   sync.Mutex
	used map[string]*spent
}

type spent struct {
	minute, day       string // the windows' keys
	minuteN, dayN     int64
	minuteEnd, dayEnd time.Time
}

var _ mkg.Quotas = (*Quotas)(nil)

// NewQuotas returns quotas for at most max subjects (100,000 when 0).
func NewQuotas(max int) *Quotas {
	if max <= 0 {
		max = 100_000
	}
	return &Quotas{max: max, used: map[string]*spent{}}
}

// Spend implements mkg.Quotas.
func (q *Quotas) Spend(_ context.Context, subject string, b mkg.Budget, cost int64, now time.Time) (mkg.QuotaUsage, bool, error) {
	minute, day := mkg.QuotaWindows(now)
	q.mu.Lock()
	defer q.mu.Unlock()
	s := q.used[subject]
	if s == nil {
		if len(q.used) >= q.max {
			q.used = pruned(q.used, q.max, func(s *spent) bool { return !now.Before(s.dayEnd) })
		}
		s = &spent{}
		q.used[subject] = s
	}
	if s.minute != minute.Key {
		s.minute, s.minuteN, s.minuteEnd = minute.Key, 0, minute.End
	}
	if s.day != day.Key {
		s.day, s.dayN, s.dayEnd = day.Key, 0, day.End
	}
	used := mkg.QuotaUsage{Minute: s.minuteN, Day: s.dayN}
	if !b.Admits(used, cost) {
		return used, false, nil
	}
	s.minuteN += cost
	s.dayN += cost
	return mkg.QuotaUsage{Minute: s.minuteN, Day: s.dayN}, true, nil
}
