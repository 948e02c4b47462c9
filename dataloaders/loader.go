package dataloaders

import (
	"context"
	"fmt"
	"sort"
	"time"
)

// Loader reads values by key in batches, for one request: each key is read
// once (the request's cache keeps its value or error), and the keys asked
// for while a batch collects are read by one call of fetch. When the batch
// runs is the batcher's decision (batcher.go).
type Loader[K comparable, V any] struct {
	b     *batcher
	name  string
	fetch func(context.Context, []K) ([]V, []error)
	// order, when set, sorts a batch's keys before it is read: the keys
	// arrive in the order the goroutines ran, and a read cached by its
	// list of keys (the latest observations) must find the same list for
	// the same page.
	order func(a, b K) int
	cache map[K]*result[V] // made when first needed: most requests use few loaders
	next  *batch[K, V]     // collecting keys; nil when none
}

// newLoader returns a loader reading through fetch, whose results are in
// key order: one error for the whole batch, or one per key.
func newLoader[K comparable, V any](b *batcher, name string, fetch func(context.Context, []K) ([]V, []error)) *Loader[K, V] {
	return &Loader[K, V]{b: b, name: name, fetch: fetch}
}

type result[V any] struct {
	val   V
	err   error
	state *batchState
}

type batch[K comparable, V any] struct {
	batchState
	l       *Loader[K, V]
	ctx     context.Context // the first caller's
	keys    []K
	results []*result[V]
}

// Load returns key's value, reading it in the next batch unless the
// request already has it.
func (l *Loader[K, V]) Load(ctx context.Context, key K) (V, error) {
	counted := l.counts(ctx)
	r := l.enqueue(ctx, key, counted)
	l.b.wait(r.state, counted)
	return r.val, r.err
}

// LoadThunk puts key in the next batch (unless the request already has
// it) and returns a function that waits for its value: keys asked for one
// after another, then waited for, are read together.
func (l *Loader[K, V]) LoadThunk(ctx context.Context, key K) func() (V, error) {
	counted := l.counts(ctx)
	r := l.enqueue(ctx, key, counted)
	return func() (V, error) {
		l.b.wait(r.state, counted)
		return r.val, r.err
	}
}

// enqueue returns key's result, putting key in the next batch unless the
// request already has it.
func (l *Loader[K, V]) enqueue(ctx context.Context, key K, counted bool) *result[V] {
	l.b.mu.Lock()
	r, ok := l.cache[key]
	var full pendingBatch
	if !ok {
		r, full = l.add(ctx, key, counted)
	} else if !counted && !r.state.dispatched && r.state.counted {
		r.state.counted = false
		r.state.timer.Reset(l.b.opts.Wait)
	}
	l.b.mu.Unlock()
	if full != nil {
		go full.run()
	}
	return r
}

// Prime puts a value the request already has in the cache, unless the key
// is there.
func (l *Loader[K, V]) Prime(key K, val V) {
	l.b.mu.Lock()
	if _, ok := l.cache[key]; !ok {
		l.store(key, &result[V]{val: val, state: finishedState})
	}
	l.b.mu.Unlock()
}

// counts reports whether ctx's goroutine is counted by l's batcher.
func (l *Loader[K, V]) counts(ctx context.Context) bool {
	s := scopeOf(ctx)
	return s != nil && s.l.b == l.b
}

// add puts key in the next batch, starting one if none collects, and
// returns the batch to run when it is full. With the lock held.
func (l *Loader[K, V]) add(ctx context.Context, key K, counted bool) (*result[V], pendingBatch) {
	bt := l.next
	if bt == nil {
		bt = &batch[K, V]{l: l, ctx: ctx}
		bt.done = make(chan struct{})
		bt.counted = counted
		wait := l.b.opts.Wait
		if counted {
			wait = l.b.opts.Stall
		}
		bt.timer = time.AfterFunc(wait, bt.expire)
		l.next = bt
		l.b.pending = append(l.b.pending, bt)
	} else if !counted && bt.counted {
		bt.counted = false
		bt.timer.Reset(l.b.opts.Wait)
	}
	r := &result[V]{state: &bt.batchState}
	bt.keys = append(bt.keys, key)
	bt.results = append(bt.results, r)
	l.store(key, r)
	if len(bt.keys) >= batchCapacity {
		return r, l.b.dispatch(bt)
	}
	return r, nil
}

func (l *Loader[K, V]) store(key K, r *result[V]) {
	if l.cache == nil {
		l.cache = map[K]*result[V]{}
	}
	l.cache[key] = r
}

func (bt *batch[K, V]) state() *batchState { return &bt.batchState }

func (bt *batch[K, V]) take() {
	if bt.l.next == bt {
		bt.l.next = nil
	}
}

// expire runs the batch when its time is up.
func (bt *batch[K, V]) expire() {
	b := bt.l.b
	b.mu.Lock()
	p := b.dispatch(bt)
	b.mu.Unlock()
	if p != nil {
		p.run()
	}
}

func (bt *batch[K, V]) run() {
	if bt.l.order != nil {
		sort.Sort(byKey[K, V]{bt})
	}
	vals, errs := bt.l.call(bt.ctx, bt.keys)
	b := bt.l.b
	b.mu.Lock()
	for i, r := range bt.results {
		switch {
		case len(errs) == len(bt.keys) && errs[i] != nil:
			r.err = errs[i]
		case len(errs) == 1 && errs[0] != nil:
			r.err = errs[0]
		case len(vals) != len(bt.keys):
			r.err = fmt.Errorf("%s: %d results for %d keys", bt.l.name, len(vals), len(bt.keys))
		default:
			r.val = vals[i]
		}
	}
	run := b.finish(&bt.batchState)
	b.mu.Unlock()
	start(run)
}

// call runs fetch; a panic becomes every key's error.
func (l *Loader[K, V]) call(ctx context.Context, keys []K) (vals []V, errs []error) {
	defer func() {
		if p := recover(); p != nil {
			vals, errs = nil, []error{fmt.Errorf("%s: panic: %v", l.name, p)}
		}
	}()
	return l.fetch(ctx, keys)
}

// byKey sorts a taken batch's keys, and their results with them.
type byKey[K comparable, V any] struct{ bt *batch[K, V] }

func (s byKey[K, V]) Len() int           { return len(s.bt.keys) }
func (s byKey[K, V]) Less(i, j int) bool { return s.bt.l.order(s.bt.keys[i], s.bt.keys[j]) < 0 }
func (s byKey[K, V]) Swap(i, j int) {
	s.bt.keys[i], s.bt.keys[j] = s.bt.keys[j], s.bt.keys[i]
	s.bt.results[i], s.bt.results[j] = s.bt.results[j], s.bt.results[i]
}
