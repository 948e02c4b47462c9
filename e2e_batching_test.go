package main

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/vektah/gqlparser/v2/ast"

	"github.com/bmkg/mkggraph/graph"
)

// TestEveryListBatchesItsRelations derives from the schema what
// TestNoNPlusOne lists by hand. For every root list or connection with a
// `first` argument, and every field of its items that is a relation (it
// returns objects) or a resolver (it may read data), and every such field
// of those relations' items in turn, it asks for a small and a large page
// with that one field, and fails when the large page costs more SQL
// statements: the field is read item by item. A relation added without a
// loader, or a loader that stops batching, fails here, named by its list
// and field. Fields whose required arguments the walk does not know, and
// lists the demo data cannot fill, are skipped within the limits below,
// so that the walk cannot quietly become empty.
//
// The loaders batch by counting the executor's goroutines, not by time
// (dataloaders/batcher.go); TestBatchingDoesNotDependOnTime walks the same
// lists with the loaders' time limits far out of reach.
func TestEveryListBatchesItsRelations(t *testing.T) {
	roots, skipped := batchingRoots(t)
	for _, s := range skipped {
		t.Logf("skipped: %s", s)
	}
	if len(skipped) > maxBatchingSkips {
		t.Errorf("%d lists or fields skipped, at most %d allowed: give the walk their arguments (pathArgs), or raise maxBatchingSkips saying why", len(skipped), maxBatchingSkips)
	}
	forEachBackendAs(t, func(t *testing.T, a *app, srv *httptest.Server, c *callers) {
		// An administrator holds every grant and every role, so the
		// staff lists (accounts, the audit log, the queue) are walked too.
		count := walkBatching(meter{t: t, a: a, srv: srv, key: c.admin}, roots)
		t.Logf("(list, field) pairs: %d read and batched, %d read nothing, %d undecided, %d known to read item by item",
			count[pairBatched], count[pairNoReads], count[pairUndecided], count[pairKnown])
		if count[pairBatched] < minBatchedPairs || count[pairBatched]+count[pairNoReads] < minCheckedPairs {
			t.Errorf("too few pairs checked (want %d read and batched, %d in all): the walk or the demo data lost them", minBatchedPairs, minCheckedPairs)
		}
	})
}

// walkBatching checks the fields of every list of roots with m, and
// counts the outcomes.
func walkBatching(m meter, roots []listRoot) [pairOutcomes]int {
	mustData(m.t, postAs(m.t, m.srv.URL, m.key, `{ viewer { anonymous } }`, nil)) // the key is then cached
	var count [pairOutcomes]int
	for _, r := range roots {
		for outcome, n := range m.walk(r) {
			count[outcome] += n
		}
	}
	return count
}

const (
	// batchingLarge is the large page (the default page size), or every
	// item when the demo data has fewer.
	batchingLarge = 50
	// batchingDepth is how deep under a list's items fields are checked:
	// the items' relations, and their relations.
	batchingDepth = 2
	// maxBatchingSkips bounds the lists and fields the walk cannot call:
	// the eight lists without `first` (datasets, airQualityStations,
	// climateSummary, radarSites, officers, feeds, trustedDocuments,
	// usage), whose length is the data's (feeds and trustedDocuments: the
	// admins' configuration, without relations to batch; usage: a
	// period's lines, without relations either).
	maxBatchingSkips = 8
	// minBatchedPairs is a floor under the pairs whose field read on a
	// small page and cost no more on the large one, minCheckedPairs under
	// those and the pairs whose field read nothing (21 and 173 on either
	// backend when written).
	minBatchedPairs = 20
	minCheckedPairs = 165
)

// unbatched are the fields known to be read item by item, with why. Each
// is reported, not failed; the test fails when one is batched, so that the
// list only shrinks.
var unbatched = map[string]string{}

// batchingArgs are arguments of this walk's own, taken before pathArgs':
// a page of synoptic stations, which mostly have a WMO index and so read
// observations and climate.
var batchingArgs = map[string]string{
	"Query.stations": `(first: 1, filter: {kinds: [SYNOPTIC]})`,
}

// listRoot is a root list or connection, with the fields to check on its
// items, grouped by the relation they are reached through.
type listRoot struct {
	field, args string // args: with %d for `first`
	conn        bool   // items are edges.node
	groups      []probeGroup
}

