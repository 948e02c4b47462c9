package sqlstore

import (
	"context"
	"math"
	"testing"
	"time"

	"github.com/bmkg/mkggraph/mkg"
)

func wmo(v string) mkg.Identifier { return mkg.Identifier{Scheme: mkg.SchemeWMO, Value: v} }

func icao(v string) mkg.Identifier { return mkg.Identifier{Scheme: mkg.SchemeICAO, Value: v} }

// stationFixture: three Jakarta-area stations (one listed by two
// catalogues), one in Sumatra, one in Fiji east of 180°, one seismic sensor.
func stationFixture() []mkg.StationRecord {
	syn := []mkg.StationKind{mkg.KindSynoptic}
	return []mkg.StationRecord{
		{Source: "dir", SourceKey: "96749", Rank: 2, Identifiers: []mkg.Identifier{wmo("96749")}, Name: "Jakarta / Soekarno-Hatta", Kinds: syn, Latitude: -6.1167, Longitude: 106.65, Status: mkg.StatusActive},
		{Source: "isd", SourceKey: "967490-99999", Rank: 1, Identifiers: []mkg.Identifier{wmo("96749"), icao("WIII")}, Name: "SOEKARNO HATTA INTL", Kinds: syn, Latitude: -6.126, Longitude: 106.656, ElevationM: mkg.Ptr(10.4), Country: "Indonesia", Status: mkg.StatusActive},
		{Source: "dir", SourceKey: "96745", Rank: 2, Identifiers: []mkg.Identifier{wmo("96745")}, Name: "Jakarta / Observatory", Kinds: syn, Latitude: -6.1833, Longitude: 106.8333, Status: mkg.StatusActive},
		{Source: "dir", SourceKey: "96035", Rank: 2, Identifiers: []mkg.Identifier{wmo("96035")}, Name: "Medan / Polonia", Kinds: syn, Latitude: 3.5667, Longitude: 98.6833, Status: mkg.StatusActive},
		{Source: "wis2", SourceKey: "0-20000-0-91680", Rank: 3, Identifiers: []mkg.Identifier{wmo("91680")}, Name: "NADI_AIRPORT", Kinds: syn, Latitude: -17.75, Longitude: 177.45, Status: mkg.StatusActive},
		{Source: "seis", SourceKey: "LEM@2005", Rank: 2, Identifiers: []mkg.Identifier{{Scheme: mkg.SchemeSeismic, Value: "LEM"}}, Name: "LEM", Kinds: []mkg.StationKind{mkg.KindSeismic}, Latitude: -6.8266, Longitude: 107.61756, From: mkg.Ptr(time.Date(2005, 1, 1, 0, 0, 0, 0, time.UTC)), Status: mkg.StatusActive, Region: "Java"},
		{Source: "seis", SourceKey: "LEM@2010", Rank: 2, Identifiers: []mkg.Identifier{{Scheme: mkg.SchemeSeismic, Value: "LEM"}}, Name: "LEM", Kinds: []mkg.StationKind{mkg.KindSeismic}, Latitude: -6.82325, Longitude: 107.6143, From: mkg.Ptr(time.Date(2010, 9, 29, 0, 0, 0, 0, time.UTC)), Status: mkg.StatusActive, Region: "Java"},
	}
}

func loadStations(t *testing.T, s *Store) {
	t.Helper()
	res, err := s.UpsertStations(context.Background(), stationFixture())
	if err != nil {
		t.Fatal(err)
	}
	for i, r := range res {
		if r.Err != nil {
			t.Fatalf("record %d: %v", i, r.Err)
		}
	}
}

func TestStationsMergeAcrossCatalogues(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		loadStations(t, s)
		n, err := s.CountStations(ctx, mkg.StationFilter{})
		if err != nil || n != 5 {
			t.Fatalf("count = %d, %v; want 5 (96749 twice and LEM twice are one station each)", n, err)
		}
		st, err := s.StationByWMO(ctx, "96749")
		if err != nil {
			t.Fatal(err)
		}
		if st.Name != "Jakarta / Soekarno-Hatta" || st.ElevationM == nil || *st.ElevationM != 10.4 || st.Country != "Indonesia" {
			t.Errorf("merged station = %+v: want the directory's name, ISD's elevation and country", st)
		}
		if len(st.Identifiers) != 2 || len(st.Sources) != 2 {
			t.Errorf("identifiers %v sources %v: want WMO+ICAO from dir+isd", st.Identifiers, st.Sources)
		}
		lem, err := s.Stations(ctx, mkg.StationFilter{Search: "lem"}, mkg.Page{Limit: 10})
		if err != nil || len(lem.Edges) != 1 {
			t.Fatalf("LEM search: %v %v", lem, err)
		}
		l := lem.Edges[0].Station
		if l.Latitude != -6.82325 || !l.OperatingFrom.Equal(time.Date(2005, 1, 1, 0, 0, 0, 0, time.UTC)) {
			t.Errorf("LEM = %+v: want the latest epoch's position and the first epoch's start", l)
		}
		epochs, err := s.StationEpochs(ctx, []int64{l.ID, 999999})
		if err != nil || len(epochs[0]) != 2 || epochs[1] != nil {
			t.Errorf("epochs = %v, %v; want two for LEM and none for a missing id", epochs, err)
		}
	})
}

