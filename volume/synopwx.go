package volume

import (
	"math"

	"github.com/bmkg/mkggraph/format/synop"
)

// Past-weather classes, the figures of code table 4561 (manual stations);
// automatic stations map them to table 4531.
const (
	pastLittleCloud = 0
	pastSomeCloud   = 1
	pastOvercast    = 2
	pastFog         = 4
	pastRain        = 6
	pastSnow        = 7
	pastShowers     = 8
	pastThunder     = 9
)

// present is the present weather of an hour: the manual (4677) and
// automatic (4680) code and the past-weather class it belongs to.
func present(w, before wx) (manual, auto, class int) {
	switch {
	case w.rain > 0 && w.snow:
		return pick3(w.rain, 1, 4, 71, 73, 75), pick3(w.rain, 1, 4, 71, 72, 73), pastSnow
	case w.rain >= 6 && w.convective:
		return 95, 92, pastThunder
	case w.rain > 0 && w.convective:
		return pick3(w.rain, 2, 10, 80, 81, 82), pick3(w.rain, 2, 10, 81, 82, 83), pastShowers
	case w.rain > 0:
		return pick3(w.rain, 1, 4, 61, 63, 65), pick3(w.rain, 1, 4, 61, 62, 63), pastRain
	case before.rain > 0 && before.snow:
		return 22, 24, -1
	case before.rain > 0 && before.convective:
		return 25, 23, -1
	case before.rain > 0:
		return 21, 23, -1
	case w.visM < 1000:
		return 45, 30, pastFog
	case w.visM < 5000 && w.rh >= 90:
		return 10, 10, -1
	case w.visM < 5000:
		return 5, 4, -1
	}
	switch d := w.cloud - before.cloud; {
	case d > 0.1:
		return 3, 0, -1
	case d < -0.1:
		return 1, 0, -1
	}
	return 2, 0, -1
}

// pick3 grades an amount: slight below a, moderate below b, else heavy.
func pick3(mm, a, b float64, slight, moderate, heavy int) int {
	switch {
	case mm < a:
		return slight
	case mm < b:
		return moderate
	}
	return heavy
}

// automaticPast maps a manual past-weather class to code table 4531.
var automaticPast = map[int]int{pastLittleCloud: 0, pastSomeCloud: 0, pastOvercast: 0, pastFog: 3, pastRain: 6, pastSnow: 7, pastShowers: 8, pastThunder: 9}

// weather writes 7wwW1W2 when there is something to report (ix 1 or 7),
// else omits it (ix 2 or 6). W1W2 cover the 6 or 3 hours before the main
// and intermediate hours and are not reported at the others.
func (sr *series) weather(d *synop.Decoded, i, hour int) {
	auto := sr.s.automatic
	manual, wawa, _ := present(sr.wx[i], sr.wx[i-1])
	w1, w2 := -1, -1
	switch {
	case hour%6 == 0:
		w1, w2 = sr.pastWeather(i, 6)
	case hour%3 == 0:
		w1, w2 = sr.pastWeather(i, 3)
	}
	significant := manual >= 4 || w1 >= 3
	ix := 2 // manned, weather group omitted
	switch {
	case auto && significant:
		ix = 7
	case auto:
		ix = 6
	case significant:
		ix = 1
	}
	d.StationOperation = &synop.Code{Code: ix}
	if !significant {
		return
	}
	code := manual
	if auto {
		code = wawa
	}
	d.PresentWeather = &synop.Weather{Code: code, Automatic: auto}
	if w1 < 0 {
		return
	}
	if auto {
		w1, w2 = automaticPast[w1], automaticPast[w2]
	}
	d.PastWeather1, d.PastWeather2 = &synop.Weather{Code: w1, Automatic: auto}, &synop.Weather{Code: w2, Automatic: auto}
}

// pastWeather gives the two highest classes of the period, W1 ≥ W2; a
// period with one kind of weather has it in both, as the regulations say.
func (sr *series) pastWeather(i, period int) (w1, w2 int) {
	seen := map[int]bool{}
	cloudy, clear := false, false
	for j := i - period + 1; j <= i; j++ {
		if _, _, c := present(sr.wx[j], sr.wx[j-1]); c >= 0 {
			seen[c] = true
		}
		cloudy = cloudy || sr.wx[j].cloud > 0.5
		clear = clear || sr.wx[j].cloud <= 0.5
	}
	switch {
	case cloudy && clear:
		seen[pastSomeCloud] = true
	case cloudy:
		seen[pastOvercast] = true
	default:
		seen[pastLittleCloud] = true
	}
	w1, w2 = -1, -1
	for c := 9; c >= 0; c-- {
		switch {
		case !seen[c]:
		case w1 < 0:
			w1 = c
		case w2 < 0:
			w2 = c
		}
	}
	if w2 < 0 {
		w2 = w1
	}
	return w1, w2
}

