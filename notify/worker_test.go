package notify

import (
	"testing"
	"time"

	"github.com/bmkg/mkggraph/mkg"
)

// TestWorkerBackoffJitter: a worker's first backoff is its own, doubling
// to the cap, and the jitter stretches each wait by up to half again.
func TestWorkerBackoffJitter(t *testing.T) {
	for _, tc := range []struct {
		jitter float64
		want   map[int]time.Duration
	}{
		{0, map[int]time.Duration{0: 10 * time.Second, 1: 20 * time.Second, 3: 80 * time.Second, 10: 5 * time.Minute, 100: 5 * time.Minute}},
		{0.5, map[int]time.Duration{0: 12500 * time.Millisecond, 1: 25 * time.Second, 10: 6*time.Minute + 15*time.Second}},
		{0.999, map[int]time.Duration{0: 14995 * time.Millisecond}},
	} {
		w := NewWorker[mkg.Notification](notifications{&memStore{}}, nil, nil, nil, WorkerOptions{
			Options: Options{MaxBackoff: 5 * time.Minute}, FirstBackoff: 10 * time.Second, Jitter: func() float64 { return tc.jitter }})
		for attempts, want := range tc.want {
			if got := w.backoff(attempts); got != want {
				t.Errorf("jitter %g: backoff after %d attempts = %v; want %v", tc.jitter, attempts, got, want)
			}
		}
	}
}
