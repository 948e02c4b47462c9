package volume

import (
	"context"
	"fmt"
	"math"
	"time"

	"github.com/bmkg/mkggraph/format/synop"
	"github.com/bmkg/mkggraph/ingest"
)

// reportsPerBulletin caps a bulletin, as GTS bulletins are capped in size.
const reportsPerBulletin = 50

// series is a station's weather hour by hour over the day before the
// report's day and the day itself: hour h of the day is at index 24+h.
type series struct {
	s     site
	first int64 // the hour (since the epoch) of index 0
	wx    [48]wx
}

func seriesOf(seed uint64, s site, day time.Time) *series {
	sr := &series{s: s, first: day.Unix()/3600 - 24}
	for i := range sr.wx {
		sr.wx[i] = weatherAt(seed, s, day.Add(time.Duration(i-24)*time.Hour))
	}
	return sr
}

// synop writes one file per day: every hour's bulletins for every
// station, in WMO file naming so that the day's date is known.
func (g *generator) synop(ctx context.Context, kr *KindReport) error {
	if len(g.sites) == 0 {
		return fmt.Errorf("the catalogue has no synoptic station with a WMO index")
	}
	for d := range g.cfg.Days {
		if err := ctx.Err(); err != nil {
			return err
		}
		day := g.cfg.Start.AddDate(0, 0, d)
		data, skipped, err := g.synopDay(day)
		if err != nil {
			return err
		}
		kr.Skipped += skipped
		name := fmt.Sprintf("A_SMID20WIII%02d0000_C_WIII_%s235900_synthetic.txt", day.Day(), day.Format("20060102"))
		if err := g.ingest(ctx, kr, name, data, ingest.Options{}); err != nil {
			return err
		}
	}
	return nil
}

// synopDay encodes a day's bulletins; skipped counts the reports left out
// because a real observation holds their station and hour.
func (g *generator) synopDay(day time.Time) ([]byte, int, error) {
	all := make([]*series, len(g.sites))
	for i, s := range g.sites {
		all[i] = seriesOf(g.cfg.Seed, s, day)
	}
	var bulletins []synop.OutBulletin
	skipped := 0
	for hour := range 24 {
		at := day.Add(time.Duration(hour) * time.Hour)
		byCentre := map[string]*synop.OutBulletin{}
		for _, sr := range all {
			if g.real.observations[sr.s.wmo+"|"+at.Format(time.RFC3339)] {
				skipped++
				continue
			}
			b := byCentre[sr.s.wmo[:2]]
			if b == nil || len(b.Reports) == reportsPerBulletin {
				bulletins = append(bulletins, newBulletin(sr.s, at, len(bulletins)))
				b = &bulletins[len(bulletins)-1]
				byCentre[sr.s.wmo[:2]] = b
			}
			b.Reports = append(b.Reports, synop.OutReport{Station: sr.s.wmo, Values: sr.report(g.cfg.Seed, hour)})
		}
	}
	data, err := synop.EncodeFile(bulletins)
	return data, skipped, err
}

// newBulletin heads a bulletin of the station's centre: SM at the main
// synoptic hours, SI at the intermediate ones, SN at the others.
func newBulletin(s site, at time.Time, n int) synop.OutBulletin {
	tt := "SN"
	switch {
	case at.Hour()%6 == 0:
		tt = "SM"
	case at.Hour()%3 == 0:
		tt = "SI"
	}
	aa, cccc := s.centre()
	return synop.OutBulletin{
		Heading: synop.Heading{TTAAii: fmt.Sprintf("%s%s%02d", tt, aa, 20+n%80), CCCC: cccc, YYGGgg: at.Format("021504")},
		Day:     at.Day(), Hour: at.Hour(), WindIndicator: s.windIndicator(),
	}
}

// windIndicator: Indonesian stations report knots, the others m/s; all
// measure the wind.
func (s site) windIndicator() int {
	if s.indonesian() {
		return 4
	}
	return 1
}

