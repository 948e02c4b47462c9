package resolvers

import (
	"context"

	"github.com/99designs/gqlgen/graphql"

	"github.com/bmkg/mkggraph/dataloaders"
	"github.com/bmkg/mkggraph/graph/model"
)

// entities resolves the representations of one type that a federation
// router sent to _entities, as node(id:) resolves one ID: the caller's right
// to the type is checked before anything is looked up (a caller who may not
// see the type cannot learn which of its IDs exist), and every ID is loaded
// through the request's loader, so the whole group is one batch. An entity
// that fails (FORBIDDEN, or NOT_FOUND for an ID that is malformed, of
// another type or unknown) is null with its own error; the others resolve.
func entities[V any](ctx context.Context, r *Resolver, typ string, ids []string, load *dataloaders.Loader[int64, *V]) ([]*V, error) {
	out := make([]*V, len(ids))
	errs := make([]error, len(ids))
	failed := false
	if r.Types != nil {
		if err := r.Types.CheckType(ctx, typ); err != nil {
			for i := range errs {
				errs[i] = err
			}
			return out, graphql.BatchErrorList(errs)
		}
	}
	thunks := make([]func() (*V, error), len(ids))
	for i, id := range ids {
		n, err := model.ParseTypedID(id, typ)
		if err != nil {
			errs[i], failed = err, true
			continue
		}
		thunks[i] = load.LoadThunk(ctx, n)
	}
	for i, thunk := range thunks {
		if thunk == nil {
			continue
		}
		if out[i], errs[i] = found(thunk()); errs[i] != nil {
			failed = true
		}
	}
	if failed {
		return out, graphql.BatchErrorList(errs)
	}
	return out, nil
}

// representationIDs returns the global IDs of a group's representations.
func representationIDs[T any](reps []*T, id func(*T) string) []string {
	ids := make([]string, len(reps))
	for i, rep := range reps {
		ids[i] = id(rep)
	}
	return ids
}
