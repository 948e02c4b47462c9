package synop

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

// The property: for any values the encoder accepts, decoding the text it
// writes gives the values back, up to the resolution of each code. The
// values are drawn at random from a seeded generator, with the boundaries
// (negative and -0.0x temperatures, calm, 99 units and more, traces, no
// precipitation, missing groups) drawn often on purpose.

// gen draws random report values.
type gen struct{ r *rand.Rand }

func (g gen) chance(p float64) bool { return g.r.Float64() < p }
func (g gen) intn(n int) int        { return g.r.IntN(n) }
func (g gen) between(lo, hi float64) float64 {
	return lo + g.r.Float64()*(hi-lo)
}
func (g gen) maybeInt(p float64, n int) *int {
	if !g.chance(p) {
		return nil
	}
	return ptr(g.intn(n))
}

// pick returns one of vs; boundaries are listed in vs so they come often.
func pick[T any](g gen, vs ...T) T { return vs[g.intn(len(vs))] }

func (g gen) temperature() float64 {
	if g.chance(0.2) {
		return pick(g, -99.9, 99.9, -0.04, 0.04, 0, -0.05, -10.25, 0.95)
	}
	return math.Round(g.between(-60, 50)*1000) / 1000
}

// values draws a report for a bulletin with wind indicator iw.
func (g gen) values(iw int) *Decoded {
	d := &Decoded{WindUnit: windUnit(iw)}
	if g.chance(0.5) {
		d.WindMeasured = ptr(iw == 1 || iw == 4)
	}
	if iR := g.maybeInt(0.9, 5); iR != nil {
		d.PrecipitationIndicator = &Code{Code: *iR}
	}
	if g.chance(0.9) {
		d.StationOperation = &Code{Code: 1 + g.intn(7)}
	}
	if g.chance(0.8) {
		d.CloudBase = ptr(CloudBaseClass(g.between(0, 4000)))
	}
	if g.chance(0.8) {
		d.Visibility = ptr(VisibilityClass(pick(g, 0, 99.9, 100, 5000, 5999, 70000, 70001, g.between(0, 90000))))
	}
	g.cloudAndWind(d)
	g.temperatures(d)
	g.pressures(d)
	g.section1Rest(d)
	g.section3(d)
	return d
}

func (g gen) cloudAndWind(d *Decoded) {
	switch g.intn(4) {
	case 0:
	case 1:
		d.TotalCloud = &TotalCloud{SkyObscured: true}
	default:
		d.TotalCloud = &TotalCloud{Oktas: ptr(g.intn(9))}
	}
	w := &Wind{}
	switch g.intn(5) {
	case 0:
		return // no wind group values
	case 1:
		w.Calm = true
		if g.chance(0.5) {
			w.ReportedSpeed = ptr(0)
		}
	case 2:
		w.Variable = true
		w.ReportedSpeed = ptr(g.intn(20))
	default:
		w.DirectionDeg = ptr(g.intn(361))
		switch {
		case g.chance(0.2):
			w.ReportedSpeed = ptr(pick(g, 98, 99, 100, 999, 0, 1))
		case g.chance(0.3) && d.WindUnit != "":
			w.SpeedMS = ptr(g.between(0, 60))
		default:
			w.ReportedSpeed = ptr(g.intn(150))
		}
	}
	d.Wind = w
}

func (g gen) temperatures(d *Decoded) {
	if g.chance(0.85) {
		d.AirTemperatureC = ptr(g.temperature())
	}
	switch {
	case g.chance(0.6):
		td := g.temperature()
		if d.AirTemperatureC != nil {
			td = math.Max(-99.9, *d.AirTemperatureC-g.between(0, 25))
		}
		d.DewPointC = ptr(td)
	case g.chance(0.5):
		d.RelativeHumidityPct = ptr(pick(g, 0, 100, g.intn(101)))
	}
}

