package dataloaders

import (
	"context"
	"sync"
	"sync/atomic"
	"time"
)

// When a batch runs. The loaders of a request run their batches when every
// goroutine of the operation that could still add a key is waiting for
// one: then no key can come any more, whatever the timing. The executor
// tells the loaders about its goroutines (package graph): how many root
// fields run concurrently (Track), when one ends (RootDone), when a list's
// elements are marshalled each in a goroutine of its own (Fork) and when
// each ends (Fork.Done); a goroutine waiting in a load is not running until
// its batch is back. So a batch gathers every key a round of the query
// asks for: the latest observation of every station of a page, also of the
// stations nested under each earthquake of a page (lists in lists), also
// when some elements are of another type or never reach the field.
//
// While a batch runs, no other starts: the goroutines it will wake may ask
// for keys that belong with those waiting. A batch whose callers are not
// counted (a subscription's event, a goroutine a resolver started) runs
// after Options.Wait, and a batch of counted callers runs after
// Options.Stall at the latest: a backstop, so that a count that does not
// come out (a goroutine waiting on something else for long) delays a
// request, never hangs it.
//
// Why not gqlgen's batch resolvers (@goField(batch: true), gqlgen
// 0.17.98): they group only the parents of a direct list. The group is put
// in the context when a [T] list is marshalled (codegen/type.gotpl), keyed
// by T, and a parent's place in it is found by path[len(path)-2] being an
// index (graphql.BatchParentIndex). Our lists are connections: the parent
// of Station.latestObservation is at stations.edges[3].node, where that
// element is "node", and the list marshalled is [StationEdge], so nothing
// groups.

// Options tune the loaders' time limits.
type Options struct {
	// Wait is how long a batch collects keys when a caller is not counted:
	// DefaultWait when zero.
	Wait time.Duration
	// Stall is the longest a batch of counted callers waits for the count
	// to come out: DefaultStall when zero.
	Stall time.Duration
}

const (
	// DefaultWait is long enough for the goroutines of an uncounted
	// caller's siblings to join a batch, short enough not to be felt.
	DefaultWait = 2 * time.Millisecond
	// DefaultStall bounds what a goroutine that is neither running nor
	// waiting on a load (none should be) can cost a request.
	DefaultStall = 100 * time.Millisecond
	// batchCapacity is the most keys one batch reads; more run as
	// another batch.
	batchCapacity = 1000
)

// batcher is the state the loaders of one request share: one lock for all
// of them, the count of goroutines running, and the batches waiting to run.
type batcher struct {
	mu       sync.Mutex
	running  int            // counted goroutines not waiting on a batch
	inflight int            // batches running
	pending  []pendingBatch // batches collecting keys
	ops      map[any]*scope // the operations counted, by operation
	opts     Options
}

func newBatcher(opts Options) *batcher {
	if opts.Wait <= 0 {
		opts.Wait = DefaultWait
	}
	if opts.Stall <= 0 {
		opts.Stall = DefaultStall
	}
	return &batcher{opts: opts}
}

// pendingBatch is a loader's batch collecting keys.
type pendingBatch interface {
	state() *batchState
	take() // detaches the batch from its loader, with the lock held
	run()  // reads the batch and wakes its callers, without the lock
}

// batchState is what a batch's callers wait on.
type batchState struct {
	done       chan struct{} // closed when the results are in
	finished   bool          // done is closed (read with the lock held)
	dispatched bool
	waiters    int // counted goroutines waiting on done
	timer      *time.Timer
	counted    bool // every caller so far was counted: the timer is Stall
}

// finishedState is the state of a primed key: nothing to wait for.
var finishedState = func() *batchState {
	s := &batchState{done: make(chan struct{}), finished: true, dispatched: true}
	close(s.done)
	return s
}()

// dispatch marks p running and returns it, or nil when it already runs.
// With the lock held; the caller runs what it returns once unlocked.
func (b *batcher) dispatch(p pendingBatch) pendingBatch {
	s := p.state()
	if s.dispatched {
		return nil
	}
	s.dispatched = true
	s.timer.Stop()
	p.take()
	for i, q := range b.pending {
		if q == p {
			b.pending = append(b.pending[:i], b.pending[i+1:]...)
			break
		}
	}
	b.inflight++
	return p
}

