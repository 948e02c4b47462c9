package sqlstore

import (
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
