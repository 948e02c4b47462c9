package ingest

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/bmkg/mkggraph/format/isd"
	"github.com/bmkg/mkggraph/format/reject"
	"github.com/bmkg/mkggraph/format/seismicsensors"
	"github.com/bmkg/mkggraph/format/synopstations"
	"github.com/bmkg/mkggraph/format/wis2stations"
	"github.com/bmkg/mkggraph/mkg"
)

// Station catalogues and how much each is trusted for names and positions:
// WMO/WIS2 lists come from the stations' own metadata (OSCAR), the agency's
// SYNOP directory and sensor list from the agency, NOAA's ISD history is a
// third party's copy.
const (
	sourceWIS2    = "wis2box-station-list"
	sourceSynop   = "synop-station-directory"
	sourceSeismic = "bmkg-seismic-sensors"
	sourceISD     = "noaa-isd"

	rankWIS2    = 3
	rankSynop   = 2
	rankSeismic = 2
	rankISD     = 1
)

// storeCatalogue stores a parsed station catalogue: the parser's rejects
// under unit ("line 12"), then each station as the record that record
// makes of it, named by its position, or refused with the reason it gives.
func storeCatalogue[T any](ctx context.Context, in *Ingester, s *Summary, opt Options, unit string, list []T, rejects []reject.Reject,
	record func(i int, st T) (rec mkg.StationRecord, position, refused string)) error {
	s.rejectAll(unit, rejects)
	s.Read = len(list) + len(rejects)
	recs := make([]mkg.StationRecord, 0, len(list))
	pos := make([]string, 0, len(list))
	for i, st := range list {
		r, at, refused := record(i, st)
		if refused != "" {
			s.reject(at, "%s", refused)
			continue
		}
		recs, pos = append(recs, r), append(pos, at)
	}
	return storeAll(ctx, recs, pos, s, opt, in.store.UpsertStations)
}

func ingestSynopStations(ctx context.Context, in *Ingester, _ string, data []byte, opt Options, s *Summary) error {
	list, rejects, err := synopstations.Parse(data)
	if err != nil {
		return err
	}
	return storeCatalogue(ctx, in, s, opt, "record", list, rejects, func(_ int, st synopstations.Station) (mkg.StationRecord, string, string) {
		return mkg.StationRecord{Source: sourceSynop, SourceKey: st.WMOIndex, Rank: rankSynop,
			Identifiers: []mkg.Identifier{{Scheme: mkg.SchemeWMO, Value: st.WMOIndex}},
			Name:        st.Name, Kinds: []mkg.StationKind{mkg.KindSynoptic}, Latitude: st.Latitude, Longitude: st.Longitude,
			Status: mkg.StatusActive}, "station " + st.WMOIndex, ""
	})
}

func ingestISD(ctx context.Context, in *Ingester, _ string, data []byte, opt Options, s *Summary) error {
	list, rejects, err := isd.Parse(data)
	if err != nil {
		return err
	}
	snapshot := isdSnapshot(list)
	return storeCatalogue(ctx, in, s, opt, "line", list, rejects, func(i int, st isd.Station) (mkg.StationRecord, string, string) {
		if st.Latitude == nil || st.Longitude == nil {
			return mkg.StationRecord{}, fmt.Sprintf("station %s", st.ID()), "no position (LAT/LON empty)"
		}
		r := mkg.StationRecord{Source: sourceISD, SourceKey: st.ID(), Rank: rankISD,
			Identifiers: []mkg.Identifier{{Scheme: mkg.SchemeISD, Value: st.ID()}},
			Name:        st.Name, Kinds: []mkg.StationKind{mkg.KindSynoptic}, Latitude: *st.Latitude, Longitude: *st.Longitude,
			ElevationM: st.Elevation, Region: st.State, Country: countryFromFIPS(st.Country), From: st.Begin, To: st.End,
			Status: isdStatus(st.End, snapshot)}
		if st.WMOIndex != "" {
			r.Identifiers = append(r.Identifiers, mkg.Identifier{Scheme: mkg.SchemeWMO, Value: st.WMOIndex})
		}
		if st.ICAO != "" {
			r.Identifiers = append(r.Identifiers, mkg.Identifier{Scheme: mkg.SchemeICAO, Value: st.ICAO})
		}
		return r, fmt.Sprintf("station %s (row %d)", st.ID(), i+1), ""
	})
}

// isdSnapshot is the date the ISD history was produced: the latest END in
// it (stations still reporting carry the file's own date).
func isdSnapshot(list []isd.Station) time.Time {
	var t time.Time
	for _, st := range list {
		if st.End != nil && st.End.After(t) {
			t = *st.End
		}
	}
	return t
}