// quiescent returns the pending batches, marked running, when no counted
// goroutine runs and no batch runs: no key can join them any more. With
// the lock held.
func (b *batcher) quiescent() []pendingBatch {
	if b.running > 0 || b.inflight > 0 || len(b.pending) == 0 {
		return nil
	}
	run := b.pending
	b.pending = nil
	for _, p := range run {
		s := p.state()
		s.dispatched = true
		s.timer.Stop()
		p.take()
	}
	b.inflight += len(run)
	return run
}

// start runs batches, each in a goroutine of its own.
func start(run []pendingBatch) {
	for _, p := range run {
		go p.run()
	}
}

// add changes the count of running goroutines, and runs the pending
// batches if that leaves none running.
func (b *batcher) add(n int) {
	b.mu.Lock()
	b.running += n
	run := b.quiescent()
	b.mu.Unlock()
	start(run)
}

// wait blocks until s's results are in. A counted caller stops counting as
// running while it waits: the batch completing counts it again.
func (b *batcher) wait(s *batchState, counted bool) {
	select {
	case <-s.done:
		return
	default:
	}
	if counted {
		b.mu.Lock()
		if !s.finished {
			s.waiters++
			b.running--
		}
		run := b.quiescent()
		b.mu.Unlock()
		start(run)
	}
	<-s.done
}

// finish wakes a batch's callers. With the lock held; the caller runs what
// it returns once unlocked.
func (b *batcher) finish(s *batchState) []pendingBatch {
	s.finished = true
	b.running += s.waiters
	b.inflight--
	close(s.done)
	return b.quiescent()
}

// scope is one counted operation: its goroutines count as running in the
// loaders' batcher.
type scope struct {
	l     *Loaders
	roots atomic.Int32 // root fields not yet ended
}

// Track returns ctx in which the goroutines of one operation are counted
// (see the top of this file): roots is how many of its root fields run
// concurrently, each ending with RootDone; 0 for root fields that run one
// after another, each starting with RootStarted. The operation's loaders
// are fixed for its duration (a live connection's are renewed between
// messages, not during one). op identifies the operation: an operation
// tracked again (a second response of the same one) adds no goroutines.
// Untrack ends it. Without loaders in ctx, ctx is returned as it is.
func Track(ctx context.Context, op any, roots int) context.Context {
	l, ok := lookup(ctx)
	if !ok {
		return ctx
	}
	b := l.b
	b.mu.Lock()
	s := b.ops[op]
	if s == nil {
		s = &scope{l: l}
		s.roots.Store(int32(roots))
		if b.ops == nil {
			b.ops = map[any]*scope{}
		}
		b.ops[op] = s
		b.running += roots
	}
	b.mu.Unlock()
	return context.WithValue(ctx, ctxKey{}, s)
}

// Untrack ends a tracked operation's response: root fields counted that
// never ran (the operation stopped before them) stop counting.
func Untrack(ctx context.Context) {
	if s := scopeOf(ctx); s != nil {
		if n := s.roots.Swap(0); n > 0 {
			s.l.b.add(-int(n))
		}
	}
}

// RootStarted counts a root field that runs after the one before ended
// (a mutation's).
func RootStarted(ctx context.Context) {
	if s := scopeOf(ctx); s != nil {
		s.roots.Add(1)
		s.l.b.add(1)
	}
}

// RootDone counts a root field's goroutine as ended.
func RootDone(ctx context.Context) {
	if s := scopeOf(ctx); s != nil && s.roots.Add(-1) >= 0 {
		s.l.b.add(-1)
	}
}

// Fork is one list whose n elements are marshalled each in a goroutine of
// its own, while the goroutine that marshals the list waits for them.
type Fork struct {
	b    *batcher
	left atomic.Int32
}

// NewFork counts the n goroutines of a list's elements as running, in
// place of the one that waits for them; nil when ctx is not counted or
// the elements run in the caller's goroutine (n < 2).
func NewFork(ctx context.Context, n int) *Fork {
	s := scopeOf(ctx)
	if s == nil || n < 2 {
		return nil
	}
	f := &Fork{b: s.l.b}
	f.left.Store(int32(n))
	f.b.add(n - 1)
	return f
}

// Done counts an element's goroutine as ended. The last one's count passes
// to the goroutine that waited for the list, which runs on.
func (f *Fork) Done() {
	if f.left.Add(-1) > 0 {
		f.b.add(-1)
	}
}

func scopeOf(ctx context.Context) *scope {
	s, _ := ctx.Value(ctxKey{}).(*scope)
	return s
}
