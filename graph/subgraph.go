package graph

import (
	"maps"
	"path"
	"slices"

	"github.com/vektah/gqlparser/v2/ast"
)

// The API is an Apollo Federation v2 subgraph only when the operators say
// so (-federation): a router then composes it into a supergraph and asks
// _service { sdl } and _entities(representations:). Otherwise those fields,
// and the types and directives gqlgen's federation plugin declares, are not
// part of the schema the executor validates and introspects against: a
// query that asks them is refused like any unknown field, and introspection
// does not show them.

// Root fields of a subgraph.
const (
	serviceField  = "_service"
	entitiesField = "_entities"
)

// withoutFederation is the schema of a server that is not a subgraph.
var withoutFederation = schemaWithoutFederation(parsedSchema)

// fromFederation reports whether the federation plugin declared a type or
// directive: its built-in sources are federation/directives.graphql and
// federation/entity.graphql.
func fromFederation(pos *ast.Position) bool {
	return pos != nil && pos.Src != nil && pos.Src.BuiltIn && path.Base(path.Dir(pos.Src.Name)) == "federation"
}

// schemaWithoutFederation copies s without _service, _entities and the
// federation plugin's types and directives; s is left as it is.
func schemaWithoutFederation(s *ast.Schema) *ast.Schema {
	out := *s
	out.Types = maps.Clone(s.Types)
	maps.DeleteFunc(out.Types, func(_ string, d *ast.Definition) bool { return fromFederation(d.Position) })
	query := *s.Query
	query.Fields = slices.DeleteFunc(slices.Clone(s.Query.Fields), func(f *ast.FieldDefinition) bool {
		return f.Name == serviceField || f.Name == entitiesField
	})
	out.Query = &query
	out.Types[query.Name] = &query
	out.Directives = maps.Clone(s.Directives)
	maps.DeleteFunc(out.Directives, func(_ string, d *ast.DirectiveDefinition) bool { return fromFederation(d.Position) })
	kept := func(defs []*ast.Definition) []*ast.Definition {
		return slices.DeleteFunc(slices.Clone(defs), func(d *ast.Definition) bool { return out.Types[d.Name] == nil })
	}
	out.PossibleTypes = map[string][]*ast.Definition{}
	for name, defs := range s.PossibleTypes {
		if out.Types[name] != nil {
			out.PossibleTypes[name] = kept(defs)
		}
	}
	out.Implements = map[string][]*ast.Definition{}
	for name, defs := range s.Implements {
		if out.Types[name] != nil {
			out.Implements[name] = kept(defs)
		}
	}
	return &out
}