// isdStatus: a station whose data end more than a year before the history
// was produced has closed; one reporting up to then is active.
func isdStatus(end *time.Time, snapshot time.Time) mkg.StationStatus {
	if end == nil || snapshot.IsZero() {
		return mkg.StatusUnknown
	}
	if end.Before(snapshot.AddDate(-1, 0, 0)) {
		return mkg.StatusClosed
	}
	return mkg.StatusActive
}

// countryFromFIPS names the countries of the region the ISD uses FIPS 10-4
// codes for; other codes are kept as they are.
func countryFromFIPS(code string) string {
	names := map[string]string{"ID": "Indonesia", "MY": "Malaysia", "SN": "Singapore", "BX": "Brunei", "TT": "Timor-Leste",
		"PP": "Papua New Guinea", "AS": "Australia", "RP": "Philippines", "TH": "Thailand", "VM": "Vietnam"}
	if n, ok := names[strings.ToUpper(code)]; ok {
		return n
	}
	return code
}

func ingestWIS2(ctx context.Context, in *Ingester, _ string, data []byte, opt Options, s *Summary) error {
	list, rejects, err := wis2stations.Parse(data)
	if err != nil {
		return err
	}
	return storeCatalogue(ctx, in, s, opt, "line", list, rejects, func(_ int, st wis2stations.Station) (mkg.StationRecord, string, string) {
		r := mkg.StationRecord{Source: sourceWIS2, SourceKey: st.WIGOSID, Rank: rankWIS2,
			Identifiers: []mkg.Identifier{{Scheme: mkg.SchemeWIGOS, Value: st.WIGOSID}},
			Name:        st.Name, Kinds: []mkg.StationKind{mkg.KindSynoptic}, Latitude: st.Latitude, Longitude: st.Longitude,
			ElevationM: st.Elevation, Country: st.Territory, Status: mkg.StatusActive, Description: st.FacilityType}
		if st.WMOIndex != "" {
			r.Identifiers = append(r.Identifiers, mkg.Identifier{Scheme: mkg.SchemeWMO, Value: st.WMOIndex})
			if fixed, ok := westernHemisphere(st.WMOIndex, r.Longitude); ok {
				s.Notes = append(s.Notes, fmt.Sprintf("station %s: longitude %s given without its minus sign; WMO block %s is in the western hemisphere, stored as %s",
					st.WMOIndex, strconv.FormatFloat(r.Longitude, 'f', -1, 64), st.WMOIndex[:2], strconv.FormatFloat(fixed, 'f', -1, 64)))
				r.Description = strings.TrimSpace(r.Description + "; longitude sign corrected from the source")
				r.Longitude = fixed
			}
		}
		return r, "station " + st.WIGOSID, ""
	})
}

// westernHemisphere corrects a known kind of source error: a positive
// longitude for a station whose WMO block lies wholly west of Greenwich
// (blocks 71–88: Canada, the USA, Mexico, Central America, the Caribbean,
// South America; block 70, Alaska, reaches across 180° and is left alone).
func westernHemisphere(wmo string, lon float64) (float64, bool) {
	block, err := strconv.Atoi(wmo[:2])
	if err != nil || block < 71 || block > 88 || lon <= 0 {
		return lon, false
	}
	return -lon, true
}

func ingestSeismic(ctx context.Context, in *Ingester, _ string, data []byte, opt Options, s *Summary) error {
	list, rejects, err := seismicsensors.Parse(data)
	if err != nil {
		return err
	}
	return storeCatalogue(ctx, in, s, opt, "line", list, rejects, func(_ int, st seismicsensors.Station) (mkg.StationRecord, string, string) {
		key := st.Code
		if st.Start != nil {
			key += "@" + st.Start.UTC().Format(time.RFC3339)
		}
		kind := mkg.KindSeismic
		if strings.Contains(strings.ToLower(st.StationType), "tide") {
			kind = mkg.KindTideGauge
		}
		desc := st.Location
		if st.StationType != "" {
			desc = strings.TrimSpace("station type " + st.StationType + "; " + desc)
		}
		return mkg.StationRecord{Source: sourceSeismic, SourceKey: key, Rank: rankSeismic,
			Identifiers: []mkg.Identifier{{Scheme: mkg.SchemeSeismic, Value: st.Code}},
			Name:        st.Code, Kinds: []mkg.StationKind{kind}, Latitude: st.Latitude, Longitude: st.Longitude,
			ElevationM: st.Elevation, Region: lastPart(st.Location), Status: mkg.StatusActive, From: st.Start, Description: desc}, "sensor " + key, ""
	})
}

// lastPart is the broadest place of a comma-separated location ("Alor
// Selatan, Alor, NTT" → "NTT").
func lastPart(loc string) string {
	parts := strings.Split(loc, ",")
	parts = slices.DeleteFunc(parts, func(p string) bool { return strings.TrimSpace(p) == "" })
	if len(parts) < 2 {
		return ""
	}
	return strings.TrimSpace(parts[len(parts)-1])
}
