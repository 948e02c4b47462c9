package ingest

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/bmkg/mkggraph/airquality"
	"github.com/bmkg/mkggraph/format/aqicn"
	"github.com/bmkg/mkggraph/format/ispu"
	"github.com/bmkg/mkggraph/mkg"
)

// ispu2020From is when Permen LHK P.14/2020 replaced KEP-45/1997: the
// regulation is of July 2020; days before take the 1997 categories.
var ispu2020From = time.Date(2020, 7, 1, 0, 0, 0, 0, time.UTC)

// ingestISPU loads an operator's daily ISPU file: the sub-indices and the
// reported figures as received (Level 1), and the index, critical
// pollutants and category this server computes from the sub-indices
// (Level 2).
func ingestISPU(ctx context.Context, in *Ingester, name string, data []byte, opt Options, s *Summary) error {
	days, rejects, err := ispu.Parse(data)
	if err != nil {
		return err
	}
	s.rejectAll("line", rejects)
	s.Read = len(days) + len(rejects)
	stations := map[string]string{}
	var ms []mkg.AQMeasurement
	var mpos []string
	out := make([]mkg.AQDay, len(days))
	pos := make([]string, len(days))
	for i, d := range days {
		stations[d.Station] = d.StationName
		addCriticalSubIndex(&d)
		for col, v := range d.SubIndex {
			if v != nil {
				ms = append(ms, mkg.AQMeasurement{StationCode: d.Station, Date: d.Date, Pollutant: pollutantName(col),
					Kind: mkg.AQSubIndex, Value: float64(*v), Source: provenance("ispu-csv", opt)})
				mpos = append(mpos, fmt.Sprintf("line %d %s", d.Row, col))
			}
		}
		out[i], pos[i] = ispuDay(d), fmt.Sprintf("line %d", d.Row)
	}
	for code, name := range stations {
		if err := in.store.PutAQStation(ctx, mkg.AQStation{Code: code, Name: name, Operator: provenance("DLH DKI Jakarta", opt)}); err != nil {
			return err
		}
	}
	var sm Summary
	if err := storeAll(ctx, ms, mpos, &sm, opt, in.store.UpsertAQMeasurements); err != nil {
		return err
	}
	s.Rejected = append(s.Rejected, sm.Rejected...)
	return storeAll(ctx, out, pos, s, opt, in.store.UpsertAQDays)
}

// addCriticalSubIndex completes a day whose critical pollutant has no
// column of its own (PM2.5 in DKI's files before the pm25 column): the
// reported index is that pollutant's sub-index, since the index is the
// critical pollutant's sub-index. Without it the computed index would
// leave out the very pollutant that set it.
func addCriticalSubIndex(d *ispu.Day) {
	if d.Critical == "" || d.Max == nil {
		return
	}
	for col := range d.SubIndex {
		if pollutantName(col) == d.Critical {
			return
		}
	}
	sub := make(map[string]*int, len(d.SubIndex)+1)
	for k, v := range d.SubIndex {
		sub[k] = v
	}
	sub[strings.ToLower(d.Critical)] = d.Max
	d.SubIndex = sub
}

// pollutantName is a column's pollutant as airquality names it.
func pollutantName(col string) string {
	p := strings.ToUpper(strings.ReplaceAll(col, ".", ""))
	return p
}

func ispuDay(d ispu.Day) mkg.AQDay {
	day := mkg.AQDay{StationCode: d.Station, Date: d.Date, ReportedISPU: d.Max, ReportedCritical: d.Critical,
		ReportedCategory: d.Category, Notes: d.Notes}
	sub := map[airquality.Pollutant]int{}
	for col, v := range d.SubIndex {
		if v != nil {
			sub[airquality.Pollutant(pollutantName(col))] = *v
		}
	}
	index, critical, _, err := airquality.Daily(sub)
	if errors.Is(err, airquality.ErrNoSubIndex) || err != nil {
		return day
	}
	table := airquality.ISPU2020
	if d.Date.Before(ispu2020From) {
		table = airquality.ISPU1997
	}
	cat, err := table.CategoryOf(index)
	if err != nil {
		return day
	}
	day.ISPU, day.Category, day.Table = &index, cat.Code, table.Regulation
	for _, p := range critical {
		day.Critical = append(day.Critical, string(p))
	}
	return day
}

// ingestAQICN loads a WAQI (aqicn.org) daily export: US-EPA AQI values, kept
// as such (Level 1). No ISPU is computed from them: the AQI is another
// index with other breakpoints, not a concentration. The file does not
// name its monitor, so Options.Station is required.
func ingestAQICN(ctx context.Context, in *Ingester, name string, data []byte, opt Options, s *Summary) error {
	if opt.Station == "" {
		return errors.New("the file does not name its monitor: give a station code (mkggraph ingest -station CODE)")
	}
	days, rejects, err := aqicn.Parse(data)
	if err != nil {
		return err
	}
	s.rejectAll("line", rejects)
	if err := in.store.PutAQStation(ctx, mkg.AQStation{Code: opt.Station, Name: opt.Station, Operator: "aqicn.org (WAQI)"}); err != nil {
		return err
	}
	var ms []mkg.AQMeasurement
	var pos []string
	for _, d := range days {
		for col, v := range d.AQI {
			if v != nil {
				ms = append(ms, mkg.AQMeasurement{StationCode: opt.Station, Date: d.Date, Pollutant: pollutantName(col),
					Kind: mkg.AQUSAQI, Value: float64(*v), Source: "aqicn-csv"})
				pos = append(pos, fmt.Sprintf("line %d %s", d.Row, col))
			}
		}
	}
	// The records of this file are its values (a day holds one per
	// pollutant); rejected rows count as one each.
	s.Read = len(ms) + len(rejects)
	s.Notes = append(s.Notes, fmt.Sprintf("%d AQI values over %d days", len(ms), len(days)))
	return storeAll(ctx, ms, pos, s, opt, in.store.UpsertAQMeasurements)
}
