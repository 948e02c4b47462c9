package resolvers

import (
	"context"
	"time"

	"github.com/bmkg/mkggraph/graph/model"
	"github.com/bmkg/mkggraph/mkg"
)

// usageLines reads usage (accountID 0: every account's) as the schema's
// lines.
func usageLines(ctx context.Context, store mkg.UsageStore, accountID int64, from, to time.Time) ([]*mkg.Usage, error) {
	return pointers(store.Usage(ctx, accountID, from, to))
}

// usageConnection is a page of usage lines as the schema's connection.
func usageConnection(page *mkg.UsagePage, after *string) *model.UsageLineConnection {
	c := &model.UsageLineConnection{}
	c.Edges, c.PageInfo = edges(len(page.Lines), func(i int) mkg.Cursor { return page.Cursors[i] }, page.HasNextPage, after,
		func(i int, cursor string) *model.UsageLineEdge {
			return &model.UsageLineEdge{Cursor: cursor, Node: &page.Lines[i]}
		})
	return c
}
