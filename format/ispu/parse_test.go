package ispu

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/bmkg/mkggraph/airquality"
	"github.com/bmkg/mkggraph/format/budget"
	"github.com/bmkg/mkggraph/format/internal/fixture"
)

const sampleDir = "testdata"

var samples = []struct {
	name  string
	count int
}{
	{"jakarta-ispu-dki1-bundaran-hi-2010-2021.csv", 4273},
}

func TestJakartaSample(t *testing.T) {
	data := fixture.Read(t, samples[0].name)
	if !Detect(data[:100]) {
		t.Error("Detect = false")
	}
	days, rejects, err := Parse(data)
	if err != nil || len(rejects) != 0 || len(days) != samples[0].count {
		t.Fatalf("%d days, rejects %v, err %v", len(days), rejects, err)
	}
	// First and last rows, read by hand from the file.
	checkDay(t, days[0], "2010-01-01", 2, map[string]int{"pm10": 60, "so2": 4, "co": 73, "o3": 27, "no2": 14}, 73, "CO", "SEDANG")
	checkDay(t, days[len(days)-1], "2021-12-31", 4274, map[string]int{"pm10": 62, "so2": 52, "co": 23, "o3": 20, "no2": 14}, 85, "PM25", "SEDANG")

	var missing, noted, below, catDis, critDis int
	for i, d := range days {
		if d.Station != "DKI1" || d.StationName != "Bunderan HI" || d.Row != i+2 {
			t.Fatalf("day %d: %q %q row %d", i, d.Station, d.StationName, d.Row)
		}
		for _, v := range d.SubIndex {
			if v == nil {
				missing++
			}
		}
		if len(d.Notes) > 0 {
			noted++
		}
		for _, n := range d.Notes {
			switch {
			case strings.Contains(n, "is below the"):
				below++
				if d.Date.Year() != 2020 || d.Date.Month() != time.November {
					t.Errorf("%s: max below a sub-index outside November 2020", d.Date)
				}
			case strings.HasPrefix(n, "category"):
				catDis++
			case strings.HasPrefix(n, "critical"):
				critDis++
			}
		}
	}
	// 102 pm10 + 65 so2 + 40 co + 93 o3 + 83 no2 empty cells. In November
	// 2020 the columns are shifted by one (a pm25 column inserted, max
	// dropped), so all 30 days have max below some sub-index.
	if missing != 383 || noted != 30 || below != 30 || catDis != 28 || critDis != 3 {
		t.Errorf("missing %d, noted %d, below %d, category %d, critical %d", missing, noted, below, catDis, critDis)
	}
	d := days[slices.IndexFunc(days, func(d Day) bool { return d.Row == 3849 })]
	want := []string{"max 11 is below the so2 sub-index 67", "category SEDANG disagrees with max 11 (BAIK)"}
	if !slices.Equal(d.Notes, want) {
		t.Errorf("row 3849 notes %q", d.Notes)
	}
}

func checkDay(t *testing.T, d Day, date string, row int, sub map[string]int, max int, crit, cat string) {
	t.Helper()
	if d.Date.Format(time.RFC3339) != date+"T00:00:00Z" || d.Row != row {
		t.Errorf("%s: date %s row %d", date, d.Date.Format(time.RFC3339), d.Row)
	}
	for k, v := range sub {
		if d.SubIndex[k] == nil || *d.SubIndex[k] != v {
			t.Errorf("%s: %s = %v, want %d", date, k, d.SubIndex[k], v)
		}
	}
	if len(d.SubIndex) != len(sub) || d.Max == nil || *d.Max != max || d.Critical != crit || d.Category != cat || len(d.Notes) != 0 {
		t.Errorf("%s: %+v", date, d)
	}
}

func fixNow(t *testing.T) {
	t.Helper()
	saved := now
	now = func() time.Time { return time.Date(2024, 6, 1, 20, 0, 0, 0, time.UTC) } // 2 June in Jakarta
	t.Cleanup(func() { now = saved })
}

const header = "tanggal,stasiun,pm10,so2,co,o3,no2,max,critical,categori\n"

