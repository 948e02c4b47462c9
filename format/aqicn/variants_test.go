package aqicn

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/bmkg/mkggraph/format/internal/fixture"
)

// TestExportVariants rewrites the real Jakarta export the ways other
// stations' exports differ: columns in another order or case, without the
// spaces, an unknown column, a subset of the pollutants, ISO dates, dashes
// for blanks. The days must be the sample's.
func TestExportVariants(t *testing.T) {
	fixNow(t)
	data := string(fixture.Read(t, samples[0].name))
	want, _, err := Parse([]byte(data))
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(data, "\n"), "\n")
	rewrite := func(f func(date, pm25, pm10 string) string) []byte {
		var b strings.Builder
		for _, line := range lines {
			v := strings.Split(line, ",")
			b.WriteString(f(v[0], v[1], v[2]) + "\n")
		}
		return []byte(b.String())
	}
	iso := func(d string) string {
		if t, err := time.Parse("2006/1/2", strings.TrimSpace(d)); err == nil {
			return t.Format(time.DateOnly)
		}
		return d
	}
	dash := func(v string) string {
		if strings.TrimSpace(v) == "" {
			return "-"
		}
		return v
	}
	variants := map[string]struct {
		data   []byte
		onlyPM string // the one column kept, or ""
	}{
		"reordered":        {rewrite(func(d, a, b string) string { return b + "," + d + "," + a }), ""},
		"upper, no spaces": {[]byte(strings.ReplaceAll(strings.Replace(data, "date, pm25, pm10", "Date,PM25,PM10", 1), ", ", ",")), ""},
		"unknown column":   {rewrite(func(d, a, b string) string { return d + "," + a + ", x," + b }), ""},
		"ISO dates":        {rewrite(func(d, a, b string) string { return iso(d) + "," + a + "," + b }), ""},
		"dashes":           {rewrite(func(d, a, b string) string { return d + "," + dash(a) + "," + dash(b) }), ""},
		"pm25 only":        {rewrite(func(d, a, _ string) string { return d + "," + a }), "pm25"},
		"pm10 only":        {rewrite(func(d, _, b string) string { return b + "," + d }), "pm10"},
	}
	for name, v := range variants {
		t.Run(name, func(t *testing.T) {
			if !Detect(v.data) {
				t.Error("Detect = false")
			}
			got, rejects, err := Parse(v.data)
			if err != nil {
				t.Fatal(err)
			}
			var w []string
			for _, d := range want {
				if s := dayString(d, v.onlyPM); s != "" {
					w = append(w, s)
				}
			}
			var g []string
			for _, d := range got {
				g = append(g, dayString(d, v.onlyPM))
			}
			for _, r := range rejects { // a subset leaves days with nothing
				if r.Reason != "no value" || v.onlyPM == "" {
					t.Errorf("reject %+v", r)
				}
			}
			if !slices.Equal(g, w) {
				t.Errorf("%d days, want %d; first %q want %q", len(g), len(w), g[:min(2, len(g))], w[:min(2, len(w))])
			}
		})
	}
}

// dayString writes a day's date, line and values; with only set, the day
// as an export of that one column would give it, or "" if it has none.
func dayString(d Day, only string) string {
	s := fmt.Sprintf("%s row %d", d.Date.Format(time.DateOnly), d.Row)
	n := 0
	for _, k := range pollutantColumns {
		if v, ok := d.AQI[k]; ok && (only == "" || k == only) {
			if v != nil {
				s += fmt.Sprintf(" %s=%d", k, *v)
				n++
			} else {
				s += " " + k + "=nil"
			}
		}
	}
	if n == 0 {
		return ""
	}
	return s
}
