package isd

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

const sample = "noaa-isd-history-indonesia-96xxx.csv"

func TestParseSample(t *testing.T) {
	stations, rejects, err := Parse(fixture.Read(t, sample))
	if err != nil {
		t.Fatal(err)
	}
	if len(stations) != 88 || len(rejects) != 0 {
		t.Fatalf("got %d stations, %d rejects %v; want 88, 0", len(stations), len(rejects), rejects)
	}
	byID := map[string]Station{}
	for _, s := range stations {
		byID[s.ID()] = s
	}

	// "967490","99999","SOEKARNO HATTA INTL","ID","","WIII","-06.126","+106.656","+0010.4","19850402","20180305"
	s := byID["967490-99999"]
	want := Station{
		USAF: "967490", WBAN: "99999", WMOIndex: "96749", ICAO: "WIII",
		Name: s.Name, Country: "ID",
		Latitude: ptr(-6.126), Longitude: ptr(106.656), Elevation: ptr(10.4),
		Begin: day(1985, 4, 2), End: day(2018, 3, 5),
	}
	checkStation(t, s, want)
	if !strings.Contains(s.Name, "SOEKARNO") {
		t.Errorf("967490 name = %q", s.Name)
	}

	// "967495","99999",...,"WIHH": last USAF digit 5, not WMO-based.
	if s := byID["967495-99999"]; s.WMOIndex != "" || s.ICAO != "WIHH" {
		t.Errorf("967495: WMOIndex %q ICAO %q; want none, WIHH", s.WMOIndex, s.ICAO)
	}
	// "967510",...,"-0999.9": missing elevation.
	if s := byID["967510-99999"]; s.Elevation != nil || s.WMOIndex != "96751" {
		t.Errorf("967510: elevation %v WMO %q; want nil, 96751", s.Elevation, s.WMOIndex)
	}
	// "965070","99999","BOGUS INDONESIA","ID","","","","","","19930501","19960909"
	s = byID["965070-99999"]
	checkStation(t, s, Station{USAF: "965070", WBAN: "99999", WMOIndex: "96507", Name: "BOGUS INDONESIA",
		Country: "ID", Begin: day(1993, 5, 1), End: day(1996, 9, 9)})
	// "965650",...,"+00.883","+112.933","+0000.0": a real zero elevation is kept.
	if s := byID["965650-99999"]; s.Elevation == nil || *s.Elevation != 0 {
		t.Errorf("965650 elevation = %v, want 0", s.Elevation)
	}
	// "960010","99999","MAIMUN SALEH","ID","","WIAA","+05.874","+095.340","+0113.0","19490101","20180305"
	checkStation(t, byID["960010-99999"], Station{USAF: "960010", WBAN: "99999", WMOIndex: "96001", ICAO: "WIAA",
		Name: "MAIMUN SALEH", Country: "ID", Latitude: ptr(5.874), Longitude: ptr(95.34), Elevation: ptr(113),
		Begin: day(1949, 1, 1), End: day(2018, 3, 5)})
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

func day(y int, m time.Month, d int) *time.Time {
	t := time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	return &t
}

func TestWMOFromUSAF(t *testing.T) {
	for usaf, want := range map[string]string{
		"967490": "96749", "010010": "01001", "722950": "72295", "744860": "74486",
		"967495": "", "999999": "", "990010": "", "007018": "", "000000": "",
		"690150": "", "720110": "", "721030": "", "960000": "", "A00023": "", "96749": "",
	} {
		if got := WMOFromUSAF(usaf); got != want {
			t.Errorf("WMOFromUSAF(%q) = %q, want %q", usaf, got, want)
		}
	}
}

const header = `"USAF","WBAN","STATION NAME","CTRY","STATE","ICAO","LAT","LON","ELEV(M)","BEGIN","END"` + "\n"
const good = `"967490","99999","SOEKARNO HATTA INTL","ID","","WIII","-06.126","+106.656","+0010.4","19850402","20180305"` + "\n"

func TestParseRejects(t *testing.T) {
	tests := []struct {
		name, row, reason string
	}{
		{"lat text", `"960010","99999","X","ID","","","north","+095.340","+0113.0","19490101","20180305"`, `LAT "north"`},
		{"lat range", `"960010","99999","X","ID","","","+95.874","+095.340","+0113.0","19490101","20180305"`, `LAT "+95.874"`},
		{"lon range", `"960010","99999","X","ID","","","+05.874","+195.340","+0113.0","19490101","20180305"`, `LON "+195.340"`},
		{"lat NaN", `"960010","99999","X","ID","","","NaN","+095.340","+0113.0","19490101","20180305"`, `LAT "NaN"`},
		{"lon only", `"960010","99999","X","ID","","","","+095.340","+0113.0","19490101","20180305"`, `only one is given`},
		{"elev text", `"960010","99999","X","ID","","","+05.874","+095.340","high","19490101","20180305"`, `ELEV(M) "high"`},
		{"bad begin", `"960010","99999","X","ID","","","+05.874","+095.340","+0113.0","19491301","20180305"`, `BEGIN "19491301"`},
		{"short end", `"960010","99999","X","ID","","","+05.874","+095.340","+0113.0","19490101","2018"`, `END "2018"`},
		{"end first", `"960010","99999","X","ID","","","+05.874","+095.340","+0113.0","20190101","20180305"`, `END 20180305 is before BEGIN 20190101`},
		{"usaf", `"96001","99999","X","ID","","","+05.874","+095.340","+0113.0","19490101","20180305"`, `USAF "96001"`},
		{"wban", `"960010","9999X","X","ID","","","+05.874","+095.340","+0113.0","19490101","20180305"`, `WBAN "9999X"`},
		{"fields", `"960010","99999","X"`, `row has 3 fields, header has 11`},
		{"quote", `"960010","99999","X"Y","ID","","","+05.874","+095.340","+0113.0","19490101","20180305"`, `malformed CSV`},
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

func TestParseMissingValues(t *testing.T) {
	rows := `"999999","03053","WBAN ONLY","US","TX","","+34.700","-100.000","+9999.0","","20100101"` + "\n" +
		`"007018","99999","WXPOD 7018","","","","+00.000","+000.000","-0999.0","20110309","20130730"` + "\n" +
		`"A00023","63890","WHITEHOUSE, FL","US","FL","KNEN","+30.350","-081.883","+0009.1","20060101","20180304"` + "\n"
	stations, rejects, err := Parse([]byte(header + rows))
	if err != nil || len(rejects) != 0 || len(stations) != 3 {
		t.Fatalf("Parse: %d stations, rejects %v, err %v", len(stations), rejects, err)
	}
	if s := stations[0]; s.Elevation != nil || s.Begin != nil || s.WMOIndex != "" || s.State != "TX" {
		t.Errorf("WBAN-only station: %+v", s)
	}
	if s := stations[1]; s.Latitude != nil || s.Longitude != nil || s.Elevation != nil || s.WMOIndex != "" {
		t.Errorf("0/0 station: %+v", s)
	}
	if s := stations[2]; s.Name != "WHITEHOUSE, FL" || s.ID() != "A00023-63890" || *s.Longitude != -81.883 {
		t.Errorf("lettered USAF station: %+v", s)
	}
}

func TestParseNotISD(t *testing.T) {
	for name, in := range map[string]string{
		"empty":  "",
		"wis2":   "station_name,wigos_station_identifier,latitude,longitude\nA,0-20000-0-15015,1,2\n",
		"tsv":    "code\tlatitude\tlongitude\televation\tlocation\tdatetime\n",
		"json":   `{"96001": {"kota": "Sabang", "lat": 5.8, "lon": 95.3}}`,
		"no lat": `"USAF","WBAN","STATION NAME","LON"` + "\n",
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
	if !Detect(fixture.Read(t, sample)[:512]) {
		t.Error("Detect(sample) = false")
	}
	if !Detect([]byte("\xef\xbb\xbfUSAF,WBAN,STATION NAME\n")) {
		t.Error("Detect(unquoted header with BOM) = false")
	}
	for _, in := range []string{"", "station_name,wigos_station_identifier\n", "code\tlatitude\n", "{}"} {
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
	f.Add([]byte(header + `"960010","99999","X"Y","ID","","","+05.874","+095.340","+0113.0","19490101","20180305"`))
	f.Add([]byte(`USAF,WBAN,STATION NAME,LAT,LON` + "\n" + `967490,99999,A,-6,106` + "\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		stations, rejects, err := Parse(data)
		if err != nil {
			if stations != nil || rejects != nil {
				t.Fatal("results returned with an error")
			}
			return
		}
		for _, s := range stations {
			if s.Latitude != nil && (*s.Latitude < -90 || *s.Latitude > 90) ||
				s.Longitude != nil && (*s.Longitude < -180 || *s.Longitude > 180) {
				t.Fatalf("coordinates out of range: %+v", s)
			}
			if s.WMOIndex != "" && (len(s.WMOIndex) != 5 || s.WMOIndex != s.USAF[:5]) {
				t.Fatalf("bad WMO index: %+v", s)
			}
		}
		for _, r := range rejects {
			if r.Record < 1 || r.Reason == "" {
				t.Fatalf("bad reject %+v", r)
			}
		}
	})
}
