package export

import (
	"context"
	"io"
	"time"

	"github.com/bmkg/mkggraph/mkg"
)

var lightningColumns = []column{
	{"time (UTC)", "time"},
	{"latitude (degrees north)", "latitude"},
	{"longitude (degrees east)", "longitude"},
	{"type (CG or IC)", "type"},
	{"polarity", "polarity"},
	{"peak_current (kA)", "peakCurrentKA"},
	{"energy (J)", "energyJ"},
	{"area (km2)", "areaKm2"},
	{"network", "network"},
}

func (e *Exporter) lightning(ctx context.Context, w io.Writer, s mkg.ExportSpec) error {
	out := newWriter(w, s.Format, lightningColumns)
	if err := out.header(); err != nil {
		return err
	}
	p := mkg.Page{Limit: pageSize}
	for {
		page, err := e.Lightning.LightningStrikes(ctx, *s.Lightning, p)
		if err != nil {
			return err
		}
		for _, st := range page.Strikes {
			var polarity any
			if st.Polarity != 0 {
				polarity = st.Polarity
			}
			values := []any{st.Time.UTC().Format("2006-01-02T15:04:05.000Z"), st.Latitude, st.Longitude, nonEmpty(st.Type), polarity,
				ptr(st.PeakCurrentKA), ptr(st.EnergyJ), ptr(st.AreaKm2), st.Network}
			if err := out.row(values, &st.Latitude, &st.Longitude); err != nil {
				return err
			}
		}
		if !page.HasNext || len(page.Strikes) == 0 {
			return out.end()
		}
		p.After = &page.Cursors[len(page.Cursors)-1]
	}
}