// probeGroup is the fields checked through one path from the list's
// items: none (the items' own fields), or one of their relations.
type probeGroup struct {
	via    []hop
	probes []hop
}

// hop is a field on a query's path: its arguments, whether its items are
// edges.node (conn), and the smallest selection that makes it read what
// it reads (sel, when it is the field checked).
type hop struct {
	typ, name, args, sel string
	conn                 bool
}

// batchingRoots walks the executable schema for the lists to check, and
// returns with them what it had to skip, and why.
func batchingRoots(t *testing.T) ([]listRoot, []string) {
	schema := graph.NewExecutableSchema(graph.Config{}).Schema()
	w := probeWalk{schema: schema, resolvers: resolverFields()}
	var roots []listRoot
	for _, f := range schema.Query.Fields {
		item, conn := listItem(schema, f)
		switch {
		case f.Name == "_entities":
			continue // served with -federation only; TestFederationEntities counts its batches
		case item == nil:
			continue
		case f.Arguments.ForName("first") == nil:
			w.skipped = append(w.skipped, "Query."+f.Name+": a list without `first`")
			continue
		}
		r := listRoot{field: f.Name, args: "(first: %d)", conn: conn}
		if args, ok := batchingArgs["Query."+f.Name]; ok || requiredArgs(f) {
			if !ok {
				args, ok = knownArgs("Query." + f.Name)
			}
			if !ok || !firstArg.MatchString(args) {
				w.skipped = append(w.skipped, "Query."+f.Name+": required arguments the walk does not know")
				continue
			}
			r.args = firstArg.ReplaceAllString(args, "first: %d")
		}
		r.groups = w.groups(nil, item, "Query."+f.Name)
		roots = append(roots, r)
	}
	if len(roots) < 8 {
		t.Fatalf("found %d root lists: the walk is broken", len(roots))
	}
	return roots, w.skipped
}

type probeWalk struct {
	schema    *ast.Schema
	resolvers map[string]bool
	skipped   []string
}

// groups returns the fields to check on items of type item reached
// through via, and under each relation among them, down to batchingDepth.
func (w *probeWalk) groups(via []hop, item *ast.Definition, where string) []probeGroup {
	g := probeGroup{via: via}
	var deeper []probeGroup
	for _, f := range item.Fields {
		typ := w.schema.Types[f.Type.Name()]
		leaf := typ.Kind == ast.Scalar || typ.Kind == ast.Enum
		if strings.HasPrefix(f.Name, "__") || leaf && !w.resolvers[strings.ToLower(item.Name+"."+f.Name)] {
			continue // read from the item itself
		}
		args, _ := knownArgs(item.Name + "." + f.Name)
		if args == "" && requiredArgs(f) {
			w.skipped = append(w.skipped, item.Name+"."+f.Name+" (under "+where+"): required arguments the walk does not know")
			continue
		}
		next, conn := relationItem(w.schema, typ)
		h := hop{typ: item.Name, name: f.Name, args: args, sel: selectionOf(typ), conn: conn}
		g.probes = append(g.probes, h)
		if next != nil && len(via)+1 < batchingDepth {
			deeper = append(deeper, w.groups(append(slices.Clone(via), h), next, where+"."+f.Name)...)
		}
	}
	if len(g.probes) == 0 {
		return deeper
	}
	return append([]probeGroup{g}, deeper...)
}

// batchingArgs and pathArgs give page sizes as `first: N`.
var firstArg = regexp.MustCompile(`first: \d+`)

// knownArgs returns the walk's arguments for a field, unless they name a
// sample object (which this walk does not create).
func knownArgs(key string) (string, bool) {
	args, ok := pathArgs[key]
	if strings.Contains(args, `"{`) {
		return "", false
	}
	return args, ok
}

// listItem returns the item type of a list or connection field, and
// whether it is a connection; nil for any other field.
func listItem(schema *ast.Schema, f *ast.FieldDefinition) (*ast.Definition, bool) {
	typ := schema.Types[f.Type.Name()]
	switch {
	case f.Type.Elem != nil && typ.Kind != ast.Scalar && typ.Kind != ast.Enum:
		return typ, false
	case strings.HasSuffix(typ.Name, "Connection"):
		return relationItem(schema, typ)
	}
	return nil, false
}

