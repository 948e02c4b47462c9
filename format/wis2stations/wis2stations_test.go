package wis2stations

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/bmkg/mkggraph/format/budget"
	"github.com/bmkg/mkggraph/format/reject"
	"github.com/bmkg/mkggraph/internal/golden"
)

var samples = []struct {
	path  string
	count int
}{
	{"testdata/cuba-station_list.csv", 68},
	{"testdata/romania-station_list.csv", 23},
}

func readFile(t testing.TB, path string) []byte {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func TestParseSamples(t *testing.T) {
	for _, s := range samples {
		stations, rejects, err := Parse(readFile(t, s.path))
		if err != nil {
			t.Fatalf("%s: %v", s.path, err)
		}
		if len(stations) != s.count || len(rejects) != 0 {
			t.Errorf("%s: %d stations, rejects %v; want %d, none", s.path, len(stations), rejects, s.count)
		}
	}
}

func TestParseRomania(t *testing.T) {
	stations, _, err := Parse(readFile(t, samples[1].path))
	if err != nil {
		t.Fatal(err)
	}
	// OCNA SUGATAG,0-20000-0-15015,15015,Land (fixed),47.77706163,23.94046026,503,504.43,Romania,6
	checkStation(t, stations[0], Station{
		WIGOSID: "0-20000-0-15015", WMOIndex: "15015", TraditionalID: "15015", Name: "OCNA SUGATAG",
		FacilityType: "Land (fixed)", Latitude: 47.77706163, Longitude: 23.94046026,
		Elevation: ptr(503), BarometerHeight: ptr(504.43), Territory: "Romania", WMORegion: "6",
	})
	// CONSTANTA,0-20000-0-15480,15480,Land (fixed),44.21381439,28.64556468,12.8,14,Romania,6
	checkStation(t, stations[22], Station{
		WIGOSID: "0-20000-0-15480", WMOIndex: "15480", TraditionalID: "15480", Name: "CONSTANTA",
		FacilityType: "Land (fixed)", Latitude: 44.21381439, Longitude: 28.64556468,
		Elevation: ptr(12.8), BarometerHeight: ptr(14), Territory: "Romania", WMORegion: "6",
	})
}

func TestParseCuba(t *testing.T) {
	stations, _, err := Parse(readFile(t, samples[0].path))
	if err != nil {
		t.Fatal(err)
	}
	// "CABO SAN ANTONIO, PINAR DEL RIO",0-20000-0-78310,78310,Land (fixed),21.86666667,84.95,1.32,,Cuba
	// The longitude is positive in the source; it is kept as given.
	checkStation(t, stations[0], Station{
		WIGOSID: "0-20000-0-78310", WMOIndex: "78310", TraditionalID: "78310",
		Name: "CABO SAN ANTONIO, PINAR DEL RIO", FacilityType: "Land (fixed)",
		Latitude: 21.86666667, Longitude: 84.95, Elevation: ptr(1.32), Territory: "Cuba",
	})
	// "CANTARRANA, CIENFUEGOS",0-20000-0-78344,78344,Land (fixed),21.91666667,80.16666667,0,,Cuba
	checkStation(t, stations[8], Station{
		WIGOSID: "0-20000-0-78344", WMOIndex: "78344", TraditionalID: "78344",
		Name: "CANTARRANA, CIENFUEGOS", FacilityType: "Land (fixed)",
		Latitude: 21.91666667, Longitude: 80.16666667, Elevation: ptr(0), Territory: "Cuba",
	})
	for _, s := range stations {
		if s.BarometerHeight != nil || s.WMORegion != "" || s.Territory != "Cuba" {
			t.Errorf("%s: barometer %v, region %q, territory %q", s.WIGOSID, s.BarometerHeight, s.WMORegion, s.Territory)
		}
	}
}

func checkStation(t *testing.T, got, want Station) {
	t.Helper()
	g, _ := json.Marshal(got)
	w, _ := json.Marshal(want)
	if !bytes.Equal(g, w) {
		t.Errorf("station\n got %s\nwant %s", g, w)
	}
}

func ptr(f float64) *float64 { return &f }

func TestParseOtherLayouts(t *testing.T) {
	// wis2box 1.x style: codes instead of words, no WMO index, columns reordered,
	// an extra column, CRLF line ends.
	in := "\xef\xbb\xbfwigos_station_identifier,station_name,latitude,longitude,elevation,facility_type,territory_name,wmo_region,traditional_station_identifier,remarks\r\n" +
		"0-22000-0-7811080,APOLLO-BAY,-38.7541,143.7232,0,seaFixed,AUS,southWestPacific,7811080,buoy\r\n" +
		"0-20000-0-96749,SOEKARNO-HATTA,-6.126,106.656,,landFixed,IDN,southWestPacific,,\r\n"
	stations, rejects, err := Parse([]byte(in))
	if err != nil || len(rejects) != 0 || len(stations) != 2 {
		t.Fatalf("Parse: %v, rejects %v, %d stations", err, rejects, len(stations))
	}
	checkStation(t, stations[0], Station{WIGOSID: "0-22000-0-7811080", TraditionalID: "7811080", Name: "APOLLO-BAY",
		FacilityType: "seaFixed", Latitude: -38.7541, Longitude: 143.7232, Elevation: ptr(0), Territory: "AUS", WMORegion: "southWestPacific"})
	checkStation(t, stations[1], Station{WIGOSID: "0-20000-0-96749", WMOIndex: "96749", Name: "SOEKARNO-HATTA",
		FacilityType: "landFixed", Latitude: -6.126, Longitude: 106.656, Territory: "IDN", WMORegion: "southWestPacific"})
}

const header = "station_name,wigos_station_identifier,traditional_station_identifier,facility_type,latitude,longitude,elevation,barometer_height,territory_name,wmo_region\n"
const good = "OCNA SUGATAG,0-20000-0-15015,15015,Land (fixed),47.77706163,23.94046026,503,504.43,Romania,6\n"

func TestParseRejects(t *testing.T) {
	tests := []struct{ name, row, reason string }{
		{"lat text", "X,0-20000-0-15020,15020,Land (fixed),north,26.6,161,162.2,Romania,6", `latitude "north"`},
		{"lat empty", "X,0-20000-0-15020,15020,Land (fixed),,26.6,161,162.2,Romania,6", `latitude ""`},
		{"lat range", "X,0-20000-0-15020,15020,Land (fixed),147.7,26.6,161,162.2,Romania,6", `latitude "147.7"`},
		{"lon range", "X,0-20000-0-15020,15020,Land (fixed),47.7,-226.6,161,162.2,Romania,6", `longitude "-226.6"`},
		{"lon inf", "X,0-20000-0-15020,15020,Land (fixed),47.7,Inf,161,162.2,Romania,6", `longitude "Inf"`},
		{"elevation", "X,0-20000-0-15020,15020,Land (fixed),47.7,26.6,161m,162.2,Romania,6", `elevation "161m"`},
		{"barometer", "X,0-20000-0-15020,15020,Land (fixed),47.7,26.6,161,n/a,Romania,6", `barometer_height "n/a"`},
		{"wigos", "X,15020,15020,Land (fixed),47.7,26.6,161,162.2,Romania,6", `wigos_station_identifier "15020"`},
		{"wigos local", "X,0-20000-0-,15020,Land (fixed),47.7,26.6,161,162.2,Romania,6", `wigos_station_identifier "0-20000-0-"`},
		{"name", ",0-20000-0-15020,15020,Land (fixed),47.7,26.6,161,162.2,Romania,6", `station_name is empty`},
		{"fields", "X,0-20000-0-15020,15020", `row has 3 fields, header has 10`},
		{"quote", `"X"Y,0-20000-0-15020,15020,Land (fixed),47.7,26.6,161,162.2,Romania,6`, `malformed CSV`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			stations, rejects, err := Parse([]byte(header + good + tt.row + "\n" + good))
			if err != nil {
				t.Fatal(err)
			}
			if len(stations) != 2 || len(rejects) != 1 {
				t.Fatalf("got %d stations, rejects %v; want 2 stations, 1 reject", len(stations), rejects)
			}
			if rejects[0].Record != 3 || !strings.Contains(rejects[0].Reason, tt.reason) {
				t.Errorf("reject %+v; want record 3, reason containing %q", rejects[0], tt.reason)
			}
		})
	}
}

