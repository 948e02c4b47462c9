package main

import (
	"context"
	"os"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
)

// Why the heap has a floor. The collector runs when the heap has grown by
// GOGC % (100) of what was live after the last collection. A server that
// runs only a few requests at once (-max-running-requests) holds little:
// serving the dashboard with 8 running, 18 MB were live, the heap goal was
// 40 MB, and the collector ran every 9 requests, 12 % of the CPU. Letting
// the heap grow to heapFloor before collecting, while less than half of it
// is live, served 25 % more dashboards per second with a shorter tail
// (BENCHMARKS.md); past that the collector paces as GOGC=100 would, so a
// server holding much (thousands of idle subscribers) grows no more than
// before. The soft memory limit (-memory-limit) still applies, and GOGC,
// when set, is left alone.

// heapFloor is the heap goal below which the collector does not run for
// lack of garbage.
const heapFloor = 64 << 20

// maxGCPercent bounds the GOGC the floor sets: a live heap under 5.8 MB
// grows to 11 times its size, not to heapFloor.
const maxGCPercent = 1000

// gcPercentFor returns the GOGC that puts the heap goal at heapFloor for
// live bytes, and never below 100.
func gcPercentFor(live uint64) int {
	if live == 0 || live*2 >= heapFloor {
		return 100
	}
	return min(int(heapFloor*100/live)-100, maxGCPercent)
}

// keepHeapFloor sets GOGC from the live heap after every collection until
// ctx ends (then back to 100), unless GOGC is set in the environment.
func keepHeapFloor(ctx context.Context) {
	if os.Getenv("GOGC") != "" {
		return
	}
	sample := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
	current := 100
	var arm func()
	arm = func() {
		// A finalizer runs after the collection that found its object
		// unreachable: one object per collection.
		runtime.SetFinalizer(&gcCycle{}, func(*gcCycle) {
			if ctx.Err() != nil {
				debug.SetGCPercent(100)
				return
			}
			metrics.Read(sample)
			if sample[0].Value.Kind() == metrics.KindUint64 {
				if pct := gcPercentFor(sample[0].Value.Uint64()); pct != current {
					debug.SetGCPercent(pct)
					current = pct
				}
			}
			arm()
		})
	}
	arm()
}

// gcCycle is the object whose finalizer marks a collection; not zero-sized
// and not tiny, so that it is a heap object of its own.
type gcCycle struct{ _ [64]byte }