func TestRows(t *testing.T) {
	fixNow(t)
	tests := []struct {
		row    string
		reject string // substring of the reason; "" = accepted
		notes  int
	}{
		{"1/1/2010,DKI1 (Bunderan HI),60,4,73,27,14,73,CO,SEDANG", "", 0},
		{"6/2/2024,DKI1 (Bunderan HI),60,4,73,27,14,73,CO,SEDANG", "", 0}, // today in Jakarta
		{"6/3/2024,DKI1 (Bunderan HI),60,4,73,27,14,73,CO,SEDANG", "future", 0},
		{"2/30/2010,DKI1,60,4,73,27,14,73,CO,SEDANG", "calendar date", 0},
		{"2010-01-01,DKI1,60,4,73,27,14,73,CO,SEDANG", "", 0},
		{"2010-01-01 00:00:00,DKI1,60,4,73,27,14,73,CO,SEDANG", "", 0},
		{"2010-1-1,DKI1,60,4,73,27,14,73,CO,SEDANG", "", 0},
		{"10-01-01,DKI1,60,4,73,27,14,73,CO,SEDANG", "M/D/YYYY", 0},
		{"1.1.2010,DKI1,60,4,73,27,14,73,CO,SEDANG", "M/D/YYYY", 0},
		{"1/1/10,DKI1,60,4,73,27,14,73,CO,SEDANG", "M/D/YYYY", 0},
		{"1/-1/2010,DKI1,60,4,73,27,14,73,CO,SEDANG", "M/D/YYYY", 0},
		{"1/1/1990,DKI1,60,4,73,27,14,73,CO,SEDANG", "before ISPU", 0},
		{"1/1/2010,,60,4,73,27,14,73,CO,SEDANG", "stasiun", 0},
		{"1/1/2010,DKI1,60,4,73,27,14,73,CO", "9 fields", 0},
		{"1/1/2010,DKI1,60,4,73,27,14,73,CO,SEDANG,x", "11 fields", 0},
		{"1/1/2010,DKI1,sixty,4,73,27,14,73,CO,SEDANG", "pm10", 0},
		{"1/1/2010,DKI1,60.5,4,73,27,14,73,CO,SEDANG", "not an integer", 0},
		{"1/1/2010,DKI1,---,4,73,27,14,73,CO,SEDANG", "", 0}, // dashes are missing
		{"1/1/2010,DKI1,-,4,73,27,14,73.0,CO,SEDANG", "", 0}, // a whole number with a point
		{"1/1/2010,DKI1,60.0.0,4,73,27,14,73,CO,SEDANG", "not an integer", 0},
		{"1/1/2010,DKI1,---,---,---,---,---,---,---,TIDAK ADA DATA", "no data: categori TIDAK ADA DATA", 0},
		{"1/1/2010,DKI1,60,4,73,27,14,73,CO,TIDAK ADA DATA", "TIDAK ADA DATA but max is 73", 0},
		{"1/1/2010,DKI1,60,4,73,27,14,---,---,TIDAK ADA DATA", "", 0}, // sub-indices without an index
		{"1/1/2010,DKI1,60,-4,73,27,14,73,CO,SEDANG", "so2: -4", 0},
		{"1/1/2010,DKI1,60,4,1073,27,14,73,CO,SEDANG", "co: 1073", 0},
		{"1/1/2010,DKI1,60,4,73,27,14,x,CO,SEDANG", "max", 0},
		{"1/1/2010,DKI1,60,4,73,27,14,73,CO2,SEDANG", "critical", 0},
		{"1/1/2010,DKI1,60,4,73,27,14,73,CO,LUMAYAN", "categori", 0},
		{"1/1/2010,DKI1,60,4,73,27,14,73,CO,", "categori: empty", 0},
		{"1/1/2010,DKI1,,,,,,,,", "no sub-index", 0},
		{`1/1/2010,"DKI1,60,4`, "malformed CSV", 0},
		{"1/1/2010,DKI1,60,4,73,27,14,73,PM2.5,SEDANG", "", 0},       // written PM25; no pm25 column to check
		{"1/1/2010,DKI1,60,4,73,27,14,90,PM25,SEDANG", "", 0},        // PM2.5 not in the file: max above every column
		{"1/1/2010,DKI1,60,4,73,27,14,60,CO,SEDANG", "", 2},          // max below co; critical co ≠ max
		{"1/1/2010,DKI1,60,4,73,27,14,73,CO,BAIK", "", 1},            // category disagrees
		{"1/1/2010,DKI1 , , , , , ,73,CO,sedang", "", 0},             // all sub-indices missing; lower-case category
		{"1/1/2010,DKI1,60,4,,27,14,,, ", "", 0},                     // no max: nothing to check
		{"1/1/2010,DKI1,1000,4,73,27,14,1000,PM10,BERBAHAYA", "", 0}, // the largest accepted
	}
	for _, tt := range tests {
		days, rejects, err := Parse([]byte(header + tt.row + "\n"))
		if err != nil {
			t.Errorf("%s: %v", tt.row, err)
			continue
		}
		if tt.reject == "" {
			if len(days) != 1 || len(rejects) != 0 || len(days[0].Notes) != tt.notes || strings.Contains(days[0].Critical, ".") {
				t.Errorf("%s: days %+v rejects %v", tt.row, days, rejects)
			}
			continue
		}
		if len(days) != 0 || len(rejects) != 1 || !strings.Contains(rejects[0].Reason, tt.reject) || rejects[0].Record != 2 {
			t.Errorf("%s: days %+v rejects %v; want a reject for %q", tt.row, days, rejects, tt.reject)
		}
	}
}