func TestParseNotStationList(t *testing.T) {
	for name, in := range map[string]string{
		"empty":    "",
		"isd":      `"USAF","WBAN","STATION NAME","CTRY","STATE","ICAO","LAT","LON","ELEV(M)","BEGIN","END"` + "\n",
		"tsv":      "code\tlatitude\tlongitude\televation\tlocation\tdatetime\n",
		"json":     `{"96001": {"kota": "Sabang", "lat": 5.8, "lon": 95.3}}`,
		"no wigos": "station_name,latitude,longitude\nA,1,2\n",
	} {
		if _, _, err := Parse([]byte(in)); !errors.Is(err, ErrFormat) {
			t.Errorf("%s: err = %v, want ErrFormat", name, err)
		}
	}
	if _, _, err := Parse(make([]byte, MaxInputSize+1)); !errors.Is(err, budget.ErrTooLarge) {
		t.Errorf("oversize: err = %v, want budget.ErrTooLarge", err)
	}
}

func TestDetect(t *testing.T) {
	for _, s := range samples {
		if !Detect(readFile(t, s.path)[:200]) {
			t.Errorf("Detect(%s) = false", s.path)
		}
	}
	for _, in := range []string{"", `"USAF","WBAN","LAT","LON"`, "code\tlatitude\tlongitude\n", "{}",
		"OCNA SUGATAG,0-20000-0-15015,15015\nwigos_station_identifier,latitude,longitude"} {
		if Detect([]byte(in)) {
			t.Errorf("Detect(%q) = true", in)
		}
	}
}

func TestGolden(t *testing.T) {
	for _, s := range samples {
		stations, rejects, err := Parse(readFile(t, s.path))
		if err != nil {
			t.Fatal(err)
		}
		if rejects == nil {
			rejects = []reject.Reject{}
		}
		golden.JSON(t, filepath.Join("testdata", "golden", strings.TrimSuffix(filepath.Base(s.path), ".csv")+".json"), struct {
			Stations []Station       `json:"stations"`
			Rejects  []reject.Reject `json:"rejects"`
		}{stations, rejects})
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range samples {
		f.Add(readFile(f, s.path))
	}
	f.Add([]byte(header + good))
	f.Add([]byte("wigos_station_identifier,station_name,latitude,longitude\n0-22000-0-7811080,A,-38,143\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		stations, rejects, err := Parse(data)
		if err != nil {
			if stations != nil || rejects != nil {
				t.Fatal("results returned with an error")
			}
			return
		}
		for _, s := range stations {
			if s.Latitude < -90 || s.Latitude > 90 || s.Longitude < -180 || s.Longitude > 180 {
				t.Fatalf("coordinates out of range: %+v", s)
			}
			if !ValidWIGOS(s.WIGOSID) || s.Name == "" || s.WMOIndex != "" && !isDigits(s.WMOIndex, 5) {
				t.Fatalf("bad identifiers: %+v", s)
			}
		}
		for _, r := range rejects {
			if r.Record < 1 || r.Reason == "" {
				t.Fatalf("bad reject %+v", r)
			}
		}
	})
}
