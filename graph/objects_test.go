package graph

import (
	"bytes"
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"reflect"
	"strings"
	"testing"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2"
	"github.com/vektah/gqlparser/v2/ast"
)

// TestGeneratedCodeRewritten: the generated code calls this package's
// collectFields, objectOf and marshalFloat, and makes no deferred groups
// (internal/gqlgen's rewrites).
func TestGeneratedCodeRewritten(t *testing.T) {
	src, err := os.ReadFile("generated.go")
	if err != nil {
		t.Fatal(err)
	}
	for _, gone := range []string{"graphql.NewDeferredGroup(", "graphql.CollectFields(", "graphql.MarshalFloatContext("} {
		if bytes.Contains(src, []byte(gone)) {
			t.Errorf("generated.go calls %s: regenerate with go run ./internal/gqlgen", gone)
		}
	}
	for _, call := range []string{"collectFields(ec.OperationContext, ", "return objectOf(fields, out)", "return marshalFloat(ctx, "} {
		if !bytes.Contains(src, []byte(call)) {
			t.Errorf("generated.go has no %q: regenerate with go run ./internal/gqlgen", call)
		}
	}
}

// TestFiniteFloatWritesWhatGqlgenWrites: the same bytes as
// graphql.MarshalFloatContext for every finite float, into the executor's
// bytes.Buffer or any other writer.
func TestFiniteFloatWritesWhatGqlgenWrites(t *testing.T) {
	values := []float64{0, math.Copysign(0, -1), 1, -1, 0.1, 0.1 + 0.2, 1e20, 1e21, 1e-5, 1e-7, 123456789, 1234567.125,
		-40.5, 1013.2, math.MaxFloat64, math.SmallestNonzeroFloat64, -math.MaxFloat64, 5e-324, 1 << 53, 1<<53 + 1}
	rng := rand.New(rand.NewPCG(7, 11))
	for range 2000 {
		values = append(values, math.Float64frombits(rng.Uint64()), rng.NormFloat64()*1000, float64(rng.IntN(100000))/10)
	}
	for _, f := range values {
		if math.IsNaN(f) || math.IsInf(f, 0) {
			continue
		}
		var want bytes.Buffer
		if err := graphql.MarshalFloatContext(f).MarshalGQLContext(context.Background(), &want); err != nil {
			t.Fatal(err)
		}
		var buf bytes.Buffer
		buf.WriteString("x") // not at the start of the buffer
		marshalFloat(context.Background(), f).MarshalGQL(&buf)
		var other onlyWriter
		marshalFloat(context.Background(), f).MarshalGQL(&other)
		if buf.String() != "x"+want.String() || other.String() != want.String() {
			t.Fatalf("%v (bits %x): wrote %q and %q, gqlgen writes %q", f, math.Float64bits(f), buf.String()[1:], other.String(), want.String())
		}
	}
	for _, f := range []float64{math.NaN(), math.Inf(1), math.Inf(-1)} {
		ctx := graphql.WithResponseContext(context.Background(), graphql.DefaultErrorPresenter, graphql.DefaultRecover)
		var buf bytes.Buffer
		marshalFloat(ctx, f).MarshalGQL(&buf)
		if errs := graphql.GetErrors(ctx); buf.String() != "null" || len(errs) != 1 {
			t.Errorf("%v: wrote %q with errors %v; gqlgen writes null and reports an error", f, buf.String(), errs)
		}
	}
}

// onlyWriter is an io.Writer that is not a bytes.Buffer.
type onlyWriter struct{ b bytes.Buffer }

func (w *onlyWriter) Write(p []byte) (int, error) { return w.b.Write(p) }
func (w *onlyWriter) String() string              { return w.b.String() }

