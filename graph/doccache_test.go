package graph

import (
	"context"
	"fmt"
	"runtime"
	"strings"
	"testing"

	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/parser"
)

func TestBoundedCacheEvictsByEntriesAndBytes(t *testing.T) {
	ctx := context.Background()
	c := newBoundedCache(3, 1600, queryWeight)
	c.Add(ctx, "a", strings.Repeat("x", 90))
	c.Add(ctx, "b", strings.Repeat("x", 90))
	c.Add(ctx, "c", strings.Repeat("x", 90))
	c.Get(ctx, "a") // a is now the most recent
	c.Add(ctx, "d", strings.Repeat("x", 90))
	if _, ok := c.Get(ctx, "b"); ok {
		t.Errorf("four entries kept, the limit is three")
	}
	for _, k := range []string{"a", "c", "d"} {
		if _, ok := c.Get(ctx, k); !ok {
			t.Errorf("%s evicted before the least recently used", k)
		}
	}
	c.Add(ctx, "big", strings.Repeat("x", 200)) // over 1600/16: not kept
	if _, ok := c.Get(ctx, "big"); ok || c.order.Len() != 3 {
		t.Errorf("an entry over a sixteenth of the budget was kept, or evicted others")
	}
	c = newBoundedCache(1000, 1600, queryWeight)
	for i := range 30 {
		c.Add(ctx, fmt.Sprintf("%03d", i), strings.Repeat("x", 97)) // 100 bytes each
	}
	if c.used > 1600 || c.order.Len() != 16 {
		t.Errorf("%d entries, %d bytes; want 16 within 1600", c.order.Len(), c.used)
	}
}

// TestDocumentWeightIsAboutItsMemory: the weight the document cache counts
// is within a factor of two of what the parsed document takes on the heap.
func TestDocumentWeightIsAboutItsMemory(t *testing.T) {
	for name, q := range map[string]string{
		"fields":    "{ stations { edges { node { " + strings.Repeat("name ", 5000) + "} } } }",
		"arguments": "{ " + strings.Repeat(`s: stations(first: 1, after: "x", filter: {kinds: [SEISMIC, RADAR]}) { totalCount } `, 400) + "}",
		"comments":  "{ __typename }" + strings.Repeat("# a comment\n", 50000),
	} {
		const copies = 20
		docs := make([]*ast.QueryDocument, copies)
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		for i := range docs {
			doc, err := parser.ParseQuery(&ast.Source{Input: strings.Clone(q)})
			if err != nil {
				t.Fatal(err)
			}
			docs[i] = doc
		}
		runtime.GC()
		runtime.ReadMemStats(&after)
		heap := float64(after.HeapAlloc-before.HeapAlloc) / copies
		weight := float64(documentWeight(q, docs[0]))
		if weight < heap/2 || weight > heap*2 {
			t.Errorf("%s: weight %.0f, heap %.0f bytes per document", name, weight, heap)
		}
		runtime.KeepAlive(docs)
	}
}
