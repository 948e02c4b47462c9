package mkg

import (
	"time"
)

// MaxUsageLines bounds one unpaged read of usage (Usage): an account's
// lines over the longest window (367 days × the datasets and the totals)
// fit in it, every account's may not. Past it the read fails, naming the
// argument to narrow, rather than holding accounts × days × datasets lines;
// the paged read (UsagePage) and the CSV, which pages, have no such limit.
const MaxUsageLines = 10_000

// TooManyUsageLines is the error of an unpaged read past MaxUsageLines.
func TooManyUsageLines() error {
	return Invalid("accountId", "more than %d lines of usage: name an account (accountId), shorten from–to, or page through usageLines", MaxUsageLines)
}

// OrderUsage names the order of usage pages: by day, account and dataset.
const OrderUsage = "usage"

// UsageFilter picks lines of usage: an account's (AccountID > 0) or every
// account's (0), from day From to day To, both included.
type UsageFilter struct {
	AccountID int64     `json:"u,omitempty"`
	From      time.Time `json:"f"`
	To        time.Time `json:"t"`
}

// Validate checks the period (CheckUsageWindow).
func (f UsageFilter) Validate() error { return CheckUsageWindow(f.From, f.To) }

// UsagePage is a page of usage lines, with each line's cursor.
type UsagePage struct {
	Lines       []Usage
	Cursors     []Cursor
	HasNextPage bool
}

// UsageCursor is the position after line u: its day and dataset, with its
// account as the cursor's id (account ids are positive).
func UsageCursor(u Usage) Cursor {
	return Cursor{Order: OrderUsage, Value: u.Day.Format(time.DateOnly) + string(u.Dataset), ID: u.AccountID}
}

// UsageAfter reads a cursor made by UsageCursor back into the key of the
// line it follows.
func UsageAfter(c Cursor) (UsageKey, error) {
	if len(c.Value) < len(time.DateOnly) {
		return UsageKey{}, Invalid("after", "cursor is not valid for this list")
	}
	day, err := time.Parse(time.DateOnly, c.Value[:len(time.DateOnly)])
	if err != nil {
		return UsageKey{}, Invalid("after", "cursor is not valid for this list")
	}
	return UsageKey{AccountID: c.ID, Day: day, Dataset: Dataset(c.Value[len(time.DateOnly):])}, nil
}
