package mkg

import (
	"context"
	"sync"
	"time"
)

// Usage is what an account used of the API, per day (UTC) and per dataset:
// what the agency shows when an agreement is renewed. Each request counts
// once under no dataset (the account's totals: requests and their cost)
// and once under every dataset whose data it returned (the request, its
// whole cost, and the rows of that dataset it returned); so the rows of a
// dataset add up, while the requests and cost of the datasets together
// may exceed the totals. Downloads count under their dataset, with their
// bytes.
type Usage struct {
	AccountID int64
	Day       time.Time // 00:00 UTC
	Dataset   Dataset   // "": the account's totals
	UsageCounts
}

// UsageCounts are the figures of one account, day and dataset.
type UsageCounts struct {
	Requests, Cost, Rows, Downloads, Bytes int64
}

func (c *UsageCounts) add(o UsageCounts) {
	c.Requests += o.Requests
	c.Cost += o.Cost
	c.Rows += o.Rows
	c.Downloads += o.Downloads
	c.Bytes += o.Bytes
}

// UsageKey names one line of usage.
type UsageKey struct {
	AccountID int64
	Day       time.Time
	Dataset   Dataset
}

// UsageDay is the day (UTC) a use at t counts on.
func UsageDay(t time.Time) time.Time {
	y, m, d := t.UTC().Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// RequestUsage is the usage one request of an account adds: its totals, and
// a line per dataset it returned rows of (rows by dataset).
func RequestUsage(accountID int64, at time.Time, cost int64, rows map[Dataset]int64) map[UsageKey]UsageCounts {
	day := UsageDay(at)
	out := map[UsageKey]UsageCounts{{accountID, day, ""}: {Requests: 1, Cost: cost}}
	for d, n := range rows {
		if d != "" {
			out[UsageKey{accountID, day, d}] = UsageCounts{Requests: 1, Cost: cost, Rows: n}
		}
	}
	return out
}

// MaxUsageWindow is the longest period one read of usage covers.
const MaxUsageWindow = 366 * 24 * time.Hour

// CheckUsageWindow checks a period asked for (days, both included).
func CheckUsageWindow(from, to time.Time) error {
	switch {
	case to.Before(from):
		return Invalid("to", "to is before from")
	case to.Sub(from) > MaxUsageWindow:
		return Invalid("to", "a read of usage covers at most 366 days")
	}
	return nil
}

// UsageTally sums usage in memory until it is written (Drain), so that the
// database gets one line per account, day and dataset per write, never a
// row per request. It holds at most max lines; usage past that is counted
// in Dropped rather than held (a database down for long).
type UsageTally struct {
	mu      sync.Mutex
	lines   map[UsageKey]UsageCounts
	max     int
	dropped int64
}

// NewUsageTally returns a tally of at most max lines.
func NewUsageTally(max int) *UsageTally {
	return &UsageTally{lines: map[UsageKey]UsageCounts{}, max: max}
}

// Add sums usage in.
func (t *UsageTally) Add(u map[UsageKey]UsageCounts) {
	t.mu.Lock()
	defer t.mu.Unlock()
	for k, c := range u {
		cur, ok := t.lines[k]
		if !ok && len(t.lines) >= t.max {
			t.dropped += c.Requests + c.Downloads
			continue
		}
		cur.add(c)
		t.lines[k] = cur
	}
}

// Drain returns what was summed and starts again from nothing.
func (t *UsageTally) Drain() map[UsageKey]UsageCounts {
	t.mu.Lock()
	defer t.mu.Unlock()
	out := t.lines
	t.lines = map[UsageKey]UsageCounts{}
	return out
}

// Dropped returns how many requests and downloads were not held.
func (t *UsageTally) Dropped() int64 {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.dropped
}

// UsageWriter adds to stored usage.
type UsageWriter interface {
	// AddUsage adds lines to the stored sums, in one transaction.
	AddUsage(ctx context.Context, lines map[UsageKey]UsageCounts) error
}

// UsageStore keeps usage, summed per account, day and dataset.
type UsageStore interface {
	UsageWriter
	// Usage returns an account's lines (0: every account's) from day from
	// to day to, both included, by day, account and dataset: at most
	// MaxUsageLines, or TooManyUsageLines. BAD_USER_INPUT on a bad period.
	Usage(ctx context.Context, accountID int64, from, to time.Time) ([]Usage, error)
	// UsagePage returns the lines f picks, by day, account and dataset, a
	// page at a time (p.Limit lines after p.After, a cursor of OrderUsage):
	// reading any number of them holds one page. BAD_USER_INPUT on a bad
	// period or cursor.
	UsagePage(ctx context.Context, f UsageFilter, p Page) (*UsagePage, error)
}

// Flush writes what was summed to store; on failure it is summed back in,
// to be written with the next flush.
func (t *UsageTally) Flush(ctx context.Context, store UsageWriter) error {
	lines := t.Drain()
	if err := store.AddUsage(ctx, lines); err != nil {
		t.Add(lines)
		return err
	}
	return nil
}

// FlushEvery flushes the tally to store every interval until ctx ends,
// then once more (bounded by final), so that a server that stops loses
// nothing it counted while the database answers. Failures go to failed.
func (t *UsageTally) FlushEvery(ctx context.Context, store UsageStore, every, final time.Duration, failed func(error)) {
	tick := time.NewTicker(every)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			fctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), final)
			defer cancel()
			if err := t.Flush(fctx, store); err != nil {
				failed(err)
			}
			return
		case <-tick.C:
			if err := t.Flush(ctx, store); err != nil {
				failed(err)
			}
		}
	}
}
