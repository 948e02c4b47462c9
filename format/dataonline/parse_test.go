package dataonline

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/bmkg/mkggraph/format/budget"
	"github.com/bmkg/mkggraph/format/internal/fixture"
	"github.com/bmkg/mkggraph/format/reject"
)

const (
	banten   = "bmkg-dataonline-96733-klimatologi-banten-202309.xlsx"
	paotere  = "bmkg-dataonline-97182-maritim-paotere-RR-202011-202101.xlsx"
	semarang = "semarang-bmkg-daily-2017-2023-processed.csv"
)

var samples = []struct {
	name          string
	days, rejects int
}{
	{banten, 31, 0},
	{paotere, 62, 0},
	{semarang, 2507, 18},
}

// testToday fixes the clock, so that the future-date rule does not make
// the tests depend on the day they run.
var testToday = time.Date(2024, 6, 15, 0, 0, 0, 0, time.UTC)

func mustParse(t *testing.T, data []byte) *File {
	t.Helper()
	f, err := parse(data, testToday, defaultLimits())
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func TestSampleCounts(t *testing.T) {
	for _, s := range samples {
		data := fixture.Read(t, s.name)
		if !Detect(data) {
			t.Errorf("%s: Detect = false", s.name)
		}
		f, err := Parse(data) // the real clock: all samples are in the past
		if err != nil {
			t.Fatalf("%s: %v", s.name, err)
		}
		if len(f.Days) != s.days || len(f.Rejects) != s.rejects {
			t.Errorf("%s: %d days, %d rejects; want %d, %d", s.name, len(f.Days), len(f.Rejects), s.days, s.rejects)
		}
	}
}

func TestBanten(t *testing.T) {
	f := mustParse(t, fixture.Read(t, banten))
	checkStation(t, f.Station, "96733", "Stasiun Klimatologi Banten", -6.26151, 106.75084, 27)
	if f.Format != "xlsx" || len(f.Days[0].Present) != 10 {
		t.Errorf("format %q, present %v", f.Format, f.Days[0].Present)
	}
	// Row 10 of the sheet: 01-09-2023 24 34.1 28.4 78 (RR empty) 5.3 5 10 2 "E ".
	want := "2023-09-01 row 10 | Tn 24 | Tx 34.1 | Tavg 28.4 | RH_avg 78 | RR MISSING | ss 5.3 | ff_x 5 | ddd_x 10 | ff_avg 2 | ddd_car E"
	if got := dayLine(f.Days[0]); got != want {
		t.Errorf("first day\n got %s\nwant %s", got, want)
	}
	want = "2023-10-01 row 40 | Tn 25 | Tx 34 | Tavg 29.1 | RH_avg 76 | RR MISSING | ss 9.6 | ff_x 4 | ddd_x 20 | ff_avg 2 | ddd_car N"
	if got := dayLine(f.Days[30]); got != want {
		t.Errorf("last day\n got %s\nwant %s", got, want)
	}
}

func TestPaotere(t *testing.T) {
	f := mustParse(t, fixture.Read(t, paotere))
	checkStation(t, f.Station, "97182", "Stasiun Meteorologi Maritim Paotere", -5.11375, 119.41983, 5)
	if p := f.Days[0].Present; len(p) != 1 || p[0] != "RR" {
		t.Errorf("present %v", p)
	}
	var trace []string
	for _, d := range f.Days {
		if d.RR.Flag == FlagNotMeasurable {
			trace = append(trace, d.Date.Format("2006-01-02"))
		}
		if d.Tn.Flag != FlagMissing || d.DDDCarFlag != FlagMissing {
			t.Errorf("row %d: a column the file lacks is not MISSING", d.Row)
		}
	}
	if got := strings.Join(trace, " "); got != "2020-11-23 2020-12-10 2020-12-12 2020-12-26 2021-01-13" {
		t.Errorf("8888 days: %s", got)
	}
	// 34.299999999999997 in the sheet is Excel's float for 34.3.
	if d := f.Days[39]; d.Date.Format("02-01-2006") != "29-12-2020" || *d.RR.V != 34.3 {
		t.Errorf("%v %v", d.Date, d.RR)
	}
	if last := f.Days[61]; last.Date.Format("02-01-2006") != "20-01-2021" || last.RR.Flag != FlagMissing || last.Row != 71 {
		t.Errorf("last day %+v", last)
	}
}

func TestSemarang(t *testing.T) {
	f := mustParse(t, fixture.Read(t, semarang))
	if f.Format != "csv" || f.Station.WMO != "" || f.Station.Latitude != nil {
		t.Errorf("format %q station %+v", f.Format, f.Station)
	}
	want := "2017-02-01 row 2 | Tn 25 | Tx 30.8 | Tavg 26.2 | RH_avg 86 | RR 4 | ss 5.3 | ff_x 6 | ddd_x 315 | ff_avg 4 | ddd_car NW"
	if got := dayLine(f.Days[0]); got != want {
		t.Errorf("first day\n got %s\nwant %s", got, want)
	}
	// "C " with its trailing space is calm.
	want = "2023-12-30 row 2525 | Tn 24.2 | Tx 33.2 | Tavg 30 | RH_avg 74 | RR 97.8 | ss 8.4 | ff_x 5 | ddd_x 350 | ff_avg 2 | ddd_car C"
	if got := dayLine(f.Days[len(f.Days)-2]); got != want {
		t.Errorf("last day\n got %s\nwant %s", got, want)
	}
	if r := f.Rejects[0]; r.Record != 19 || r.Reason != "ddd_x 370.0 is outside 0..360 °" {
		t.Errorf("first reject %+v", r)
	}
	if r := f.Rejects[17]; r.Record != 620 || r.Reason != "Tx 3.6 is below Tn 20.8" {
		t.Errorf("last reject %+v", r)
	}
}

func checkStation(t *testing.T, s Station, wmo, name string, lat, lon, elev float64) {
	t.Helper()
	if s.WMO != wmo || s.Name != name || s.Latitude == nil || *s.Latitude != lat ||
		s.Longitude == nil || *s.Longitude != lon || s.ElevationM == nil || *s.ElevationM != elev {
		t.Errorf("station %+v", s)
	}
}

const csvHeader = ",Tanggal,Tn,Tx,Tavg,RH_avg,RR,ss,ff_x,ddd_x,ff_avg,ddd_car\n"

func TestCSVRejects(t *testing.T) {
	data := csvHeader +
		"0,2020-01-01,24.0,31.0,27.0,80.0,8888.0,5.0,4.0,90.0,2.0,E \n" + // 2: good, trace rain
		"1,2020-01-02,24.0,31.0,27.0,80.0,,9999,4.0,90.0,2.0,\n" + // 3: good, missing and no data
		"2,2020-01-03,24.0,\"31.0,27.0,80.0,0,5,4,90,2,E\n" + // 4: garbled quote
		"3,2020-01-04,24.0,31.0\n" + // 5: too few fields
		"4,2020-01-32,24.0,31.0,27.0,80.0,0,5,4,90,2,E\n" + // 6: no such date
		"5,2099-01-05,24.0,31.0,27.0,80.0,0,5,4,90,2,E\n" + // 7: future
		"6,2020-01-01,24.0,31.0,27.0,80.0,0,5,4,90,2,E\n" + // 8: duplicate of line 2
		"7,2020-01-08,24.0,31.0,27.0,180.0,-1,25,4,400,2,NNE\n" + // 9: RH, RR, ss, ddd_x, ddd_car
		"8,2020-01-09,60.0,31.0,27.0,80.0,0,5,4,90,2,E\n" + // 10: Tn too high, and above Tx
		"9,2020-01-10,24.0,31.0,27.0,80.0,abc,5,4,90,2,E\n" + // 11: not a number
		"10,2020-01-11,24.0,31.0,27.0,80.0,NaN,5,0x1p3,90,2,E\n" + // 12: NaN and hex are not numbers
		"11,,24.0,31.0,27.0,80.0,0,5,4,90,2,E\n" + // 13: no date
		"\n" +
		"12,2020-01-12,24.0,31.0,27.0,80.0,0,5,4,90,2,C\n" // 15: good
	f := mustParse(t, []byte(data))
	if len(f.Days) != 3 {
		t.Errorf("%d days: %+v", len(f.Days), f.Days)
	}
	want := map[int]string{
		4:  "line cannot be split into fields",
		5:  "4 fields, the header has 12",
		6:  `Tanggal "2020-01-32" is not a date`,
		7:  "Tanggal 2099-01-05 is in the future",
		8:  "Tanggal 2020-01-01 is a duplicate of row 2",
		9:  `RH_avg 180.0 is outside 0..100 %; RR -1 is outside 0..1000 mm; ss 25 is outside 0..24 h; ddd_x 400 is outside 0..360 °; ddd_car "NNE" is not a compass direction`,
		10: "Tn 60.0 is outside -30..50 °C",
		11: `RR "abc" is not a number`,
		12: `RR "NaN" is not a number; ff_x "0x1p3" is not a number`,
		13: "Tanggal is empty",
	}
	checkRejects(t, f.Rejects, want)
	d := f.Days[1]
	if d.RR.Flag != FlagMissing || d.SS.Flag != FlagNoData || d.SS.V != nil || d.DDDCarFlag != FlagMissing {
		t.Errorf("flags of line 3: %+v", d)
	}
	if f.Days[0].RR.Flag != FlagNotMeasurable || f.Days[0].DDDCar != "E" {
		t.Errorf("line 2: %+v", f.Days[0])
	}
}

func checkRejects(t *testing.T, got []reject.Reject, want map[int]string) {
	t.Helper()
	if len(got) != len(want) {
		t.Errorf("%d rejects, want %d: %+v", len(got), len(want), got)
	}
	for _, r := range got {
		if w, ok := want[r.Record]; !ok || !strings.HasPrefix(r.Reason, w) {
			t.Errorf("row %d: %q, want %q", r.Record, r.Reason, w)
		}
	}
}

func TestTxBelowTnAndFutureEdge(t *testing.T) {
	data := "Tanggal,Tn,Tx\n" +
		"15-06-2024,24,20\n" + // Tx below Tn
		"16-06-2024,24,30\n" + // tomorrow: allowed (a day ahead of UTC in Indonesia)
		"17-06-2024,24,30\n" // two days ahead
	f := mustParse(t, []byte(data))
	checkRejects(t, f.Rejects, map[int]string{2: "Tx 20 is below Tn 24", 4: "Tanggal 2024-06-17 is in the future"})
	if len(f.Days) != 1 || f.Days[0].Row != 3 {
		t.Errorf("days %+v", f.Days)
	}
}

func TestHeaderErrors(t *testing.T) {
	for _, c := range []struct{ data, want string }{
		{"Tanggal,Tn,Tavg (°F)\n01-01-2020,1,2\n", `column "Tavg (°F)": unit °F, expected °C`},
		{"Tanggal,ff_x [km/h]\n01-01-2020,1\n", `column "ff_x [km/h]": unit km/h`},
		{"Date,Tn,Tx\n2020-01-01,1,2\n", "no header row with a Tanggal column"},
		{"Tanggal,Remarks\n2020-01-01,x\n", "names no parameter"},
		{"Tanggal,RR,RR\n2020-01-01,1,2\n", "two RR columns"},
		{"Tanggal,\"RR\n", "no header row"},
		{"\x00\xff\xfe", "neither an xlsx workbook nor UTF-8 CSV"},
		{"", "no header row"},
	} {
		_, err := parse([]byte(c.data), testToday, defaultLimits())
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%q: error %v, want %q", c.data, err, c.want)
		}
	}
}

