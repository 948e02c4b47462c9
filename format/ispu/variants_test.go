package ispu

import (
	"encoding/csv"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/bmkg/mkggraph/format/internal/fixture"
)

// The tests in this file rewrite the real DKI1 file in the layouts of DKI's
// other yearly files and check that the same days come out. Every value is
// the sample's; only names, order, date form and missing markers change.

// sampleRecords returns the rows of the real file, header first.
func sampleRecords(t *testing.T) [][]string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(sampleDir, samples[0].name))
	if err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(strings.NewReader(string(data))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return recs
}

// relayout describes one yearly layout.
type relayout struct {
	header  []string // names for tanggal,stasiun,pm10,so2,co,o3,no2,max,critical,categori; "" drops it
	split   string   // "periode" (periode_data YYYYMM, bulan, day) or "tahun" (tahun, bulan name, day)
	date    func(time.Time) string
	station func(string) string
	missing string // written for an empty cell
	reverse bool   // columns in reverse order
	comma   rune
	extra   bool // an unknown column in front ("id")
}

func (l relayout) write(t *testing.T, recs [][]string) []byte {
	t.Helper()
	var out [][]string
	for i, rec := range recs {
		var row []string
		if l.extra {
			row = append(row, "id")
			if i > 0 {
				row[0] = fmt.Sprint(i)
			}
		}
		date, err := time.Parse("1/2/2006", rec[0])
		if i > 0 && err != nil {
			t.Fatal(err)
		}
		switch {
		case i == 0 && l.split == "periode":
			row = append(row, "periode_data", "bulan")
		case i == 0 && l.split == "tahun":
			row = append(row, "tahun", "bulan")
		case l.split == "periode":
			row = append(row, date.Format("200601"), fmt.Sprint(int(date.Month())))
		case l.split == "tahun":
			row = append(row, date.Format("2006"), monthNames[date.Month()-1])
		}
		for j, f := range rec {
			switch {
			case i == 0:
				f = l.header[j]
			case j == 0 && l.split != "":
				f = fmt.Sprint(date.Day())
			case j == 0 && l.date != nil:
				f = l.date(date)
			case j == 1 && l.station != nil:
				f = l.station(f)
			case f == "":
				f = l.missing
			}
			row = append(row, f)
		}
		if l.reverse {
			slices.Reverse(row)
		}
		out = append(out, row)
	}
	var b strings.Builder
	w := csv.NewWriter(&b)
	w.Comma = l.comma
	if err := w.WriteAll(out); err != nil {
		t.Fatal(err)
	}
	return []byte(b.String())
}

// dayText is a day with its values rather than pointers, for comparing.
func dayText(d Day) string {
	var sub []string
	for _, k := range pollutantColumns {
		if v, ok := d.SubIndex[k]; ok && v != nil {
			sub = append(sub, fmt.Sprintf("%s=%d", k, *v))
		}
	}
	max := "nil"
	if d.Max != nil {
		max = fmt.Sprint(*d.Max)
	}
	return fmt.Sprintf("%s %s row %d %v max %s %s %s %q", d.Date.Format(time.DateOnly), d.Station, d.Row, sub, max, d.Critical, d.Category, d.Notes)
}

