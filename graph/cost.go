package graph

import (
	"context"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
)

// Measure is what an operation would make the server do, known before it
// runs.
type Measure struct {
	// Depth is the deepest field nesting; introspection (__schema,
	// __type) is not counted, being bounded by the schema itself.
	Depth int
	// Cost is gqlgen's complexity, exactly as complexity.Calculate gives
	// it: one per field, a list field's children times its page size
	// (SetComplexity), the costliest implementation for a field of an
	// interface, __schema free; so is a field whose cost function says
	// 0 (Query.rateLimit), which gqlgen would count as 1.
	Cost int
	// Work is what reading argument values costs as the operation runs,
	// ValueWork for each: each field reads its arguments (variables
	// included) every time it runs, and runs as often as its page sizes
	// make it, as in Cost.
	Work int
}

// MeasureOperation measures op with its variables in one pass that visits
// each fragment once, however often it is spread: a fragment's measure does
// not depend on where it is spread, since the validator resolved its fields
// against its own type condition. The pass reads every argument value once
// (the cost functions take them), so it stops, with Work over workLimit, as
// soon as those alone exceed it.
func MeasureOperation(ctx context.Context, es graphql.ExecutableSchema, op *ast.OperationDefinition, vars map[string]any, workLimit int) Measure {
	m := &measurer{ctx: ctx, es: es, schema: es.Schema(), vars: vars, limit: workLimit,
		frags: map[string]*Measure{}, varValues: map[string]int{}}
	out := m.set(op.SelectionSet)
	if m.read > workLimit {
		out.Work = max(out.Work, m.read)
	}
	return out
}

type measurer struct {
	ctx       context.Context
	es        graphql.ExecutableSchema
	schema    *ast.Schema
	vars      map[string]any
	frags     map[string]*Measure // nil while being measured
	varValues map[string]int
	read      int // work of the argument values counted, each field once
	limit     int
}

func (m *measurer) set(s ast.SelectionSet) Measure {
	var out Measure
	for _, sel := range s {
		var c Measure
		switch x := sel.(type) {
		case *ast.Field:
			c = m.field(x)
		case *ast.InlineFragment:
			c = m.set(x.SelectionSet)
		case *ast.FragmentSpread:
			c = m.fragment(x)
		}
		out.Depth = max(out.Depth, c.Depth)
		out.Cost = add(out.Cost, c.Cost)
		out.Work = add(out.Work, c.Work)
	}
	return out
}

func (m *measurer) fragment(s *ast.FragmentSpread) Measure {
	if f, seen := m.frags[s.Name]; seen {
		if f == nil {
			return Measure{} // a cycle: validation has refused it already
		}
		return *f
	}
	if s.Definition == nil {
		return Measure{}
	}
	m.frags[s.Name] = nil
	f := m.set(s.Definition.SelectionSet)
	m.frags[s.Name] = &f
	return f
}

func (m *measurer) field(f *ast.Field) Measure {
	if m.read > m.limit || f.Definition == nil {
		return Measure{}
	}
	child := m.set(f.SelectionSet)
	var out Measure
	if f.Name != "__schema" && f.Name != "__type" {
		out.Depth = 1 + child.Depth
	}
	typ := m.schema.Types[f.Definition.Type.Name()]
	if typ == nil || typ.Name == "__Schema" {
		return out
	}
	values := mul(m.argumentValues(f), ValueWork)
	if m.read = add(m.read, values); m.read > m.limit {
		return out
	}
	args := f.ArgumentMap(m.vars)
	out.Cost = m.cost(f, typ.Kind, child.Cost, args)
	// The children run as many times as the cost function multiplies
	// their cost by: a page's size (1 + children × size), or once.
	pages := 0
	if child.Cost > 0 && out.Cost > 0 {
		pages = (out.Cost - 1) / child.Cost
	}
	out.Work = add(values, mul(pages, child.Work))
	return out
}

// cost is complexity.Calculate's cost of one field: for a field of an
// interface, its costliest implementation's.
func (m *measurer) cost(f *ast.Field, kind ast.DefinitionKind, child int, args map[string]any) int {
	if kind != ast.Object && kind != ast.Interface && kind != ast.Union {
		child = 0
	}
	if f.ObjectDefinition.Kind != ast.Interface {
		return m.fieldCost(f.ObjectDefinition.Name, f.Name, kind, child, args)
	}
	costliest := 0
	for _, t := range m.schema.GetPossibleTypes(f.ObjectDefinition) {
		costliest = max(costliest, m.fieldCost(t.Name, f.Name, kind, child, args))
	}
	return costliest
}

func (m *measurer) fieldCost(typeName, field string, kind ast.DefinitionKind, child int, args map[string]any) int {
	if c, ok := m.es.Complexity(m.ctx, typeName, field, child, args); ok && c >= 0 {
		return c // 0 only for fields declared free (Query.rateLimit)
	}
	if kind == ast.Scalar || kind == ast.Enum {
		return 1
	}
	return add(1, child)
}

// argumentValues counts the values in a field's arguments: every scalar,
// list and object, a variable's as many times as it is used.
func (m *measurer) argumentValues(f *ast.Field) int {
	n := 0
	for _, a := range f.Arguments {
		n = add(n, m.valueCount(a.Value))
	}
	return n
}

func (m *measurer) valueCount(v *ast.Value) int {
	if v.Kind == ast.Variable {
		n, ok := m.varValues[v.Raw]
		if !ok {
			n = countValues(m.vars[v.Raw])
			m.varValues[v.Raw] = n
		}
		return n
	}
	n := 1
	for _, c := range v.Children {
		n = add(n, m.valueCount(c.Value))
	}
	return n
}

// countValues counts a variable's values as the transports decode them
// from JSON (lists are []any, input objects map[string]any; a single value
// the coercion wrapped in a list counts as one).
func countValues(v any) int {
	n := 1
	switch x := v.(type) {
	case []any:
		for _, e := range x {
			n = add(n, countValues(e))
		}
	case map[string]any: // an input object, or all the variables
		for _, e := range x {
			n = add(n, countValues(e))
		}
	}
	return n
}
