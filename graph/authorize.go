package graph

import (
	"context"
	"fmt"
	"reflect"
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
// concrete type's directives. It runs for every field of every response, so
// what it looks up is laid out at start: per type and field, a rule with the
// number of its requirement, and which requirement implies which. A field
// that returns a list of an abstract type (_entities) has each element
// checked: one the caller may not see is null with its error.
type Authorizer struct {
	rules   map[string]map[string]*fieldRule // type → field → rule (fields with a requirement or an abstract type)
	types   map[string]typeRule              // type → its own directives
	implies [][]bool                         // implies[a][b]: passing b guarantees a
	typeOf  func(any) string
}

type fieldRule struct {
	req      Requirement
	id       int  // of req; -1 when the field needs nothing of its own
	abstract bool // returns an interface or union: checked again on the concrete type
	// rows is the dataset whose rows the field returns (usage): set when
	// the type it returns belongs to one dataset its parent does not.
	rows mkg.Dataset
	list bool // of abstract: each element is checked
}

type typeRule struct {
	req Requirement
	id  int
}

// NewAuthorizer reads the directives of schema. typeOf names the GraphQL
// type of a resolved value (for the interface post-check).
func NewAuthorizer(schema *ast.Schema, typeOf func(any) string) (*Authorizer, error) {
	a := &Authorizer{rules: map[string]map[string]*fieldRule{}, types: map[string]typeRule{}, typeOf: typeOf}
	var reqs []Requirement
	number := func(r Requirement) int {
		if r.None() {
			return -1
		}
		for i, have := range reqs {
			if slices.Equal(have.Datasets, r.Datasets) && slices.Equal(have.Roles, r.Roles) {
				return i
			}
		}
		reqs = append(reqs, r)
		return len(reqs) - 1
	}
	for name, def := range schema.Types {
		r, err := requirementOf(def.Directives, "type "+name)
		if err != nil {
			return nil, err
		}
		a.types[name] = typeRule{req: r, id: number(r)}
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
				r.Datasets = a.types[ret].req.Datasets
			}
			if len(r.Roles) == 0 {
				r.Roles = a.types[ret].req.Roles
			}
			k := schema.Types[ret]
			abstract := k != nil && (k.Kind == ast.Interface || k.Kind == ast.Union)
			if r.None() && !abstract {
				continue
			}
			if a.rules[name] == nil {
				a.rules[name] = map[string]*fieldRule{}
			}
			a.rules[name][f.Name] = &fieldRule{req: r, id: number(r), abstract: abstract, list: f.Type.Elem != nil,
				rows: rowsOf(a.types[ret].req, a.types[name].req)}
		}
	}
	a.implies = make([][]bool, len(reqs))
	for i := range reqs {
		a.implies[i] = make([]bool, len(reqs))
		for j := range reqs {
			a.implies[i][j] = reqs[i].ImpliedBy(reqs[j])
		}
	}
	return a, nil
}

// rowsOf is the dataset whose rows an object of a type requiring ret
// counts as, inside one of a type requiring parent: ret's one dataset,
// unless the parent is of it already (a report's heading is not a row of
// its own); "" when none.
func rowsOf(ret, parent Requirement) mkg.Dataset {
	if len(ret.Datasets) != 1 || slices.Contains(parent.Datasets, ret.Datasets[0]) {
		return ""
	}
	return ret.Datasets[0]
}

// rowCount is how many objects a field's result holds: a list's length,
// one for an object, none for nil.
func rowCount(res any) int64 {
	v := reflect.ValueOf(res)
	switch v.Kind() {
	case reflect.Invalid:
		return 0
	case reflect.Slice:
		return int64(v.Len())
	case reflect.Pointer, reflect.Interface, reflect.Map:
		if v.IsNil() {
			return 0
		}
	}
	return 1
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
	return a.types[typ].req.Check(mkg.PrincipalFrom(ctx))
}

// FieldRequirement returns what Type.field needs (for tests and docs).
func (a *Authorizer) FieldRequirement(typ, field string) Requirement {
	if r := a.rules[typ][field]; r != nil {
		return r.req
	}
	return Requirement{}
}