func (g gen) pressures(d *Decoded) {
	if g.chance(0.7) {
		d.StationPressureHPa = ptr(pick(g, 400, 999.96, 1000, 1099.94, g.between(400, 1099.9)))
	}
	switch g.intn(4) {
	case 0:
	case 1:
		d.SeaLevelPressureHPa = ptr(pick(g, 900, 999.9, 1000, 1099.9, g.between(900, 1099.9)))
	case 2:
		p := g.between(800, 899.9)
		d.SeaLevelPressureHPa = &p
		d.StationPressureHPa = ptr(p + g.between(-14, 14)) // else 8xxx reads as 850 hPa
	default:
		s := pick(g, 1000, 925, 850, 700, 500)
		h := standardHeights[s] + g.intn(801) - 400
		d.Geopotential = &Geopotential{SurfaceHPa: s, HeightGpm: h}
		if s == 850 && d.StationPressureHPa != nil && *d.StationPressureHPa < 900 {
			d.StationPressureHPa = nil // 48hhh near it would read as a sea-level pressure
		}
	}
	if g.chance(0.7) {
		pt := &PressureTendency{}
		a := g.intn(9)
		pt.Characteristic = &Code{Code: a}
		if g.chance(0.9) {
			c := math.Round(g.between(0, 30)*100) / 100
			switch {
			case a == 4:
				c = 0
			case a > 4:
				c = -c
			}
			pt.ChangeHPa = &c
		}
		d.PressureTendency = pt
	}
}

func (g gen) amount() Precipitation {
	p := Precipitation{}
	switch g.intn(8) {
	case 0:
		p.Trace, p.AmountMM = true, ptr(0.0)
	case 1:
		p.AtLeast, p.AmountMM = true, ptr(989.0)
	case 2:
		p.AmountMM = nil
	case 3:
		p.AmountMM = ptr(0.0)
	case 4:
		p.AmountMM = ptr(g.between(0.05, 0.94))
	default:
		p.AmountMM = ptr(g.between(0.95, 988.4))
	}
	if g.chance(0.9) {
		p.PeriodH = ptr(pick(g, 6, 12, 18, 24, 1, 2, 3, 9, 15))
	}
	if p.AmountMM == nil && p.PeriodH == nil {
		p.PeriodH = ptr(6) // "6////" decodes to nothing
	}
	return p
}

func (g gen) section1Rest(d *Decoded) {
	if g.chance(0.5) {
		p := g.amount()
		p.Section = 1
		d.Precipitation = append(d.Precipitation, p)
	}
	auto := d.StationOperation != nil && d.StationOperation.Code == 7
	if g.chance(0.7) {
		if g.chance(0.9) {
			ww := g.intn(100)
			for auto && presentWeatherAutomatic[ww] == "" {
				ww = g.intn(100)
			}
			d.PresentWeather = &Weather{Code: ww, Automatic: auto}
		}
		if g.chance(0.8) {
			d.PastWeather1 = &Weather{Code: g.intn(10), Automatic: auto}
		}
		if g.chance(0.8) {
			d.PastWeather2 = &Weather{Code: g.intn(10), Automatic: auto}
		}
	}
	if g.chance(0.6) {
		c := &Clouds{AmountOktas: g.maybeInt(0.8, 9)}
		if c.AmountOktas == nil && g.chance(0.5) {
			c.Obscured = true
		}
		c.Low.Code, c.Middle.Code, c.High.Code = g.maybeInt(0.8, 10), g.maybeInt(0.8, 10), g.maybeInt(0.8, 10)
		d.Clouds = c
	}
	if g.chance(0.2) {
		d.ExactTime = &ExactTime{Hour: g.intn(24), Minute: g.intn(60)}
	}
	if g.chance(0.1) {
		d.SeaSurfaceTemperatureC = ptr(g.between(-5, 35))
	}
}

