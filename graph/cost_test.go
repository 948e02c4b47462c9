package graph_test

import (
	"context"
	"fmt"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/99designs/gqlgen/complexity"
	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
	"github.com/vektah/gqlparser/v2/parser"
	"github.com/vektah/gqlparser/v2/validator"

	"github.com/bmkg/mkggraph/graph"
	"github.com/bmkg/mkggraph/internal/hostile"
)

func costSchema() graphql.ExecutableSchema {
	cfg := graph.Config{}
	graph.SetComplexity(&cfg.Complexity)
	return graph.NewExecutableSchema(cfg)
}

// validated parses and validates a document as the executor does, and
// coerces its variables.
func validated(t testing.TB, es graphql.ExecutableSchema, query string, vars map[string]any) (*ast.OperationDefinition, map[string]any) {
	t.Helper()
	doc, err := parser.ParseQuery(&ast.Source{Input: query})
	if err != nil {
		t.Fatalf("%v\n%s", err, query)
	}
	if errs := validator.ValidateWithRules(es.Schema(), doc, graph.ValidationRules(100)()); len(errs) > 0 {
		t.Fatalf("%v\n%s", errs, query)
	}
	op := doc.Operations[0]
	coerced, err := validator.VariableValues(es.Schema(), op, vars)
	if err != nil {
		t.Fatal(err)
	}
	return op, coerced
}

// TestCostAgreesWithGqlgen: the one-pass cost is gqlgen's complexity, for
// a query reaching every field of the schema three levels deep, for the
// README's examples and for queries using what can change a cost:
// fragments, inline fragments, interfaces, page sizes from variables,
// defaults, introspection.
func TestCostAgreesWithGqlgen(t *testing.T) {
	es := costSchema()
	type query struct {
		text string
		vars map[string]any
	}
	queries := []query{
		{`{ stations { totalCount edges { node { name latestObservation { observedAt } } } } }`, nil},
		{`query($n: Int) { stations(first: $n) { edges { node { observations(first: 20) { edges { node { observedAt } } } } } } }`, map[string]any{"n": 30}},
		{`query($n: Int) { stations(first: $n) { edges { node { name } } } }`, nil},
		{`{ earthquakes(first: 10) { edges { node { magnitude nearestStations { distanceKm station { name } } } } } }`, nil},
		{`{ earthquakes { edges { node { nearestStations(first: 12) { station { ...S } } } } } } fragment S on Station { name latestObservation { observedAt } }`, nil},
		{`{ node(id: "x") { id ... on Station { name observations(first: 3) { totalCount } } ... on Earthquake { magnitude } } }`, nil},
		{`{ node(id: "x") { ...N } } fragment N on Node { id __typename }`, nil},
		{`{ a: stations(first: 2) { ...C } b: stations(first: 3) { ...C } } fragment C on StationConnection { edges { node { ... on Station { name } } } }`, nil},
		{`{ __schema { types { name fields { name } } } stations { totalCount } }`, nil},
		{`{ __type(name: "Station") { name fields { name type { name ofType { name } } } } }`, nil},
		{`{ __typename latestEarthquake { __typename felt { intensity } } }`, nil},
		{`query($f: Int) { observations(first: $f) { edges { node { observedAt station { name } } } } }`, map[string]any{"f": 0}},
		{hostile.Introspection, nil},
	}
	queries = append(queries, query{everyField(t, es.Schema(), 3), nil})
	readme, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, b := range regexp.MustCompile("(?s)```graphql\n(.*?)```").FindAllSubmatch(readme, -1) {
		queries = append(queries, query{string(b[1]), nil})
	}
	for _, q := range queries {
		op, vars := validated(t, es, q.text, q.vars)
		want := complexity.Calculate(context.Background(), es, op, vars)
		got := graph.MeasureOperation(context.Background(), es, op, vars, 1<<30)
		if got.Cost != want {
			t.Errorf("cost %d, gqlgen's %d, for\n%.300s", got.Cost, want, q.text)
		}
		if want < 2 && !strings.Contains(q.text, "__schema") { // introspection is free
			t.Errorf("cost %d: the query measures nothing\n%.300s", want, q.text)
		}
	}
}

