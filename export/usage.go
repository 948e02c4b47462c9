package export

import (
	"context"
	"encoding/csv"
	"io"
	"strconv"
	"time"

	"github.com/bmkg/mkggraph/mkg"
)

// usagePageSize is how many lines of usage are read per statement: an
// export of every account's usage holds one page, however many lines.
const usagePageSize = mkg.MaxPageSize

// WriteUsage writes the usage lines f picks as CSV, a page at a time, each
// page written before the next is read: first (already read, so that a
// failure can still be answered as an error; nil: read here) and the pages
// after it. Accounts are written by accountID. The exportUsage link and
// GET /usage.csv both write through it.
func WriteUsage(ctx context.Context, w io.Writer, store mkg.UsageStore, f mkg.UsageFilter, first *mkg.UsagePage, accountID func(int64) string) error {
	if first == nil {
		var err error
		if first, err = store.UsagePage(ctx, f, mkg.Page{Limit: usagePageSize}); err != nil {
			return err
		}
	}
	out := csv.NewWriter(w)
	out.Write([]string{"account_id", "day", "dataset", "requests", "cost", "rows", "downloads", "bytes"})
	for page := first; ; {
		for _, l := range page.Lines {
			out.Write([]string{accountID(l.AccountID), l.Day.Format(time.DateOnly), string(l.Dataset),
				strconv.FormatInt(l.Requests, 10), strconv.FormatInt(l.Cost, 10), strconv.FormatInt(l.Rows, 10),
				strconv.FormatInt(l.Downloads, 10), strconv.FormatInt(l.Bytes, 10)})
		}
		out.Flush()
		if err := out.Error(); err != nil || !page.HasNextPage {
			return err
		}
		var err error
		page, err = store.UsagePage(ctx, f, mkg.Page{Limit: usagePageSize, After: &page.Cursors[len(page.Cursors)-1]})
		if err != nil {
			return err
		}
	}
}