func TestYearlyLayouts(t *testing.T) {
	fixNow(t)
	recs := sampleRecords(t)
	want, _, err := Parse(fixture.Read(t, samples[0].name))
	if err != nil {
		t.Fatal(err)
	}
	classic := []string{"tanggal", "stasiun", "pm10", "so2", "co", "o3", "no2", "max", "critical", "categori"}
	later := []string{"tanggal", "stasiun", "pm_sepuluh", "sulfur_dioksida", "karbon_monoksida", "ozon", "nitrogen_dioksida", "max", "parameter_pencemar_kritis", "kategori"}
	layouts := map[string]relayout{
		"ISO dates, --- for missing": {header: classic, date: func(d time.Time) string { return d.Format(time.DateOnly) }, missing: "---"},
		"dd/mm/yyyy dates":           {header: classic, date: func(d time.Time) string { return d.Format("02/01/2006") }},
		"d/m/yyyy, reversed, ;":      {header: classic, date: func(d time.Time) string { return d.Format("2/1/2006") }, reverse: true, comma: ';'},
		"upper-case names, id":       {header: []string{"Tanggal", "Stasiun", "PM10", "SO2", "CO", "O3", "NO2", "Max", "Critical", "Categori"}, extra: true},
		"2022 layout, periode_data": {header: later, split: "periode", missing: "---",
			station: func(s string) string { return strings.NewReplacer("(", "", ")", "").Replace(s) }},
		"tahun and month names": {header: later, split: "tahun", missing: "-", reverse: true,
			station: func(s string) string { return strings.ToUpper(s) }},
	}
	for name, l := range layouts {
		t.Run(name, func(t *testing.T) {
			if l.comma == 0 {
				l.comma = ','
			}
			data := l.write(t, recs)
			if !Detect(data) {
				t.Errorf("Detect = false on %q", data[:min(len(data), 120)])
			}
			got, rejects, err := Parse(data)
			if err != nil || len(rejects) != 0 || len(got) != len(want) {
				t.Fatalf("%d days, rejects %v, err %v", len(got), rejects[:min(len(rejects), 3)], err)
			}
			for i := range got {
				if g, w := dayText(got[i]), dayText(want[i]); g != w {
					t.Fatalf("day %d\n got %s\nwant %s", i, g, w)
				}
			}
		})
	}
}

func TestStationNames(t *testing.T) {
	for in, want := range map[string]string{
		"DKI1 (Bunderan HI)":               "DKI1|Bunderan HI",
		"DKI2 (Kelapa Gading)":             "DKI2|Kelapa Gading",
		"DKI5 (Kebon Jeruk) Jakarta Barat": "DKI5|Kebon Jeruk",
		"DKI5 Kebon Jeruk Jakarta Barat":   "DKI5|Kebon Jeruk Jakarta Barat",
		"DKI1 BUNDERAN HI":                 "DKI1|BUNDERAN HI",
		"dki3(Jagakarsa)":                  "DKI3|Jagakarsa",
		" DKI4 ":                           "DKI4|",
		"Bunderan HI":                      "Bunderan HI|",
		"Lubang Buaya (DKI4)":              "Lubang Buaya|DKI4",
	} {
		code, name := splitStation(in)
		if got := code + "|" + name; got != want {
			t.Errorf("splitStation(%q) = %s, want %s", in, got, want)
		}
	}
}

// TestSlashOrder: a file's slash dates are read in the order its own
// dates show; without evidence, month first as DKI publishes them.
func TestSlashOrder(t *testing.T) {
	fixNow(t)
	for _, c := range []struct {
		dates string
		want  string
	}{
		{"13/1/2010 2/1/2010", "2010-01-02 2010-01-13"},        // a day above 12 first: D/M
		{"1/13/2010 1/2/2010", "2010-01-02 2010-01-13"},        // M/D
		{"1/2/2010 3/4/2010", "2010-01-02 2010-03-04"},         // no evidence: M/D
		{"13/1/2010 1/13/2010", "2010-01-13 reject 13/1/2010"}, // both: M/D, the other rejected
	} {
		in := header
		for _, d := range strings.Fields(c.dates) {
			in += d + ",DKI1,1,1,1,1,1,1,PM10,BAIK\n"
		}
		days, rejects, err := Parse([]byte(in))
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, d := range days {
			got = append(got, d.Date.Format(time.DateOnly))
		}
		for _, r := range rejects {
			got = append(got, "reject "+strings.Split(r.Reason, `"`)[1])
		}
		if strings.Join(got, " ") != c.want {
			t.Errorf("%s: %v", c.dates, got)
		}
	}
}
