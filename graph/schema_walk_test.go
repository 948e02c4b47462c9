package graph_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/vektah/gqlparser/v2"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/bmkg/mkggraph/graph"
	"github.com/bmkg/mkggraph/graph/model"
	"github.com/bmkg/mkggraph/mkg"
)

// publicTypes carry no Data MKG and may be reached without any right. A new
// type is not public until someone adds it here, with the reason.
var publicTypes = map[string]string{
	"Query":             "the root",
	"Mutation":          "the root; every mutation is role-protected (checked below)",
	"Subscription":      "the root; the data of each event are under their own directives, checked per event",
	"EarthquakeEvent":   "an event's envelope (change, time); the earthquake under it is EARTHQUAKE's",
	"ObservationEvent":  "an event's envelope (change, time); the report under it is SYNOP_L1/L2's",
	"LightningBatch":    "a batch's envelope (time, count); the strikes under it are LIGHTNING's",
	"PageInfo":          "pagination only",
	"_Service":          "a federation router's copy of the schema (sdl), public like introspection; served only with -federation",
	"Viewer":            "the caller's own identity and rights",
	"DatasetRight":      "the caller's own rights",
	"DatasetInfo":       "dataset classifications are public",
	"ViewerAccount":     "the caller's own account",
	"ClientApplication": "part of the caller's own account (else reached through Account, staff-only)",
	"Grant":             "part of the caller's own account (else reached through Account, staff-only)",
	"RateLimit":         "the caller's own budget",
	"Download":          "a signed link's description (url, expiry, name); the file behind it is checked against the caller's rights when the link is issued and again when it is fetched (ExportSpec.Allowed, the download service)",
	"UsageLine":         "the caller's own usage (viewer.usage refuses anonymous callers); all accounts' only through Query.usage and Query.usageLines, admins'",
}

// TestEveryDataFieldIsProtected walks the schema from its roots, as a query
// would, tracking which requirements have been passed on the way. It fails
// when data can be reached without passing a @dataset (or @hasRole)
// requirement, when a field that can be denied is non-null (a denial would
// then null its parent instead of itself), when a mutation is not
// role-protected, or when a type cannot be reached at all. A field or type
// added later without a directive fails here.
func TestEveryDataFieldIsProtected(t *testing.T) {
	schema := graph.NewExecutableSchema(graph.Config{}).Schema()
	problems, reached := walkSchema(t, schema, publicTypes)
	for _, p := range problems {
		t.Error(p)
	}
	for name := range publicTypes {
		if schema.Types[name] == nil {
			t.Errorf("publicTypes lists %s, which is not in the schema", name)
		}
	}
	if reached < 40 {
		t.Fatalf("walked only %d types: the walk is broken", reached)
	}
}

// TestTheWalkCatchesMistakes feeds the walk a schema with each mistake it
// is there to catch.
func TestTheWalkCatchesMistakes(t *testing.T) {
	const base = `directive @dataset(name: Dataset, anyOf: [Dataset!]) on FIELD_DEFINITION | OBJECT
directive @hasRole(roles: [Role!]!) on FIELD_DEFINITION | OBJECT
directive @applicantOnly on FIELD_DEFINITION
enum Dataset { STATION_METADATA SYNOP_L1 }
enum Role { ADMIN }
`
	public := map[string]string{"Query": "root", "Mutation": "root"}
	cases := map[string]struct{ schema, want string }{
		"type without directive reached from the root": {`type Query { things: [Thing] }
type Mutation { x: Int @hasRole(roles: [ADMIN]) }
type Thing { secret: String }`, "reaches Thing without any @dataset"},
		"deniable field that is non-null": {`type Query { thing: Thing! @dataset(name: SYNOP_L1) }
type Mutation { x: Int @hasRole(roles: [ADMIN]) }
type Thing { secret: String }`, "can be denied"},
		"nested field of another dataset that is non-null": {`type Query { thing: Thing @dataset(name: STATION_METADATA) }
type Mutation { x: Int @hasRole(roles: [ADMIN]) }
type Thing @dataset(name: STATION_METADATA) { raw: Raw! }
type Raw @dataset(name: SYNOP_L1) { text: String }`, "Query.thing.raw"},
		"mutation without role": {`type Query { a: Int }
type Mutation { change: Int }`, "Mutation.change has no @hasRole"},
		"unreachable type": {`type Query { a: Int }
type Mutation { x: Int @hasRole(roles: [ADMIN]) }
type Orphan { b: Int }`, "Orphan cannot be reached"},
	}
	for name, c := range cases {
		schema, err := gqlparser.LoadSchema(&ast.Source{Name: "test", Input: base + c.schema})
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		problems, _ := walkSchema(t, schema, public)
		if !slices.ContainsFunc(problems, func(p string) bool { return strings.Contains(p, c.want) }) {
			t.Errorf("%s: problems %q do not include %q", name, problems, c.want)
		}
	}
	good, err := gqlparser.LoadSchema(&ast.Source{Name: "good", Input: base + `type Query { thing: Thing @dataset(name: SYNOP_L1) }
type Mutation { x: Int @hasRole(roles: [ADMIN]) }
type Thing { secret: String! }`})
	if err != nil {
		t.Fatal(err)
	}
	if problems, _ := walkSchema(t, good, public); len(problems) > 0 {
		t.Errorf("a correct schema gets problems: %q", problems)
	}
}