func TestHeaderUnitsAccepted(t *testing.T) {
	data := "Tanggal;Tavg (°C);RR (mm);ss (jam);ff_avg (m/s);ddd_car (°);Catatan\n2020-01-01;27,5;0;5;2;C ;ok\n"
	// A semicolon CSV with the decimal comma of an Indonesian locale.
	f := mustParse(t, []byte(data))
	if len(f.Days) != 1 || *f.Days[0].Tavg.V != 27.5 || f.Days[0].DDDCar != "C" || len(f.Days[0].Present) != 5 {
		t.Errorf("%+v %+v", f.Days, f.Rejects)
	}
}

func TestDetect(t *testing.T) {
	for _, c := range []struct {
		data string
		want bool
	}{
		{csvHeader, true},
		{"\uFEFFTanggal;RR\r\n", true},
		{"Tanggal,Remarks\n", false},
		{"time,temp\n", false},
		{"PK\x03\x04garbage", false},
		{"", false},
	} {
		if got := Detect([]byte(c.data)); got != c.want {
			t.Errorf("Detect(%q) = %v", c.data, got)
		}
	}
	if data := fixture.Read(t, semarang); !Detect(data[:100]) {
		t.Error("Detect on the first 100 bytes of the CSV = false")
	}
}

func TestSerialDate(t *testing.T) {
	for _, c := range []struct {
		serial string
		d1904  bool
		want   string
	}{
		{"1", false, "1900-01-01"},
		{"59", false, "1900-02-28"},
		{"61", false, "1900-03-01"},
		{"45170", false, "2023-09-01"},
		{"45170.75", false, "2023-09-01"},
		{"0", true, "1904-01-01"},
		{"43708", true, "2023-09-01"},
		{"60", false, "error"},
		{"0", false, "error"},
		{"-1", true, "error"},
		{"3e6", false, "error"},
	} {
		got, err := serialDate(c.serial, c.d1904)
		s := got.Format("2006-01-02")
		if err != nil {
			s = "error"
		}
		if s != c.want {
			t.Errorf("serial %s (1904 %v) = %s, want %s", c.serial, c.d1904, s, c.want)
		}
	}
}

