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
	exactWithLease(t, q, subject+"-lease", now)
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

// exactWithLease: one holder reports exactly what it spent, also when it
// holds a lease (a large budget), and refuses what passes the budget.
func exactWithLease(t *testing.T, q mkg.Quotas, subject string, now time.Time) {
	t.Helper()
	b := mkg.Budget{PerMinute: 100_000, PerDay: 100_000}
	for i, c := range []struct {
		cost int64
		ok   bool
		want int64
	}{{1, true, 1}, {1, true, 2}, {0, true, 2}, {500, true, 502}, {99_499, false, 502}, {3, true, 505}, {99_495, true, 100_000}, {1, false, 100_000}} {
		used, ok, err := q.Spend(context.Background(), subject, b, c.cost, now)
		if err != nil {
			t.Fatal(err)
		}
		if ok != c.ok || used != (mkg.QuotaUsage{Minute: c.want, Day: c.want}) {
			t.Fatalf("charge %d (%d) with a lease: %+v, %v; want %d used, charged %v", i+1, c.cost, used, ok, c.want, c.ok)
		}
	}
}

// RunShared checks two holders of one budget store: two instances on one
// Redis, each with its own leases (a store without leases passes the same
// store twice). subject must be fresh. Together they never charge more
// than the budget, and once both are refused they have charged all of it
// (unspent leases were given back); a small budget is charged exactly,
// request by request, whichever holder is asked; a new minute starts
// again on both, and what they leased in the ended minute and did not
// spend goes back to the day.
func RunShared(t *testing.T, a, b mkg.Quotas, subject string) {
	t.Run("together never past the budget", func(t *testing.T) { together(t, a, b, subject+"-together") })
	t.Run("a refused holder gives its lease back", func(t *testing.T) { givenBack(t, a, b, subject+"-back") })
	t.Run("a lowered budget applies at once", func(t *testing.T) { lowered(t, a, b, subject+"-lowered") })
	t.Run("a small budget is exact", func(t *testing.T) { smallExact(t, a, b, subject+"-small") })
	t.Run("a new window starts again", func(t *testing.T) { newWindow(t, a, b, subject+"-window") })
}

// at is a time early in a minute for the shared cases.
var at = time.Date(2026, 3, 2, 10, 0, 5, 0, time.UTC)

