package main

import (
	"context"
	"runtime"
	"runtime/debug"
	"testing"
	"time"
)

func TestGCPercentFor(t *testing.T) {
	for _, c := range []struct {
		live uint64
		want int
	}{
		{0, 100},                       // nothing read
		{heapFloor / 2, 100},           // half the floor live: GOGC=100 reaches it
		{heapFloor, 100},               // more: as before
		{heapFloor / 4, 300},           // goal = 4 × live = the floor
		{heapFloor / 64, maxGCPercent}, // bounded
	} {
		if got := gcPercentFor(c.live); got != c.want {
			t.Errorf("gcPercentFor(%d) = %d, want %d", c.live, got, c.want)
		}
	}
}

// TestKeepHeapFloor: after a collection the GOGC in force puts a small
// live heap's goal at the floor, and it is 100 again once ctx ends.
func TestKeepHeapFloor(t *testing.T) {
	t.Setenv("GOGC", "")
	gogc := func() int { p := debug.SetGCPercent(100); debug.SetGCPercent(p); return p }
	ctx, cancel := context.WithCancel(context.Background())
	keepHeapFloor(ctx)
	deadline := time.Now().Add(10 * time.Second)
	for gogc() <= 100 {
		if time.Now().After(deadline) {
			t.Fatalf("GOGC is %d after collections with a small live heap", gogc())
		}
		runtime.GC()
		time.Sleep(10 * time.Millisecond)
	}
	cancel()
	for gogc() != 100 {
		if time.Now().After(deadline) {
			t.Fatalf("GOGC is %d after ctx ended", gogc())
		}
		runtime.GC()
		time.Sleep(10 * time.Millisecond)
	}
}
