package seismicsensors

import (
	"bytes"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/bmkg/mkggraph/format/budget"
	"github.com/bmkg/mkggraph/format/internal/fixture"
	"github.com/bmkg/mkggraph/format/reject"
	"github.com/bmkg/mkggraph/internal/golden"
)

const sample = "bmkg-seismic-sensors.tsv"

func TestParseSample(t *testing.T) {
	stations, rejects, err := Parse(fixture.Read(t, sample))
	if err != nil {
		t.Fatal(err)
	}
	if len(stations) != 1320 || len(rejects) != 0 {
		t.Fatalf("got %d stations, rejects %v; want 1320, none", len(stations), rejects)
	}
	// Line 2: AAFM	-8.2734	124.723	830.0	Station Type MR, Alor Selatan, Alor, NTT	2020-10-01T00:00:00
	checkStation(t, stations[0], Station{Code: "AAFM", Latitude: -8.2734, Longitude: 124.723, Elevation: ptr(830),
		StationType: "MR", Location: "Alor Selatan, Alor, NTT", Start: at("2020-10-01T00:00:00Z")})
	// Line 3: AAI	-3.687158	128.194313	100.0	Station LIBRA, Karang Panjang, Sirimau, Kota Ambon, Maluku	2006-01-01T00:00:00
	checkStation(t, stations[1], Station{Code: "AAI", Latitude: -3.687158, Longitude: 128.194313, Elevation: ptr(100),
		StationType: "LIBRA", Location: "Karang Panjang, Sirimau, Kota Ambon, Maluku", Start: at("2006-01-01T00:00:00Z")})
	// Line 4: the station type is not stated; "ex-CEA" stays in the text.
	checkStation(t, stations[2], Station{Code: "AAII", Latitude: -3.687158, Longitude: 128.194331, Elevation: ptr(100),
		Location: "Station ex-CEA, Karang Panjang, Sirimau, Kota Ambon, Maluku", Start: at("2006-12-01T00:00:00Z")})

	// CILJI has two epochs: a tide gauge with no elevation, then a
	// relocation with fractional seconds. Both rows are kept, in file order.
	var cilji []Station
	for _, s := range stations {
		if s.Code == "CILJI" {
			cilji = append(cilji, s)
		}
	}
	if len(cilji) != 2 {
		t.Fatalf("CILJI rows = %d, want 2", len(cilji))
	}
	checkStation(t, cilji[0], Station{Code: "CILJI", Latitude: -7.72497, Longitude: 109.02293,
		StationType: "Tide Gauge", Location: "", Start: at("2016-07-01T00:00:00Z")})
	checkStation(t, cilji[1], Station{Code: "CILJI", Latitude: -6.822, Longitude: 106.316, Elevation: ptr(332),
		Location: "Cibeber, Lebak, Banten", Start: at("2022-09-22T07:45:29.525Z")})

	counts := map[string]int{}
	codes := map[string]int{}
	for _, s := range stations {
		counts[s.StationType]++
		codes[s.Code]++
	}
	if codes["DJA"] != 3 || codes["LEM"] != 2 || codes["BBSI"] != 2 {
		t.Errorf("epochs DJA %d, LEM %d, BBSI %d; want 3, 2, 2", codes["DJA"], codes["LEM"], codes["BBSI"])
	}
	if counts["MR"] != 134 || counts["LIBRA"] != 3 || counts["Tide Gauge"] != 5 || counts["B"] == 0 || counts["A"] == 0 {
		t.Errorf("station types = %v", counts)
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

func at(s string) *time.Time {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		panic(err)
	}
	return &t
}

func TestSplitType(t *testing.T) {
	for loc, want := range map[string][2]string{
		"Station Type MR, Alor Selatan, Alor, NTT":           {"MR", "Alor Selatan, Alor, NTT"},
		"Type MR, Kota, Prov":                                {"MR", "Kota, Prov"},
		"Station Type A,Biau,Buol,Sulawesi Tengah":           {"A", "Biau,Buol,Sulawesi Tengah"},
		"Station Type B Wonosalam, Jombang":                  {"B", "Wonosalam, Jombang"},
		"station type b, x":                                  {"", "station type b, x"},
		"Station Type Bali, Indonesia":                       {"", "Station Type Bali, Indonesia"},
		"Station Type C":                                     {"C", ""},
		"Station LIBRA, Karang Panjang":                      {"LIBRA", "Karang Panjang"},
		"Station LIBRARY, Ambon":                             {"", "Station LIBRARY, Ambon"},
		"Tide Gauge network":                                 {"Tide Gauge", ""},
		"Tide Gauge, Cilacap":                                {"Tide Gauge", "Cilacap"},
		"Station Bau Bau, Buton":                             {"", "Station Bau Bau, Buton"},
		"BMG-Net, Indonesia (IA-Net)":                        {"", "BMG-Net, Indonesia (IA-Net)"},
		"":                                                   {"", ""},
		"Station ":                                           {"", "Station "},
		"Station Sorong, Indonesia (CTBTO AS042)":            {"", "Station Sorong, Indonesia (CTBTO AS042)"},
		"Station Type MR , Alor Selatan":                     {"MR", "Alor Selatan"},
		"Station Type MR":                                    {"MR", ""},
		"Station Type A, Arso ,Keerom,Papua":                 {"A", "Arso ,Keerom,Papua"},
		"Station Type B Rajabasa P. Sibesi, Lampung Selatan": {"B", "Rajabasa P. Sibesi, Lampung Selatan"},
	} {
		typ, rest := SplitType(loc)
		if typ != want[0] || rest != want[1] {
			t.Errorf("SplitType(%q) = %q, %q; want %q, %q", loc, typ, rest, want[0], want[1])
		}
	}
}

const header = "code\tlatitude\tlongitude\televation\tlocation\tdatetime\n"
const good = "AAFM\t-8.2734\t124.723\t830.0\tStation Type MR, Alor Selatan, Alor, NTT\t2020-10-01T00:00:00\n"

func TestParseRejects(t *testing.T) {
	tests := []struct{ name, row, reason string }{
		{"lat text", "X\tselatan\t124.7\t1\tA\t2020-10-01T00:00:00", `latitude "selatan"`},
		{"lat range", "X\t-98.2\t124.7\t1\tA\t2020-10-01T00:00:00", `latitude "-98.2"`},
		{"lat empty", "X\t\t124.7\t1\tA\t2020-10-01T00:00:00", `latitude ""`},
		{"lon range", "X\t-8.2\t324.7\t1\tA\t2020-10-01T00:00:00", `longitude "324.7"`},
		{"lon nan", "X\t-8.2\tNaN\t1\tA\t2020-10-01T00:00:00", `longitude "NaN"`},
		{"elevation", "X\t-8.2\t124.7\t830 m\tA\t2020-10-01T00:00:00", `elevation "830 m"`},
		{"date", "X\t-8.2\t124.7\t1\tA\t2020-13-01T00:00:00", `datetime "2020-13-01T00:00:00"`},
		{"date text", "X\t-8.2\t124.7\t1\tA\tOktober 2020", `datetime "Oktober 2020"`},
		{"code", "\t-8.2\t124.7\t1\tA\t2020-10-01T00:00:00", `code ""`},
		{"code space", "AA FM\t-8.2\t124.7\t1\tA\t2020-10-01T00:00:00", `code "AA FM"`},
		{"fields", "X\t-8.2\t124.7", `row has 3 fields, want 6`},
		{"extra", "X\t-8.2\t124.7\t1\tA\t2020-10-01T00:00:00\tmore", `row has 7 fields, want 6`},
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

func TestParseOtherLayouts(t *testing.T) {
	// Headerless, CRLF, empty elevation and datetime, a zoned datetime.
	in := "AAFM\t-8.2734\t124.723\t\tStation Type MR, Alor\t\r\n\r\n" +
		"LEM\t-6.82325\t107.6143\t1200.0\tStation Lembang, Indonesia\t2010-09-29 16:55:00+07:00\r\n"
	stations, rejects, err := Parse([]byte(in))
	if err != nil || len(rejects) != 0 || len(stations) != 2 {
		t.Fatalf("headerless: %v, rejects %v, %d stations", err, rejects, len(stations))
	}
	checkStation(t, stations[0], Station{Code: "AAFM", Latitude: -8.2734, Longitude: 124.723, StationType: "MR", Location: "Alor"})
	checkStation(t, stations[1], Station{Code: "LEM", Latitude: -6.82325, Longitude: 107.6143, Elevation: ptr(1200),
		Location: "Station Lembang, Indonesia", Start: at("2010-09-29T09:55:00Z")})

	// Reordered header with aliases and no location column.
	in = "datetime\tsta\tlat\tlon\televation(m)\n2019-01-01\tALTI\t-8.29069\t125.12517\t13.0\n"
	stations, rejects, err = Parse([]byte(in))
	if err != nil || len(rejects) != 0 || len(stations) != 1 {
		t.Fatalf("reordered: %v, rejects %v, %d stations", err, rejects, len(stations))
	}
	checkStation(t, stations[0], Station{Code: "ALTI", Latitude: -8.29069, Longitude: 125.12517, Elevation: ptr(13),
		Start: at("2019-01-01T00:00:00Z")})
}

func TestParseNotSensorList(t *testing.T) {
	for name, in := range map[string]string{
		"empty":  "",
		"blank":  "\n\n",
		"isd":    `"USAF","WBAN","STATION NAME","CTRY","STATE","ICAO","LAT","LON","ELEV(M)","BEGIN","END"` + "\n",
		"wis2":   "station_name,wigos_station_identifier,latitude,longitude\nA,0-20000-0-15015,1,2\n",
		"json":   `{"96001": {"kota": "Sabang", "lat": 5.8, "lon": 95.3}}`,
		"no lon": "code\tlatitude\televation\n",
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
	if !Detect(fixture.Read(t, sample)[:400]) {
		t.Error("Detect(sample) = false")
	}
	if !Detect([]byte(good)) {
		t.Error("Detect(headerless row) = false")
	}
	for _, in := range []string{"", `"USAF","WBAN","LAT","LON"`, "station_name,wigos_station_identifier,latitude,longitude\n", "{}",
		"a\tb\tc\n"} {
		if Detect([]byte(in)) {
			t.Errorf("Detect(%q) = true", in)
		}
	}
}

func TestGolden(t *testing.T) {
	stations, rejects, err := Parse(fixture.Read(t, sample))
	if err != nil {
		t.Fatal(err)
	}
	if rejects == nil {
		rejects = []reject.Reject{}
	}
	golden.JSON(t, golden.PathOf(sample), struct {
		Stations []Station       `json:"stations"`
		Rejects  []reject.Reject `json:"rejects"`
	}{stations, rejects})
}

func FuzzParse(f *testing.F) {
	f.Add(fixture.Read(f, sample))
	f.Add([]byte(header + good))
	f.Add([]byte(good))
	f.Add([]byte("datetime\tsta\tlat\tlon\n2019-01-01T00:00:00.5+07:00\tA\t1e1\t-0\n"))
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
			if !validCode(s.Code) {
				t.Fatalf("bad code: %+v", s)
			}
		}
		for _, r := range rejects {
			if r.Record < 1 || r.Reason == "" {
				t.Fatalf("bad reject %+v", r)
			}
		}
	})
}
