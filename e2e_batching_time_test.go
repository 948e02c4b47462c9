package main

import (
	"testing"
	"time"

	"github.com/bmkg/mkggraph/dataloaders"
)

// TestBatchingDoesNotDependOnTime runs the batching tests' queries on
// servers whose loaders wait 5 s before a batch runs without its count
// (dataloaders.Options). They must batch as well as with the defaults,
// and every request must be answered well within those 5 s: a batch that
// needed its time limit (a loader batching by a time window, or goroutines
// the executor does not count for the loaders) would take them.
func TestBatchingDoesNotDependOnTime(t *testing.T) {
	const limit = 5 * time.Second
	roots, _ := batchingRoots(t)
	for _, backend := range []string{"sqlite", "postgres"} {
		t.Run(backend, func(t *testing.T) {
			cfg := testConfig(t, backend)
			cfg.loaders = dataloaders.Options{Wait: limit, Stall: limit}
			a, srv := startApp(t, cfg)
			c := &callers{}
			if err := c.setUp(a); err != nil {
				t.Fatal(err)
			}
			checkNoNPlusOne(t, a, srv, c.full, limit/5)
			count := walkBatching(meter{t: t, a: a, srv: srv, key: c.admin, slow: limit / 5}, roots)
			t.Logf("(list, field) pairs: %d read and batched, %d read nothing", count[pairBatched], count[pairNoReads])
			if count[pairBatched] < minBatchedPairs/2 {
				t.Errorf("%d pairs read and batched: too few to show anything", count[pairBatched])
			}
		})
	}
}
