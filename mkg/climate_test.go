package mkg

import (
	"testing"
	"time"
)

func day(d time.Time, vals map[ClimateParameter]ClimateValue) ClimateDay {
	return ClimateDay{StationWMO: "96733", Date: d, Values: vals}
}

func num(x float64) ClimateValue { return ClimateValue{Value: &x} }

func statOf(s ClimateSummary, p ClimateParameter) ClimateStat {
	for _, st := range s.Stats {
		if st.Parameter == p {
			return st
		}
	}
	return ClimateStat{}
}

// A full month: means, totals, rain days, 8888 as a trace.
func TestMonthlySummaryComplete(t *testing.T) {
	start := time.Date(2023, 9, 1, 0, 0, 0, 0, time.UTC)
	var days []ClimateDay
	for i := range 30 {
		rr := num(float64(i % 3)) // 0, 1, 2, …: 10 days of 1 mm, 10 of 2 mm
		if i == 5 {
			rr = ClimateValue{Flag: ClimateNotMeasurable}
		}
		days = append(days, day(start.AddDate(0, 0, i), map[ClimateParameter]ClimateValue{ClimateTavg: num(27 + float64(i%2)), ClimateRR: rr}))
	}
	s := SummarizeClimate("96733", days, PeriodMonth, start, start)[0]
	tavg, rr := statOf(s, ClimateTavg), statOf(s, ClimateRR)
	if s.Days != 30 || tavg.Mean == nil || *tavg.Mean != 27.5 || tavg.ValidDays != 30 || *tavg.Min != 27 || *tavg.Max != 28 {
		t.Fatalf("Tavg %+v", tavg)
	}
	// Day 5 (i%3 == 2) was 8888: a trace, 0 mm, valid.
	if rr.Total == nil || *rr.Total != 28 || rr.NotMeasurableDays != 1 || rr.MissingDays != 0 || s.RainDays == nil || *s.RainDays != 19 {
		t.Fatalf("RR %+v, rain days %v", rr, s.RainDays)
	}
	if tn := statOf(s, ClimateTn); tn.Mean != nil || tn.Incomplete != "no valid day" || tn.MissingDays != 30 {
		t.Fatalf("Tn (no column) %+v", tn)
	}
}

// The 3/5 rule for means; totals need every day.
func TestMonthlySummaryIncomplete(t *testing.T) {
	start := time.Date(2021, 1, 1, 0, 0, 0, 0, time.UTC)
	build := func(missing func(i int) bool) ClimateSummary {
		var days []ClimateDay
		for i := range 31 {
			if missing(i) {
				days = append(days, day(start.AddDate(0, 0, i), map[ClimateParameter]ClimateValue{ClimateTavg: {Flag: ClimateNoData}, ClimateRR: {Flag: ClimateNoData}}))
				continue
			}
			days = append(days, day(start.AddDate(0, 0, i), map[ClimateParameter]ClimateValue{ClimateTavg: num(26), ClimateRR: num(3)}))
		}
		return SummarizeClimate("x", days, PeriodMonth, start, start)[0]
	}
	// 10 scattered missing days: the mean holds, the total does not.
	s := build(func(i int) bool { return i%3 == 0 && i < 30 })
	if st := statOf(s, ClimateTavg); st.Mean == nil || st.MissingDays != 10 {
		t.Fatalf("10 scattered missing: %+v", st)
	}
	if st := statOf(s, ClimateRR); st.Total != nil || st.Incomplete == "" || s.RainDays != nil {
		t.Fatalf("RR with gaps: %+v", st)
	}
	// 11 missing: no mean.
	if st := statOf(build(func(i int) bool { return i%2 == 0 && i < 22 }), ClimateTavg); st.Mean != nil || st.MissingDays != 11 {
		t.Fatalf("11 missing: %+v", st)
	}
	// 5 in a row: no mean.
	if st := statOf(build(func(i int) bool { return i >= 10 && i < 15 }), ClimateTavg); st.Mean != nil || st.Incomplete == "" {
		t.Fatalf("5 consecutive missing: %+v", st)
	}
	// 4 in a row: mean.
	if st := statOf(build(func(i int) bool { return i >= 10 && i < 14 }), ClimateTavg); st.Mean == nil {
		t.Fatalf("4 consecutive missing: %+v", st)
	}
}

func TestAnnualSummaryNeedsTwelveMonths(t *testing.T) {
	start := time.Date(2022, 1, 1, 0, 0, 0, 0, time.UTC)
	var days []ClimateDay
	for d := start; d.Year() == 2022; d = d.AddDate(0, 0, 1) {
		days = append(days, day(d, map[ClimateParameter]ClimateValue{ClimateRR: num(2), ClimateTx: num(31)}))
	}
	y := SummarizeClimate("x", days, PeriodYear, start, start)[0]
	if rr := statOf(y, ClimateRR); rr.Total == nil || *rr.Total != 730 || *y.RainDays != 365 || y.Days != 365 {
		t.Fatalf("full year: %+v, rain days %v", rr, y.RainDays)
	}
	if tx := statOf(y, ClimateTx); tx.Mean == nil || *tx.Mean != 31 {
		t.Fatalf("Tx %+v", tx)
	}
	y = SummarizeClimate("x", days[:300], PeriodYear, start, start)[0]
	if rr := statOf(y, ClimateRR); rr.Total != nil || rr.Incomplete != "3 of 12 months incomplete" {
		t.Fatalf("year with Nov–Dec missing: %+v", rr)
	}
}
