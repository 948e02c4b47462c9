// Package quotatest is the contract every mkg.Quotas implementation
// meets, run by each implementation's tests (in-process, Redis).
package quotatest

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/bmkg/mkggraph/mkg"
)

// Run checks q against the contract. subject must be fresh (no spending
// yet); q must be shared by whoever else spends, as the concurrency case
// spends from several goroutines.
func Run(t *testing.T, q mkg.Quotas, subject string) {
	ctx := context.Background()
	b := mkg.Budget{PerMinute: 100, PerDay: 250}
	// 10:00:30 UTC: the minute ends at 10:01, the day at midnight.
	now := time.Date(2026, 3, 2, 10, 0, 30, 0, time.UTC)
	spend := func(at time.Time, cost int64, wantOK bool, want mkg.QuotaUsage) {
		t.Helper()
		got, ok, err := q.Spend(ctx, subject, b, cost, at)
		if err != nil {
			t.Fatal(err)
		}
		if ok != wantOK || got != want {
			t.Fatalf("Spend(%d at %s) = %+v, %v; want %+v, %v", cost, at.Format(time.TimeOnly), got, ok, want, wantOK)
		}
	}
	spend(now, 0, true, mkg.QuotaUsage{}) // reading spends nothing
	spend(now, 60, true, mkg.QuotaUsage{Minute: 60, Day: 60})
	spend(now, 41, false, mkg.QuotaUsage{Minute: 60, Day: 60})  // 101 > 100: refused, nothing charged
	spend(now, 40, true, mkg.QuotaUsage{Minute: 100, Day: 100}) // exactly the limit
	spend(now, 1, false, mkg.QuotaUsage{Minute: 100, Day: 100})
	// The next minute starts again; the day goes on counting.
	next := now.Add(time.Minute)
	spend(next, 0, true, mkg.QuotaUsage{Minute: 0, Day: 100})
	spend(next, 100, true, mkg.QuotaUsage{Minute: 100, Day: 200})
	later := next.Add(time.Minute)
	spend(later, 51, false, mkg.QuotaUsage{Minute: 0, Day: 200}) // the day refuses
	spend(later, 50, true, mkg.QuotaUsage{Minute: 50, Day: 250})
	// A new UTC day starts both again.
	tomorrow := time.Date(2026, 3, 3, 0, 0, 1, 0, time.UTC)
	spend(tomorrow, 0, true, mkg.QuotaUsage{})
	// Another subject has its own windows.
	if got, _, err := q.Spend(ctx, subject+"-other", b, 0, later); err != nil || got != (mkg.QuotaUsage{}) {
		t.Fatalf("another subject's usage = %+v, %v; want none", got, err)
	}
	// Concurrent charges never pass the budget together: 40 goroutines
	// asking 10 each share 100 a minute: exactly 10 are charged.
	at := tomorrow.Add(time.Hour)
	var wg sync.WaitGroup
	var mu sync.Mutex
	charged := 0
	for range 40 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, ok, err := q.Spend(ctx, subject, b, 10, at)
			if err != nil {
				t.Error(err)
			}
			if ok {
				mu.Lock()
				charged++
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	if charged != 10 {
		t.Fatalf("%d concurrent charges of 10 passed a budget of 100; want 10", charged)
	}
	spend(at, 0, true, mkg.QuotaUsage{Minute: 100, Day: 100})
}