// everyField builds a query selecting every field of the schema's Query
// type, and of the types they lead to, down to depth levels, with the
// arguments they require.
func everyField(t *testing.T, s *ast.Schema, depth int) string {
	var sel func(def *ast.Definition, depth int) string
	sel = func(def *ast.Definition, depth int) string {
		if def.Kind == ast.Interface || def.Kind == ast.Union {
			var b strings.Builder
			for _, impl := range s.GetPossibleTypes(def) {
				if depth > 1 {
					fmt.Fprintf(&b, "... on %s { %s } ", impl.Name, sel(impl, depth-1))
				}
			}
			return b.String()
		}
		var b strings.Builder
		for _, f := range def.Fields {
			if strings.HasPrefix(f.Name, "__") || def.Name == "Query" && f.Name == "rateLimit" { // free: TestRateLimitIsFree
				continue
			}
			typ := s.Types[f.Type.Name()]
			if typ.Kind != ast.Scalar && typ.Kind != ast.Enum && depth <= 1 {
				continue
			}
			// Aliased by type: fields of two implementations meet in one
			// selection set, and may differ in type.
			fmt.Fprintf(&b, "%s_%s: %s%s ", def.Name, f.Name, f.Name, requiredArgs(t, s, f))
			if typ.Kind != ast.Scalar && typ.Kind != ast.Enum {
				fmt.Fprintf(&b, "{ __typename %s} ", sel(typ, depth-1))
			}
		}
		return b.String()
	}
	return "{ " + sel(s.Query, depth) + "}"
}

func requiredArgs(t *testing.T, s *ast.Schema, f *ast.FieldDefinition) string {
	var args []string
	for _, a := range f.Arguments {
		if a.Name == "first" {
			args = append(args, "first: 7")
		} else if a.Type.NonNull && a.DefaultValue == nil {
			args = append(args, a.Name+": "+literal(t, s, a.Type))
		}
	}
	if len(args) == 0 {
		return ""
	}
	return "(" + strings.Join(args, ", ") + ")"
}

// literal is a valid value of typ.
func literal(t *testing.T, s *ast.Schema, typ *ast.Type) string {
	if typ.Elem != nil {
		return "[" + literal(t, s, typ.Elem) + "]"
	}
	def := s.Types[typ.NamedType]
	switch {
	case def.Kind == ast.Enum:
		return def.EnumValues[0].Name
	case def.Kind == ast.InputObject:
		var fields []string
		for _, f := range def.Fields {
			if f.Type.NonNull && f.DefaultValue == nil {
				fields = append(fields, f.Name+": "+literal(t, s, f.Type))
			}
		}
		return "{" + strings.Join(fields, ", ") + "}"
	}
	switch def.Name {
	case "Int":
		return "1"
	case "Float":
		return "1.5"
	case "Boolean":
		return "true"
	case "String", "ID":
		return `"x"`
	case "DateTime":
		return `"2024-01-01T00:00:00Z"`
	case "_Any": // a federation representation
		return `{__typename: "Station", id: "x"}`
	}
	t.Fatalf("no literal for %s: add one", def.Name)
	return ""
}

// TestMeasureVisitsEachFragmentOnce: 60 levels of fragments spreading the
// next twice expand to 2⁶⁰ fields; the measure is exact and immediate.
func TestMeasureVisitsEachFragmentOnce(t *testing.T) {
	es := costSchema()
	const levels = 60
	op, vars := validated(t, es, hostile.FragmentFanOut(levels).Query, nil)
	m := graph.MeasureOperation(context.Background(), es, op, vars, 1000)
	// F_levels costs 1 (name), F_i 1 + 2·F_i+1; node: 1 + F_1; edges:
	// 1 + node; stations: 1 + 50 · edges (the default page).
	f := 1
	for range levels - 1 {
		f = 1 + 2*f
	}
	if want := 1 + 50*(1+(1+f)); m.Cost != want {
		t.Errorf("cost %d, want %d", m.Cost, want)
	}
	if m.Depth != 4 || m.Work != 0 {
		t.Errorf("depth %d, work %d; want 4 and 0", m.Depth, m.Work)
	}
}

// TestWorkCountsArgumentValuesEachTimeTheyAreRead: a field's argument
// values count every time the field runs: once per item of the page
// around it.
func TestWorkCountsArgumentValuesEachTimeTheyAreRead(t *testing.T) {
	es := costSchema()
	kinds := make([]any, 300)
	for i := range kinds {
		kinds[i] = "SEISMIC"
	}
	q := `query($k: [StationKind!]) { earthquakes(first: 500) { edges { node { nearestStations(kinds: $k) { distanceKm } } } } }`
	op, vars := validated(t, es, q, map[string]any{"k": kinds})
	m := graph.MeasureOperation(context.Background(), es, op, vars, 1<<30)
	// earthquakes reads first (1 value); nearestStations the list and its
	// 300 kinds, once for each of 500 earthquakes; each value costs
	// ValueWork.
	if want := graph.ValueWork * (1 + 500*301); m.Work != want {
		t.Errorf("work %d, want %d", m.Work, want)
	}
	// Past the limit the measure stops: the list alone is read at once.
	if m := graph.MeasureOperation(context.Background(), es, op, vars, 2000); m.Work <= 2000 {
		t.Errorf("work %d under a limit of 2000", m.Work)
	}
}

