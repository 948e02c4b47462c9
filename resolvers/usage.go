package resolvers

import (
	"context"
	"time"

	"github.com/bmkg/mkggraph/mkg"
)

// usageLines reads usage (accountID 0: every account's) as the schema's
// lines.
func usageLines(ctx context.Context, store mkg.UsageStore, accountID int64, from, to time.Time) ([]*mkg.Usage, error) {
	lines, err := store.Usage(ctx, accountID, from, to)
	if err != nil {
		return nil, err
	}
	out := make([]*mkg.Usage, len(lines))
	for i := range lines {
		out[i] = &lines[i]
	}
	return out, nil
}
