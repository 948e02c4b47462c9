package graph

import (
	"context"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/bmkg/mkggraph/graph/model"
	"github.com/bmkg/mkggraph/mkg"
)

// DepthLimit refuses operations nested deeper than Max fields. Cost limits
// alone let a deep but narrow query through (each level costs little), and
// depth is what recursive relations (station → observation → station …)
// would be abused with.
type DepthLimit struct{ Max int }

var _ interface {
	graphql.HandlerExtension
	graphql.OperationContextMutator
} = DepthLimit{}

// ExtensionName implements graphql.HandlerExtension.
func (DepthLimit) ExtensionName() string { return "DepthLimit" }

// Validate implements graphql.HandlerExtension.
func (DepthLimit) Validate(graphql.ExecutableSchema) error { return nil }

// MutateOperationContext implements graphql.OperationContextMutator.
func (d DepthLimit) MutateOperationContext(ctx context.Context, op *graphql.OperationContext) *gqlerror.Error {
	if op.Operation == nil {
		return nil
	}
	if depth := selectionDepth(op.Operation.SelectionSet, op.Doc.Fragments, 0); depth > d.Max {
		err := gqlerror.Errorf("query is nested %d levels deep; the limit is %d", depth, d.Max)
		err.Extensions = map[string]any{"code": "DEPTH_LIMIT_EXCEEDED"}
		return err
	}
	return nil
}

// selectionDepth returns the deepest field nesting, following fragments. A
// fragment cycle is invalid GraphQL and rejected by validation before this
// runs, but visited guards against it anyway.
func selectionDepth(set ast.SelectionSet, frags ast.FragmentDefinitionList, visited int) int {
	if visited > 100 {
		return visited
	}
	deepest := 0
	for _, sel := range set {
		var d int
		switch s := sel.(type) {
		case *ast.Field:
			if s.Name == "__schema" || s.Name == "__type" {
				continue // introspection is bounded by the schema itself
			}
			d = 1 + selectionDepth(s.SelectionSet, frags, visited+1)
		case *ast.InlineFragment:
			d = selectionDepth(s.SelectionSet, frags, visited+1)
		case *ast.FragmentSpread:
			if f := frags.ForName(s.Name); f != nil {
				d = selectionDepth(f.SelectionSet, frags, visited+1)
			}
		}
		deepest = max(deepest, d)
	}
	return deepest
}

// pageCost is what one connection page multiplies its children by.
func pageCost(first *int) int {
	if first == nil {
		return mkg.DefaultPageSize
	}
	return max(1, *first)
}

// SetComplexity makes the cost of list fields scale with the page size they
// ask for, so that the complexity limit bounds the rows a query can fetch.
func SetComplexity(c *ComplexityRoot) {
	c.Query.Stations = func(child int, _ *model.StationFilter, first *int, _ *string) int { return 1 + child*pageCost(first) }
	c.Query.Observations = func(child int, _ *model.ObservationFilter, first *int, _ *string) int {
		return 1 + child*pageCost(first)
	}
	c.Query.Earthquakes = func(child int, _ *model.EarthquakeFilter, _ *mkg.EarthquakeOrder, first *int, _ *string) int {
		return 1 + child*pageCost(first)
	}
	c.Station.Observations = func(child int, _, _ *time.Time, first *int, _ *string) int { return 1 + child*pageCost(first) }
	c.Earthquake.NearestStations = func(child int, first *int, _ []mkg.StationKind) int {
		n := 5
		if first != nil {
			n = max(1, *first)
		}
		return 1 + child*n
	}
}
