package ingest

import (
	"context"
	"errors"
	"fmt"

	"github.com/bmkg/mkggraph/format/dataonline"
	"github.com/bmkg/mkggraph/mkg"
)

const (
	sourceDataOnline = "bmkg-dataonline"
	rankDataOnline   = 2 // the agency's own station block, like its SYNOP list
)

// ingestClimate loads a Data Online export: the station block joins the
// station catalogue (a climate station), the days are stored as received.
// A file that does not name its station (the processed CSV) needs
// Options.Station.
func ingestClimate(ctx context.Context, in *Ingester, name string, data []byte, opt Options, s *Summary) error {
	f, err := dataonline.Parse(data)
	if err != nil {
		return err
	}
	wmo := f.Station.WMO
	switch {
	case wmo == "" && opt.Station == "":
		return errors.New("the file does not name its station: give its WMO index (mkggraph ingest -station 96xxx)")
	case wmo != "" && opt.Station != "" && opt.Station != wmo:
		return fmt.Errorf("the file is for station %s, not %s as given", wmo, opt.Station)
	case wmo == "":
		wmo = opt.Station
	}
	if !mkg.IsWMOIndex(wmo) {
		return fmt.Errorf("%q is not a WMO station index", wmo)
	}
	s.rejectAll("row", f.Rejects)
	if opt.Synthetic {
		// Synthetic days never change the catalogue, which is metadata of real stations.
		s.Notes = append(s.Notes, "synthetic file: its station block is not added to the catalogue")
	} else if err := in.climateStation(ctx, wmo, f.Station, s); err != nil {
		return err
	}
	days := make([]mkg.ClimateDay, len(f.Days))
	pos := make([]string, len(f.Days))
	for i, d := range f.Days {
		days[i], pos[i] = climateDay(wmo, d, f.Format), fmt.Sprintf("row %d", d.Row)
		days[i].Source = provenance(days[i].Source, opt)
	}
	s.Read = len(f.Days) + len(f.Rejects)
	return storeAll(ctx, days, pos, s, opt, in.store.UpsertClimateDays)
}

// climateStation adds the file's station block to the catalogue when it
// has a position; its counts are not part of the summary (they are days).
func (in *Ingester) climateStation(ctx context.Context, wmo string, st dataonline.Station, s *Summary) error {
	if st.Latitude == nil || st.Longitude == nil {
		return nil
	}
	rec := mkg.StationRecord{Source: sourceDataOnline, SourceKey: wmo, Rank: rankDataOnline,
		Identifiers: []mkg.Identifier{{Scheme: mkg.SchemeWMO, Value: wmo}}, Name: st.Name, Kinds: []mkg.StationKind{mkg.KindClimate},
		Latitude: *st.Latitude, Longitude: *st.Longitude, ElevationM: st.ElevationM, Country: "ID", Status: mkg.StatusActive}
	res, err := in.store.UpsertStations(ctx, []mkg.StationRecord{rec})
	if err != nil {
		return err
	}
	if res[0].Err != nil {
		s.Notes = append(s.Notes, "station block not added to the catalogue: "+clientMessage(res[0].Err))
	}
	return nil
}

var climateFlags = map[dataonline.Flag]mkg.ClimateFlag{
	dataonline.FlagValue: mkg.ClimateValueFlag, dataonline.FlagNotMeasurable: mkg.ClimateNotMeasurable,
	dataonline.FlagNoData: mkg.ClimateNoData, dataonline.FlagMissing: mkg.ClimateMissing,
}

func climateDay(wmo string, d dataonline.Day, format string) mkg.ClimateDay {
	v := func(x dataonline.Value) mkg.ClimateValue {
		return mkg.ClimateValue{Value: x.V, Flag: climateFlags[x.Flag]}
	}
	return mkg.ClimateDay{StationWMO: wmo, Date: d.Date, Source: sourceDataOnline + "-" + format,
		Values: map[mkg.ClimateParameter]mkg.ClimateValue{
			mkg.ClimateTn: v(d.Tn), mkg.ClimateTx: v(d.Tx), mkg.ClimateTavg: v(d.Tavg), mkg.ClimateRH: v(d.RHAvg),
			mkg.ClimateRR: v(d.RR), mkg.ClimateSS: v(d.SS), mkg.ClimateFFX: v(d.FFX), mkg.ClimateDDDX: v(d.DDDX), mkg.ClimateFFAvg: v(d.FFAvg),
		},
		DDDCar: mkg.ClimateValue{Flag: climateFlags[d.DDDCarFlag]}, DDDCarText: d.DDDCar}
}
