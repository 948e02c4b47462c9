package graph

import (
	"context"
	"fmt"
	"slices"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/bmkg/mkggraph/mkg"
)

// Requirement is what a field needs of its caller: the right to any one of
// Datasets and/or any one of Roles. The zero value needs nothing.
type Requirement struct {
	Datasets []mkg.Dataset
	Roles    []mkg.Role
}

// None reports whether the requirement asks nothing.
func (r Requirement) None() bool { return len(r.Datasets) == 0 && len(r.Roles) == 0 }

// Check asks the principal.
func (r Requirement) Check(p *mkg.Principal) error {
	if len(r.Datasets) > 0 {
		if err := p.AccessAny(r.Datasets...); err != nil {
			return err
		}
	}
	if len(r.Roles) > 0 {
		return p.RequireRole(r.Roles...)
	}
	return nil
}

// ImpliedBy reports whether passing other guarantees passing r: other's
// datasets are all among r's (any of them then satisfies r), and likewise
// for roles.
func (r Requirement) ImpliedBy(other Requirement) bool {
	sub := func(a, b []string) bool {
		if len(a) == 0 {
			return true
		}
		if len(b) == 0 {
			return false
		}
		for _, x := range b {
			if !slices.Contains(a, x) {
				return false
			}
		}
		return true
	}
	return sub(strs(r.Datasets), strs(other.Datasets)) && sub(strs(r.Roles), strs(other.Roles))
}

func strs[T ~string](v []T) []string {
	out := make([]string, len(v))
	for i, x := range v {
		out[i] = string(x)
	}
	return out
}

// Authorizer enforces @dataset and @hasRole, the one place they are
// implemented. The requirements are read from the schema itself when the
// server starts: a field needs what its own directives say, or else what
// the directives of the type it returns say. A field whose requirement an
// enclosing field has already passed is not checked again. Fields that
// return an interface (node) are checked after resolving, against the
// concrete type's directives.
type Authorizer struct {
	fields   map[string]Requirement // "Type.field" → requirement
	types    map[string]Requirement // type → its own directives
	abstract map[string]bool        // "Type.field" returning an interface or union
	typeOf   func(any) string
}

// NewAuthorizer reads the directives of schema. typeOf names the GraphQL
// type of a resolved value (for the interface post-check).
func NewAuthorizer(schema *ast.Schema, typeOf func(any) string) (*Authorizer, error) {
	a := &Authorizer{fields: map[string]Requirement{}, types: map[string]Requirement{}, abstract: map[string]bool{}, typeOf: typeOf}
	for name, def := range schema.Types {
		r, err := requirementOf(def.Directives, "type "+name)
		if err != nil {
			return nil, err
		}
		a.types[name] = r
	}
	for name, def := range schema.Types {
		if def.Kind != ast.Object {
			continue
		}
		for _, f := range def.Fields {
			own, err := requirementOf(f.Directives, name+"."+f.Name)
			if err != nil {
				return nil, err
			}
			ret := f.Type.Name()
			r := own
			if len(r.Datasets) == 0 {
				r.Datasets = a.types[ret].Datasets
			}
			if len(r.Roles) == 0 {
				r.Roles = a.types[ret].Roles
			}
			key := name + "." + f.Name
			if !r.None() {
				a.fields[key] = r
			}
			if k := schema.Types[ret]; k != nil && (k.Kind == ast.Interface || k.Kind == ast.Union) {
				a.abstract[key] = true
			}
		}
	}
	return a, nil
}

func requirementOf(dirs ast.DirectiveList, where string) (Requirement, error) {
	var r Requirement
	if d := dirs.ForName("dataset"); d != nil {
		name, anyOf := d.Arguments.ForName("name"), d.Arguments.ForName("anyOf")
		switch {
		case name != nil && anyOf == nil:
			r.Datasets = []mkg.Dataset{mkg.Dataset(name.Value.Raw)}
		case anyOf != nil && name == nil:
			for _, c := range anyOf.Value.Children {
				r.Datasets = append(r.Datasets, mkg.Dataset(c.Value.Raw))
			}
		default:
			return r, fmt.Errorf("%s: @dataset needs exactly one of name and anyOf", where)
		}
		for _, ds := range r.Datasets {
			if !ds.Valid() {
				return r, fmt.Errorf("%s: @dataset names unknown dataset %q", where, ds)
			}
		}
	}
	if d := dirs.ForName("hasRole"); d != nil {
		for _, c := range d.Arguments.ForName("roles").Value.Children {
			r.Roles = append(r.Roles, mkg.Role(c.Value.Raw))
		}
	}
	return r, nil
}

// CheckType checks the caller against a type's own directives. The node
// resolver calls it with the type an ID names before looking the object
// up, so that a caller who may not see a type cannot learn which of its
// IDs exist.
func (a *Authorizer) CheckType(ctx context.Context, typ string) error {
	return a.types[typ].Check(mkg.PrincipalFrom(ctx))
}

// FieldRequirement returns what Type.field needs (for tests and docs).
func (a *Authorizer) FieldRequirement(typ, field string) Requirement { return a.fields[typ+"."+field] }

// TypeRequirement returns a type's own directives.
func (a *Authorizer) TypeRequirement(typ string) Requirement { return a.types[typ] }

// Middleware is the field middleware (handler.AroundFields).
func (a *Authorizer) Middleware(ctx context.Context, next graphql.Resolver) (any, error) {
	fc := graphql.GetFieldContext(ctx)
	if fc == nil || fc.Field.Field == nil {
		return next(ctx)
	}
	key := fc.Object + "." + fc.Field.Name
	p := mkg.PrincipalFrom(ctx)
	if r, ok := a.fields[key]; ok && !a.passedAbove(fc, r) {
		if err := r.Check(p); err != nil {
			return nil, err
		}
	}
	res, err := next(ctx)
	if err != nil || !a.abstract[key] || res == nil {
		return res, err
	}
	if r := a.types[a.typeOf(res)]; !r.None() {
		if err := r.Check(p); err != nil {
			return nil, err
		}
	}
	return res, nil
}

// passedAbove reports whether an enclosing field of the same request
// already passed a requirement that implies r.
func (a *Authorizer) passedAbove(fc *graphql.FieldContext, r Requirement) bool {
	for up := fc.Parent; up != nil; up = up.Parent {
		if up.Field.Field == nil {
			continue
		}
		key := up.Object + "." + up.Field.Name
		if above, ok := a.fields[key]; ok && r.ImpliedBy(above) {
			return true
		}
		// An interface field (node) passed its concrete type's requirement.
		if above := a.types[a.typeOf(up.Result)]; a.abstract[key] && !above.None() && r.ImpliedBy(above) {
			return true
		}
	}
	return false
}