// TestObjectWritesWhatFieldSetWrites: an object's fields, as
// graphql.FieldSet writes them.
func TestObjectWritesWhatFieldSetWrites(t *testing.T) {
	oc := operation(t, `query { stations(first: 2) { pageInfo { hasNextPage } total: totalCount edges { cursor } } }`, nil)
	fields := graphql.CollectFields(oc, oc.Operation.SelectionSet[0].(*ast.Field).SelectionSet, []string{"StationConnection"})
	if len(fields) != 3 {
		t.Fatalf("%d fields collected, want 3", len(fields))
	}
	out := graphql.NewFieldSet(fields)
	out.Values[0] = graphql.MarshalString(`a "quoted" <value>`)
	out.Values[1] = graphql.MarshalInt(12)
	out.Values[2] = graphql.Null
	var want, got bytes.Buffer
	out.MarshalGQL(&want)
	objectOf(fields, out).MarshalGQL(&got)
	if got.String() != want.String() {
		t.Errorf("wrote %s, FieldSet writes %s", got.String(), want.String())
	}
	out.Values[2] = nil // a field without a value (the generated code always sets one) is null
	var unset bytes.Buffer
	objectOf(fields, out).MarshalGQL(&unset)
	if unset.String() != want.String() {
		t.Errorf("with a field without a value: wrote %s, want %s", unset.String(), want.String())
	}
	var empty bytes.Buffer
	objectOf(nil, graphql.NewFieldSet(nil)).MarshalGQL(&empty)
	if empty.String() != "{}" {
		t.Errorf("an object without fields: %s", empty.String())
	}
}

// TestCollectFieldsCachedForTheOperation: the fields gqlgen collects,
// with @include on a variable, kept while the operation's response is
// made and dropped after it.
func TestCollectFieldsCachedForTheOperation(t *testing.T) {
	const q = `query($all: Boolean!) { stations(first: 2) { ... on StationConnection { totalCount } edges @include(if: $all) { cursor } totalCount } }`
	for _, all := range []bool{true, false} {
		oc := operation(t, q, map[string]any{"all": all})
		sel := oc.Operation.SelectionSet[0].(*ast.Field).SelectionSet
		implementors := []string{"StationConnection"}
		want := graphql.CollectFields(&graphql.OperationContext{Doc: oc.Doc, Operation: oc.Operation, Variables: oc.Variables}, sel, implementors)
		if n := map[bool]int{true: 2, false: 1}[all]; len(want) != n {
			t.Fatalf("all=%v: gqlgen collects %d fields, want %d", all, len(want), n)
		}
		end := cacheFields(oc)
		first := collectFields(oc, sel, implementors)
		second := collectFields(oc, sel, implementors)
		if !reflect.DeepEqual(first, want) {
			t.Errorf("all=%v: collected %+v, gqlgen collects %+v", all, first, want)
		}
		if &first[0] != &second[0] {
			t.Errorf("all=%v: the second call collected the fields again", all)
		}
		end()
		if _, ok := operationFields.Load(oc); ok {
			t.Errorf("all=%v: the operation's cache outlived it", all)
		}
		if got := collectFields(oc, sel, implementors); !reflect.DeepEqual(got, want) {
			t.Errorf("all=%v, after the operation: collected %+v", all, got)
		}
	}
}

// operation is the operation context of query over the API's schema.
func operation(t *testing.T, query string, vars map[string]any) *graphql.OperationContext {
	t.Helper()
	doc, errs := gqlparser.LoadQueryWithRules(parsedSchema, query, ValidationRules(1)())
	if errs != nil {
		t.Fatal(errs)
	}
	return &graphql.OperationContext{RawQuery: query, Doc: doc, Operation: doc.Operations[0], Variables: vars}
}

// fieldCounter is an extension that intercepts fields.
type fieldCounter struct{}

func (fieldCounter) ExtensionName() string                   { return "FieldCounter" }
func (fieldCounter) Validate(graphql.ExecutableSchema) error { return nil }
func (fieldCounter) InterceptField(ctx context.Context, next graphql.Resolver) (any, error) {
	return next(ctx)
}

// TestExecutorRefusesFieldInterceptors: the field middleware is set on the
// operation itself (directFields), so an extension that intercepts fields
// would never run: NewExecutor refuses it.
func TestExecutorRefusesFieldInterceptors(t *testing.T) {
	defer func() {
		if r := recover(); !strings.Contains(fmt.Sprint(r), "FieldCounter intercepts fields") {
			t.Errorf("NewExecutor with an extension that intercepts fields: %v", r)
		}
	}()
	NewExecutor(nil, nil, Limits{}, Documents{}, false, nil, fieldCounter{})
}