// relationItem returns the type of the items a field of type typ holds
// (edges.node of a connection, else typ itself), nil for a scalar.
func relationItem(schema *ast.Schema, typ *ast.Definition) (*ast.Definition, bool) {
	if typ.Kind == ast.Scalar || typ.Kind == ast.Enum {
		return nil, false
	}
	if edges := typ.Fields.ForName("edges"); edges != nil {
		if node := schema.Types[edges.Type.Name()].Fields.ForName("node"); node != nil {
			return schema.Types[node.Type.Name()], true
		}
	}
	return typ, false
}

// selectionOf is the smallest selection under a field of type typ that
// still runs what reading it costs: a connection's count and nodes, an
// object's __typename.
func selectionOf(typ *ast.Definition) string {
	switch {
	case typ.Kind == ast.Scalar || typ.Kind == ast.Enum:
		return ""
	case typ.Fields.ForName("edges") != nil && typ.Fields.ForName("totalCount") != nil:
		return "{ totalCount edges { node { __typename } } }"
	case typ.Fields.ForName("edges") != nil:
		return "{ edges { node { __typename } } }"
	}
	return "{ __typename }"
}

// resolverFields returns "type.field" (lower case) for every field gqlgen
// resolves with a method of ResolverRoot rather than from a struct field:
// those are the fields that may read data.
func resolverFields() map[string]bool {
	out := map[string]bool{}
	root := reflect.TypeFor[graph.ResolverRoot]()
	for i := range root.NumMethod() {
		m := root.Method(i)
		for j := range m.Type.Out(0).NumMethod() {
			out[strings.ToLower(m.Name+"."+m.Type.Out(0).Method(j).Name)] = true
		}
	}
	return out
}

// query selects, on n items of the list, the fields of path (each but the
// last a relation to go through) and the last one's selection; with an
// empty path, the items' __typename.
func (r listRoot) query(n int, path []hop) string {
	inner := "__typename"
	for i := len(path) - 1; i >= 0; i-- {
		h := path[i]
		switch {
		case i == len(path)-1:
			inner = strings.TrimSpace(h.name + h.args + " " + h.sel)
		case h.conn:
			inner = h.name + h.args + " { edges { node { " + inner + " } } }"
		default:
			inner = h.name + h.args + " { " + inner + " }"
		}
	}
	if r.conn {
		inner = "edges { node { " + inner + " } }"
	}
	return fmt.Sprintf("{ %s%s { %s } }", r.field, fmt.Sprintf(r.args, n), inner)
}

// name is how a message names the field at the end of path.
func (r listRoot) name(path []hop) string {
	s := "Query." + r.field
	for _, h := range path {
		s += " { " + h.name
	}
	return s + strings.Repeat(" }", len(path))
}

// errorPath is the path (names only) of errors at the end of path.
func (r listRoot) errorPath(path []hop) []string {
	out := []string{r.field}
	if r.conn {
		out = append(out, "edges", "node")
	}
	for i, h := range path {
		out = append(out, h.name)
		if h.conn && i < len(path)-1 {
			out = append(out, "edges", "node")
		}
	}
	return out
}

type pairOutcome int

const (
	pairBatched   pairOutcome = iota // read on a small page; the large one cost no more
	pairNoReads                      // read nothing on either page
	pairUndecided                    // read on the large page only: the small ones hold nothing it reads
	pairKnown                        // read item by item, and listed in unbatched
	pairFailed                       // read item by item
	pairOutcomes
)

// meter measures what queries cost one caller on one server.
type meter struct {
	t   *testing.T
	a   *app
	srv *httptest.Server
	key string
	// slow, when set, is longer than any request may take.
	slow time.Duration
}

// walk checks the fields of a list and counts the outcomes.
func (m meter) walk(r listRoot) [pairOutcomes]int {
	var count [pairOutcomes]int
	n := len(m.answer(r, nil, postAs(m.t, m.srv.URL, m.key, r.query(batchingLarge, nil), nil)))
	if n < 2 {
		m.t.Logf("%s: %d items in the demo data, too few to compare pages", r.name(nil), n)
		return count
	}
	items := &floor{m: m, r: r}
	if items.at(n) > items.at(1) {
		m.t.Errorf("%s: %d statements for 1 item, %d for %d: the list reads item by item", r.name(nil), items.at(1), items.at(n), n)
		return count
	}
	itemByItem := map[string]bool{} // relations not to go through
	for _, g := range r.groups {
		if len(g.via) > 0 && itemByItem[r.name(g.via)] {
			continue
		}
		base := items
		if len(g.via) > 0 {
			base = &floor{m: m, r: r, path: append(slices.Clone(g.via), hop{name: "__typename"})}
		}
		for _, p := range g.probes {
			path := append(slices.Clone(g.via), p)
			o := m.check(r, path, n, base)
			if o == pairFailed || o == pairKnown {
				itemByItem[r.name(path)] = true
			}
			count[o]++
		}
	}
	return count
}

