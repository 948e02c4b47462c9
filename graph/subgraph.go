package graph

import (
	"context"
	"fmt"
	"maps"
	"path"
	"slices"
	"strings"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/bmkg/mkggraph/mkg"
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

// Representations refuses, before it runs, an operation whose _entities
// representations a router could not have sent: each must be an object
// with the __typename of one of the entities and its key, id. gqlgen's
// runtime would otherwise fail the whole group with an error that says
// nothing to the client. The refusal is a request error, BAD_USER_INPUT
// naming the representation (representations[i]).
type Representations struct {
	entities map[string]bool // the _Entity union's members
}

// NewRepresentations reads the entity types of schema.
func NewRepresentations(schema *ast.Schema) Representations {
	r := Representations{entities: map[string]bool{}}
	if u := schema.Types["_Entity"]; u != nil {
		for _, t := range schema.GetPossibleTypes(u) {
			r.entities[t.Name] = true
		}
	}
	return r
}

func (Representations) ExtensionName() string { return "Representations" }

func (Representations) Validate(graphql.ExecutableSchema) error { return nil }

// MutateOperationContext implements graphql.OperationContextMutator.
func (r Representations) MutateOperationContext(_ context.Context, op *graphql.OperationContext) *gqlerror.Error {
	if op.Operation == nil || op.Operation.Operation != ast.Query {
		return nil
	}
	return r.check(op.Operation.SelectionSet, op.Variables)
}

// check finds _entities among the root fields (fragments included).
func (r Representations) check(set ast.SelectionSet, vars map[string]any) *gqlerror.Error {
	for _, sel := range set {
		var err *gqlerror.Error
		switch s := sel.(type) {
		case *ast.Field:
			if s.Name == entitiesField {
				reps, _ := s.ArgumentMap(vars)["representations"].([]any)
				err = r.checkEach(reps)
			}
		case *ast.InlineFragment:
			err = r.check(s.SelectionSet, vars)
		case *ast.FragmentSpread:
			if s.Definition != nil {
				err = r.check(s.Definition.SelectionSet, vars)
			}
		}
		if err != nil {
			return err
		}
	}
	return nil
}

func (r Representations) checkEach(reps []any) *gqlerror.Error {
	for i, rep := range reps {
		field := fmt.Sprintf("representations[%d]", i)
		m, ok := rep.(map[string]any)
		if !ok {
			return badRepresentation(field, "a representation is an object with __typename and id")
		}
		typ, _ := m["__typename"].(string)
		if !r.entities[typ] {
			return badRepresentation(field, "__typename must name an entity: "+strings.Join(slices.Sorted(maps.Keys(r.entities)), ", "))
		}
		if _, ok := m["id"].(string); !ok {
			return badRepresentation(field, "id must be the entity's global ID (a string)")
		}
	}
	return nil
}

func badRepresentation(field, msg string) *gqlerror.Error {
	err := gqlerror.Errorf("%s: %s", field, msg)
	err.Extensions = map[string]any{"code": mkg.EINVALID, "field": field}
	return err
}
