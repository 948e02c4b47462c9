package mkg

import (
	"context"
	"math"
	"strconv"
	"time"
)

// ClimateFlag says why a daily value is not a number.
type ClimateFlag string

const (
	ClimateValueFlag     ClimateFlag = ""               // a measured value
	ClimateNotMeasurable ClimateFlag = "NOT_MEASURABLE" // code 8888 (e.g. trace rain)
	ClimateNoData        ClimateFlag = "NO_DATA"        // code 9999
	ClimateMissing       ClimateFlag = "MISSING"        // empty cell, or no column
)

// ClimateValue is one daily value: a number, or the flag saying why not.
// The codes 8888 and 9999 never become numbers.
type ClimateValue struct {
	Value *float64    `json:"v,omitempty"`
	Flag  ClimateFlag `json:"f,omitempty"`
}

// ClimateParameter names a daily parameter of the agency's Data Online.
type ClimateParameter string

const (
	ClimateTn    ClimateParameter = "Tn"      // minimum temperature, °C
	ClimateTx    ClimateParameter = "Tx"      // maximum temperature, °C
	ClimateTavg  ClimateParameter = "Tavg"    // mean temperature, °C
	ClimateRH    ClimateParameter = "RH_avg"  // mean relative humidity, %
	ClimateRR    ClimateParameter = "RR"      // rainfall, mm
	ClimateSS    ClimateParameter = "ss"      // sunshine duration, h
	ClimateFFX   ClimateParameter = "ff_x"    // maximum wind speed, m/s
	ClimateDDDX  ClimateParameter = "ddd_x"   // direction at maximum wind, °
	ClimateFFAvg ClimateParameter = "ff_avg"  // mean wind speed, m/s
	ClimateDDCar ClimateParameter = "ddd_car" // most frequent wind direction (compass)
)

// ClimateNumeric lists the numeric parameters in the export's order.
var ClimateNumeric = []ClimateParameter{ClimateTn, ClimateTx, ClimateTavg, ClimateRH, ClimateRR, ClimateSS, ClimateFFX, ClimateDDDX, ClimateFFAvg}

// ClimateUnits are the units of the numeric parameters.
var ClimateUnits = map[ClimateParameter]string{ClimateTn: "°C", ClimateTx: "°C", ClimateTavg: "°C", ClimateRH: "%",
	ClimateRR: "mm", ClimateSS: "h", ClimateFFX: "m/s", ClimateDDDX: "°", ClimateFFAvg: "m/s"}

// ClimateDay is one station's daily climate record as received (Level 1).
type ClimateDay struct {
	StationWMO string
	Date       time.Time // 00:00 UTC of the calendar date
	Values     map[ClimateParameter]ClimateValue
	DDDCar     ClimateValue // the compass text is in Text
	DDDCarText string
	Source     string
}

// Value returns a parameter's value; MISSING when the day has none.
func (d *ClimateDay) Value(p ClimateParameter) ClimateValue {
	if v, ok := d.Values[p]; ok {
		return v
	}
	return ClimateValue{Flag: ClimateMissing}
}

// Period of a climate summary.
type ClimatePeriod string

const (
	PeriodMonth ClimatePeriod = "MONTH"
	PeriodYear  ClimatePeriod = "YEAR"
)

// Completeness rules of Level 2 (WMO-No. 1203, Guidelines on the
// Calculation of Climate Normals, 2017, the "3/5 rule" for monthly values):
// a monthly mean is computed only when at most 10 daily values are missing
// in all and at most 4 in a row. A monthly total (rainfall) needs every day
// of the month: a total with a gap would understate. An annual mean or
// total needs all 12 monthly values. A day flagged NOT_MEASURABLE (8888)
// is a valid day for rainfall (a trace: 0 mm in totals, not a rain day) and
// a missing day for other parameters; NO_DATA (9999) and MISSING are
// missing. A rain day has RR ≥ 1 mm.
const (
	MaxMissingDays        = 10
	MaxConsecutiveMissing = 4
	RainDayMM             = 1.0
)

// ClimateStat is one parameter over one period.
type ClimateStat struct {
	Parameter         ClimateParameter
	ValidDays         int
	MissingDays       int // NO_DATA, MISSING, or days without a record
	NotMeasurableDays int
	Mean, Total       *float64
	Min, Max          *float64
	// Incomplete says why Mean/Total are null, "" when they are computed.
	Incomplete string
}

// ClimateSummary is Level 2: one period's statistics, computed from the
// daily records.
type ClimateSummary struct {
	StationWMO string
	Period     ClimatePeriod
	Start      time.Time // first day of the period
	Days       int       // calendar days in the period
	Stats      []ClimateStat
	RainDays   *int // days with RR ≥ 1 mm; null when RR is incomplete
}

// SummarizeClimate computes the summaries of every month or year in [from,
// to] (whole periods; from and to are rounded out to them) from the days,
// which may come in any order.
func SummarizeClimate(wmo string, days []ClimateDay, period ClimatePeriod, from, to time.Time) []ClimateSummary {
	byDate := make(map[time.Time]*ClimateDay, len(days))
	for i := range days {
		byDate[days[i].Date] = &days[i]
	}
	var out []ClimateSummary
	if period == PeriodYear {
		for y := from.Year(); y <= to.Year(); y++ {
			out = append(out, summarizeYear(wmo, byDate, time.Date(y, 1, 1, 0, 0, 0, 0, time.UTC)))
		}
		return out
	}
	for m := monthStart(from); !m.After(to); m = m.AddDate(0, 1, 0) {
		out = append(out, summarizeMonth(wmo, byDate, m))
	}
	return out
}