func (g gen) section3(d *Decoded) {
	for range g.intn(3) {
		d.Regional = append(d.Regional, fmt.Sprintf("0%04d", g.intn(10000)))
	}
	if g.chance(0.3) {
		d.MaxTemperature = &Extreme{ValueC: g.temperature()}
	}
	if g.chance(0.3) {
		d.MinTemperature = &Extreme{ValueC: g.temperature()}
	}
	if g.chance(0.2) {
		if e := g.maybeInt(0.8, 10); e != nil {
			d.GroundState = &Code{Code: *e}
		}
		if g.chance(0.7) {
			d.GroundMinTemperatureC = ptr(g.intn(199) - 99)
		}
	}
	if g.chance(0.2) {
		if e := g.maybeInt(0.8, 10); e != nil {
			d.SnowGroundState = &Code{Code: *e}
		}
		d.SnowDepth = pick(g, nil, &SnowDepth{DepthM: ptr(0.0)}, &SnowDepth{DepthM: ptr(g.between(0.005, 9.96))},
			&SnowDepth{DepthM: ptr(0.0), Description: "Less than 0.5 cm"}, &SnowDepth{Description: "Snow cover, not continuous"})
	}
	if g.chance(0.3) {
		p := g.amount()
		p.Section = 3
		if p.PeriodH != nil && *p.PeriodH == 24 {
			p.Group = "6" // written as 6RRR4, not 7R24R24R24R24
		}
		d.Precipitation = append(d.Precipitation, p)
		d.PrecipitationIndicator = &Code{Code: pick(g, 0, 2)}
	}
	g.group5(d)
	if g.chance(0.3) {
		p := Precipitation{Section: 3, PeriodH: ptr(24)}
		switch g.intn(4) {
		case 0:
			p.Trace, p.AmountMM = true, ptr(0.0)
		case 1:
			p.AtLeast, p.AmountMM = true, ptr(999.8)
		default:
			p.AmountMM = ptr(g.between(0, 999.7))
		}
		d.Precipitation = append(d.Precipitation, p)
	}
	for range g.intn(4) {
		l := CloudLayer{AmountOktas: g.maybeInt(0.8, 9), Genus: &CloudType{Code: g.maybeInt(0.8, 10)}}
		if l.AmountOktas == nil && g.chance(0.3) {
			l.Obscured = true
		}
		if g.chance(0.9) {
			l.Base = ptr(LayerBaseClass(g.between(0, 25000)))
		}
		d.CloudLayers = append(d.CloudLayers, l)
	}
	g.nineGroups(d)
}

func (g gen) group5(d *Decoded) {
	if g.chance(0.2) {
		d.Evaporation = &Evaporation{AmountMM: g.between(0, 39.9)}
		if i := g.maybeInt(0.8, 10); i != nil {
			d.Evaporation.Instrument = &Code{Code: *i}
		}
	}
	if g.chance(0.1) {
		c := 5 + g.intn(10)
		if g.chance(0.5) {
			c = -c
		}
		d.TemperatureChange = &TemperatureChange{ChangeC: c, HoursBefore: g.intn(10)}
	}
	for _, period := range []int{24, 1} {
		if !g.chance(0.3) {
			continue
		}
		s := Sunshine{PeriodH: period, DurationMin: ptr(g.intn(period*60 + 1))}
		if period == 1 && g.chance(0.2) {
			s.DurationMin = nil
		}
		d.Sunshine = append(d.Sunshine, s)
		unit := map[int]float64{1: 1000, 24: 10000}[period]
		kinds := []string{"net", "globalSolar", "diffuseSolar", "downwardLongWave", "upwardLongWave", "shortWave"}
		if iR := d.PrecipitationIndicator; iR != nil && (iR.Code == 0 || iR.Code == 2) {
			kinds = kinds[:5] // 6FFFF would read as precipitation (see TestEncodeRefusesWhatCannotBeReadBack)
		}
		g.r.Shuffle(len(kinds), func(i, j int) { kinds[i], kinds[j] = kinds[j], kinds[i] })
		for _, k := range kinds[:g.intn(len(kinds)+1)] {
			j := g.between(0, 4999) * unit
			if k == "net" && g.chance(0.5) {
				j = -j
			}
			d.Radiation = append(d.Radiation, Radiation{Kind: k, PeriodH: period, JPerM2: j})
		}
	}
	if g.chance(0.1) {
		d.Radiation = append(d.Radiation, Radiation{Kind: pick(g, "netShortWave", "directSolar"), PeriodH: pick(g, 1, 24), JPerM2: g.between(0, 4999) * 1000})
	}
	dir := func() *Direction {
		if c := g.maybeInt(0.8, 10); c != nil {
			return &Direction{Code: *c}
		}
		return nil
	}
	if g.chance(0.1) {
		d.CloudDrift = &CloudDrift{Low: dir(), Middle: dir(), High: dir()}
	}
	if g.chance(0.1) {
		d.CloudDirection = &CloudDirection{Direction: dir()}
		if c := g.maybeInt(0.8, 10); c != nil {
			d.CloudDirection.Genus = &CloudType{Code: c}
		}
		if c := g.maybeInt(0.8, 10); c != nil {
			d.CloudDirection.Elevation = &Code{Code: *c}
		}
	}
	if g.chance(0.2) {
		d.PressureChange24hHPa = ptr(g.between(-99.9, 99.9))
	}
}

