package lograte

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"
)

type buffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (b *buffer) Write(p []byte) (int, error) { b.mu.Lock(); defer b.mu.Unlock(); return b.b.Write(p) }

func (b *buffer) lines(t *testing.T) []map[string]any {
	b.mu.Lock()
	defer b.mu.Unlock()
	var out []map[string]any
	for _, l := range strings.Split(strings.TrimSpace(b.b.String()), "\n") {
		if l == "" {
			continue
		}
		var m map[string]any
		if err := json.Unmarshal([]byte(l), &m); err != nil {
			t.Fatal(err)
		}
		out = append(out, m)
	}
	return out
}

// TestOneLinePerKindPerInterval: 1,000 failures of one kind within an
// interval make two lines (the first, and the count of the rest); another
// kind is written at once; a kind quiet for an interval is written at once
// again.
func TestOneLinePerKindPerInterval(t *testing.T) {
	var buf buffer
	const every = 200 * time.Millisecond
	l := New(slog.New(slog.NewJSONHandler(&buf, nil)), every)
	ctx := context.Background()
	for i := range 1000 {
		l.Log(ctx, slog.LevelError, "db", "database unavailable", slog.Int("i", i))
	}
	l.Log(ctx, slog.LevelError, "other", "something else")
	if n := len(buf.lines(t)); n != 2 {
		t.Fatalf("%d lines at once, want 2 (one per kind)", n)
	}
	time.Sleep(every + every/2)
	lines := buf.lines(t)
	if len(lines) != 3 {
		t.Fatalf("%d lines after the interval, want 3: %v", len(lines), lines)
	}
	sum := lines[2]
	if sum["msg"] != "database unavailable" || sum["suppressed"] != float64(999) || sum["i"] != float64(999) {
		t.Errorf("summary line %v, want the last held line with suppressed=999", sum)
	}
	time.Sleep(2 * every) // a quiet interval: the kind is forgotten
	l.Log(ctx, slog.LevelError, "db", "database unavailable", slog.Int("i", 1000))
	if lines := buf.lines(t); len(lines) != 4 || lines[3]["suppressed"] != nil {
		t.Errorf("after a quiet interval the line must be written at once: %v", lines)
	}
}