func monthStart(t time.Time) time.Time {
	return time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, time.UTC)
}

func summarizeMonth(wmo string, byDate map[time.Time]*ClimateDay, start time.Time) ClimateSummary {
	end := start.AddDate(0, 1, 0)
	s := ClimateSummary{StationWMO: wmo, Period: PeriodMonth, Start: start, Days: int(end.Sub(start).Hours() / 24)}
	for _, p := range ClimateNumeric {
		s.Stats = append(s.Stats, monthStat(p, byDate, start, end))
	}
	rr := s.Stats[4]
	if rr.Incomplete == "" {
		n := 0
		for d := start; d.Before(end); d = d.AddDate(0, 0, 1) {
			if day := byDate[d]; day != nil {
				if v := day.Value(ClimateRR); v.Value != nil && *v.Value >= RainDayMM {
					n++
				}
			}
		}
		s.RainDays = &n
	}
	return s
}

func monthStat(p ClimateParameter, byDate map[time.Time]*ClimateDay, start, end time.Time) ClimateStat {
	st := ClimateStat{Parameter: p}
	var sum float64
	run, longest := 0, 0
	for d := start; d.Before(end); d = d.AddDate(0, 0, 1) {
		v := ClimateValue{Flag: ClimateMissing}
		if day := byDate[d]; day != nil {
			v = day.Value(p)
		}
		x, ok := dailyNumber(p, v)
		if v.Flag == ClimateNotMeasurable {
			st.NotMeasurableDays++
		}
		if !ok {
			if v.Flag != ClimateNotMeasurable || p != ClimateRR {
				st.MissingDays++
			}
			run++
			longest = max(longest, run)
			continue
		}
		run = 0
		st.ValidDays++
		sum += x
		st.Min, st.Max = minPtr(st.Min, x), maxPtr(st.Max, x)
	}
	switch {
	case st.ValidDays == 0:
		st.Incomplete = "no valid day"
	case p == ClimateRR && st.MissingDays > 0:
		st.Incomplete = "a monthly total needs every day; " + strconv.Itoa(st.MissingDays) + " missing"
	case st.MissingDays > MaxMissingDays:
		st.Incomplete = "more than 10 days missing (" + strconv.Itoa(st.MissingDays) + ")"
	case longest > MaxConsecutiveMissing && p != ClimateRR:
		st.Incomplete = "more than 4 consecutive days missing (" + strconv.Itoa(longest) + ")"
	}
	if st.Incomplete == "" {
		if p == ClimateRR {
			st.Total = Ptr(round3(sum))
		} else if p != ClimateDDDX {
			st.Mean = Ptr(round3(sum / float64(st.ValidDays)))
		}
	}
	return st
}

// dailyNumber is the number a day contributes: 0 mm for a trace of rain.
func dailyNumber(p ClimateParameter, v ClimateValue) (float64, bool) {
	if v.Value != nil {
		return *v.Value, true
	}
	if p == ClimateRR && v.Flag == ClimateNotMeasurable {
		return 0, true
	}
	return 0, false
}

func summarizeYear(wmo string, byDate map[time.Time]*ClimateDay, start time.Time) ClimateSummary {
	s := ClimateSummary{StationWMO: wmo, Period: PeriodYear, Start: start}
	s.Days = int(start.AddDate(1, 0, 0).Sub(start).Hours() / 24)
	months := make([]ClimateSummary, 12)
	for i := range months {
		months[i] = summarizeMonth(wmo, byDate, start.AddDate(0, i, 0))
	}
	for j, p := range ClimateNumeric {
		st := ClimateStat{Parameter: p}
		var sum float64
		complete := 0
		for _, m := range months {
			ms := m.Stats[j]
			st.ValidDays += ms.ValidDays
			st.MissingDays += ms.MissingDays
			st.NotMeasurableDays += ms.NotMeasurableDays
			if ms.Min != nil {
				st.Min, st.Max = minPtr(st.Min, *ms.Min), maxPtr(st.Max, *ms.Max)
			}
			if ms.Incomplete == "" {
				complete++
				if ms.Total != nil {
					sum += *ms.Total
				} else if ms.Mean != nil {
					sum += *ms.Mean
				}
			}
		}
		switch {
		case complete < 12:
			st.Incomplete = strconv.Itoa(12-complete) + " of 12 months incomplete"
		case p == ClimateRR:
			st.Total = Ptr(round3(sum))
		case p != ClimateDDDX:
			st.Mean = Ptr(round3(sum / 12))
		}
		s.Stats = append(s.Stats, st)
	}
	if s.Stats[4].Incomplete == "" {
		n := 0
		for _, m := range months {
			n += *m.RainDays
		}
		s.RainDays = &n
	}
	return s
}

func minPtr(p *float64, x float64) *float64 {
	if p == nil || x < *p {
		return Ptr(x)
	}
	return p
}

func maxPtr(p *float64, x float64) *float64 {
	if p == nil || x > *p {
		return Ptr(x)
	}
	return p
}

func round3(x float64) float64 { return math.Round(x*1000) / 1000 }

// ClimateStore keeps daily climate records.
type ClimateStore interface {
	// UpsertClimateDays stores days keyed by station and date: the same day
	// again is unchanged, a differing one replaces it.
	UpsertClimateDays(ctx context.Context, days []ClimateDay) ([]WriteResult, error)
	// ClimateDays returns a station's days in [from, to], oldest first.
	ClimateDays(ctx context.Context, wmo string, from, to time.Time) ([]ClimateDay, error)
}

// MaxClimateWindow bounds one climate query: 50 years of days.
const MaxClimateWindow = 50 * 366 * 24 * time.Hour
