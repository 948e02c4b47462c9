package aqicn

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/bmkg/mkggraph/format/budget"
	"github.com/bmkg/mkggraph/format/internal/fixture"
)

var samples = []struct {
	name  string
	count int
}{
	{"aqicn-jakarta-central-us-consulate-daily-aqi.csv", 2497},
}

func fixNow(t *testing.T) {
	t.Helper()
	saved := now
	now = func() time.Time { return time.Date(2024, 6, 1, 20, 0, 0, 0, time.UTC) }
	t.Cleanup(func() { now = saved })
}

func TestJakartaSample(t *testing.T) {
	data := fixture.Read(t, samples[0].name)
	if !Detect(data[:40]) {
		t.Error("Detect = false")
	}
	days, rejects, err := Parse(data)
	if err != nil || len(rejects) != 0 || len(days) != samples[0].count {
		t.Fatalf("%d days, rejects %v, err %v", len(days), rejects, err)
	}
	// First and last days by date, found by hand in the unsorted file:
	// line 2452 "2015/7/16, , 62" and line 12 "2022/10/11, 119, ".
	checkDay(t, days[0], "2015-07-16", 2452, nil, ip(62))
	checkDay(t, days[len(days)-1], "2022-10-11", 12, ip(119), nil)
	var pm25, pm10, both int
	for i, d := range days {
		if i > 0 && !d.Date.After(days[i-1].Date) {
			t.Fatalf("not strictly ascending at %s", d.Date)
		}
		if len(d.AQI) != 2 {
			t.Fatalf("%s: %v", d.Date, d.AQI)
		}
		if d.AQI["pm25"] == nil {
			pm25++
		}
		if d.AQI["pm10"] == nil {
			pm10++
		}
		if d.AQI["pm25"] != nil && d.AQI["pm10"] != nil {
			both++
		}
	}
	if pm25 != 136 || pm10 != 1063 || both != 1298 {
		t.Errorf("missing pm25 %d, pm10 %d; both present %d", pm25, pm10, both)
	}
}

func ip(v int) *int { return &v }

func checkDay(t *testing.T, d Day, date string, row int, pm25, pm10 *int) {
	t.Helper()
	if d.Date.Format(time.RFC3339) != date+"T00:00:00Z" || d.Row != row {
		t.Errorf("%s: date %s row %d", date, d.Date.Format(time.RFC3339), d.Row)
	}
	for name, want := range map[string]*int{"pm25": pm25, "pm10": pm10} {
		got := d.AQI[name]
		if (got == nil) != (want == nil) || got != nil && *got != *want {
			t.Errorf("%s: %s = %v, want %v", date, name, got, want)
		}
	}
}

const header = "date, pm25, pm10\n"

func TestRows(t *testing.T) {
	fixNow(t)
	tests := []struct {
		row    string
		reject string // substring of the reason; "" = accepted
	}{
		{"2022/10/1, 86, ", ""},
		{"2022/10/1,86,12", ""},
		{"2022/10/01, 0, 999", ""},
		{"2024/6/2, 50, 50", ""}, // tomorrow in UTC: already today east of Greenwich
		{"2024/6/3, 50, 50", "future"},
		{"2022/2/29, 50, 50", "calendar date"},
		{"2022-10-01, 50, 50", ""},
		{"2022-10-01, 50.0, -", ""},
		{"2022-10/01, 50, 50", "YYYY/M/D"},
		{"10/1/2022, 50, 50", "YYYY/M/D"},
		{"2022/+1/1, 50, 50", "YYYY/M/D"},
		{"1970/1/1, 50, 50", "before 1980"},
		{"2022/10/1, 86", "2 fields"},
		{"2022/10/1, 86, 1, 2", "4 fields"},
		{"2022/10/1, -", "2 fields"},
		{"2022/10/1, eighty, 1", "pm25"},
		{"2022/10/1, 8.5, 1", "not an integer"},
		{"2022/10/1, 86, -1", "pm10: -1 outside"},
		{"2022/10/1, 1000, 1", "pm25: 1000 outside"},
		{"2022/10/1, , ", "no value"},
		{`2022/10/1, "86, 1`, "malformed CSV"},
	}
	for _, tt := range tests {
		days, rejects, err := Parse([]byte(header + tt.row + "\n"))
		if err != nil {
			t.Errorf("%s: %v", tt.row, err)
			continue
		}
		if tt.reject == "" {
			if len(days) != 1 || len(rejects) != 0 || len(days[0].AQI) != 2 {
				t.Errorf("%s: days %+v rejects %v", tt.row, days, rejects)
			}
			continue
		}
		if len(days) != 0 || len(rejects) != 1 || !strings.Contains(rejects[0].Reason, tt.reject) || rejects[0].Record != 2 {
			t.Errorf("%s: days %+v rejects %v; want a reject for %q", tt.row, days, rejects, tt.reject)
		}
	}
}

func TestOrderAndDuplicates(t *testing.T) {
	fixNow(t)
	in := header + "2022/10/3, 3, \n2022/10/1, 1, \n\n2022/10/2, 2, \n2022/10/01, 9, 9\n2022/10/3, 8, 8\r\n"
	days, rejects, err := Parse([]byte(in))
	if err != nil {
		t.Fatal(err)
	}
	if len(days) != 3 || *days[0].AQI["pm25"] != 1 || *days[1].AQI["pm25"] != 2 || *days[2].AQI["pm25"] != 3 || days[0].Row != 3 {
		t.Errorf("days %+v", days)
	}
	if len(rejects) != 2 || rejects[0].Record != 6 || rejects[1].Record != 7 || !strings.Contains(rejects[0].Reason, "line 3") {
		t.Errorf("rejects %v", rejects)
	}
}

func TestHeaders(t *testing.T) {
	fixNow(t)
	for _, h := range []string{"", "date\n", "pm25, pm10\n", "date, pm1, temp\n", "date, pm25, pm25\n", "tanggal,stasiun,pm10\n", "\"date\n"} {
		if days, rejects, err := Parse([]byte(h)); !errors.Is(err, ErrFormat) || days != nil || rejects != nil {
			t.Errorf("%q: %v", h, err)
		}
		if Detect([]byte(h)) {
			t.Errorf("Detect(%q) = true", h)
		}
	}
	in := "\xef\xbb\xbfdate, pm25, pm10, o3, no2, so2, co\n2021/1/1, 1, 2, 3, 4, 5, 6\n"
	days, rejects, err := Parse([]byte(in))
	if err != nil || len(rejects) != 0 || len(days) != 1 || len(days[0].AQI) != 6 || *days[0].AQI["co"] != 6 {
		t.Errorf("all columns: %+v %v %v", days, rejects, err)
	}
	if !Detect([]byte(in)) {
		t.Error("Detect(all columns) = false")
	}
	if _, _, err := Parse(make([]byte, MaxInputSize+1)); !errors.Is(err, budget.ErrTooLarge) {
		t.Errorf("large input: %v", err)
	}
}