func together(t *testing.T, a, b mkg.Quotas, subject string) {
	ctx := context.Background()
	budget := mkg.Budget{PerMinute: 5000, PerDay: 5000}
	var wg sync.WaitGroup
	var mu sync.Mutex
	charged := int64(0)
	// Four goroutines on each holder spend 1 point at a time until
	// refused.
	for i := range 8 {
		q := []mkg.Quotas{a, b}[i%2]
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				_, ok, err := q.Spend(ctx, subject, budget, 1, at)
				if err != nil {
					t.Error(err)
					return
				}
				if !ok {
					return
				}
				mu.Lock()
				charged++
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	if charged != budget.PerMinute {
		t.Fatalf("two holders charged %d points of a budget of %d; want all of it and no more", charged, budget.PerMinute)
	}
	for _, q := range []mkg.Quotas{a, b} {
		if used, ok, err := q.Spend(ctx, subject, budget, 1, at); err != nil || ok || used != (mkg.QuotaUsage{Minute: 5000, Day: 5000}) {
			t.Errorf("once spent: %+v, %v, %v; want refused at 5000", used, ok, err)
		}
	}
}

func givenBack(t *testing.T, a, b mkg.Quotas, subject string) {
	ctx := context.Background()
	budget := mkg.Budget{PerMinute: 5000, PerDay: 5000}
	spend := func(q mkg.Quotas, cost int64, want bool) {
		t.Helper()
		if _, ok, err := q.Spend(ctx, subject, budget, cost, at); err != nil || ok != want {
			t.Fatalf("charge of %d: %v, %v; want %v", cost, ok, err, want)
		}
	}
	spend(a, 1, true)    // a may hold a lease
	spend(b, 4800, true) // b takes what it can
	u, _, err := b.Spend(ctx, subject, budget, 0, at)
	if err != nil {
		t.Fatal(err)
	}
	if held := u.Minute - 4801; held > 0 { // what a holds unspent, as b sees it
		// a is refused a charge larger than what is left (its lease
		// included): it gives the lease back, and b may spend it.
		spend(b, 199, false)
		spend(a, 200, false)
	}
	spend(b, 199, true)
	spend(b, 1, false)
	spend(a, 1, false)
}

// lowered: a holder that leased under a large budget gives the lease back
// when it next meets the subject's lowered budget (an admin's change), so
// another holder may spend all of the new budget.
func lowered(t *testing.T, a, b mkg.Quotas, subject string) {
	ctx := context.Background()
	if _, ok, err := a.Spend(ctx, subject, mkg.Budget{PerMinute: 100_000, PerDay: 100_000}, 1, at); err != nil || !ok {
		t.Fatal(ok, err)
	}
	small := mkg.Budget{PerMinute: 10, PerDay: 10}
	if _, _, err := a.Spend(ctx, subject, small, 0, at); err != nil {
		t.Fatal(err)
	}
	if used, ok, err := b.Spend(ctx, subject, small, 9, at); err != nil || !ok || used != (mkg.QuotaUsage{Minute: 10, Day: 10}) {
		t.Errorf("9 more on a budget lowered to 10 with 1 spent: %+v, %v, %v; want charged, all of it used", used, ok, err)
	}
}

func smallExact(t *testing.T, a, b mkg.Quotas, subject string) {
	ctx := context.Background()
	budget := mkg.Budget{PerMinute: 100, PerDay: 100}
	for i := range 12 {
		q := []mkg.Quotas{a, b}[i%2]
		used, ok, err := q.Spend(ctx, subject, budget, 10, at)
		if err != nil {
			t.Fatal(err)
		}
		spent := int64(min(10*(i+1), 100))
		if want := i < 10; ok != want || used != (mkg.QuotaUsage{Minute: spent, Day: spent}) {
			t.Fatalf("charge %d of 10 on a budget of 100: %+v, %v; want %d spent, charged %v", i+1, used, ok, spent, want)
		}
	}
}

func newWindow(t *testing.T, a, b mkg.Quotas, subject string) {
	ctx := context.Background()
	budget := mkg.Budget{PerMinute: 1000, PerDay: 5000}
	spend := func(now time.Time, n int) {
		t.Helper()
		for i := range n {
			if _, ok, err := []mkg.Quotas{a, b}[i%2].Spend(ctx, subject, budget, 1, now); err != nil || !ok {
				t.Fatalf("charge %d at %s: %v, %v", i+1, now.Format(time.TimeOnly), ok, err)
			}
		}
	}
	read := func(q mkg.Quotas, now time.Time) mkg.QuotaUsage {
		t.Helper()
		used, _, err := q.Spend(ctx, subject, budget, 0, now)
		if err != nil {
			t.Fatal(err)
		}
		return used
	}
	spend(at, 300)
	// The next minute: both holders may spend the whole minute's budget
	// again, together, and no more; what they held unspent of the last
	// minute went back to the day.
	next := at.Add(time.Minute)
	charged := 0
	for i := 0; ; i++ {
		_, ok, err := []mkg.Quotas{a, b}[i%2].Spend(ctx, subject, budget, 1, next)
		if err != nil {
			t.Fatal(err)
		}
		if ok {
			charged++
		} else if _, ok, _ := []mkg.Quotas{a, b}[(i+1)%2].Spend(ctx, subject, budget, 1, next); !ok {
			break
		} else {
			charged++
		}
	}
	if charged != 1000 {
		t.Errorf("the next minute charged %d on two holders; want its budget, 1000", charged)
	}
	later := next.Add(time.Minute)
	read(a, later)
	read(b, later)
	for _, q := range []mkg.Quotas{a, b} {
		if got := read(q, later); got != (mkg.QuotaUsage{Minute: 0, Day: 1300}) {
			t.Errorf("two minutes later: %+v; want the minute empty and the day at what was spent, 1300", got)
		}
	}
	// A new day starts both windows on both holders.
	tomorrow := time.Date(2026, 3, 3, 0, 0, 1, 0, time.UTC)
	for _, q := range []mkg.Quotas{a, b} {
		if got := read(q, tomorrow); got != (mkg.QuotaUsage{}) {
			t.Errorf("the next day: %+v; want nothing spent", got)
		}
	}
	// What either reports as used is never less than what was spent (what
	// is left is never over-stated).
	spend(tomorrow, 10)
	for _, q := range []mkg.Quotas{a, b} {
		if got := read(q, tomorrow); got.Minute < 10 || got.Day < 10 || got.Minute > 1000 {
			t.Errorf("the next day after 10 charges: %+v reported used; want at least 10", got)
		}
	}
}
