package resolvers

import (
	"go/ast"
	"go/parser"
	"go/token"
	"strconv"
	"strings"
	"testing"

	"github.com/bmkg/mkggraph/graph"
)

// TestPrefetchNamesSchemaFields reads the fields the prefetcher looks
// ahead for out of its source (the names given to child and nodes, and
// those compared with the name of a field ranged over from fields), and
// fails when the schema has no such field on the types named with it. A
// field renamed in the schema would otherwise lose its prefetch quietly:
// its loader still batches by its time window, which a count of
// statements notices only when the window happens to split a page.
func TestPrefetchNamesSchemaFields(t *testing.T) {
	schema := graph.NewExecutableSchema(graph.Config{}).Schema()
	names := prefetchedNames(t, "prefetch.go", "schema.resolvers.go")
	if len(names) < 15 {
		t.Fatalf("found %d prefetched names: the reading of the source is broken", len(names))
	}
	for _, n := range names {
		found := false
		for _, typ := range n.types {
			if def := schema.Types[typ]; def != nil && def.Fields.ForName(n.field) != nil {
				found = true
			}
		}
		if !found {
			t.Errorf("%s: the prefetcher looks for %s on %s, which the schema does not have", n.pos, n.field, strings.Join(n.types, " or "))
		}
	}
}

// prefetchedName is a field the prefetcher looks for, on any of types.
type prefetchedName struct {
	pos   token.Position
	field string
	types []string
}

func prefetchedNames(t *testing.T, files ...string) []prefetchedName {
	var out []prefetchedName
	fset := token.NewFileSet()
	for _, name := range files {
		file, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(file, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.CallExpr:
				lits, ok := stringArgs(n)
				switch {
				case !ok:
				case method(n) == "child" && len(lits) >= 3:
					out = append(out, prefetchedName{fset.Position(n.Pos()), lits[1], lits[2:]})
				case method(n) == "nodes" && len(lits) == 3:
					out = append(out, prefetchedName{fset.Position(n.Pos()), "edges", lits[1:2]},
						prefetchedName{fset.Position(n.Pos()), "node", lits[2:]})
				}
			case *ast.RangeStmt:
				call, ok := n.X.(*ast.CallExpr)
				lits, literal := stringArgs(call)
				v, named := n.Value.(*ast.Ident)
				if ok && literal && named && method(call) == "fields" && len(lits) >= 2 {
					for _, lit := range comparedNames(n.Body, v.Name) {
						s, _ := strconv.Unquote(lit.Value)
						out = append(out, prefetchedName{fset.Position(lit.Pos()), s, lits[1:]})
					}
				}
			}
			return true
		})
	}
	return out
}

// method returns the name of the method a call calls ("" for others).
func method(call *ast.CallExpr) string {
	if sel, ok := call.Fun.(*ast.SelectorExpr); ok {
		return sel.Sel.Name
	}
	return ""
}

// stringArgs returns a call's arguments, "" for the first, which must be
// followed by string literals only.
func stringArgs(call *ast.CallExpr) ([]string, bool) {
	if call == nil || len(call.Args) < 2 {
		return nil, false
	}
	out := []string{""}
	for _, a := range call.Args[1:] {
		lit, ok := a.(*ast.BasicLit)
		if !ok || lit.Kind != token.STRING {
			return nil, false
		}
		s, _ := strconv.Unquote(lit.Value)
		out = append(out, s)
	}
	return out, true
}

// comparedNames returns the string literals that v.Name is compared with
// in body, by == or != or as a switch's cases.
func comparedNames(body ast.Node, v string) []*ast.BasicLit {
	isName := func(e ast.Expr) bool {
		sel, ok := e.(*ast.SelectorExpr)
		if !ok || sel.Sel.Name != "Name" {
			return false
		}
		id, ok := sel.X.(*ast.Ident)
		return ok && id.Name == v
	}
	literal := func(e ast.Expr) (*ast.BasicLit, bool) {
		lit, ok := e.(*ast.BasicLit)
		return lit, ok && lit.Kind == token.STRING
	}
	var out []*ast.BasicLit
	ast.Inspect(body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.BinaryExpr:
			if lit, ok := literal(n.Y); ok && isName(n.X) && (n.Op == token.EQL || n.Op == token.NEQ) {
				out = append(out, lit)
			}
		case *ast.SwitchStmt:
			if n.Tag == nil || !isName(n.Tag) {
				return true
			}
			for _, c := range n.Body.List {
				for _, e := range c.(*ast.CaseClause).List {
					if lit, ok := literal(e); ok {
						out = append(out, lit)
					}
				}
			}
		}
		return true
	})
	return out
}