// report builds the values of one report; the encoder writes them.
func (sr *series) report(seed uint64, hour int) *synop.Decoded {
	i := 24 + hour
	w := sr.wx[i]
	d := &synop.Decoded{CloudBase: ptr(synop.CloudBaseClass(cloudBase(w))), Visibility: ptr(synop.VisibilityClass(w.visM))}
	iw := sr.s.windIndicator()
	d.WindUnit, d.WindMeasured = map[int]string{1: "m/s", 4: "kt"}[iw], ptr(true)
	n := int(math.Round(8 * w.cloud))
	d.TotalCloud = &synop.TotalCloud{Oktas: ptr(n)}
	d.Wind = sr.wind(seed, w, iw, i)
	d.AirTemperatureC, d.DewPointC = ptr(w.t), ptr(w.td)
	d.StationPressureHPa = ptr(w.p0)
	sr.pressure(d, w)
	if hour%3 == 0 {
		d.PressureTendency = tendency(w.p0 - sr.wx[i-3].p0)
	}
	sr.precipitation(d, i, hour)
	sr.weather(d, i, hour)
	if n > 0 {
		d.Clouds = sr.clouds(w, n)
	}
	sr.section3(d, i, hour, iw)
	return d
}

func ptr[T any](v T) *T { return &v }

// cloudBase is the height of the lowest cloud in metres (2500 or more
// when there is none).
func cloudBase(w wx) float64 {
	switch {
	case w.cloud < 0.06:
		return 3000
	case w.rain > 0:
		return 450
	}
	return 400 + 1800*(1-w.cloud) + 500*w.conv
}

func (sr *series) wind(seed uint64, w wx, iw, i int) *synop.Wind {
	speed := int(math.Round(w.windKt))
	if iw == 1 {
		speed = int(math.Round(w.windKt * 1852 / 3600))
	}
	if speed == 0 {
		return &synop.Wind{Calm: true, ReportedSpeed: ptr(0)}
	}
	if speed <= 2 && uniform(key(seed, "variable", sr.s.id, sr.first+int64(i))) < 0.15 {
		return &synop.Wind{Variable: true, ReportedSpeed: ptr(speed)}
	}
	return &synop.Wind{DirectionDeg: ptr(w.dirDeg), ReportedSpeed: ptr(speed)}
}

// pressure reports the sea-level pressure, or for stations high above it
// the height of the 700 hPa surface (4a3hhh), as mountain stations do.
func (sr *series) pressure(d *synop.Decoded, w wx) {
	if sr.s.elevM < 2300 {
		d.SeaLevelPressureHPa = ptr(w.slp)
		return
	}
	z := sr.s.elevM + 29.27*(w.t+273.15)*math.Log(w.p0/700)
	d.Geopotential = &synop.Geopotential{SurfaceHPa: 700, HeightGpm: int(math.Round(z))}
}

// tendency is 5appp from the change of station pressure over 3 hours.
func tendency(change float64) *synop.PressureTendency {
	r := math.Round(change * 10)
	a := 2 // increasing steadily
	switch {
	case r == 0:
		a = 4
	case r < 0:
		a = 7 // decreasing steadily
	}
	return &synop.PressureTendency{Characteristic: &synop.Code{Code: a}, ChangeHPa: ptr(r / 10)}
}

// precipitation: iR 1 and 6RRRtR over 6 h at the main hours, 3 h at the
// intermediate ones and 1 h otherwise; iR 3 when nothing fell.
func (sr *series) precipitation(d *synop.Decoded, i, hour int) {
	period := 1
	switch {
	case hour%6 == 0:
		period = 6
	case hour%3 == 0:
		period = 3
	}
	total := sr.rain(i, period)
	if total == 0 {
		d.PrecipitationIndicator = &synop.Code{Code: 3}
		return
	}
	d.PrecipitationIndicator = &synop.Code{Code: 1}
	d.Precipitation = []synop.Precipitation{amount(1, total, period)}
}

// rain sums the rain of the period hours ending at index i.
func (sr *series) rain(i, period int) float64 {
	total := 0.0
	for j := i - period + 1; j <= i; j++ {
		total += sr.wx[j].rain
	}
	return total
}

// amount is a precipitation group's value: a trace below 0.05 mm.
func amount(section int, mm float64, periodH int) synop.Precipitation {
	if mm < 0.05 {
		return synop.Precipitation{Section: section, AmountMM: ptr(0.0), Trace: true, PeriodH: ptr(periodH)}
	}
	return synop.Precipitation{Section: section, AmountMM: ptr(mm), PeriodH: ptr(periodH)}
}