func TestIsDecimal(t *testing.T) {
	for s, want := range map[string]bool{
		"1": true, "-1.5": true, "+2": true, ".5": true, "5.": true, "1e3": true, "1E-3": true,
		"": false, ".": false, "-": false, "1e": false, "NaN": false, "Inf": false, "0x10": false,
		"1_000": false, "1.2.3": false, "1e3e4": false, "--1": false, "1,5": false,
	} {
		if isDecimal(s) != want {
			t.Errorf("isDecimal(%q) = %v", s, !want)
		}
	}
}

func TestCSVLimits(t *testing.T) {
	lim := defaultLimits()
	lim.rows = 3
	if _, err := parse([]byte("Tanggal,RR\n\n\n\n"), testToday, lim); err == nil || !strings.Contains(err.Error(), "more than 3 lines") {
		t.Errorf("error %v", err)
	}
	big := make([]byte, MaxInputSize+1)
	if _, err := Parse(big); !errors.Is(err, budget.ErrTooLarge) || !strings.Contains(err.Error(), "more than the 33554432 allowed") {
		t.Errorf("error %v", err)
	}
	if Detect(big) {
		t.Error("Detect on an oversized input")
	}
}

// TestCSVSavedFromExport reads an export saved as CSV from a spreadsheet:
// the station block and legend come along, and rows are not padded.
func TestCSVSavedFromExport(t *testing.T) {
	data := ",ID WMO,:  96733\r\n,Nama Stasiun,:  Stasiun Klimatologi Banten\r\n,Lintang,:  -6.26151\r\n\r\n" +
		"Tanggal,Tn,Tx,RR\r\n01-09-2023,24,34.1,\r\n02-09-2023,24.2,34.4,8888\r\n03-09-2023,24.8\r\n" +
		"\r\nKeterangan :\r\n8888: data tidak terukur\r\n"
	if !Detect([]byte(data)) {
		t.Error("Detect = false")
	}
	f := mustParse(t, []byte(data))
	if len(f.Days) != 2 || f.Station.WMO != "96733" || *f.Station.Latitude != -6.26151 || f.Station.Longitude != nil {
		t.Errorf("days %+v station %+v", f.Days, f.Station)
	}
	checkRejects(t, f.Rejects, map[int]string{8: "2 fields, the header has 4"})
}
