package volume

import (
	"bytes"
	"context"
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/bmkg/mkggraph/airquality"
	"github.com/bmkg/mkggraph/ingest"
)

// aqPollutants are the ISPU columns written, with the typical sub-index
// of each on an ordinary Jakarta day.
var aqPollutants = []struct {
	column  string
	typical float64
}{{"pm10", 55}, {"pm25", 75}, {"so2", 30}, {"co", 15}, {"o3", 40}, {"no2", 15}}

// airQuality writes one DKI ISPU CSV per synthetic station (codes SYN1,
// SYN2 …, which no real operator uses) with a row per day over AQYears
// years ending on the window's last day: particulates highest in the dry
// season and lowest on Sundays, the index, critical pollutant and
// category as an operator reports them.
func (g *generator) airQuality(ctx context.Context, kr *KindReport) error {
	if g.cfg.AQYears == 0 || g.cfg.AQStations == 0 {
		return nil
	}
	last := g.cfg.End().AddDate(0, 0, -1)
	first := g.cfg.End().AddDate(-g.cfg.AQYears, 0, 0)
	for n := 1; n <= g.cfg.AQStations; n++ {
		if err := ctx.Err(); err != nil {
			return err
		}
		data, err := g.aqFile(n, first, last)
		if err != nil {
			return err
		}
		name := fmt.Sprintf("synthetic-ispu-SYN%d-%s-%s.csv", n, first.Format("20060102"), last.Format("20060102"))
		if err := g.ingest(ctx, kr, name, data, ingest.Options{}); err != nil {
			return err
		}
	}
	return nil
}

func (g *generator) aqFile(n int, first, last time.Time) ([]byte, error) {
	var b bytes.Buffer
	b.WriteString("tanggal,stasiun")
	for _, p := range aqPollutants {
		b.WriteString("," + p.column)
	}
	b.WriteString(",max,critical,categori\n")
	for day := first; !day.After(last); day = day.AddDate(0, 0, 1) {
		row, err := g.aqDay(n, day)
		if err != nil {
			return nil, err
		}
		b.WriteString(row)
	}
	return b.Bytes(), nil
}

func (g *generator) aqDay(n int, day time.Time) (string, error) {
	dayIdx := day.Unix() / 86400
	season := 1 + 0.35*math.Cos(2*math.Pi*float64(day.YearDay()-230)/365.25)
	if day.Weekday() == time.Sunday {
		season *= 0.85
	}
	spell := 1 + 0.3*smooth(g.cfg.Seed, "aq", int64(n), float64(dayIdx)*24, 72)
	row := fmt.Sprintf("%s,SYN%d (Stasiun Sintetis %d)", day.Format("2006-01-02"), n, n)
	best, critical := -1, ""
	for i, p := range aqPollutants {
		k := key(g.cfg.Seed, "aq-day", int64(n), dayIdx, int64(i))
		if i != 1 && uniform(k) < 0.02 {
			row += ",---" // the monitor missed it (PM2.5 is always there, so a day has a value)
			continue
		}
		f := spell
		if i <= 1 {
			f *= season // particulates follow the dry season
		}
		v := max(1, int(math.Round(p.typical*f*(0.8+0.4*uniform(mix(k))))))
		row += fmt.Sprintf(",%d", v)
		if v > best {
			best, critical = v, p.column
		}
	}
	cat, err := airquality.CategoryOf(best)
	if err != nil {
		return "", err
	}
	return row + fmt.Sprintf(",%d,%s,%s\n", best, strings.ToUpper(critical), cat.Code), nil
}