// TypeRequirement returns a type's own directives.
func (a *Authorizer) TypeRequirement(typ string) Requirement { return a.types[typ].req }

// Middleware is the field middleware (handler.AroundFields). It also
// records what the field reads for the response cache (TrackDependencies),
// so that one middleware layer, not two, wraps every field.
func (a *Authorizer) Middleware(ctx context.Context, next graphql.Resolver) (any, error) {
	fc := graphql.GetFieldContext(ctx)
	if fc == nil || fc.Field.Field == nil {
		return next(ctx)
	}
	return a.resolve(ctx, fc, next)
}

// resolve is Middleware for a field of the document.
func (a *Authorizer) resolve(ctx context.Context, fc *graphql.FieldContext, next graphql.Resolver) (any, error) {
	noteField(ctx, fc)
	r := a.rules[fc.Object][fc.Field.Name]
	if r == nil {
		return next(ctx)
	}
	p := mkg.PrincipalFrom(ctx)
	if r.id >= 0 && !a.passedAbove(fc, r.id) {
		if err := r.req.Check(p); err != nil {
			return nil, err
		}
		noteRequirement(ctx, p, r.req)
	}
	res, err := next(ctx)
	if err == nil && r.rows != "" {
		BillFrom(ctx).returned(r.rows, rowCount(res))
	}
	if err != nil || !r.abstract || res == nil {
		return res, err
	}
	if r.list {
		a.checkEach(ctx, p, reflect.ValueOf(res), fc.Object)
		return res, nil
	}
	if err := a.checkConcrete(ctx, p, res, fc.Object); err != nil {
		return nil, err
	}
	return res, nil
}

// checkConcrete checks the caller against the concrete type of a value an
// abstract field resolved to.
func (a *Authorizer) checkConcrete(ctx context.Context, p *mkg.Principal, v any, parent string) error {
	t := a.typeRuleOf(v)
	if t.id < 0 {
		return nil
	}
	if err := t.req.Check(p); err != nil {
		return err
	}
	noteRequirement(ctx, p, t.req)
	if d := rowsOf(t.req, a.types[parent].req); d != "" {
		BillFrom(ctx).returned(d, 1)
	}
	return nil
}

// checkEach checks every element of a list of an abstract type (the
// entities _entities returns, which may mix types): an element the caller
// may not see becomes null, with its error at its index, as node would
// answer it alone; the others are kept.
func (a *Authorizer) checkEach(ctx context.Context, p *mkg.Principal, list reflect.Value, parent string) {
	if list.Kind() != reflect.Slice {
		return
	}
	for i := range list.Len() {
		e := list.Index(i)
		if e.IsZero() {
			continue
		}
		if err := a.checkConcrete(ctx, p, e.Interface(), parent); err != nil {
			e.SetZero()
			graphql.AddError(graphql.WithPathContext(ctx, graphql.NewPathWithIndex(i)), err)
		}
	}
}

// typeRuleOf returns the rule of a resolved value's type; a value no type
// is known for (a list, nil) has none of its own.
func (a *Authorizer) typeRuleOf(v any) typeRule {
	if t, ok := a.types[a.typeOf(v)]; ok {
		return t
	}
	return typeRule{id: -1}
}

// passedAbove reports whether an enclosing field of the same request
// already passed a requirement that implies requirement id.
func (a *Authorizer) passedAbove(fc *graphql.FieldContext, id int) bool {
	for up := fc.Parent; up != nil; up = up.Parent {
		// A subscription's root field is checked once, when it starts; what
		// each event holds is checked again, under the rights of then.
		if up.Field.Field == nil || up.Object == "Subscription" {
			continue
		}
		r := a.rules[up.Object][up.Field.Name]
		if r == nil {
			continue
		}
		if r.id >= 0 && a.implies[id][r.id] {
			return true
		}
		// An interface field (node) passed its concrete type's requirement.
		if r.abstract {
			if t := a.typeRuleOf(up.Result); t.id >= 0 && a.implies[id][t.id] {
				return true
			}
		}
	}
	return false
}