// floor is what pages of a list cost with the relations a group of
// fields is reached through, and no more: what a field costs above it is
// what the field reads.
type floor struct {
	m     meter
	r     listRoot
	path  []hop
	sizes map[int]int64
}

// at measures a page of size items, once; reads are cached too (a page of
// stations for a minute), so it is the cost of a page read again.
func (f *floor) at(size int) int64 {
	if f.sizes == nil {
		f.sizes = map[int]int64{}
	}
	if _, ok := f.sizes[size]; !ok {
		f.sizes[size] = fewest(func() int64 { return f.m.cost(f.r, f.path, size) })
	}
	return f.sizes[size]
}

// check measures the field at the end of path on a page of n items and on
// a small page: the smallest of 1, 2, 4 … items on which the field reads
// something (a station without a WMO index reads no observations), so
// that the large page can cost more only by reading item by item. A key's
// last use and the one-minute caches are refreshed in the background,
// which can add a statement to any count; a cost that grows with the page
// is there on every try, so a pair that grows is measured again.
func (m meter) check(r listRoot, path []hop, n int, base *floor) pairOutcome {
	m.t.Helper()
	field := path[len(path)-1]
	why := unbatched[field.typ+"."+field.name]
	large := m.cost(r, path, n)
	if large <= base.at(n) {
		if why != "" {
			m.t.Errorf("%s: reads nothing now, so take it out of unbatched", r.name(path))
		}
		return pairNoReads
	}
	size, small := 1, int64(0)
	for ; ; size *= 2 {
		if small = m.cost(r, path, size); small > base.at(size) || 2*size >= n {
			break
		}
	}
	for try := 0; try < 2 && large > small; try++ {
		small, large = min(small, m.cost(r, path, size)), min(large, m.cost(r, path, n))
	}
	got := fmt.Sprintf("%s: %d statements for %d items, %d for %d", r.name(path), small, size, large, n)
	switch {
	case large > small && small <= base.at(size):
		m.t.Logf("%s: undecided, the smaller pages read nothing", got)
		return pairUndecided
	case large > small && why != "":
		m.t.Logf("%s: known to read item by item: %s", got, why)
		return pairKnown
	case large > small:
		m.t.Errorf("%s: read item by item", got)
		return pairFailed
	case why != "":
		m.t.Errorf("%s: batched now, so take it out of unbatched", got)
	}
	if small <= base.at(size) {
		return pairNoReads
	}
	return pairBatched
}

// cost is what a page of size items with path costs, in statements.
func (m meter) cost(r listRoot, path []hop, size int) int64 {
	n, took := statementsTimed(m.t, m.a, m.srv, m.key, r.query(size, path), func(resp *gqlResponse) { m.answer(r, path, resp) })
	if m.slow > 0 && took > m.slow {
		m.t.Errorf("%s on %d items: %v, more than %v: a batch waited for its time limit", r.name(path), size, took.Round(time.Millisecond), m.slow)
	}
	return n
}

// answer returns the items of a response, which may carry NOT_FOUND errors
// at the end of path only (Earthquake.shakemapAt of an earthquake without
// a ShakeMap); any other error fails the test.
func (m meter) answer(r listRoot, path []hop, resp *gqlResponse) []any {
	m.t.Helper()
	for i, e := range resp.Errors {
		if resp.code(i) != "NOT_FOUND" || !slices.Equal(errorPath(e.Path), r.errorPath(path)) {
			m.t.Fatalf("%s: status %d, errors: %.600s", r.name(path), resp.Status, resp.Raw)
		}
	}
	if resp.Status != http.StatusOK {
		m.t.Fatalf("%s: status %d: %.600s", r.name(path), resp.Status, resp.Raw)
	}
	list, _ := resp.Data[r.field].([]any)
	if !r.conn {
		return list
	}
	var items []any
	for _, e := range dig(resp.Data, r.field, "edges").([]any) {
		items = append(items, dig(e, "node"))
	}
	return items
}
