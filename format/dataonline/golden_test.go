package dataonline

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/bmkg/mkggraph/format/internal/fixture"
	"github.com/bmkg/mkggraph/format/reject"
	"github.com/bmkg/mkggraph/internal/golden"
)

// goldenFile is what a golden file holds: the complete result of Parse, with
// each day on one line so that a 2,500-day file stays reviewable.
type goldenFile struct {
	Format  string
	Station Station
	Present []string
	Days    []string
	Rejects []reject.Reject
}

func TestGolden(t *testing.T) {
	for _, s := range samples {
		t.Run(s.name, func(t *testing.T) {
			f, err := parse(fixture.Read(t, s.name), testToday, defaultLimits())
			if err != nil {
				t.Fatal(err)
			}
			golden.JSON(t, golden.PathOf(s.name), toGolden(t, f))
		})
	}
}

func toGolden(t *testing.T, f *File) goldenFile {
	g := goldenFile{Format: f.Format, Station: f.Station, Days: []string{}, Rejects: f.Rejects}
	for _, d := range f.Days {
		if g.Present == nil {
			g.Present = d.Present
		}
		if !slices.Equal(d.Present, g.Present) {
			t.Errorf("row %d: Present %v, first day has %v", d.Row, d.Present, g.Present)
		}
		g.Days = append(g.Days, dayLine(d))
	}
	return g
}

// dayLine writes a day as "2023-09-01 row 10 | Tn 24 | RR MISSING | ...",
// listing only the parameters the file has.
func dayLine(d Day) string {
	parts := []string{fmt.Sprintf("%s row %d", d.Date.Format("2006-01-02"), d.Row)}
	for i := range compass {
		if slices.Contains(d.Present, params[i].name) {
			parts = append(parts, params[i].name+" "+valueText(*d.value(i)))
		}
	}
	if slices.Contains(d.Present, "ddd_car") {
		car := string(d.DDDCarFlag)
		if car == "" {
			car = d.DDDCar
		}
		parts = append(parts, "ddd_car "+car)
	}
	return strings.Join(parts, " | ")
}

func valueText(v Value) string {
	if v.Flag != FlagValue {
		return string(v.Flag)
	}
	return strconv.FormatFloat(*v.V, 'g', -1, 64)
}
