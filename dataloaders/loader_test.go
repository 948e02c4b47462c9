package dataloaders

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

// never is a time limit the tests below must not reach: a batch that runs
// only when its time is up makes its test fail for being slow (prompt).
const never = time.Hour

// recorder is a fetch that records its batches.
type recorder struct {
	mu      sync.Mutex
	batches [][]int
	fail    func(keys []int) ([]string, []error) // nil: every key's value is its text
}

func (r *recorder) fetch(_ context.Context, keys []int) ([]string, []error) {
	r.mu.Lock()
	r.batches = append(r.batches, slices.Clone(keys))
	r.mu.Unlock()
	if r.fail != nil {
		return r.fail(keys)
	}
	vals := make([]string, len(keys))
	for i, k := range keys {
		vals[i] = fmt.Sprint(k)
	}
	return vals, nil
}

func (r *recorder) sizes() []int {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []int
	for _, b := range r.batches {
		out = append(out, len(b))
	}
	return out
}

// operation returns a counted operation's context with roots root fields,
// and a loader of its loaders reading through r.
func operation(opts Options, roots int, r *recorder) (context.Context, *Loader[int, string]) {
	l := &Loaders{b: newBatcher(opts)}
	ctx := Track(With(context.Background(), l), "op", roots)
	return ctx, newLoader(l.b, "loader Test", r.fetch)
}

// list runs n elements each in a goroutine of its own, counted as the
// executor counts a list's elements, and waits for them.
func list(ctx context.Context, n int, element func(i int)) {
	f := NewFork(ctx, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if f != nil {
				defer f.Done()
			}
			element(i)
		}()
	}
	wg.Wait()
}

// prompt fails the test when fn takes a time limit's worth.
func prompt(t *testing.T, fn func()) {
	t.Helper()
	done := make(chan struct{})
	go func() { fn(); close(done) }()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("still waiting after 10 s: a batch waits for its time limit, not for the count")
	}
}

func TestEveryElementCallingRunsOneBatch(t *testing.T) {
	r := &recorder{}
	ctx, load := operation(Options{Wait: never, Stall: never}, 1, r)
	got := make([]string, 50)
	prompt(t, func() {
		list(ctx, 50, func(i int) { got[i], _ = load.Load(ctx, i) })
		RootDone(ctx)
	})
	if s := r.sizes(); !slices.Equal(s, []int{50}) {
		t.Errorf("batch sizes %v, want one batch of 50", s)
	}
	for i, v := range got {
		if v != fmt.Sprint(i) {
			t.Fatalf("element %d got %q", i, v)
		}
	}
}

func TestElementsThatDoNotCallStillLetTheBatchRun(t *testing.T) {
	r := &recorder{}
	ctx, load := operation(Options{Wait: never, Stall: never}, 1, r)
	prompt(t, func() {
		list(ctx, 10, func(i int) {
			if i%3 == 0 {
				return // a station without a WMO index reads nothing
			}
			if i == 1 {
				time.Sleep(20 * time.Millisecond) // the last to call comes late
			}
			load.Load(ctx, i)
		})
		RootDone(ctx)
	})
	if s := r.sizes(); !slices.Equal(s, []int{6}) {
		t.Errorf("batch sizes %v, want one batch of the 6 elements that called", s)
	}
}

// A list in each element of a list (the nearest stations of every
// earthquake of a page): the inner elements' loads wait for those of every
// outer element, not only their own list's.
func TestNestedListsBatchAcrossTheOuterList(t *testing.T) {
	outer, inner := &recorder{}, &recorder{}
	ctx, loadOuter := operation(Options{Wait: never, Stall: never}, 1, outer)
	loadInner := newLoader(loadOuter.b, "loader Inner", inner.fetch)
	prompt(t, func() {
		list(ctx, 5, func(i int) {
			loadOuter.Load(ctx, i)
			list(ctx, i, func(j int) { loadInner.Load(ctx, 10*i+j) }) // 0 to 4 elements
		})
		RootDone(ctx)
	})
	if s := outer.sizes(); !slices.Equal(s, []int{5}) {
		t.Errorf("outer batch sizes %v, want [5]", s)
	}
	if s := inner.sizes(); !slices.Equal(s, []int{10}) {
		t.Errorf("inner batch sizes %v, want one batch of the 0+1+2+3+4 elements", s)
	}
}