func TestStationsUpsertIsIdempotent(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		loadStations(t, s)
		before, _ := s.StationByWMO(ctx, "96749")
		res, err := s.UpsertStations(ctx, stationFixture())
		if err != nil {
			t.Fatal(err)
		}
		for i, r := range res {
			if r.Outcome != mkg.Unchanged {
				t.Errorf("record %d: %s on re-ingest", i, r.Outcome)
			}
		}
		after, _ := s.StationByWMO(ctx, "96749")
		if !after.UpdatedAt.Equal(before.UpdatedAt) {
			t.Errorf("updatedAt moved on an unchanged re-ingest")
		}
	})
}

func TestStationsICAOJoinsOnlyNearby(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		// An old ISD row without WMO index, then the current one: same aerodrome.
		recs := []mkg.StationRecord{
			{Source: "isd", SourceKey: "967429-99999", Rank: 1, Identifiers: []mkg.Identifier{{Scheme: mkg.SchemeISD, Value: "967429-99999"}, icao("WIII")}, Name: "SOEKARNO HATA INTL", Latitude: -6.15, Longitude: 106.717},
			{Source: "isd", SourceKey: "967490-99999", Rank: 1, Identifiers: []mkg.Identifier{{Scheme: mkg.SchemeISD, Value: "967490-99999"}, wmo("96749"), icao("WIII")}, Name: "SOEKARNO HATTA INTL", Latitude: -6.126, Longitude: 106.656},
			// Same ICAO code 1000 km away: not the same station.
			{Source: "isd", SourceKey: "000000-1", Rank: 1, Identifiers: []mkg.Identifier{{Scheme: mkg.SchemeISD, Value: "000000-1"}, icao("WIII")}, Name: "ELSEWHERE", Latitude: 3.0, Longitude: 106.0},
		}
		if _, err := s.UpsertStations(ctx, recs); err != nil {
			t.Fatal(err)
		}
		n, _ := s.CountStations(ctx, mkg.StationFilter{})
		if n != 2 {
			t.Fatalf("count = %d, want 2: the two Soekarno-Hatta rows merged, the far one apart", n)
		}
		st, _ := s.StationByWMO(ctx, "96749")
		if len(st.Identifiers) != 4 {
			t.Errorf("identifiers = %v, want both USAF-WBAN ids, WMO and ICAO", st.Identifiers)
		}
	})
}

func TestStationFilters(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		loadStations(t, s)
		jakarta := mkg.Point{Latitude: -6.2, Longitude: 106.8}
		cases := []struct {
			name string
			f    mkg.StationFilter
			want []string // names in order
		}{
			{"kind", mkg.StationFilter{Kinds: []mkg.StationKind{mkg.KindSeismic}}, []string{"LEM"}},
			{"wmo", mkg.StationFilter{WMOIndex: "96035"}, []string{"Medan / Polonia"}},
			{"search name any case", mkg.StationFilter{Search: "JAKARTA"}, []string{"Jakarta / Observatory", "Jakarta / Soekarno-Hatta"}},
			{"search identifier", mkg.StationFilter{Search: "wiii"}, []string{"Jakarta / Soekarno-Hatta"}},
			{"search wildcard is literal", mkg.StationFilter{Search: "%"}, nil},
			{"bbox", mkg.StationFilter{BBox: &mkg.BBox{South: -7, West: 106, North: -6, East: 107}}, []string{"Jakarta / Observatory", "Jakarta / Soekarno-Hatta"}},
			{"bbox across 180", mkg.StationFilter{BBox: &mkg.BBox{South: -20, West: 170, North: -10, East: -170}}, []string{"NADI_AIRPORT"}},
			{"near within radius, nearest first", mkg.StationFilter{Near: &mkg.Circle{Center: jakarta, RadiusKm: 150}}, []string{"Jakarta / Observatory", "Jakarta / Soekarno-Hatta", "LEM"}},
			{"near small radius", mkg.StationFilter{Near: &mkg.Circle{Center: jakarta, RadiusKm: 10}}, []string{"Jakarta / Observatory"}},
			{"status", mkg.StationFilter{Status: []mkg.StationStatus{mkg.StatusClosed}}, nil},
		}
		for _, c := range cases {
			page, err := s.Stations(ctx, c.f, mkg.Page{Limit: 50})
			if err != nil {
				t.Fatalf("%s: %v", c.name, err)
			}
			var got []string
			for _, e := range page.Edges {
				got = append(got, e.Station.Name)
				if c.f.Near != nil {
					want := mkg.DistanceKm(c.f.Near.Center, e.Station.Point())
					if e.DistanceKm == nil || math.Abs(*e.DistanceKm-want) > 1e-6 {
						t.Errorf("%s: %s distance %v, Go says %v", c.name, e.Station.Name, e.DistanceKm, want)
					}
				}
			}
			if !equalStrings(got, c.want) {
				t.Errorf("%s: got %v, want %v", c.name, got, c.want)
			}
			n, err := s.CountStations(ctx, c.f)
			if err != nil || n != len(c.want) {
				t.Errorf("%s: count %d (%v), want %d", c.name, n, err, len(c.want))
			}
		}
	})
}