func TestDuplicatesAndOrder(t *testing.T) {
	fixNow(t)
	in := header +
		"1/3/2010,DKI2 (Kelapa Gading),1,1,1,1,1,1,PM10,BAIK\n" +
		"1/2/2010,DKI1,2,2,2,2,2,2,PM10,BAIK\n" +
		"\n" +
		"1/3/2010,DKI1,3,3,3,3,3,3,PM10,BAIK\n" +
		"01/02/2010,DKI1,4,4,4,4,4,4,PM10,BAIK\n" +
		"1/3/2010,DKI2,5,5,5,5,5,5,PM10,BAIK\r\n"
	days, rejects, err := Parse([]byte(in))
	if err != nil {
		t.Fatal(err)
	}
	var got []int
	for _, d := range days {
		got = append(got, d.Row)
	}
	if !slices.Equal(got, []int{3, 5, 2}) || len(rejects) != 2 || rejects[0].Record != 6 || rejects[1].Record != 7 {
		t.Errorf("rows %v rejects %v", got, rejects)
	}
	if days[2].Station != "DKI2" || days[2].StationName != "Kelapa Gading" {
		t.Errorf("station %+v", days[2])
	}
}

func TestHeaders(t *testing.T) {
	fixNow(t)
	bad := []string{
		"",
		"date,station,pm10\n",
		"tanggal,stasiun,pm10,so2,co,o3,no2,max,critical\n",       // no categori
		"tanggal,stasiun,max,critical,categori\n",                 // no pollutant
		"tanggal,stasiun,pm10,pm10,max,critical,categori\n",       // twice
		"tanggal,stasiun,pm10,pm_sepuluh,max,critical,categori\n", // the same pollutant twice
		"periode_data,bulan,stasiun,pm10,max,critical,categori\n", // no tanggal
		"\"tanggal,stasiun\n",
	}
	for _, h := range bad {
		if days, rejects, err := Parse([]byte(h)); !errors.Is(err, ErrFormat) || days != nil || rejects != nil {
			t.Errorf("%q: %v", h, err)
		}
	}
	for _, h := range bad[:2] {
		if Detect([]byte(h)) {
			t.Errorf("Detect(%q) = true", h)
		}
	}
	// The 2021 DKI layout has a pm25 column, upper case and a BOM are fine.
	in := "\xef\xbb\xbfTanggal,Stasiun,PM10,PM25,SO2,CO,O3,NO2,Max,Critical,Categori\n" +
		"12/31/2021,DKI1 (Bunderan HI),62,85,52,23,20,14,85,PM25,SEDANG\n"
	days, rejects, err := Parse([]byte(in))
	if err != nil || len(rejects) != 0 || len(days) != 1 || *days[0].SubIndex["pm25"] != 85 || len(days[0].Notes) != 0 {
		t.Errorf("pm25 layout: %+v %v %v", days, rejects, err)
	}
	if !Detect([]byte(in)) {
		t.Error("Detect(pm25 layout) = false")
	}
	if _, _, err := Parse(make([]byte, MaxInputSize+1)); !errors.Is(err, budget.ErrTooLarge) {
		t.Errorf("large input: %v", err)
	}
}

// TestCategoriesMatchDomain keeps this package's copy of the ISPU bands
// equal to package airquality's.
func TestCategoriesMatchDomain(t *testing.T) {
	for v := 0; v <= maxSubIndex; v++ {
		c, err := airquality.CategoryOf(v)
		if err != nil || c.Code != categoryOf(v) {
			t.Fatalf("ISPU %d: airquality %q, ispu %q", v, c.Code, categoryOf(v))
		}
	}
	for _, name := range criticalNames {
		if !slices.Contains(airquality.Pollutants, airquality.Pollutant(name)) {
			t.Errorf("%s is not an airquality pollutant", name)
		}
	}
	if len(criticalNames) != len(airquality.Pollutants) {
		t.Error("criticalNames and airquality.Pollutants differ")
	}
}
