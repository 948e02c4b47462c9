package mkg

import (
	"context"
	"time"
)

// Counter counts events per key in fixed windows: a key's window starts
// with its first count and lasts the window given then; after it the count
// starts again from zero. Implementations on a shared backend (Redis) give
// every server instance the same counts; the in-process one counts for its
// process alone and may forget counts when its table is full (forgetting
// lets a client through sooner, never refuses one later).
type Counter interface {
	// Add counts one event for each key and returns the keys' new counts,
	// in order.
	Add(ctx context.Context, window time.Duration, keys ...string) ([]int64, error)
	// Counts returns the keys' current counts, in order (0 for a key with
	// no count in its window).
	Counts(ctx context.Context, keys ...string) ([]int64, error)
}