func TestStationFilterValidation(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		cases := []struct {
			f     mkg.StationFilter
			field string
		}{
			{mkg.StationFilter{BBox: &mkg.BBox{South: -100, West: 0, North: 0, East: 1}}, "filter.bbox.south"},
			{mkg.StationFilter{BBox: &mkg.BBox{South: 10, West: 0, North: 0, East: 1}}, "filter.bbox"},
			{mkg.StationFilter{Near: &mkg.Circle{Center: mkg.Point{}, RadiusKm: -1}}, "filter.near.radiusKm"},
			{mkg.StationFilter{Near: &mkg.Circle{Center: mkg.Point{Latitude: 91}, RadiusKm: 1}}, "filter.near.latitude"},
			{mkg.StationFilter{WMOIndex: "9674"}, "filter.wmoIndex"},
			{mkg.StationFilter{Kinds: []mkg.StationKind{"VOLCANO"}}, "filter.kinds"},
		}
		for _, c := range cases {
			_, err := s.Stations(ctx, c.f, mkg.Page{Limit: 10})
			var e *mkg.Error
			if !asError(err, &e) || e.Code != mkg.EINVALID || e.Field != c.field {
				t.Errorf("%+v: got %v, want BAD_USER_INPUT on %s", c.f, err, c.field)
			}
		}
	})
}

func TestStationPagination(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		loadStations(t, s)
		for _, f := range []mkg.StationFilter{{}, {Near: &mkg.Circle{Center: mkg.Point{Latitude: 0, Longitude: 100}, RadiusKm: mkg.MaxRadiusKm}}} {
			all, _ := s.Stations(ctx, f, mkg.Page{Limit: 100})
			var walked []int64
			var after *mkg.Cursor
			for pages := 0; ; pages++ {
				page, err := s.Stations(ctx, f, mkg.Page{Limit: 2, After: after})
				if err != nil {
					t.Fatal(err)
				}
				for _, e := range page.Edges {
					walked = append(walked, e.Station.ID)
				}
				if !page.HasNextPage {
					break
				}
				after = &page.Edges[len(page.Edges)-1].Cursor
				if pages > 10 {
					t.Fatal("pagination does not end")
				}
			}
			if len(walked) != len(all.Edges) {
				t.Fatalf("walked %d stations in pages of 2, want %d", len(walked), len(all.Edges))
			}
			for i, e := range all.Edges {
				if walked[i] != e.Station.ID {
					t.Fatalf("page walk order %v differs from one page %v", walked, all.Edges)
				}
			}
		}
		// A cursor from the name ordering is refused by the distance ordering.
		page, _ := s.Stations(ctx, mkg.StationFilter{}, mkg.Page{Limit: 1})
		_, err := s.Stations(ctx, mkg.StationFilter{Near: &mkg.Circle{RadiusKm: 10}}, mkg.Page{Limit: 1, After: &page.Edges[0].Cursor})
		if mkg.ErrorCode(err) != mkg.EINVALID {
			t.Errorf("foreign cursor: %v, want BAD_USER_INPUT", err)
		}
	})
}

func TestNearestAndByID(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		loadStations(t, s)
		points := []mkg.Point{{Latitude: -6.2, Longitude: 106.8}, {Latitude: 3.5, Longitude: 98.6}}
		before := s.Statements()
		near, err := s.NearestStations(ctx, points, 2, []mkg.StationKind{mkg.KindSynoptic})
		if err != nil {
			t.Fatal(err)
		}
		if got := s.Statements() - before; got != 3 {
			t.Errorf("NearestStations ran %d statements, want 3 (positions, stations, identifiers)", got)
		}
		if near[0][0].Station.Name != "Jakarta / Observatory" || near[1][0].Station.Name != "Medan / Polonia" || len(near[1]) != 2 {
			t.Errorf("nearest = %v", near)
		}
		for i, list := range near {
			for j, d := range list {
				if want := mkg.DistanceKm(points[i], d.Station.Point()); math.Abs(d.DistanceKm-want) > 1e-6 {
					t.Errorf("point %d #%d: distance %v, want %v", i, j, d.DistanceKm, want)
				}
				if j > 0 && d.DistanceKm < list[j-1].DistanceKm {
					t.Errorf("point %d not sorted by distance", i)
				}
			}
		}
		st, _ := s.StationByWMO(ctx, "96035")
		got, err := s.StationsByID(ctx, []int64{999, st.ID, st.ID})
		if err != nil || got[0] != nil || got[1].ID != st.ID || got[2].ID != st.ID {
			t.Errorf("StationsByID = %v, %v; want [nil, station, station]", got, err)
		}
		if _, err := s.StationByWMO(ctx, "11111"); mkg.ErrorCode(err) != mkg.ENOTFOUND {
			t.Errorf("unknown WMO: %v, want NOT_FOUND", err)
		}
	})
}

func equalStrings(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
