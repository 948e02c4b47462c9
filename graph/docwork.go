package graph

import (
	"fmt"
	"strings"

	"github.com/vektah/gqlparser/v2/ast"
)

// DocumentWork estimates, from the parsed but not yet validated document,
// how much work validating it takes, in units of about one comparison or
// one visited selection, and says what costs most. Validation is where a
// small document can cost seconds: the walker enters every fragment again
// from each fragment definition (a chain of n fragments costs n²), and the
// OverlappingFieldsCanBeMerged rule compares every pair of fields sharing a
// response name, again inside each enclosing inline fragment (n copies of a
// field cost n², n nested inline fragments n³).
//
// The estimate is an upper bound of those costs computed without doing
// them: a first pass, memoised per fragment and so linear in the document,
// counts the selections the document expands to through its fragments; only
// when that is within limit does a second pass walk the expansion (so it
// too costs at most limit) and count the pairs of fields the rule compares.
// Past limit the estimate stops growing exactly: it is only known to exceed.
//
// A fragment that spreads itself, directly or through others, makes the
// document invalid and its expansion endless; cycle then names it and the
// estimate is not made.
func DocumentWork(doc *ast.QueryDocument, limit int) (work int, why, cycle string) {
	d := &docWork{frags: map[string]*ast.FragmentDefinition{}, sizes: map[string]*expansion{}}
	for _, f := range doc.Fragments {
		if _, dup := d.frags[f.Name]; !dup { // the validator also takes the first
			d.frags[f.Name] = f
		}
	}
	work, why = d.expansionWork(doc)
	if d.cycle != "" {
		return 0, "", d.cycle
	}
	if work > limit {
		return work, why, ""
	}
	pairs, path, n := d.pairWork(doc, limit-work)
	work = add(work, pairs)
	switch {
	case work <= limit:
		why = ""
	case n > 1:
		why = fmt.Sprintf("%d fields answer as %s, and each pair of them is compared", n, path)
	default:
		why = "its fields and fragments are compared pair by pair"
	}
	return work, why, ""
}

// expansion counts what a selection set expands to through its fragments.
type expansion struct {
	selections int  // fields, inline fragments and spreads, fragments expanded
	inline     int  // the same, summed over every inline fragment in the expansion
	reach      int  // spreads reached from the set's own level (through inline fragments and spread fragments' own levels)
	busy       bool // being counted: a spread reaching it now is a cycle
}

type docWork struct {
	frags map[string]*ast.FragmentDefinition
	sizes map[string]*expansion
	cycle string // a fragment found spreading itself
	// rootSizes are the operations' and fragments' expansions, in order:
	// the second pass sizes its maps with them.
	rootSizes []int
}

// expansionWork is the first pass: the selections the walker and the
// rules' collection of fields visit, from every operation and fragment
// definition, each inline fragment collected again on its own.
func (d *docWork) expansionWork(doc *ast.QueryDocument) (int, string) {
	expanded := 0
	for _, op := range doc.Operations {
		e := d.set(op.SelectionSet)
		expanded = add(expanded, add(e.selections, e.inline))
		d.rootSizes = append(d.rootSizes, e.selections)
	}
	for _, f := range doc.Fragments {
		e := d.fragment(f.Name)
		expanded = add(expanded, add(e.selections, e.inline))
		d.rootSizes = append(d.rootSizes, e.selections)
	}
	return expanded, fmt.Sprintf("its fragments expand to %d selections", expanded)
}

func (d *docWork) fragment(name string) expansion {
	if e, ok := d.sizes[name]; ok {
		if e.busy {
			d.cycle = name
			return expansion{}
		}
		return *e
	}
	f := d.frags[name]
	if f == nil {
		return expansion{} // unknown: validation refuses it
	}
	e := &expansion{busy: true}
	d.sizes[name] = e
	*e = d.set(f.SelectionSet)
	return *e
}

func (d *docWork) set(s ast.SelectionSet) expansion {
	var out expansion
	for _, sel := range s {
		switch x := sel.(type) {
		case *ast.Field:
			c := d.set(x.SelectionSet)
			out.selections = add(out.selections, add(1, c.selections))
			out.inline = add(out.inline, c.inline)
		case *ast.InlineFragment:
			c := d.set(x.SelectionSet)
			out.selections = add(out.selections, add(1, c.selections))
			out.inline = add(out.inline, add(add(1, c.selections), c.inline))
			out.reach = add(out.reach, c.reach)
		case *ast.FragmentSpread:
			f := d.fragment(x.Name)
			out.selections = add(out.selections, add(1, f.selections))
			out.inline = add(out.inline, f.inline)
			out.reach = add(out.reach, add(1, f.reach))
		}
	}
	return out
}