// The goroutine that marshalled a list runs on when its elements end:
// what it loads then waits for the other lists' elements too.
func TestAnElementRunsOnAfterItsList(t *testing.T) {
	r, after := &recorder{}, &recorder{}
	ctx, load := operation(Options{Wait: never, Stall: never}, 1, r)
	loadAfter := newLoader(load.b, "loader After", after.fetch)
	prompt(t, func() {
		list(ctx, 6, func(i int) {
			list(ctx, 3, func(j int) { load.Load(ctx, 10*i+j) })
			loadAfter.Load(ctx, i)
		})
		RootDone(ctx)
	})
	if s := r.sizes(); !slices.Equal(s, []int{18}) {
		t.Errorf("batch sizes %v, want [18]", s)
	}
	if s := after.sizes(); !slices.Equal(s, []int{6}) {
		t.Errorf("batch sizes after the lists %v, want [6]", s)
	}
}

// Root fields run concurrently: a load of one waits for the others.
func TestRootFieldsMeetInOneBatch(t *testing.T) {
	r := &recorder{}
	ctx, load := operation(Options{Wait: never, Stall: never}, 3, r)
	prompt(t, func() {
		var wg sync.WaitGroup
		for i := range 3 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				defer RootDone(ctx)
				time.Sleep(time.Duration(i) * 10 * time.Millisecond)
				load.Load(ctx, i)
			}()
		}
		wg.Wait()
	})
	if s := r.sizes(); !slices.Equal(s, []int{3}) {
		t.Errorf("batch sizes %v, want [3]", s)
	}
}

func TestUncountedCallerWaitsTheWindow(t *testing.T) {
	r := &recorder{}
	l := &Loaders{b: newBatcher(Options{Wait: 30 * time.Millisecond, Stall: never})}
	load := newLoader(l.b, "loader Test", r.fetch)
	ctx := With(context.Background(), l) // a subscription's event: not tracked
	start := time.Now()
	var wg sync.WaitGroup
	for i := range 4 {
		wg.Add(1)
		go func() { defer wg.Done(); load.Load(ctx, i) }()
	}
	wg.Wait()
	if took := time.Since(start); took < 30*time.Millisecond {
		t.Errorf("took %v: an uncounted caller's batch ran before its window", took)
	}
	if s := r.sizes(); !slices.Equal(s, []int{4}) {
		t.Errorf("batch sizes %v, want [4]", s)
	}
}

// A counted goroutine that neither ends nor loads (waiting on something
// else) holds the batch back until Stall, not for ever.
func TestStallRunsABatchTheCountHoldsBack(t *testing.T) {
	r := &recorder{}
	ctx, load := operation(Options{Wait: never, Stall: 40 * time.Millisecond}, 2, r)
	release := make(chan struct{})
	go func() { <-release; RootDone(ctx) }() // the other root field, busy
	start := time.Now()
	prompt(t, func() { load.Load(ctx, 1) })
	close(release)
	RootDone(ctx)
	if took := time.Since(start); took < 40*time.Millisecond {
		t.Errorf("took %v: the batch ran while a counted goroutine still ran", took)
	}
	if s := r.sizes(); !slices.Equal(s, []int{1}) {
		t.Errorf("batch sizes %v, want [1]", s)
	}
}

// A batch of a loader with an order reads its keys sorted, whatever order
// the goroutines asked in (a read cached by its list of keys finds it
// again), and each caller gets its own key's value.
func TestOrderedKeysAreReadSorted(t *testing.T) {
	r := &recorder{}
	ctx, load := operation(Options{Wait: never, Stall: never}, 1, r)
	load.order = cmp.Compare[int]
	prompt(t, func() {
		list(ctx, 40, func(i int) {
			if v, _ := load.Load(ctx, 1000-7*i); v != fmt.Sprint(1000-7*i) {
				t.Errorf("element %d got %q", i, v)
			}
		})
		RootDone(ctx)
	})
	r.mu.Lock()
	defer r.mu.Unlock()
	if len(r.batches) != 1 || !slices.IsSorted(r.batches[0]) {
		t.Errorf("batches %v, want one, sorted", r.batches)
	}
}

func TestDuplicateKeysAreReadOnce(t *testing.T) {
	r := &recorder{}
	ctx, load := operation(Options{Wait: never, Stall: never}, 1, r)
	prompt(t, func() {
		list(ctx, 20, func(i int) {
			if v, err := load.Load(ctx, i%4); err != nil || v != fmt.Sprint(i%4) {
				t.Errorf("element %d: %q, %v", i, v, err)
			}
		})
		list(ctx, 4, func(i int) { load.Load(ctx, i) }) // in the cache now
		RootDone(ctx)
	})
	r.mu.Lock()
	defer r.mu.Unlock()
	if len(r.batches) != 1 || len(r.batches[0]) != 4 {
		t.Errorf("batches %v, want one of the 4 distinct keys", r.batches)
	}
}

