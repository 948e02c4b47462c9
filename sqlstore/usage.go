package sqlstore

import (
	"cmp"
	"context"
	"slices"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/bmkg/mkggraph/mkg"
)

var _ mkg.UsageStore = (*Store)(nil)

const usageDay = "2006-01-02"

// AddUsage implements mkg.UsageStore: one upsert per line, in one
// transaction, in a fixed order (two instances writing the same lines
// never wait on each other in a cycle).
func (s *Store) AddUsage(ctx context.Context, lines map[mkg.UsageKey]mkg.UsageCounts) error {
	if len(lines) == 0 {
		return nil
	}
	keys := make([]mkg.UsageKey, 0, len(lines))
	for k := range lines {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b mkg.UsageKey) int {
		return cmp.Or(a.Day.Compare(b.Day), cmp.Compare(a.AccountID, b.AccountID), cmp.Compare(a.Dataset, b.Dataset))
	})
	return s.tx(ctx, func(q sqlx.ExtContext) error {
		for _, k := range keys {
			c := lines[k]
			_, err := q.ExecContext(ctx, s.rebind(`INSERT INTO usage_daily (account_id, day, dataset, requests, cost, rows_out, downloads, bytes)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?)
				ON CONFLICT (account_id, day, dataset) DO UPDATE SET requests = usage_daily.requests + excluded.requests,
				cost = usage_daily.cost + excluded.cost, rows_out = usage_daily.rows_out + excluded.rows_out,
				downloads = usage_daily.downloads + excluded.downloads, bytes = usage_daily.bytes + excluded.bytes`),
				k.AccountID, k.Day.Format(usageDay), string(k.Dataset), c.Requests, c.Cost, c.Rows, c.Downloads, c.Bytes)
			if err != nil {
				return s.wrap(err)
			}
		}
		return nil
	})
}

// Usage implements mkg.UsageStore: at most mkg.MaxUsageLines, read in one
// statement that asks for one line more to know.
func (s *Store) Usage(ctx context.Context, accountID int64, from, to time.Time) ([]mkg.Usage, error) {
	if err := mkg.CheckUsageWindow(from, to); err != nil {
		return nil, err
	}
	lines, err := s.usageLines(ctx, mkg.UsageFilter{AccountID: accountID, From: from, To: to}, nil, mkg.MaxUsageLines+1)
	if err != nil {
		return nil, err
	}
	if len(lines) > mkg.MaxUsageLines {
		return nil, mkg.TooManyUsageLines()
	}
	return lines, nil
}

// UsagePage implements mkg.UsageStore: a seek past the cursor's line on
// the order (day, account_id, dataset), which the primary key (one
// account) and usage_daily_day (every account) give.
func (s *Store) UsagePage(ctx context.Context, f mkg.UsageFilter, p mkg.Page) (*mkg.UsagePage, error) {
	if err := f.Validate(); err != nil {
		return nil, err
	}
	var after *mkg.UsageKey
	if p.After != nil {
		k, err := mkg.UsageAfter(*p.After)
		if err != nil {
			return nil, err
		}
		after = &k
	}
	lines, err := s.usageLines(ctx, f, after, p.Limit+1)
	if err != nil {
		return nil, err
	}
	page := &mkg.UsagePage{HasNextPage: len(lines) > p.Limit, Lines: lines[:min(len(lines), p.Limit)]}
	page.Cursors = make([]mkg.Cursor, len(page.Lines))
	for i, l := range page.Lines {
		page.Cursors[i] = mkg.UsageCursor(l)
	}
	return page, nil
}

// usageLines reads at most limit lines of f after the line after (nil:
// from the first), by day, account and dataset.
func (s *Store) usageLines(ctx context.Context, f mkg.UsageFilter, after *mkg.UsageKey, limit int) ([]mkg.Usage, error) {
	// A page after a cursor starts at the cursor's day: SQLite does not
	// seek on the row comparison, and would read every line from the
	// period's first day to reach it, each page further than the last.
	first := mkg.UsageDay(f.From)
	if after != nil && after.Day.After(first) {
		first = after.Day
	}
	query := `SELECT account_id, day, dataset, requests, cost, rows_out, downloads, bytes FROM usage_daily
		WHERE day >= ? AND day <= ?`
	args := []any{first.Format(usageDay), mkg.UsageDay(f.To).Format(usageDay)}
	if f.AccountID != 0 {
		query += ` AND account_id = ?`
		args = append(args, f.AccountID)
	}
	if after != nil {
		query += ` AND (day, account_id, dataset) > (?, ?, ?)`
		args = append(args, after.Day.Format(usageDay), after.AccountID, string(after.Dataset))
	}
	var rows []struct {
		AccountID int64  `db:"account_id"`
		Day       string `db:"day"`
		Dataset   string `db:"dataset"`
		Requests  int64  `db:"requests"`
		Cost      int64  `db:"cost"`
		Rows      int64  `db:"rows_out"`
		Downloads int64  `db:"downloads"`
		Bytes     int64  `db:"bytes"`
	}
	query += ` ORDER BY day, account_id, dataset LIMIT ?`
	if err := sqlx.SelectContext(ctx, s.q(), &rows, s.rebind(query), append(args, limit)...); err != nil {
		return nil, s.wrap(err)
	}
	out := make([]mkg.Usage, len(rows))
	for i, r := range rows {
		day, err := time.Parse(usageDay, r.Day)
		if err != nil {
			return nil, s.wrap(err)
		}
		out[i] = mkg.Usage{AccountID: r.AccountID, Day: day, Dataset: mkg.Dataset(r.Dataset),
			UsageCounts: mkg.UsageCounts{Requests: r.Requests, Cost: r.Cost, Rows: r.Rows, Downloads: r.Downloads, Bytes: r.Bytes}}
	}
	return out, nil
}
