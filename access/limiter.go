package access

import (
	"sync"
	"time"
)

// Limiter blocks a client that sent too many bad keys within a window, so a
// flood of guesses is turned away before any lookup and costs the other
// callers nothing. It is per server instance and bounded in memory.
type Limiter struct {
	max    int
	window time.Duration

	mu      sync.Mutex
	clients map[string]*failures
}

type failures struct {
	count int
	since time.Time
}

// maxClients bounds the table; past it, windows that ended are dropped and,
// failing that, the whole table is reset (forgetting is safe, remembering
// without bound is not).
const maxClients = 100_000

// NewLimiter allows max failures per client per window.
func NewLimiter(max int, window time.Duration) *Limiter {
	return &Limiter{max: max, window: window, clients: map[string]*failures{}}
}

// Blocked reports whether client is currently refused.
func (l *Limiter) Blocked(client string, now time.Time) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	f := l.clients[client]
	return f != nil && now.Sub(f.since) < l.window && f.count >= l.max
}

// Fail records a bad key from client.
func (l *Limiter) Fail(client string, now time.Time) {
	l.mu.Lock()
	defer l.mu.Unlock()
	f := l.clients[client]
	if f == nil || now.Sub(f.since) >= l.window {
		if len(l.clients) >= maxClients {
			l.prune(now)
		}
		f = &failures{since: now}
		l.clients[client] = f
	}
	f.count++
}

func (l *Limiter) prune(now time.Time) {
	for k, f := range l.clients {
		if now.Sub(f.since) >= l.window {
			delete(l.clients, k)
		}
	}
	if len(l.clients) >= maxClients {
		l.clients = map[string]*failures{}
	}
}