func (g gen) nineGroups(d *Decoded) {
	if g.chance(0.2) {
		d.Supplementary = append(d.Supplementary, Supplementary{Group: fmt.Sprintf("907%02d", g.intn(69))})
	}
	if g.chance(0.2) {
		d.Supplementary = append(d.Supplementary, Supplementary{Group: fmt.Sprintf("915%02d", pick(g, 0, 99, g.intn(37)))})
	}
	if g.chance(0.2) {
		d.Supplementary = append(d.Supplementary, Supplementary{Group: fmt.Sprintf("9%02d%02d", 20+g.intn(80), g.intn(100))})
	}
	for range g.intn(3) {
		d.WindSpeeds = append(d.WindSpeeds, WindSpeed{Kind: pick(g, "highestGust", "highestMeanSpeed", "meanSpeed"),
			ReportedSpeed: pick(g, 99, 150, g.intn(99))})
	}
}

// TestEncodeDecodeProperty checks the property on many random value sets.
func TestEncodeDecodeProperty(t *testing.T) {
	n := 20000
	if testing.Short() {
		n = 2000
	}
	g := gen{rand.New(rand.NewPCG(20261206, 1))}
	stations := []string{"96749", "97180", "15015", "78310", "48650", "89001", "72201", "61001"}
	for i := range n {
		iw := pick(g, 0, 1, 3, 4)
		hour := g.intn(24)
		station := pick(g, stations...)
		v := g.values(iw)
		b := OutBulletin{Heading: Heading{TTAAii: "SMID41", CCCC: "WIII", YYGGgg: fmt.Sprintf("15%02d00", hour)},
			Day: 15, Hour: hour, WindIndicator: iw, Reports: []OutReport{{Station: station, Values: v}}}
		text, err := EncodeFile([]OutBulletin{b})
		if err != nil {
			t.Fatalf("case %d: values the generator made valid were refused: %v", i, err)
		}
		f, err := Parse(text)
		if err != nil || len(f.Bulletins) != 1 || len(f.Bulletins[0].Reports) != 1 {
			t.Fatalf("case %d: %v\n%s", i, err, text)
		}
		r := f.Bulletins[0].Reports[0]
		if len(r.Problems) > 0 || len(f.Bulletins[0].Problems) > 0 {
			t.Fatalf("case %d: problems %v %v\n%s", i, r.Problems, f.Bulletins[0].Problems, text)
		}
		if r.Station != station || r.Decoded == nil {
			t.Fatalf("case %d: station %q decoded %v", i, r.Station, r.Decoded != nil)
		}
		c := &checker{t: t, text: string(text)}
		c.report(v, r.Decoded, iw)
		if c.failed {
			t.FailNow()
		}
	}
}
