package aqicn

import (
	"testing"

	"github.com/bmkg/mkggraph/format/internal/fixture"
)

// FuzzParse checks that no input makes Parse panic, and that whatever it
// accepts is within the ranges it promises.
func FuzzParse(f *testing.F) {
	for _, s := range samples {
		data := fixture.Read(f, s.name)
		f.Add(data[:1000])
	}
	f.Add([]byte(header + "2022/10/3, 3, \n2022/10/1, 1, \n2022/10/01, 9, 9\n2015/9/19, , 86"))
	f.Add([]byte("date, pm25, pm10, o3, no2, so2, co\n2021/1/1, 1, 2, 3, 4, 5, 6\n"))
	f.Add([]byte("PM10,Date,x,pm2.5\n57.0,2021-01-01,a,-\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		Detect(data)
		days, rejects, err := Parse(data)
		if err != nil && (days != nil || rejects != nil) {
			t.Fatalf("error %v returned with results", err)
		}
		latest := tomorrow()
		for i, d := range days {
			if d.Date.Location().String() != "UTC" || d.Date.Hour() != 0 || d.Date.After(latest) || d.Date.Year() < 1980 {
				t.Fatalf("bad date %v", d.Date)
			}
			if i > 0 && !d.Date.After(days[i-1].Date) {
				t.Fatal("days not strictly ascending")
			}
			n := 0
			for _, v := range d.AQI {
				if v != nil {
					n++
					if *v < 0 || *v > maxAQI {
						t.Fatalf("AQI %d out of range", *v)
					}
				}
			}
			if n == 0 {
				t.Fatal("day without a value")
			}
		}
	})
}