// TestQueryLimitsRefuseBeforeValidation: the parameter check refuses what
// would be slow to validate, a fragment cycle and oversized variables, and
// lets a cached document through without parsing it again.
func TestQueryLimitsRefuseBeforeValidation(t *testing.T) {
	docs := graphql.MapCache[*ast.QueryDocument]{}
	l := &graph.QueryLimits{MaxDepth: 12, MaxCost: 50000, MaxWork: 100000, MaxTokens: 15000, Documents: docs}
	if err := l.Validate(costSchema()); err != nil {
		t.Fatal(err)
	}
	ctx := graphql.WithOperationContext(context.Background(), &graphql.OperationContext{})
	code := func(err *gqlerror.Error) string {
		if err == nil {
			return ""
		}
		c, _ := err.Extensions["code"].(string)
		return c
	}
	dup := hostile.DuplicateFields(2000).Query
	for _, c := range []struct {
		params graphql.RawParams
		want   string
	}{
		{graphql.RawParams{Query: dup}, graph.CodeWorkLimit},
		{graphql.RawParams{Query: `{ ...A } fragment A on Query { ...B } fragment B on Query { ...A }`}, "GRAPHQL_VALIDATION_FAILED"},
		{graphql.RawParams{Query: `{ stations { totalCount `}, "GRAPHQL_PARSE_FAILED"},
		{graphql.RawParams{Query: `{ __typename }`, Variables: map[string]any{"v": make([]any, 100000)}}, graph.CodeWorkLimit},
		{graphql.RawParams{Query: hostile.Introspection}, ""},
		{graphql.RawParams{Query: ""}, ""}, // a persisted query's hash alone
	} {
		if got := code(l.MutateOperationParameters(ctx, &c.params)); got != c.want {
			t.Errorf("%.60s: %q, want %q", c.params.Query, got, c.want)
		}
	}
	docs[dup] = &ast.QueryDocument{}
	if err := l.MutateOperationParameters(ctx, &graphql.RawParams{Query: dup}); err != nil {
		t.Errorf("a cached document was checked again: %v", err)
	}
}

// TestRateLimitIsFree: Query.rateLimit is the one field whose cost differs
// from gqlgen's (which counts a field at 1 at least): it costs nothing, so
// that asking one's budget never spends it, and a query asking it with
// other fields costs what they cost.
func TestRateLimitIsFree(t *testing.T) {
	es := costSchema()
	measure := func(q string) (int, int) {
		op, vars := validated(t, es, q, nil)
		return graph.MeasureOperation(context.Background(), es, op, vars, 1<<30).Cost, complexity.Calculate(context.Background(), es, op, vars)
	}
	if got, gqlgen := measure(`{ rateLimit { cost perMinute perDay window limit used remaining resetAt } }`); got != 0 || gqlgen < 2 {
		t.Errorf("rateLimit costs %d (gqlgen: %d); want 0", got, gqlgen)
	}
	stations := `stations(first: 4) { edges { node { name } } }`
	alone, _ := measure("{ " + stations + " }")
	if with, _ := measure("{ rateLimit { remaining } " + stations + " }"); with != alone || alone < 2 {
		t.Errorf("with rateLimit: %d; the stations alone: %d", with, alone)
	}
}

// TestEntitiesCostScalesWithRepresentations: _entities costs its selection
// once per representation, as a page costs it once per item, so a router
// cannot ask for more than -max-query-cost allows.
func TestEntitiesCostScalesWithRepresentations(t *testing.T) {
	es := costSchema()
	for _, n := range []int{1, 4, 40} {
		reps := make([]any, n)
		for i := range reps {
			reps[i] = map[string]any{"__typename": "Earthquake", "id": "x"}
		}
		op, vars := validated(t, es, `query($r: [_Any!]!) { _entities(representations: $r) { ... on Earthquake { magnitude region } } }`,
			map[string]any{"r": reps})
		if m := graph.MeasureOperation(context.Background(), es, op, vars, 1<<20); m.Cost != 1+2*n {
			t.Errorf("%d representations cost %d, want %d", n, m.Cost, 1+2*n)
		}
	}
}
