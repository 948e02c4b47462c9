// Package lograte keeps an outage from flooding the log: a failure that
// every request meets (the database down) is written once per interval
// with a count of the lines held back, instead of once per request.
package lograte

import (
	"context"
	"log/slog"
	"sync"
	"time"
)

// maxKinds bounds the kinds tracked at once; beyond it, lines share one
// kind, so that many distinct failures cannot grow the table without bound.
const maxKinds = 1000

// Logger writes at most one line per kind per interval. The first line of
// a kind is written at once; the next ones within the interval are held
// back, and when the interval ends one line is written with the last held
// line's attributes and "suppressed": how many were held back. A kind
// that stays quiet for a whole interval is forgotten, so its next line is
// again written at once.
type Logger struct {
	log   *slog.Logger
	every time.Duration

	mu    sync.Mutex
	kinds map[string]*held
}

type held struct {
	suppressed int
	level      slog.Level
	msg        string
	attrs      []slog.Attr
}

// New returns a Logger writing to log at most once per kind every interval.
func New(log *slog.Logger, every time.Duration) *Logger {
	return &Logger{log: log, every: every, kinds: map[string]*held{}}
}

// Log writes msg with attrs at level, or holds it back if a line of the
// same kind was written less than an interval ago.
func (l *Logger) Log(ctx context.Context, level slog.Level, kind, msg string, attrs ...slog.Attr) {
	l.mu.Lock()
	if _, ok := l.kinds[kind]; !ok && len(l.kinds) >= maxKinds {
		kind = "(other)"
	}
	if h, ok := l.kinds[kind]; ok {
		h.suppressed++
		h.level, h.msg, h.attrs = level, msg, attrs
		l.mu.Unlock()
		return
	}
	l.kinds[kind] = &held{}
	l.mu.Unlock()
	l.log.LogAttrs(ctx, level, msg, attrs...)
	time.AfterFunc(l.every, func() { l.tick(kind) })
}

// tick ends a kind's interval: the lines held back are summed up in one,
// which starts the next interval; a quiet kind is forgotten.
func (l *Logger) tick(kind string) {
	l.mu.Lock()
	h := l.kinds[kind]
	if h == nil || h.suppressed == 0 {
		delete(l.kinds, kind)
		l.mu.Unlock()
		return
	}
	n, level, msg, attrs := h.suppressed, h.level, h.msg, h.attrs
	l.kinds[kind] = &held{}
	l.mu.Unlock()
	attrs = append(attrs[:len(attrs):len(attrs)], slog.Int("suppressed", n), slog.Duration("interval", l.every))
	l.log.LogAttrs(context.Background(), level, msg, attrs...)
	time.AfterFunc(l.every, func() { l.tick(kind) })
}
