package graph

import (
	"context"
	"maps"
	"strings"
	"testing"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/bmkg/mkggraph/mkg"
)

type timings map[string]int

func (t timings) TimeField(object, field string, _ time.Duration) { t[object+"."+field]++ }

// TestFieldMiddleware: the one field middleware times only the fields
// that run a resolver, refuses a string argument holding a NUL byte before
// the resolver runs (naming it), and checks access rights: an anonymous
// caller's resolver for an account-only field never runs.
func TestFieldMiddleware(t *testing.T) {
	a, err := SchemaAuthorizer()
	if err != nil {
		t.Fatal(err)
	}
	classes := map[mkg.Dataset]mkg.Classification{}
	maps.Copy(classes, mkg.DefaultClassifications)
	anon := mkg.WithPrincipal(context.Background(), mkg.NewPrincipal(nil, 0, "", classes, time.Now()))
	times := timings{}
	m := fieldMiddleware{authz: a, timer: times}
	field := func(object, name string, resolver bool, args ast.ArgumentList) context.Context {
		def := parsedSchema.Types[object].Fields.ForName(name)
		if def == nil {
			t.Fatalf("%s.%s is not in the schema", object, name)
		}
		return graphql.WithFieldContext(anon, &graphql.FieldContext{Object: object, IsResolver: resolver,
			Field: graphql.CollectedField{Field: &ast.Field{Name: name, Alias: name, Definition: def, Arguments: args}}})
	}
	ran := 0
	next := func(context.Context) (any, error) { ran++; return "x", nil }

	if _, err := m.resolve(field("Station", "name", false, nil), next); err != nil || ran != 1 {
		t.Fatalf("Station.name: ran %d, %v", ran, err)
	}
	if _, err := m.resolve(field("Station", "history", true, nil), next); err != nil || ran != 2 {
		t.Fatalf("Station.history: ran %d, %v", ran, err)
	}
	if len(times) != 1 || times["Station.history"] != 1 {
		t.Errorf("timed %v; want Station.history once and no plain field", times)
	}

	bad := ast.ArgumentList{{Name: "wmoIndex", Value: &ast.Value{Kind: ast.StringValue, Raw: "967\x0049"}}}
	_, err = m.resolve(field("Query", "stationByWmo", true, bad), next)
	if mkg.ErrorCode(err) != mkg.EINVALID || !strings.Contains(err.Error(), "wmoIndex") || ran != 2 {
		t.Errorf("a NUL in wmoIndex: %v (resolver ran %d times)", err, ran)
	}

	_, err = m.resolve(field("Query", "accounts", true, nil), next)
	if code := mkg.ErrorCode(err); (code != mkg.EUNAUTHENTICATED && code != mkg.EFORBIDDEN) || ran != 2 {
		t.Errorf("Query.accounts (admins only), anonymous: %v (resolver ran %d times)", err, ran)
	}
}
