package graph

import (
	"sync/atomic"
	"time"
)

// Why list elements run on workers. gqlgen marshals each element of a list
// in a goroutine of its own, so that the loads of all elements meet in one
// batch. A new goroutine starts with a small stack; marshalling an element
// (its fields, the field middleware, the loaders, encoding) needs several
// times more, and the runtime grows the stack by copying it, once per
// doubling, for every element of every list: 14 % of the CPU of a page of
// 50 earthquakes (W3 in bench/) was runtime.copystack. A worker is a
// goroutine that runs one element after another: its stack, grown by the
// first, serves those after it. Elements still run concurrently (a list's
// elements each get a worker, idle or new), so nothing changes for the
// loaders' count.

// elementWorkers is the process's pool of element workers.
var elementWorkers = newWorkerPool(maxIdleWorkers, workerIdleTime)

const (
	// maxIdleWorkers bounds the workers kept waiting for work, and so the
	// memory of their stacks (a few KiB to a few tens of KiB each; the
	// garbage collector also shrinks the stacks of idle ones).
	maxIdleWorkers = 1024
	// workerIdleTime is how long a worker waits for an element before it
	// ends.
	workerIdleTime = 10 * time.Second
)

// workerPool runs functions on goroutines that wait for the next one when
// done, up to maxIdle of them waiting at a time, each for at most idleTime.
type workerPool struct {
	work     chan func() // unbuffered: a send succeeds only to a waiting worker
	idle     atomic.Int32
	maxIdle  int32
	idleTime time.Duration
}

func newWorkerPool(maxIdle int, idleTime time.Duration) *workerPool {
	return &workerPool{work: make(chan func()), maxIdle: int32(maxIdle), idleTime: idleTime}
}

// run runs f on a waiting worker, or on a new one when none waits; it
// does not wait for f.
func (p *workerPool) run(f func()) {
	select {
	case p.work <- f:
	default:
		go p.worker(f)
	}
}

// worker runs f, then what it is given until it has waited idleTime for
// work or maxIdle workers already wait.
func (p *workerPool) worker(f func()) {
	var timer *time.Timer
	for {
		f()
		if p.idle.Add(1) > p.maxIdle {
			p.idle.Add(-1)
			return
		}
		if timer == nil {
			timer = time.NewTimer(p.idleTime)
		} else {
			timer.Reset(p.idleTime)
		}
		select {
		case f = <-p.work:
			p.idle.Add(-1)
		case <-timer.C:
			p.idle.Add(-1)
			return
		}
	}
}

// IdleElementWorkers is how many element workers wait for work: goroutines
// that are the process's, not any request's or connection's.
func IdleElementWorkers() int { return int(elementWorkers.idle.Load()) }
