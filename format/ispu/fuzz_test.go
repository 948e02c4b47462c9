package ispu

import (
	"slices"
	"testing"

	"github.com/bmkg/mkggraph/format/internal/fixture"
)

// FuzzParse checks that no input makes Parse panic, and that whatever it
// accepts is within the ranges it promises.
func FuzzParse(f *testing.F) {
	for _, s := range samples {
		data := fixture.Read(f, s.name)
		f.Add(data[:2000])
	}
	f.Add([]byte(header + "11/1/2020,DKI1 (Bunderan HI),49,67,18,10,40,11,PM25,SEDANG\n1/1/2010,DKI1,,,,,,,,\n"))
	f.Add([]byte("Tanggal,Stasiun,PM10,PM25,SO2,CO,O3,NO2,Max,Critical,Categori\n12/31/2021,DKI1 (Bunderan HI),62,85,52,23,20,14,85,PM2.5,SEDANG\n"))
	f.Add([]byte("periode_data,bulan,tanggal,stasiun,pm_sepuluh,pm_duakomalima,sulfur_dioksida,karbon_monoksida,ozon,nitrogen_dioksida,max,parameter_pencemar_kritis,kategori\n" +
		"202011,11,1,DKI1 Bunderan HI,49,---,67,18,10,40,11,PM25,SEDANG\n202011,Desember,2,DKI5 (Kebon Jeruk) Jakarta Barat,---,---,---,---,---,---,---,---,TIDAK ADA DATA\n"))
	f.Add([]byte("tanggal;stasiun;pm10;max;critical;categori\n13/1/2010;DKI1;60;60;PM10;SEDANG\n2010-01-02;DKI1;-;60.0;PM10;SEDANG\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		Detect(data)
		days, rejects, err := Parse(data)
		if err != nil && (days != nil || rejects != nil) {
			t.Fatalf("error %v returned with results", err)
		}
		today := jakartaToday()
		seen := map[key]bool{}
		for i, d := range days {
			if d.Date.Location().String() != "UTC" || d.Date.Hour() != 0 || d.Date.After(today) || d.Date.Year() < 1997 {
				t.Fatalf("bad date %v", d.Date)
			}
			if i > 0 && d.Date.Before(days[i-1].Date) {
				t.Fatal("days not sorted")
			}
			if k := (key{d.Station, d.Date}); d.Station == "" || seen[k] {
				t.Fatalf("empty or duplicate station %q", d.Station)
			} else {
				seen[k] = true
			}
			for _, v := range append(slices.Collect(mapValues(d.SubIndex)), d.Max) {
				if v != nil && (*v < 0 || *v > maxSubIndex) {
					t.Fatalf("index %d out of range", *v)
				}
			}
			if (d.Max != nil && d.Category == "") || (d.Category != "" && !validCategory(d.Category)) {
				t.Fatalf("category %q for max %v", d.Category, d.Max)
			}
			if d.Critical != "" && !slices.Contains(criticalNames, d.Critical) {
				t.Fatalf("critical %q", d.Critical)
			}
		}
	})
}

func mapValues(m map[string]*int) func(func(*int) bool) {
	return func(yield func(*int) bool) {
		for _, v := range m {
			if !yield(v) {
				return
			}
		}
	}
}

func validCategory(code string) bool {
	for _, c := range categories {
		if c.code == code {
			return true
		}
	}
	return false
}
