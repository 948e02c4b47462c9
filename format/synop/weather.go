package synop

import "math"

// weather decodes 7wwW1W2 or, when ix = 7, 7wawaWa1Wa2. Any other ix uses
// the manual tables 4677/4561, which is what ix = 4 prescribes and the only
// reading open for ix = 5 or 6 (which say the group is omitted).
func (dc *decoder) weather(t token) {
	g := t.text
	switch dc.ix {
	case 2, 3, 5, 6:
		dc.note("weather group %s present although ix = %d says it is omitted; decoded with code tables 4677/4561", g, dc.ix)
	}
	auto := dc.ix == 7
	if ww, ok := digits(g[1:3]); ok {
		dc.d.PresentWeather = dc.presentWeather(t, ww, auto)
	} else if !missing(g[1:3]) {
		dc.fail(t, "present weather ww %q is not two digits", g[1:3])
	}
	dc.d.PastWeather1 = dc.pastWeather(t, g[3], auto)
	dc.d.PastWeather2 = dc.pastWeather(t, g[4], auto)
	if p := pastWeatherPeriod(dc.hour); p > 0 {
		dc.d.PastWeatherPeriodH = ptr(p)
	} else if dc.d.PastWeather1 != nil || dc.d.PastWeather2 != nil {
		dc.note("period of past weather unknown: at %02d UTC it depends on the station's observing schedule", dc.hour)
	}
}

func (dc *decoder) presentWeather(t token, ww int, auto bool) *Weather {
	if !auto {
		return &Weather{Code: ww, Description: presentWeatherManual[ww]}
	}
	if presentWeatherAutomatic[ww] == "" {
		dc.fail(t, "wawa %02d is reserved in code table 4680", ww)
		return nil
	}
	return &Weather{Code: ww, Automatic: true, Description: presentWeatherAutomatic[ww]}
}

func (dc *decoder) pastWeather(t token, c byte, auto bool) *Weather {
	if c == '/' {
		return nil
	}
	if c < '0' || c > '9' {
		dc.fail(t, "past weather %q is not 0-9", string(c))
		return nil
	}
	w := int(c - '0')
	if auto {
		return &Weather{Code: w, Automatic: true, Description: pastWeatherAutomatic[w]}
	}
	return &Weather{Code: w, Description: pastWeatherManual[w]}
}

// clouds decodes 8NhCLCMCH.
func (dc *decoder) clouds(t token) {
	g := t.text
	c := &Clouds{}
	if n, ok := digits(g[1:2]); ok {
		if n == 9 {
			c.Obscured = true
		} else {
			c.AmountOktas = ptr(n)
		}
	} else if g[1] != '/' {
		dc.fail(t, "cloud amount Nh %q is not 0-9", g[1:2])
	}
	c.Low = dc.cloudType(t, g[2], "CL", &lowClouds)
	c.Middle = dc.cloudType(t, g[3], "CM", &middleClouds)
	c.High = dc.cloudType(t, g[4], "CH", &highClouds)
	dc.d.Clouds = c
}

func (dc *decoder) cloudType(t token, c byte, what string, table *[10]string) CloudType {
	if c >= '0' && c <= '9' {
		return CloudType{Code: ptr(int(c - '0')), Description: table[c-'0']}
	}
	if c != '/' {
		dc.fail(t, "%s %q is not 0-9", what, string(c))
	}
	return CloudType{Description: cloudsInvisible}
}

// exactTime decodes 9GGgg.
func (dc *decoder) exactTime(t token) {
	g := t.text
	hh, ok1 := digits(g[1:3])
	mm, ok2 := digits(g[3:5])
	if !ok1 || !ok2 || hh > 23 || mm > 59 {
		dc.fail(t, "exact time GGgg %q is not a time of day", g[1:])
		return
	}
	dc.d.ExactTime = &ExactTime{Hour: hh, Minute: mm}
}

// humidity computes the relative humidity from air temperature and dew
// point when the report has no 29UUU group: the ratio of the saturation
// vapour pressures over water, with the Magnus formula and the Tetens
// coefficients (17.27, 237.3 °C), rounded to a whole percent as UUU is.
func (dc *decoder) humidity() {
	d := dc.d
	if d.RelativeHumidityPct != nil || d.AirTemperatureC == nil || d.DewPointC == nil {
		return
	}
	t, td := *d.AirTemperatureC, *d.DewPointC
	if td > t {
		dc.probs = append(dc.probs, Problem{Section: "1",
			Message: "dew point above air temperature; relative humidity not computed"})
		return
	}
	d.RelativeHumidityPct = ptr(int(math.Floor(relativeHumidity(t, td) + 0.5)))
	d.RelativeHumidityComputed = true
}

func relativeHumidity(t, td float64) float64 {
	es := func(c float64) float64 { return math.Exp(17.27 * c / (237.3 + c)) }
	return 100 * es(td) / es(t)
}