// clouds is 8NhCLCMCH; automatic stations see amounts, not cloud types.
func (sr *series) clouds(w wx, n int) *synop.Clouds {
	c := &synop.Clouds{AmountOktas: ptr(min(n, int(math.Round(8*w.cloud*0.8))))}
	if sr.s.automatic {
		return c
	}
	c.Low.Code, c.Middle.Code, c.High.Code = ptr(lowCloud(w)), ptr(0), ptr(0)
	if w.cloud > 0.6 {
		c.Middle.Code = ptr(7)
	}
	if w.cloud < 0.5 {
		c.High.Code = ptr(1)
	}
	if n == 8 {
		c.Middle.Code, c.High.Code = nil, nil // above an overcast low layer nothing is seen
	}
	return c
}

// lowCloud is CL: cumulonimbus in thunderstorms and showers, towering
// cumulus in the afternoon, cumulus and stratocumulus otherwise.
func lowCloud(w wx) int {
	switch {
	case w.rain >= 6 && w.convective:
		return 9
	case w.convective:
		return 3
	case w.conv > 0.3 && w.cloud > 0.3:
		return 2
	case w.cloud > 0.2:
		return 8
	}
	return 1
}

// layerGenus is C of 8NsChshs for a CL figure (code table 0500).
var layerGenus = map[int]int{9: 9, 3: 9, 2: 8, 8: 8, 1: 8}

// section3 writes what BMKG's stations add at the main hours: the
// extreme temperatures where the region defines them, sunshine and the
// 24-hour precipitation at 00 UTC, the lowest cloud layer and the highest
// gust of the period.
func (sr *series) section3(d *synop.Decoded, i, hour, iw int) {
	if hour%6 != 0 {
		return
	}
	mx, mn := synop.ExtremePeriods(sr.s.wmo, hour)
	if mx > 0 {
		d.MaxTemperature = &synop.Extreme{ValueC: sr.extreme(i, mx, math.Max) + 0.3}
	}
	if mn > 0 {
		d.MinTemperature = &synop.Extreme{ValueC: sr.extreme(i, mn, math.Min) - 0.3}
	}
	if hour == 0 {
		d.Sunshine = []synop.Sunshine{{PeriodH: 24, DurationMin: ptr(sr.sunshine(i))}}
		d.Precipitation = append(d.Precipitation, amount(3, sr.rain(i, 24), 24))
	}
	w := sr.wx[i]
	if n := int(math.Round(8 * w.cloud)); n > 0 && !sr.s.automatic {
		d.CloudLayers = []synop.CloudLayer{{AmountOktas: d.Clouds.AmountOktas, Genus: &synop.CloudType{Code: ptr(layerGenus[lowCloud(w)])},
			Base: ptr(synop.LayerBaseClass(cloudBase(w)))}}
	}
	gust := 0.0
	for j := i - 5; j <= i; j++ {
		gust = math.Max(gust, sr.wx[j].windKt)
	}
	gust = 1.5*gust + 3
	if iw == 1 {
		gust *= 1852.0 / 3600
	}
	d.WindSpeeds = []synop.WindSpeed{{Kind: "highestGust", ReportedSpeed: int(math.Round(gust))}}
}

func (sr *series) extreme(i, period int, pick func(a, b float64) float64) float64 {
	v := sr.wx[i].t
	for j := i - period + 1; j < i; j++ {
		v = pick(v, sr.wx[j].t)
	}
	return v
}

// sunshine is the minutes of sun in the 24 hours before index i: daylight
// hours (06-18 local) less their cloud cover.
func (sr *series) sunshine(i int) int {
	total := 0.0
	for j := i - 23; j <= i; j++ {
		lh := math.Mod(float64(j-i)+24+sr.s.lon/15, 24) // local hour of index j when i is 00 UTC
		if lh >= 6 && lh < 18 {
			total += 60 * (1 - sr.wx[j].cloud)
		}
	}
	return int(math.Round(total))
}
