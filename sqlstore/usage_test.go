package sqlstore

import (
	"cmp"
	"context"
	"sync"
	"testing"
	"time"

	"github.com/bmkg/mkggraph/mkg"
)

// TestUsage: lines written by concurrent writers add up per account, day
// and dataset, and are read back by account and period.
func TestUsage(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		day := time.Date(2026, 12, 6, 0, 0, 0, 0, time.UTC)
		var wg sync.WaitGroup
		for range 4 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for range 5 {
					lines := mkg.RequestUsage(7, day.Add(5*time.Hour), 3, map[mkg.Dataset]int64{"EARTHQUAKE": 2})
					lines[mkg.UsageKey{AccountID: 8, Day: day.AddDate(0, 0, -1), Dataset: "SATELLITE"}] = mkg.UsageCounts{Downloads: 1, Bytes: 1000}
					if err := s.AddUsage(ctx, lines); err != nil {
						t.Error(err)
					}
				}
			}()
		}
		wg.Wait()
		got, err := s.Usage(ctx, 7, day, day)
		if err != nil {
			t.Fatal(err)
		}
		want := []mkg.Usage{
			{AccountID: 7, Day: day, Dataset: "", UsageCounts: mkg.UsageCounts{Requests: 20, Cost: 60}},
			{AccountID: 7, Day: day, Dataset: "EARTHQUAKE", UsageCounts: mkg.UsageCounts{Requests: 20, Cost: 60, Rows: 40}},
		}
		if len(got) != len(want) || got[0] != want[0] || got[1] != want[1] {
			t.Errorf("account 7 on the day: %+v, want %+v", got, want)
		}
		all, err := s.Usage(ctx, 0, day.AddDate(0, 0, -1), day)
		if err != nil || len(all) != 3 || all[0].AccountID != 8 || all[0].Bytes != 20000 {
			t.Errorf("every account over two days: %+v, %v", all, err)
		}
		if _, err := s.Usage(ctx, 7, day, day.AddDate(0, 0, -1)); mkg.ErrorCode(err) != mkg.EINVALID {
			t.Errorf("a period ending before it starts: %v", err)
		}
	})
}

// TestUsagePages: every account's usage over many days, more lines than
// an unpaged read may hold, is refused unpaged (naming accountId) and read
// whole in pages of at most the page size, in order (day, account,
// dataset) with no line lost or repeated; one account's pages likewise.
func TestUsagePages(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		const accounts, days = 30, 120 // × 3 lines: 10,800 > mkg.MaxUsageLines
		from := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
		lines := map[mkg.UsageKey]mkg.UsageCounts{}
		for a := int64(1); a <= accounts; a++ {
			for d := range days {
				day := from.AddDate(0, 0, d)
				for k, c := range mkg.RequestUsage(a, day, a, map[mkg.Dataset]int64{"EARTHQUAKE": 1, "SATELLITE": int64(d)}) {
					lines[k] = c
				}
			}
		}
		if err := s.AddUsage(ctx, lines); err != nil {
			t.Fatal(err)
		}
		to := from.AddDate(0, 0, days-1)
		var e *mkg.Error
		if _, err := s.Usage(ctx, 0, from, to); !asError(err, &e) || e.Code != mkg.EINVALID || e.Field != "accountId" {
			t.Errorf("every account's 10,800 lines unpaged: %v, want BAD_USER_INPUT on accountId", err)
		}
		one, err := s.Usage(ctx, 7, from, to)
		if err != nil || len(one) != days*3 {
			t.Errorf("one account's %d lines unpaged: %d, %v", days*3, len(one), err)
		}

		walk := func(f mkg.UsageFilter, size int) (got []mkg.Usage, pages int) {
			p := mkg.Page{Limit: size}
			for {
				page, err := s.UsagePage(ctx, f, p)
				if err != nil {
					t.Fatal(err)
				}
				if pages++; len(page.Lines) > size || len(page.Cursors) != len(page.Lines) {
					t.Fatalf("page %d: %d lines, %d cursors, page size %d", pages, len(page.Lines), len(page.Cursors), size)
				}
				got = append(got, page.Lines...)
				if !page.HasNextPage {
					return got, pages
				}
				c, err := mkg.DecodeCursor(page.Cursors[len(page.Cursors)-1].Encode(), mkg.OrderUsage)
				if err != nil {
					t.Fatal(err)
				}
				p.After = &c
			}
		}
		all, pages := walk(mkg.UsageFilter{From: from, To: to}, mkg.MaxPageSize)
		if len(all) != len(lines) || pages != (len(lines)+mkg.MaxPageSize-1)/mkg.MaxPageSize {
			t.Errorf("every account's lines in pages of %d: %d lines in %d pages, want %d", mkg.MaxPageSize, len(all), pages, len(lines))
		}
		for i, l := range all {
			k := mkg.UsageKey{AccountID: l.AccountID, Day: l.Day, Dataset: l.Dataset}
			if lines[k] != l.UsageCounts {
				t.Fatalf("line %d %+v: stored %+v", i, l, lines[k])
			}
			if i > 0 {
				p := all[i-1]
				if cmp.Or(p.Day.Compare(l.Day), cmp.Compare(p.AccountID, l.AccountID), cmp.Compare(p.Dataset, l.Dataset)) >= 0 {
					t.Fatalf("line %d %+v after %+v: not in order", i, l, p)
				}
			}
		}
		mine, _ := walk(mkg.UsageFilter{AccountID: 7, From: from.AddDate(0, 0, 10), To: from.AddDate(0, 0, 19)}, 7)
		if len(mine) != 30 || mine[0].AccountID != 7 || mine[29].AccountID != 7 || !mine[29].Day.Equal(from.AddDate(0, 0, 19)) {
			t.Errorf("one account's 10 days in pages of 7: %d lines, %+v … %+v", len(mine), mine[0], mine[len(mine)-1])
		}
		bad := mkg.Cursor{Order: mkg.OrderUsage, Value: "yesterday", ID: 1}
		if _, err := s.UsagePage(ctx, mkg.UsageFilter{From: from, To: to}, mkg.Page{Limit: 5, After: &bad}); !asError(err, &e) || e.Field != "after" {
			t.Errorf("a cursor that is not a usage line's: %v", err)
		}
		if _, err := s.UsagePage(ctx, mkg.UsageFilter{From: to, To: from}, mkg.Page{Limit: 5}); !asError(err, &e) || e.Field != "to" {
			t.Errorf("a period ending before it starts: %v", err)
		}
	})
}