func TestErrorsPerKey(t *testing.T) {
	r := &recorder{fail: func(keys []int) ([]string, []error) {
		vals, errs := make([]string, len(keys)), make([]error, len(keys))
		for i, k := range keys {
			if k%2 == 1 {
				errs[i] = fmt.Errorf("odd %d", k)
			} else {
				vals[i] = fmt.Sprint(k)
			}
		}
		return vals, errs
	}}
	ctx, load := operation(Options{Wait: never, Stall: never}, 1, r)
	prompt(t, func() {
		list(ctx, 6, func(i int) {
			v, err := load.Load(ctx, i)
			switch {
			case i%2 == 1 && (err == nil || err.Error() != fmt.Sprintf("odd %d", i)):
				t.Errorf("key %d: error %v, want its own", i, err)
			case i%2 == 0 && (err != nil || v != fmt.Sprint(i)):
				t.Errorf("key %d: %q, %v", i, v, err)
			}
		})
		RootDone(ctx)
	})
}

func TestOneErrorForTheBatch(t *testing.T) {
	boom := errors.New("database down")
	r := &recorder{fail: func([]int) ([]string, []error) { return nil, []error{boom} }}
	ctx, load := operation(Options{Wait: never, Stall: never}, 1, r)
	prompt(t, func() {
		list(ctx, 3, func(i int) {
			if _, err := load.Load(ctx, i); !errors.Is(err, boom) {
				t.Errorf("key %d: %v, want the batch's error", i, err)
			}
		})
		RootDone(ctx)
	})
}

func TestPanicInABatchIsEveryKeysError(t *testing.T) {
	r := &recorder{fail: func([]int) ([]string, []error) { panic("index out of range") }}
	ctx, load := operation(Options{Wait: never, Stall: never}, 1, r)
	prompt(t, func() {
		list(ctx, 3, func(i int) {
			if _, err := load.Load(ctx, i); err == nil || !strings.Contains(err.Error(), "loader Test: panic") {
				t.Errorf("key %d: %v, want the panic as an error", i, err)
			}
		})
		RootDone(ctx)
	})
}

func TestTooFewResultsIsAnError(t *testing.T) {
	r := &recorder{fail: func([]int) ([]string, []error) { return []string{"1"}, nil }}
	ctx, load := operation(Options{Wait: never, Stall: never}, 1, r)
	prompt(t, func() {
		list(ctx, 2, func(i int) {
			if _, err := load.Load(ctx, i); err == nil {
				t.Errorf("key %d: no error for a batch of 1 result for 2 keys", i)
			}
		})
		RootDone(ctx)
	})
}

func TestBatchCapacity(t *testing.T) {
	r := &recorder{}
	ctx, load := operation(Options{Wait: never, Stall: never}, 1, r)
	prompt(t, func() {
		thunks := make([]func() (string, error), 2500)
		for i := range thunks {
			thunks[i] = load.LoadThunk(ctx, i)
		}
		for i, th := range thunks {
			if v, err := th(); err != nil || v != fmt.Sprint(i) {
				t.Fatalf("key %d: %q, %v", i, v, err)
			}
		}
		RootDone(ctx)
	})
	if s := r.sizes(); !slices.Equal(s, []int{1000, 1000, 500}) {
		t.Errorf("batch sizes %v, want 1000, 1000, 500", s)
	}
}

func TestPrimedKeysAreNotRead(t *testing.T) {
	r := &recorder{}
	ctx, load := operation(Options{Wait: never, Stall: never}, 1, r)
	load.Prime(7, "seven")
	prompt(t, func() {
		if v, _ := load.Load(ctx, 7); v != "seven" {
			t.Errorf("primed key: %q", v)
		}
		RootDone(ctx)
	})
	if len(r.sizes()) != 0 {
		t.Errorf("batches %v for a primed key", r.sizes())
	}
}

// A second response of the same operation adds no root fields: were it
// counted again, its goroutines would never all wait.
func TestTrackingAnOperationTwiceCountsItOnce(t *testing.T) {
	r := &recorder{}
	ctx, load := operation(Options{Wait: never, Stall: never}, 1, r)
	ctx = Track(ctx, "op", 1)
	prompt(t, func() {
		list(ctx, 3, func(i int) { load.Load(ctx, i) })
		RootDone(ctx)
	})
	if s := r.sizes(); !slices.Equal(s, []int{3}) {
		t.Errorf("batch sizes %v, want [3]", s)
	}
}

func BenchmarkListOf100(b *testing.B) {
	for b.Loop() {
		r := &recorder{}
		ctx, load := operation(Options{Wait: never, Stall: never}, 1, r)
		list(ctx, 100, func(i int) { load.Load(ctx, i) })
		RootDone(ctx)
	}
}
