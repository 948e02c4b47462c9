package graph

import (
	"sync"
	"testing"
	"time"
)

// TestWorkerPoolRunsConcurrently: every function given runs at once with
// the others, however few workers wait (elements of a list wait for each
// other's loads: run one after another, they would never finish).
func TestWorkerPoolRunsConcurrently(t *testing.T) {
	p := newWorkerPool(2, time.Minute)
	const n = 20
	var started, done sync.WaitGroup
	started.Add(n)
	done.Add(n)
	release := make(chan struct{})
	for range n {
		p.run(func() {
			defer done.Done()
			started.Done()
			<-release // until all n have started
		})
	}
	all := make(chan struct{})
	go func() { started.Wait(); close(all) }()
	select {
	case <-all:
	case <-time.After(10 * time.Second):
		t.Fatal("the functions did not all start while the first ones waited")
	}
	close(release)
	done.Wait()
	waitIdle(t, p, 2) // at most maxIdle keep waiting
}

// TestWorkerPoolReusesWorkers: a waiting worker takes the next function
// instead of a new goroutine.
func TestWorkerPoolReusesWorkers(t *testing.T) {
	p := newWorkerPool(4, time.Minute)
	var wg sync.WaitGroup
	wg.Add(1)
	p.run(wg.Done)
	wg.Wait()
	waitIdle(t, p, 1)
	time.Sleep(50 * time.Millisecond) // from counting itself idle to waiting in its receive

	hold := make(chan struct{})
	wg.Add(1)
	p.run(func() { defer wg.Done(); <-hold })
	waitIdle(t, p, 0) // a new goroutine would have left the waiting one waiting
	close(hold)
	wg.Wait()
	waitIdle(t, p, 1)
}

// TestWorkerPoolEndsIdleWorkers: a worker ends after its idle time.
func TestWorkerPoolEndsIdleWorkers(t *testing.T) {
	p := newWorkerPool(4, 500*time.Millisecond)
	var wg sync.WaitGroup
	wg.Add(3)
	hold := make(chan struct{})
	for range 3 {
		p.run(func() { defer wg.Done(); <-hold }) // three workers
	}
	close(hold)
	wg.Wait()
	waitIdle(t, p, 3)
	waitIdle(t, p, 0)
}

// waitIdle waits until want workers wait, for up to 5 s.
func waitIdle(t *testing.T, p *workerPool, want int32) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for p.idle.Load() != want {
		if time.Now().After(deadline) {
			t.Fatalf("%d workers wait, want %d", p.idle.Load(), want)
		}
		time.Sleep(time.Millisecond)
	}
}
