package cache

import (
	"context"
	"errors"
	"log/slog"
	"testing"
	"time"

	"github.com/bmkg/mkggraph/mkg"
)

// hangingQuotas is a shared store that does not answer until its caller
// gives up, then fails, as a Redis that stopped answering does.
type hangingQuotas struct{ calls int }

func (h *hangingQuotas) Spend(ctx context.Context, _ string, _ mkg.Budget, _ int64, _ time.Time) (mkg.QuotaUsage, bool, error) {
	h.calls++
	<-ctx.Done()
	return mkg.QuotaUsage{}, false, errors.New("i/o timeout")
}

// TestQuotasFallBack: a shared store that hangs costs one call
// QuotaTimeout at most, then is left alone for QuotaSkip while spending
// goes on in process: never an error, never a wait per request.
func TestQuotasFallBack(t *testing.T) {
	shared := &hangingQuotas{}
	q := NewQuotas(shared, slog.New(slog.DiscardHandler))
	b := mkg.Budget{PerMinute: 10, PerDay: 10}
	now := time.Now()
	start := time.Now()
	for i := range 5 {
		used, ok, err := q.Spend(context.Background(), "acct:1", b, 3, now)
		if want := i < 3; err != nil || ok != want {
			t.Fatalf("charge %d: %v, %v, %v; want charged %v in process", i, used, ok, err, want)
		}
	}
	if took := time.Since(start); took > QuotaTimeout+time.Second {
		t.Errorf("five charges took %s with the shared store hanging", took)
	}
	if shared.calls != 1 {
		t.Errorf("the hanging store was called %d times; want once, then skipped", shared.calls)
	}
}

// freeQuotas is a shared store that answers at once: what is left of a
// charge is cache.Quotas' own work.
type freeQuotas struct{}

func (freeQuotas) Spend(context.Context, string, mkg.Budget, int64, time.Time) (mkg.QuotaUsage, bool, error) {
	return mkg.QuotaUsage{}, true, nil
}

// BenchmarkQuotasSpend is cache.Quotas' own cost per charge (deciding to
// use the shared store, bounding its call), from GOMAXPROCS goroutines as
// requests charge.
func BenchmarkQuotasSpend(b *testing.B) {
	q := NewQuotas(freeQuotas{}, slog.New(slog.DiscardHandler))
	budget := mkg.Budget{PerMinute: mkg.MaxBudgetPerMinute, PerDay: mkg.MaxBudgetPerDay}
	now := time.Now()
	b.RunParallel(func(pb *testing.PB) {
		ctx := context.Background()
		for pb.Next() {
			if _, _, err := q.Spend(ctx, "acct:1", budget, 3, now); err != nil {
				b.Error(err)
				return
			}
		}
	})
}