// walkSchema returns every problem found and how many types were reached.
func walkSchema(t *testing.T, schema *ast.Schema, public map[string]string) ([]string, int) {
	t.Helper()
	authz, err := graph.NewAuthorizer(schema, model.TypeName)
	if err != nil {
		t.Fatal(err)
	}
	w := &walker{schema: schema, authz: authz, public: public, seen: map[string]bool{}, reached: map[string]bool{}}
	w.walk("Query", "Query", nil)
	if schema.Types["Mutation"] != nil {
		w.walk("Mutation", "Mutation", nil)
		for _, f := range schema.Types["Mutation"].Fields {
			if len(authz.FieldRequirement("Mutation", f.Name).Roles) == 0 && f.Directives.ForName("applicantOnly") == nil &&
				f.Directives.ForName("ownerOnly") == nil && !strings.HasPrefix(f.Name, "__") {
				w.problem("Mutation.%s has no @hasRole: every change is staff-only (or @applicantOnly, with the request's token, or @ownerOnly, on the caller's own objects)", f.Name)
			}
		}
	}
	if schema.Types["Subscription"] != nil {
		w.walk("Subscription", "Subscription", nil)
	}
	for name, def := range schema.Types {
		if def.Kind == ast.Object && !def.BuiltIn && !strings.HasPrefix(name, "__") && !w.reached[name] {
			w.problem("type %s cannot be reached from Query or Mutation", name)
		}
	}
	return w.problems, len(w.reached)
}

type walker struct {
	problems []string
	public   map[string]string
	schema   *ast.Schema
	authz    *graph.Authorizer
	seen     map[string]bool
	reached  map[string]bool
}

func (w *walker) walk(typ, path string, passed []graph.Requirement) {
	key := typ + "|" + signature(passed)
	if w.seen[key] {
		return
	}
	w.seen[key], w.reached[typ] = true, true
	def := w.schema.Types[typ]
	for _, f := range def.Fields {
		if strings.HasPrefix(f.Name, "__") {
			continue
		}
		fieldPath := path + "." + f.Name
		req := w.authz.FieldRequirement(typ, f.Name)
		now := passed
		if owner := ownerMarker(f); owner != "" {
			// Protected by the tracking token, checked by the ticket store,
			// or by the object's account, checked by the webhooks service
			// (each tested end to end there), not by a role or dataset.
			now = append(slices.Clone(passed), graph.Requirement{Roles: []mkg.Role{owner}})
			if ret := w.schema.Types[f.Type.Name()]; ret.Kind == ast.Object {
				w.walk(ret.Name, fieldPath, now)
			}
			continue
		}
		if !req.None() && !implied(passed, req) {
			if f.Type.NonNull {
				w.problem("%s (%s) can be denied (needs %v) but is non-null: make it nullable", fieldPath, f.Type, req)
			}
			now = append(slices.Clone(passed), req)
		}
		ret := w.schema.Types[f.Type.Name()]
		switch ret.Kind {
		case ast.Object:
			w.enter(fieldPath, ret.Name, now)
		case ast.Interface, ast.Union:
			for _, impl := range w.schema.GetPossibleTypes(ret) {
				tr := w.authz.TypeRequirement(impl.Name)
				withType := now
				if !tr.None() && !implied(now, tr) {
					withType = append(slices.Clone(now), tr)
				}
				w.enter(fieldPath+"<"+impl.Name+">", impl.Name, withType)
			}
		}
	}
}

// ownerMarker names who a field's result belongs to when a directive
// other than a role or dataset protects it ("" when none does).
func ownerMarker(f *ast.FieldDefinition) mkg.Role {
	switch {
	case f.Directives.ForName("applicantOnly") != nil:
		return "APPLICANT (tracking token)"
	case f.Directives.ForName("ownerOnly") != nil:
		return "OWNER (the caller's account)"
	}
	return ""
}

func (w *walker) problem(format string, args ...any) {
	w.problems = append(w.problems, fmt.Sprintf(format, args...))
}

func (w *walker) enter(path, typ string, passed []graph.Requirement) {
	if len(passed) == 0 {
		if _, ok := w.public[typ]; !ok {
			w.problem("%s reaches %s without any @dataset or @hasRole on the way: data would be served to anyone", path, typ)
			return
		}
	}
	w.walk(typ, path, passed)
}

func implied(passed []graph.Requirement, r graph.Requirement) bool {
	for _, p := range passed {
		if r.ImpliedBy(p) {
			return true
		}
	}
	return false
}

func signature(passed []graph.Requirement) string {
	var parts []string
	for _, p := range passed {
		parts = append(parts, strings.Trim(strings.Join(append(strs(p.Datasets), strs(p.Roles)...), "+"), "+"))
	}
	slices.Sort(parts)
	return strings.Join(parts, ",")
}

func strs[T ~string](v []T) []string {
	out := make([]string, len(v))
	for i, x := range v {
		out[i] = string(x)
	}
	return out
}
