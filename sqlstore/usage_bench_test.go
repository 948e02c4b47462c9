package sqlstore

import (
	"context"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/bmkg/mkggraph/mkg"
)

// BenchmarkUsagePages stores a year of usage of MKG_BENCH_ACCOUNTS accounts
// (default 200; three lines a day each: totals and two datasets) and times
// reading every account's year a page of 500 at a time, as GET /usage.csv
// does:
//
//	TEST_DATABASE_URL=… go test ./sqlstore -run '^$' -bench UsagePages -benchtime 3x
func BenchmarkUsagePages(b *testing.B) {
	accounts := 200
	if v, err := strconv.Atoi(os.Getenv("MKG_BENCH_ACCOUNTS")); err == nil && v > 0 {
		accounts = v
	}
	from := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	to := from.AddDate(0, 0, 365)
	for _, kind := range []string{"sqlite", "postgres"} {
		b.Run(kind, func(b *testing.B) {
			s := newSQLiteStore(b)
			if kind == "postgres" {
				s = newPostgresStore(b)
			}
			ctx := context.Background()
			for d := from; !d.After(to); d = d.AddDate(0, 0, 1) {
				lines := map[mkg.UsageKey]mkg.UsageCounts{}
				for a := int64(1); a <= int64(accounts); a++ {
					for k, c := range mkg.RequestUsage(a, d, 10, map[mkg.Dataset]int64{"EARTHQUAKE": 2, "SYNOP_L1": 3}) {
						lines[k] = c
					}
				}
				if err := s.AddUsage(ctx, lines); err != nil {
					b.Fatal(err)
				}
			}
			if err := s.Analyze(ctx); err != nil {
				b.Fatal(err)
			}
			f := mkg.UsageFilter{From: from, To: to}
			var n, pages int
			b.ResetTimer()
			for b.Loop() {
				n, pages = 0, 0
				p := mkg.Page{Limit: mkg.MaxPageSize}
				for {
					page, err := s.UsagePage(ctx, f, p)
					if err != nil {
						b.Fatal(err)
					}
					n, pages = n+len(page.Lines), pages+1
					if !page.HasNextPage {
						break
					}
					p.After = &page.Cursors[len(page.Cursors)-1]
				}
			}
			if n != accounts*366*3 {
				b.Fatalf("%d lines read, want %d", n, accounts*366*3)
			}
			b.ReportMetric(float64(n), "lines/op")
			b.ReportMetric(float64(pages), "pages/op")
		})
	}
}
