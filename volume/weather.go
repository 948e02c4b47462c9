package volume

import (
	"math"
	"time"
)

// wx is the weather at a station over one hour, as the model makes it:
// a climate by latitude and elevation, a season (the monsoon in the
// tropics), a diurnal cycle (afternoon convection over land, the
// semidiurnal pressure tide) and smooth synoptic variations.
type wx struct {
	t, rh, td  float64 // °C, %, °C
	slp, p0    float64 // hPa: sea level and station level
	rain       float64 // mm in the hour ending at the observation
	convective bool    // the rain is from showers or thunderstorms
	snow       bool
	windKt     float64
	dirDeg     int
	cloud      float64 // cover, 0..1
	conv       float64 // how convective the hour is, 0..1
	visM       float64
}

func sq(x float64) float64 { return x * x }

func clamp(x, lo, hi float64) float64 { return math.Max(lo, math.Min(hi, x)) }

// hours is a time in hours since the Unix epoch, the axis of the noise.
func hours(t time.Time) float64 { return float64(t.Unix()) / 3600 }

// tropical stations have the monsoon, land-sea breezes and convection.
func (s site) tropical() bool { return math.Abs(s.lat) < 20 }

// wetSeason is the seasonal factor of rain: around 1, high in the wet
// monsoon (December-February south of the equator).
func (s site) wetSeason(doy int) float64 {
	switch {
	case !s.tropical():
		return 1
	case s.lat < -3:
		return 1 + 0.7*math.Cos(2*math.Pi*float64(doy-15)/365.25)
	}
	return 1 + 0.3*math.Cos(2*math.Pi*float64(doy-330)/365.25)
}

// weatherAt is the model: a pure function of the seed, the station and
// the hour.
func weatherAt(seed uint64, s site, at time.Time) wx {
	h := hours(at)
	hourIdx := at.Unix() / 3600
	doy := at.YearDay()
	lh := math.Mod(float64(at.Hour())+s.lon/15+24, 24) // local solar hour
	var w wx
	if s.tropical() {
		w.conv = math.Exp(-sq(lh-16) / (2 * sq(2.5)))
	}
	wet := 0.5 + 0.5*smooth(seed, "wet", s.id, h, 48)
	w.rain, w.convective = rainAt(seed, s, hourIdx, wet, w.conv, s.wetSeason(doy))
	w.cloud = clamp(0.2+0.45*wet+0.3*w.conv+0.15*smooth(seed, "cloud", s.id, h, 6), 0, 1)
	if w.rain > 0 {
		w.cloud = math.Max(w.cloud, 0.85)
	}
	w.t = temperatureAt(seed, s, h, doy, lh, w)
	w.snow = w.rain > 0 && w.t < 0.5
	w.rh = clamp(78-14*math.Cos(2*math.Pi*(lh-14.5)/24)+8*smooth(seed, "rh", s.id, h, 24)+10*w.cloud-8*boolf(!s.tropical()), 25, 100)
	if w.rain > 0 {
		w.rh = math.Max(w.rh, 94)
	}
	w.td = dewPoint(w.t, w.rh)
	w.slp, w.p0 = pressureAt(seed, s, h, lh, w.t)
	w.windKt, w.dirDeg = windAt(seed, s, h, doy, w)
	w.visM = visibilityAt(s, doy, w)
	return w
}

func boolf(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

// rainAt draws the hour's rain: showers peaking in the afternoon over the
// tropics, widespread rain elsewhere, more in wet spells and seasons.
func rainAt(seed uint64, s site, hourIdx int64, wet, conv, season float64) (mm float64, convective bool) {
	p, mean := 0.04*(0.2+1.6*wet), 1.2
	if s.tropical() {
		p, mean = 0.05*season*(0.3+1.4*wet)*(0.4+2.2*conv), 5*(0.5+wet)
	}
	if uniform(key(seed, "rain", s.id, hourIdx)) >= p {
		return 0, false
	}
	mm = math.Round(-mean*math.Log(1-uniform(key(seed, "rain-amount", s.id, hourIdx)))*10) / 10
	if mm == 0 {
		mm = 0.01 // a trace
	}
	return mm, s.tropical() && conv > 0.25
}

func temperatureAt(seed uint64, s site, h float64, doy int, lh float64, w wx) float64 {
	absLat := math.Abs(s.lat)
	mean := 27 - 0.012*sq(math.Max(0, absLat-10)) - 0.0065*s.elevM
	phase := math.Cos(2 * math.Pi * float64(doy-200) / 365.25)
	if s.lat < 0 {
		phase = -phase
	}
	season := 0.33 * math.Max(0, absLat-8) * phase
	daily := (3.2 + 0.06*absLat) * (1 - 0.5*w.cloud) * math.Cos(2*math.Pi*(lh-14.5)/24)
	anomaly := (0.8+0.08*absLat)*smooth(seed, "t", s.id, h, 72) + 0.4*smooth(seed, "t2", s.id, h, 12)
	cooling := 0.0
	if w.rain > 0 {
		cooling = math.Min(3, 0.5+0.3*w.rain)
	}
	return mean + season + daily + anomaly - cooling
}

// dewPoint inverts the Magnus formula the decoder computes humidity with.
func dewPoint(t, rh float64) float64 {
	g := math.Log(rh/100) + 17.27*t/(237.3+t)
	return math.Min(t, 237.3*g/(17.27-g))
}

// pressureAt is the sea-level pressure (synoptic variation and the
// semidiurnal tide) and the station pressure below it.
func pressureAt(seed uint64, s site, h, lh, t float64) (slp, p0 float64) {
	tide := math.Cos(4 * math.Pi * (lh - 10) / 24)
	if s.tropical() {
		slp = 1010 + 1.5*smooth(seed, "slp", s.id, h, 120) + 1.2*tide
	} else {
		slp = 1014 + 9*smooth(seed, "slp", s.id, h, 72) + 3*smooth(seed, "slp2", s.id, h, 24) + 0.5*tide
	}
	column := t + 273.15 + 0.0065*s.elevM/2 // mean temperature of the air column below the station
	p0 = slp * math.Exp(-0.03416*s.elevM/column)
	return slp, p0
}

// windAt is the speed in knots (sea breeze in the afternoon, gusts in
// showers) and the direction (the monsoon: westerly in December-February,
// easterly in June-August).
func windAt(seed uint64, s site, h float64, doy int, w wx) (kt float64, dir int) {
	var base float64
	if s.tropical() {
		kt = 3 + 5*w.conv + 3*smooth(seed, "wind", s.id, h, 24)
		if w.convective {
			kt += 8
		}
		base = 190 + 80*math.Cos(2*math.Pi*float64(doy-15)/365.25)
	} else {
		kt = 8 + 6*smooth(seed, "wind", s.id, h, 36)
		base = 250
	}
	dir = int(math.Round(base+60*smooth(seed, "dir", s.id, h, 12))+720) % 360
	if dir == 0 {
		dir = 360
	}
	return math.Max(0, kt), dir
}

func visibilityAt(s site, doy int, w wx) float64 {
	v := 25000 * (1 - 0.7*math.Max(0, w.rh-70)/30)
	if s.tropical() && s.wetSeason(doy) < 0.8 {
		v *= 0.5 // dry-season haze
	}
	if w.rain > 0 {
		v = 8000 / (1 + w.rain)
	}
	return clamp(v, 200, 70000)
}
