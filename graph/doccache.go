package graph

import (
	"container/list"
	"context"
	"sync"

	"github.com/vektah/gqlparser/v2/ast"
)

// boundedCache is a least-recently-used cache bounded both in entries and
// in bytes. gqlgen's own LRU counts entries only, while an entry is as large
// as a client makes it: a thousand parsed documents at the token limit take
// gigabytes, and so do a thousand persisted queries at the body limit.
// An entry weighing more than a sixteenth of the budget is not kept, so
// that no single request can empty the cache. (A smaller cap would resist
// flushing better, but documents as large as the token limit allows would
// then be parsed and validated on every request: 3 ms became 11 ms for a
// query of 4,900 aliases.)
type boundedCache[T any] struct {
	mu      sync.Mutex
	entries int // most entries kept
	budget  int // most bytes kept, as weigh counts them
	used    int
	weigh   func(key string, v T) int
	order   *list.List // of *cached[T], most recently used first
	byKey   map[string]*list.Element
}

type cached[T any] struct {
	key    string
	value  T
	weight int
}

func newBoundedCache[T any](entries, budget int, weigh func(string, T) int) *boundedCache[T] {
	return &boundedCache[T]{entries: entries, budget: budget, weigh: weigh, order: list.New(), byKey: map[string]*list.Element{}}
}

// Get implements graphql.Cache.
func (c *boundedCache[T]) Get(_ context.Context, key string) (T, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.byKey[key]
	if !ok {
		var zero T
		return zero, false
	}
	c.order.MoveToFront(e)
	return e.Value.(*cached[T]).value, true
}

// Add implements graphql.Cache.
func (c *boundedCache[T]) Add(_ context.Context, key string, value T) {
	w := c.weigh(key, value)
	if w > c.budget/16 {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.byKey[key]; ok {
		c.remove(e)
	}
	c.byKey[key] = c.order.PushFront(&cached[T]{key: key, value: value, weight: w})
	c.used += w
	for c.order.Len() > c.entries || c.used > c.budget {
		c.remove(c.order.Back())
	}
}

func (c *boundedCache[T]) remove(e *list.Element) {
	v := c.order.Remove(e).(*cached[T])
	delete(c.byKey, v.key)
	c.used -= v.weight
}

// nodeBytes is about what one node of a parsed document takes in memory
// (a field with its position is about 230 bytes, an argument with its value
// about twice that, in gqlparser v2.5).
const nodeBytes = 256

// documentWeight is a parsed document's approximate size in memory: its
// text (the document keeps it, and the cache keys on it) and its nodes.
func documentWeight(query string, doc *ast.QueryDocument) int {
	n := 0
	for _, op := range doc.Operations {
		n += 1 + len(op.VariableDefinitions) + selectionNodes(op.SelectionSet)
	}
	for _, f := range doc.Fragments {
		n += 1 + selectionNodes(f.SelectionSet)
	}
	return len(query) + n*nodeBytes
}

func selectionNodes(s ast.SelectionSet) int {
	n := 0
	for _, sel := range s {
		n++
		switch x := sel.(type) {
		case *ast.Field:
			for _, a := range x.Arguments {
				n += 1 + valueNodes(a.Value)
			}
			n += len(x.Directives) + selectionNodes(x.SelectionSet)
		case *ast.InlineFragment:
			n += len(x.Directives) + selectionNodes(x.SelectionSet)
		case *ast.FragmentSpread:
			n += len(x.Directives)
		}
	}
	return n
}

func valueNodes(v *ast.Value) int {
	n := 1
	for _, c := range v.Children {
		n += valueNodes(c.Value)
	}
	return n
}

// queryWeight is a persisted query's size: its hash and its text.
func queryWeight(hash, query string) int { return len(hash) + len(query) }