func nonEmpty(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// climateColumns name each parameter with its unit and a flag column that
// says why a value is empty (NOT_MEASURABLE for 8888, NO_DATA for 9999,
// MISSING).
func climateColumns() []column {
	cols := []column{{"station_wmo", "stationWmo"}, {"date", "date"}}
	for _, p := range mkg.ClimateNumeric {
		cols = append(cols, column{string(p) + " (" + mkg.ClimateUnits[p] + ")", string(p)}, column{string(p) + "_flag", string(p) + "Flag"})
	}
	return append(cols, column{"ddd_car (compass)", "ddd_car"}, column{"ddd_car_flag", "ddd_carFlag"})
}

func (e *Exporter) climate(ctx context.Context, w io.Writer, s mkg.ExportSpec) error {
	out := newWriter(w, s.Format, climateColumns())
	if err := out.header(); err != nil {
		return err
	}
	// A year at a time: a station has at most 366 records a year.
	for from := s.From; !from.After(s.To); from = from.AddDate(1, 0, 0) {
		to := minTime(from.AddDate(1, 0, 0).Add(-time.Nanosecond), s.To)
		days, err := e.Climate.ClimateDays(ctx, s.Station, from, to)
		if err != nil {
			return err
		}
		for _, d := range days {
			values := []any{d.StationWMO, d.Date.Format(time.DateOnly)}
			for _, p := range mkg.ClimateNumeric {
				v := d.Value(p)
				values = append(values, ptr(v.Value), nonEmpty(string(v.Flag)))
			}
			values = append(values, nonEmpty(d.DDDCarText), nonEmpty(string(d.DDDCar.Flag)))
			if err := out.row(values, nil, nil); err != nil {
				return err
			}
		}
	}
	return out.end()
}

var climateL2Columns = []column{{"station_wmo", "stationWmo"}, {"period", "period"}, {"start", "start"}, {"days", "days"},
	{"rain_days", "rainDays"}, {"parameter", "parameter"}, {"unit", "unit"}, {"valid_days", "validDays"},
	{"missing_days", "missingDays"}, {"not_measurable_days", "notMeasurableDays"}, {"mean", "mean"}, {"total", "total"},
	{"minimum", "minimum"}, {"maximum", "maximum"}, {"incomplete", "incomplete"}}

// climateSummary writes Level 2: one row per period and parameter, the
// statistics climateSummary gives, computed a period at a time so memory
// holds at most a year of days.
func (e *Exporter) climateSummary(ctx context.Context, w io.Writer, s mkg.ExportSpec) error {
	out := newWriter(w, s.Format, climateL2Columns)
	if err := out.header(); err != nil {
		return err
	}
	start := time.Date(s.From.Year(), 1, 1, 0, 0, 0, 0, time.UTC)
	if s.Period == mkg.PeriodMonth {
		start = time.Date(s.From.Year(), s.From.Month(), 1, 0, 0, 0, 0, time.UTC)
	}
	for ; !start.After(s.To); start = next(start, s.Period) {
		end := next(start, s.Period).Add(-time.Nanosecond)
		days, err := e.Climate.ClimateDays(ctx, s.Station, start, end)
		if err != nil {
			return err
		}
		for _, sum := range mkg.SummarizeClimate(s.Station, days, s.Period, start, end) {
			for _, st := range sum.Stats {
				values := []any{sum.StationWMO, string(sum.Period), sum.Start.Format(time.DateOnly), sum.Days, ptr(sum.RainDays),
					string(st.Parameter), mkg.ClimateUnits[st.Parameter], st.ValidDays, st.MissingDays, st.NotMeasurableDays,
					ptr(st.Mean), ptr(st.Total), ptr(st.Min), ptr(st.Max), nonEmpty(st.Incomplete)}
				if err := out.row(values, nil, nil); err != nil {
					return err
				}
			}
		}
	}
	return out.end()
}

func next(t time.Time, p mkg.ClimatePeriod) time.Time {
	if p == mkg.PeriodYear {
		return t.AddDate(1, 0, 0)
	}
	return t.AddDate(0, 1, 0)
}

func minTime(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}

var aqL1Columns = []column{{"station", "station"}, {"date", "date"}, {"pollutant", "pollutant"}, {"kind", "kind"}, {"value", "value"},
	{"unit (for concentrations)", "unit"}, {"source", "source"}}

var aqL2Columns = []column{{"station", "station"}, {"date", "date"}, {"ispu", "ispu"}, {"category", "category"},
	{"critical_pollutants", "criticalPollutants"}, {"regulation", "regulation"}, {"reported_ispu", "reportedIspu"},
	{"reported_critical", "reportedCritical"}, {"reported_category", "reportedCategory"}, {"notes", "notes"}}

func (e *Exporter) airQuality(ctx context.Context, w io.Writer, s mkg.ExportSpec) error {
	cols := aqL1Columns
	if s.Kind == mkg.ExportAirQualityL2 {
		cols = aqL2Columns
	}
	out := newWriter(w, s.Format, cols)
	if err := out.header(); err != nil {
		return err
	}
	for from := s.From; !from.After(s.To); from = from.AddDate(1, 0, 0) {
		to := minTime(from.AddDate(1, 0, 0).Add(-time.Nanosecond), s.To)
		if err := e.airQualityYear(ctx, out, s, from, to); err != nil {
			return err
		}
	}
	return out.end()
}

func (e *Exporter) airQualityYear(ctx context.Context, out rowWriter, s mkg.ExportSpec, from, to time.Time) error {
	if s.Kind == mkg.ExportAirQualityL1 {
		ms, err := e.AirQuality.AQMeasurements(ctx, s.Station, from, to)
		if err != nil {
			return err
		}
		for _, m := range ms {
			if err := out.row([]any{m.StationCode, m.Date.Format(time.DateOnly), m.Pollutant, m.Kind, m.Value, nonEmpty(m.Unit), m.Source}, nil, nil); err != nil {
				return err
			}
		}
		return nil
	}
	days, err := e.AirQuality.AQDays(ctx, s.Station, from, to)
	if err != nil {
		return err
	}
	for _, d := range days {
		values := []any{d.StationCode, d.Date.Format(time.DateOnly), ptr(d.ISPU), nonEmpty(d.Category), joined(d.Critical), nonEmpty(d.Table),
			ptr(d.ReportedISPU), nonEmpty(d.ReportedCritical), nonEmpty(d.ReportedCategory), joined(d.Notes)}
		if err := out.row(values, nil, nil); err != nil {
			return err
		}
	}
	return nil
}

func joined(xs []string) any {
	if len(xs) == 0 {
		return nil
	}
	s := xs[0]
	for _, x := range xs[1:] {
		s += "; " + x
	}
	return s
}

var groundMotionColumns = []column{{"network", "network"}, {"station", "station"}, {"location", "location"}, {"channel", "channel"},
	{"component", "component"}, {"latitude (degrees north)", "latitude"}, {"longitude (degrees east)", "longitude"},
	{"start (UTC)", "start"}, {"pga (gal)", "pgaGal"}, {"station_pga (gal)", "stationPgaGal"}, {"pgv (cm/s)", "pgvCmS"},
	{"intensity (MMI)", "intensity"}, {"distance (km)", "distanceKm"}, {"source", "source"}}

func (e *Exporter) groundMotions(ctx context.Context, w io.Writer, s mkg.ExportSpec) error {
	out := newWriter(w, s.Format, groundMotionColumns)
	if err := out.header(); err != nil {
		return err
	}
	all, err := e.GroundMotion.GroundMotionsOfEarthquakes(ctx, []int64{s.Earthquake})
	if err != nil {
		return err
	}
	for _, g := range all[0] {
		var start any
		if g.Start != nil {
			start = *g.Start
		}
		values := []any{nonEmpty(g.Network), g.Station, nonEmpty(g.Location), nonEmpty(g.Channel), g.Component, ptr(g.StationLatitude),
			ptr(g.StationLongitude), start, g.PGAGal, g.StationMaxPGAGal, ptr(g.PGVCmS), ptr(g.Intensity), ptr(g.DistanceKm), g.Source}
		if err := out.row(values, g.StationLatitude, g.StationLongitude); err != nil {
			return err
		}
	}
	return out.end()
}