// pairWork is the second pass, run only once the expansion is known to be
// small (and, having no cycle, finite): it walks the expansion from every
// place the overlap rule starts from (each operation, fragment definition
// and inline fragment) and counts, for every response path, the pairs of
// fields it compares there and the fragments it compares them with. It
// stops counting past limit.
func (d *docWork) pairWork(doc *ast.QueryDocument, limit int) (work int, worstPath string, worstN int) {
	var roots []ast.SelectionSet
	for _, op := range doc.Operations {
		roots = append(roots, op.SelectionSet)
	}
	for _, f := range doc.Fragments {
		roots = append(roots, f.SelectionSet)
	}
	for i := 0; i < len(roots) && work <= limit; i++ {
		p := &pairWalk{d: d, spawn: i < len(d.rootSizes)}
		if p.spawn {
			p.ids = make(map[pathKey]int, 1+d.rootSizes[i])
			p.paths = make([]pathCount, 0, 1+d.rootSizes[i])
		}
		p.set(p.path(-1, ""), roots[i])
		roots = append(roots, p.inline...)
		w, path, n := p.total()
		work = add(work, w)
		if n > worstN {
			worstPath, worstN = path, n
		}
	}
	return work, worstPath, worstN
}

type pathKey struct {
	parent int
	name   string
}

// pathCount is what the walk saw at one response path: n fields, c
// selections directly under them (inline fragments and spreads flattened,
// so c counts the fragments' own selections too), s spreads among those,
// and f the fields each set there (a field's selections, a spread
// fragment's) compares with the fragments it reaches.
type pathCount struct {
	parent     int
	name       string
	n, c, s, f int
}

type pairWalk struct {
	d      *docWork
	ids    map[pathKey]int
	paths  []pathCount
	spawn  bool // collect inline fragments as roots of their own
	inline []ast.SelectionSet
}

func (p *pairWalk) path(parent int, name string) int {
	if p.ids == nil {
		p.ids = map[pathKey]int{}
	}
	k := pathKey{parent, name}
	if id, ok := p.ids[k]; ok {
		return id
	}
	p.ids[k] = len(p.paths)
	p.paths = append(p.paths, pathCount{parent: parent, name: name})
	return len(p.paths) - 1
}

// set visits one selection set at path at, and counts the comparisons of
// its own fields with the fragments it reaches.
func (p *pairWalk) set(at int, s ast.SelectionSet) {
	fields, reach := p.visit(at, s)
	p.paths[at].f = add(p.paths[at].f, mul(fields, reach))
}

// visit walks s at path at, expanding its fragments; it returns the fields
// and the reach (see expansion) of s's own level, inline fragments
// flattened.
func (p *pairWalk) visit(at int, s ast.SelectionSet) (fields, reach int) {
	for _, sel := range s {
		p.paths[at].c++
		switch x := sel.(type) {
		case *ast.Field:
			name := x.Alias
			if name == "" {
				name = x.Name
			}
			child := p.path(at, name)
			p.paths[child].n++
			p.set(child, x.SelectionSet)
			fields++
		case *ast.InlineFragment:
			if p.spawn {
				p.inline = append(p.inline, x.SelectionSet)
			}
			f, r := p.visit(at, x.SelectionSet)
			fields, reach = fields+f, add(reach, r)
		case *ast.FragmentSpread:
			p.paths[at].s++
			reach = add(reach, add(1, p.d.fragment(x.Name).reach))
			if f := p.d.frags[x.Name]; f != nil {
				p.set(at, f.SelectionSet)
			}
		}
	}
	return fields, reach
}

// total adds up, per path: the pairs of its fields (each pair is compared,
// and the comparison walks both fields' selections), the pairs of fragments
// spread there (the walk expands spreads, so s counts those reached through
// other fragments too), and the comparisons of fields with fragments.
func (p *pairWalk) total() (work int, worstPath string, worstN int) {
	worst := 0
	for i, c := range p.paths {
		work = add(work, add(add(mul(c.n, c.n+c.c), mul(c.s, c.s)), c.f))
		if c.n > p.paths[worst].n {
			worst = i
		}
	}
	return work, p.name(worst), p.paths[worst].n
}

func (p *pairWalk) name(id int) string {
	var parts []string
	for ; id > 0; id = p.paths[id].parent {
		parts = append(parts, p.paths[id].name)
	}
	for i, j := 0, len(parts)-1; i < j; i, j = i+1, j-1 {
		parts[i], parts[j] = parts[j], parts[i]
	}
	return strings.Join(parts, ".")
}

// add is a + b, or the largest int if that overflows: every count here is
// only compared with a limit. Both are never negative.
func add(a, b int) int {
	if a > maxInt-b {
		return maxInt
	}
	return a + b
}

// mul is a × b, or the largest int if that overflows. Both are never
// negative.
func mul(a, b int) int {
	if a != 0 && b > maxInt/a {
		return maxInt
	}
	return a * b
}

const maxInt = int(^uint(0) >> 1)
