package synop

import (
	"fmt"
	"math"
	"testing"
	"time"
)

// bufrView expresses a decoded report the way the BUFR template TM 307080
// and the B/C1 regulations carry it: BUFR units (K, Pa, m, %, J/m², code
// tables 0 20 003/004/012, 0 08 002) at each descriptor's precision. It is
// the bridge between the decoder's API units and the reference decoding.
func bufrView(t *testing.T, r Report, ref time.Time) map[string][]float64 {
	t.Helper()
	d := r.Decoded
	if d == nil {
		t.Fatalf("report %s not decoded", r.Station)
	}
	v := view{}
	block, _ := digits(r.Station[:2])
	number, _ := digits(r.Station[2:])
	v.add("blockNumber", float64(block))
	v.add("stationNumber", float64(number))
	tm, err := r.Time(ref)
	if err != nil {
		t.Fatal(err)
	}
	v.add("year", float64(tm.Year()))
	v.add("month", float64(tm.Month()))
	v.add("day", float64(tm.Day()))
	v.add("hour", float64(tm.Hour()))
	v.add("minute", float64(tm.Minute()))
	if d.Automatic != nil {
		v.add("stationType", map[bool]float64{true: 0, false: 1}[*d.Automatic]) // 0 02 001
	}
	v.pressure(d)
	v.temperature(d)
	if d.Visibility != nil {
		// 0 20 001 carries one value: the lower end of the class, so
		// "less than 50 m" is 0 and "50 km or more" is 50000.
		v.add("horizontalVisibility", float64(d.Visibility.MinM))
	}
	v.clouds(d)
	v.ground(d)
	v.weather(d, r.Hour)
	v.periodData(d)
	v.add("replication0", float64(len(d.CloudLayers)))
	v.add("replication1", float64(len(d.Section4)))
	return v
}

type view map[string][]float64

func (v view) add(key string, x float64) { v[key] = append(v[key], x) }

func (v view) addP(key string, x *float64, step float64) {
	if x != nil {
		v.add(key, roundTo(*x, step))
	}
}

func roundTo(x, step float64) float64 { return math.Round(x/step) * step }

func periodMin(minutes int) string { return fmt.Sprintf("%dmin", -minutes) }

func (v view) pressure(d *Decoded) {
	hPa := func(p *float64) *float64 {
		if p == nil {
			return nil
		}
		return ptr(*p * 100)
	}
	v.addP("nonCoordinatePressure", hPa(d.StationPressureHPa), 10)
	v.addP("pressureReducedToMeanSeaLevel", hPa(d.SeaLevelPressureHPa), 10)
	if pt := d.PressureTendency; pt != nil {
		v.addP("3HourPressureChange", hPa(pt.ChangeHPa), 10)
		if pt.Characteristic != nil {
			v.add("characteristicOfPressureTendency", float64(pt.Characteristic.Code))
		}
	}
	if g := d.Geopotential; g != nil {
		v.add("pressure", float64(g.SurfaceHPa*100))
		v.add("nonCoordinateGeopotentialHeight", float64(g.HeightGpm))
	}
}

func (v view) temperature(d *Decoded) {
	kelvin := func(c *float64) *float64 {
		if c == nil {
			return nil
		}
		return ptr(*c + 273.15)
	}
	v.addP("airTemperature", kelvin(d.AirTemperatureC), 0.01)
	v.addP("dewpointTemperature", kelvin(d.DewPointC), 0.01)
	if d.RelativeHumidityPct != nil {
		v.add("relativeHumidity", float64(*d.RelativeHumidityPct))
	}
}

// cloudSignificance is 0 08 002 for the section 1 cloud group (B/C1.4.4.2):
// 5 sky obscured, 7 low clouds, 8 middle clouds only, 0 high clouds only.
func cloudSignificance(d *Decoded) int {
	c := d.Clouds
	switch {
	case c.Obscured:
		return 5
	case c.Low.Code != nil && *c.Low.Code > 0:
		return 7
	case c.Middle.Code != nil && *c.Middle.Code > 0:
		return 8
	}
	return 0
}

func (v view) clouds(d *Decoded) {
	tc := d.TotalCloud
	if tc != nil {
		if tc.SkyObscured {
			v.add("cloudCoverTotal", 113) // 0 20 010: sky obscured
		} else {
			v.add("cloudCoverTotal", math.Ceil(float64(*tc.Oktas)*100/8)) // B/C1: rounded up
		}
	}
	types := func(cl, cm, ch float64) {
		v.add("cloudType.low", cl)
		v.add("cloudType.middle", cm)
		v.add("cloudType.high", ch)
	}
	switch {
	case d.Clouds != nil:
		c, vs := d.Clouds, cloudSignificance(d)
		v.add("verticalSignificanceSurfaceObservations", float64(vs))
		switch vs {
		case 5:
			v.add("cloudAmount", 9)
		case 7, 8:
			v.add("cloudAmount", float64(*c.AmountOktas))
		default:
			v.add("cloudAmount", 0)
		}
		if d.CloudBase != nil {
			v.add("heightOfBaseOfCloud", float64(d.CloudBase.MinM))
		}
		code := func(ct CloudType, base, invisible float64) float64 {
			if ct.Code == nil {
				return invisible
			}
			return base + float64(*ct.Code)
		}
		types(code(c.Low, 30, 62), code(c.Middle, 20, 61), code(c.High, 10, 60))
	case tc != nil && tc.Oktas != nil && *tc.Oktas == 0:
		v.add("verticalSignificanceSurfaceObservations", 62) // no clouds: not applicable
		v.add("cloudAmount", 0)
		types(30, 20, 10)
	case tc != nil && tc.SkyObscured:
		v.add("verticalSignificanceSurfaceObservations", 5)
		v.add("cloudAmount", 9)
		types(62, 61, 60) // CL, CM, CH not visible
	}
}

