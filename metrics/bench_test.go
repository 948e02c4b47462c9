package metrics

import (
	"context"
	"testing"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/bmkg/mkggraph/internal/telemetry"
)

// The per-request and per-field costs of the metrics, for the integrator
// to weigh against a request's (go test ./metrics -run '^$' -bench .).

func BenchmarkObserveRequest(b *testing.B) {
	m := New()
	rec := &telemetry.Request{Operation: "Dashboard"}
	b.ReportAllocs()
	for b.Loop() {
		m.ObserveRequest("/graphql", 200, 3*time.Millisecond, rec)
	}
}

func BenchmarkResolverField(b *testing.B) {
	m := New()
	ext := m.GraphQL().(graphQLExtension)
	ctx := graphql.WithFieldContext(context.Background(), &graphql.FieldContext{Object: "Station", IsResolver: true,
		Field: graphql.CollectedField{Field: &ast.Field{Name: "latestObservation"}}})
	next := func(ctx context.Context) (any, error) { return nil, nil }
	b.ReportAllocs()
	for b.Loop() {
		ext.InterceptField(ctx, next)
	}
}

func BenchmarkPlainField(b *testing.B) {
	m := New()
	ext := m.GraphQL().(graphQLExtension)
	ctx := graphql.WithFieldContext(context.Background(), &graphql.FieldContext{Object: "Station",
		Field: graphql.CollectedField{Field: &ast.Field{Name: "name"}}})
	next := func(ctx context.Context) (any, error) { return nil, nil }
	b.ReportAllocs()
	for b.Loop() {
		ext.InterceptField(ctx, next)
	}
}
