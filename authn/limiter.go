package authn

import (
	"context"
	"log/slog"
	"slices"
	"sync"
	"time"

	"github.com/bmkg/mkggraph/inmem"
	"github.com/bmkg/mkggraph/internal/lograte"
	"github.com/bmkg/mkggraph/mkg"
)

// Limiter counts bad keys per client address and per key prefix, so that
// a flood of guesses is turned away cheaply. Counts are kept in a shared
// counter (Redis) when there is one, so every instance sees the same, and
// in-process otherwise; when the shared counter fails, the Limiter counts
// in-process for a while instead of waiting on it.
//
// The Limiter only counts: what a throttled request may still do is the
// Authenticator's rule (a valid key always passes).
type Limiter struct {
	max    int64
	window time.Duration
	shared mkg.Counter // nil: in-process only
	local  *inmem.Counter
	log    *lograte.Logger

	mu        sync.Mutex
	skipUntil time.Time // after a shared-counter failure
}

const (
	// sharedTimeout bounds one shared-counter call: a bad key must not
	// wait on a slow Redis.
	sharedTimeout = 100 * time.Millisecond
	// sharedSkip is how long the Limiter counts in-process after the
	// shared counter failed, before trying it again.
	sharedSkip = 2 * time.Second
)

// NewLimiter allows max bad keys per client address, and per key prefix,
// per window. shared may be nil (in-process counting); log may be nil.
func NewLimiter(max int, window time.Duration, shared mkg.Counter, log *slog.Logger) *Limiter {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Limiter{max: int64(max), window: window, shared: shared, local: inmem.NewCounter(0, nil),
		log: lograte.New(log, time.Minute)}
}

// Blocked reports whether the client address or the key prefix (either
// may be empty) has had max bad keys in its window.
func (l *Limiter) Blocked(ctx context.Context, client, prefix string) bool {
	keys := l.keys(client, prefix)
	counts := l.count(ctx, func(ctx context.Context, c mkg.Counter) ([]int64, error) { return c.Counts(ctx, keys...) })
	return slices.ContainsFunc(counts, func(n int64) bool { return n >= l.max })
}

// Fail counts a bad key from client (with this prefix, if it had one) and
// reports whether either has now had more than max.
func (l *Limiter) Fail(ctx context.Context, client, prefix string) bool {
	keys := l.keys(client, prefix)
	counts := l.count(ctx, func(ctx context.Context, c mkg.Counter) ([]int64, error) { return c.Add(ctx, l.window, keys...) })
	return slices.ContainsFunc(counts, func(n int64) bool { return n > l.max })
}

func (l *Limiter) keys(client, prefix string) []string {
	keys := []string{"badkey:addr:" + mkg.AddressKey(client)}
	if prefix != "" {
		keys = append(keys, "badkey:prefix:"+prefix)
	}
	return keys
}

// count runs f on the shared counter, or in-process when there is none or
// it failed lately.
func (l *Limiter) count(ctx context.Context, f func(context.Context, mkg.Counter) ([]int64, error)) []int64 {
	if l.useShared() {
		sctx, cancel := context.WithTimeout(ctx, sharedTimeout)
		res, err := f(sctx, l.shared)
		cancel()
		if err == nil {
			return res
		}
		if ctx.Err() == nil { // the request's own end is not the counter's failure
			l.sharedFailed(ctx, err)
		}
	}
	res, _ := f(ctx, l.local)
	return res
}

func (l *Limiter) useShared() bool {
	if l.shared == nil {
		return false
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	return time.Now().After(l.skipUntil)
}

func (l *Limiter) sharedFailed(ctx context.Context, err error) {
	l.mu.Lock()
	l.skipUntil = time.Now().Add(sharedSkip)
	l.mu.Unlock()
	l.log.Log(ctx, slog.LevelWarn, "limiter", "bad-key counts kept in-process: the shared counter does not answer",
		slog.Any("err", err))
}
