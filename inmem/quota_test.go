package inmem

import (
	"context"
	"testing"
	"time"

	"github.com/bmkg/mkggraph/internal/quotatest"
	"github.com/bmkg/mkggraph/mkg"
)

// TestQuotasContract: the in-process quotas meet the contract the Redis
// script meets (redis.TestQuotasContract).
func TestQuotasContract(t *testing.T) {
	quotatest.Run(t, NewQuotas(0), "acct:1")
	q := NewQuotas(0)
	quotatest.RunShared(t, q, q, "acct:2")
}

// TestQuotasBounded: past its bound the table forgets, it never grows.
func TestQuotasBounded(t *testing.T) {
	q := NewQuotas(3)
	now := time.Now()
	b := mkg.Budget{PerMinute: 10, PerDay: 10}
	for _, s := range []string{"a", "b", "c", "d", "e"} {
		if _, ok, _ := q.Spend(context.Background(), s, b, 1, now); !ok {
			t.Fatalf("%s refused", s)
		}
	}
	if n := len(q.used); n > 3 {
		t.Fatalf("the table holds %d subjects; the bound is 3", n)
	}
}
