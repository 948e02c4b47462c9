package graph

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"testing"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/plugin/federation/fedruntime"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/bmkg/mkggraph/mkg"
)

// TestAuthorizerChecksEachEntity: the entities _entities resolved are
// checked one by one against their own type's directives, whatever the
// resolver did: an anonymous caller gets the open station and earthquake,
// and the observation (an account's data) as null with UNAUTHENTICATED at
// its index; the response depends on the entities' data.
func TestAuthorizerChecksEachEntity(t *testing.T) {
	a, err := SchemaAuthorizer()
	if err != nil {
		t.Fatal(err)
	}
	classes := map[mkg.Dataset]mkg.Classification{}
	maps.Copy(classes, mkg.DefaultClassifications)
	ctx := mkg.WithPrincipal(context.Background(), mkg.NewPrincipal(nil, 0, "", classes, time.Now()))
	var errs gqlerror.List
	ctx = graphql.WithResponseContext(ctx, func(_ context.Context, err error) *gqlerror.Error {
		e := graphql.DefaultErrorPresenter(ctx, err)
		errs = append(errs, e)
		return e
	}, graphql.DefaultRecover)
	field := parsedSchema.Query.Fields.ForName(entitiesField)
	ctx = graphql.WithFieldContext(ctx, &graphql.FieldContext{Object: "Query",
		Field: graphql.CollectedField{Field: &ast.Field{Name: entitiesField, Alias: entitiesField, Definition: field}}})
	entities := []fedruntime.Entity{&mkg.Station{ID: 1}, &mkg.Observation{ID: 2}, nil, &mkg.Earthquake{ID: 3}}

	ctx, deps := WithDependencies(ctx)
	res, err := a.Middleware(ctx, func(context.Context) (any, error) { return entities, nil })
	if err != nil {
		t.Fatal(err)
	}
	got := res.([]fedruntime.Entity)
	if got[0] == nil || got[1] != nil || got[2] != nil || got[3] == nil {
		t.Errorf("entities: %v", got)
	}
	if len(errs) != 1 || fmt.Sprint(errs[0].Path) != "_entities[1]" {
		t.Fatalf("errors: %v", errs)
	}
	// A response the response cache keeps must be dropped when any of the
	// entities' data change.
	names, _ := deps.Names()
	slices.Sort(names)
	if want := []string{mkg.GenAccess, mkg.GenEarthquakes, mkg.GenObservations, mkg.GenStations}; !slices.Equal(names, sortedCopy(want)) {
		t.Errorf("depends on %v, want %v", names, want)
	}
	var e *mkg.Error
	if !errors.As(errs[0], &e) || e.Code != mkg.EUNAUTHENTICATED {
		t.Errorf("the observation's error: %v", errs[0])
	}
}

func sortedCopy(s []string) []string {
	s = slices.Clone(s)
	slices.Sort(s)
	return s
}