func (v view) ground(d *Decoded) {
	switch {
	case d.SnowGroundState != nil:
		v.add("stateOfGround", float64(10+d.SnowGroundState.Code)) // 0 20 062: 10 + E'
	case d.GroundState != nil:
		v.add("stateOfGround", float64(d.GroundState.Code))
	}
	if d.SnowDepth != nil {
		v.addP("totalSnowDepth", d.SnowDepth.DepthM, 0.01)
	}
}

func (v view) weather(d *Decoded, hour int) {
	ix := -1
	if d.StationOperation != nil {
		ix = d.StationOperation.Code
	}
	past := periodMin(pastWeatherPeriod(hour) * 60)
	switch {
	case d.PresentWeather != nil || d.PastWeather1 != nil || d.PastWeather2 != nil:
		if w := d.PresentWeather; w != nil {
			v.add("presentWeather", float64(w.Code+map[bool]int{true: 100}[w.Automatic])) // 0 20 003
		}
		for i, w := range []*Weather{d.PastWeather1, d.PastWeather2} {
			if w != nil {
				v.add(fmt.Sprintf("pastWeather%d@%s", i+1, past), float64(w.Code+map[bool]int{true: 10}[w.Automatic]))
			}
		}
	case ix == 2 || ix == 5:
		// weather group omitted, nothing significant (B/C1.10.1.x)
		v.add("presentWeather", 508)
		v.add("pastWeather1@"+past, 10)
		v.add("pastWeather2@"+past, 10)
	}
}

// radiationKeys maps Radiation.Kind to its descriptor and precision (the
// scale of 0 14 002/004/016/023/025/028 and 0 14 xxx net short-wave).
var radiationKeys = map[string]struct {
	key  string
	step float64
}{
	"net":              {"netRadiationIntegratedOverPeriodSpecified", 1e4},
	"globalSolar":      {"globalSolarRadiationIntegratedOverPeriodSpecified", 1e2},
	"diffuseSolar":     {"diffuseSolarRadiationIntegratedOverPeriodSpecified", 1e2},
	"directSolar":      {"directSolarRadiationIntegratedOverPeriodSpecified", 1e2},
	"downwardLongWave": {"longWaveRadiationIntegratedOverPeriodSpecified", 1e3},
	"upwardLongWave":   {"longWaveRadiationIntegratedOverPeriodSpecified", 1e3},
	"shortWave":        {"shortWaveRadiationIntegratedOverPeriodSpecified", 1e3},
	"netShortWave":     {"netShortWaveRadiationIntegratedOverPeriodSpecified", 1e3},
}

func (v view) periodData(d *Decoded) {
	if w := d.Wind; w != nil {
		switch {
		case w.DirectionDeg != nil:
			v.add("windDirection@-10min", float64(*w.DirectionDeg))
		case w.Calm:
			v.add("windDirection@-10min", 0)
		}
		v.addP("windSpeed@-10min", w.SpeedMS, 1)
	}
	for _, p := range d.Precipitation {
		if p.PeriodH != nil && p.AmountMM != nil {
			amount := *p.AmountMM
			if p.Trace {
				amount = -0.1 // 0 13 011: trace
			}
			v.add("totalPrecipitationOrTotalWaterEquivalent@"+periodMin(*p.PeriodH*60), amount)
		}
	}
	for _, s := range d.Sunshine {
		if s.DurationMin != nil {
			v.add("totalSunshine@"+periodMin(s.PeriodH*60), float64(*s.DurationMin))
		}
	}
	for _, w := range d.WindSpeeds {
		if w.Kind == "highestGust" && w.PeriodMin != nil && w.SpeedMS != nil {
			v.add("maximumWindGustSpeed@"+periodMin(*w.PeriodMin), roundTo(*w.SpeedMS, 0.1))
		}
	}
	for _, r := range d.Radiation {
		k := radiationKeys[r.Kind]
		j := r.JPerM2
		if r.Kind == "upwardLongWave" {
			j = -j
		}
		v.add(k.key+"@"+periodMin(r.PeriodH*60), roundTo(j, k.step))
	}
}
