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
	c := &model.UsageLineConnection{Edges: make([]*model.UsageLineEdge, len(page.Lines))}
	for i := range page.Lines {
		c.Edges[i] = &model.UsageLineEdge{Cursor: page.Cursors[i].Encode(), Node: &page.Lines[i]}
	}
	c.PageInfo = pageInfo(after, page.HasNextPage, len(page.Cursors), func(i int) mkg.Cursor { return page.Cursors[i] })
	return c
}
