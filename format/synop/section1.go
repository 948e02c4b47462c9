package synop

import "math"

// indicators decodes iRixhVV.
func (dc *decoder) indicators(t token) {
	if !dc.fiveFigures(t) {
		return
	}
	g, d := t.text, dc.d
	switch c := g[0]; {
	case c >= '0' && c <= '4':
		dc.iR = int(c - '0')
		d.PrecipitationIndicator = &Code{dc.iR, precipitationIndicator[dc.iR]}
		d.NoPrecipitation = dc.iR == 3
	case c != '/':
		dc.fail(t, "precipitation indicator iR %q is not 0-4", g[:1])
	}
	switch c := g[1]; {
	case c >= '1' && c <= '7':
		dc.ix = int(c - '0')
		d.StationOperation = &Code{dc.ix, stationOperation[dc.ix]}
		d.Automatic = ptr(dc.ix >= 4)
	case c != '/':
		dc.fail(t, "station type indicator ix %q is not 1-7", g[1:2])
	}
	if h, ok := digits(g[2:3]); ok {
		d.CloudBase = ptr(cloudBaseRange(h))
	} else if g[2] != '/' {
		dc.fail(t, "cloud base h %q is not 0-9", g[2:3])
	}
	if vv, ok := digits(g[3:5]); ok {
		if r, ok := visibilityRange(vv); ok {
			d.Visibility = &r
		} else {
			dc.fail(t, "visibility VV %q is not used in code table 4377", g[3:5])
		}
	} else if !missing(g[3:5]) {
		dc.fail(t, "visibility VV %q is not two digits", g[3:5])
	}
}

// wind decodes Nddff and the 00fff group that follows when ff is 99.
func (dc *decoder) wind(t token) {
	if !dc.fiveFigures(t) {
		return
	}
	g := t.text
	if n, ok := digits(g[:1]); ok {
		if n == 9 {
			dc.d.TotalCloud = &TotalCloud{SkyObscured: true}
		} else {
			dc.d.TotalCloud = &TotalCloud{Oktas: ptr(n)}
		}
	} else if g[0] != '/' {
		dc.fail(t, "total cloud cover N %q is not 0-9", g[:1])
	}
	w := &Wind{}
	if dd, ok := digits(g[1:3]); ok {
		switch {
		case dd == 0:
			w.Calm = true
		case dd == 99:
			w.Variable = true
		case dd <= 36:
			w.DirectionDeg = ptr(dd * 10)
		default:
			dc.fail(t, "wind direction dd %q is not 00-36 or 99", g[1:3])
		}
	} else if !missing(g[1:3]) {
		dc.fail(t, "wind direction dd %q is not two digits", g[1:3])
	}
	if ff, ok := digits(g[3:5]); ok {
		if ff == 99 {
			ff = dc.extendedSpeed(t)
		}
		dc.setSpeed(t, w, ff)
	} else if !missing(g[3:5]) {
		dc.fail(t, "wind speed ff %q is not two digits", g[3:5])
	}
	if w.Calm && w.ReportedSpeed != nil && *w.ReportedSpeed > 0 {
		dc.fail(t, "calm wind (dd = 00) with a speed of %d", *w.ReportedSpeed)
	}
	if *w != (Wind{}) {
		dc.d.Wind = w
	}
}

// extendedSpeed reads the 00fff group that must follow a speed of 99 units
// or more; without it the speed stays 99.
func (dc *decoder) extendedSpeed(t token) int {
	if dc.more() {
		n := dc.peek()
		if len(n.text) == 5 && n.text[:2] == "00" {
			dc.i++
			if fff, ok := digits(n.text[2:]); ok {
				return fff
			}
			dc.fail(n, "wind speed fff %q is not three digits", n.text[2:])
			return 99
		}
	}
	dc.fail(t, "speed 99 must be followed by a 00fff group; 99 used")
	return 99
}

func (dc *decoder) setSpeed(t token, w *Wind, ff int) {
	w.ReportedSpeed = ptr(ff)
	w.ReportedUnit = windUnit(dc.iw)
	w.SpeedMS = speedMS(ff, dc.iw)
	if w.SpeedMS == nil {
		dc.fail(t, "wind speed not converted: wind unit indicator iw is missing")
	}
}

// section1 decodes the optional groups 1 to 9 of section 1, each identified
// by its first figure.
func (dc *decoder) section1() {
	var seen [10]bool
	for dc.more() && !dc.atMarker() {
		t := dc.next()
		if !dc.fiveFigures(t) {
			continue
		}
		c := t.text[0]
		if c < '1' || c > '9' {
			dc.fail(t, "indicator figure %q is not 1-9 in section 1", t.text[:1])
			continue
		}
		if seen[c-'0'] {
			dc.fail(t, "second %c-group in section 1 ignored", c)
			continue
		}
		seen[c-'0'] = true
		dc.section1Group(t)
	}
}

func (dc *decoder) section1Group(t token) {
	g, d := t.text, dc.d
	switch g[0] {
	case '1':
		d.AirTemperatureC = dc.signedTenths(t, "air temperature", g[1:])
	case '2':
		dc.dewPointOrHumidity(t)
	case '3':
		d.StationPressureHPa = dc.pressure(t, "station pressure", g[1:], 400)
	case '4':
		dc.seaLevelOrGeopotential(t)
	case '5':
		dc.tendency(t)
	case '6':
		if dc.iR >= 0 && dc.iR != 0 && dc.iR != 1 {
			dc.note("precipitation group %s present although iR = %d", t.text, dc.iR)
		}
		dc.precipitation(t, 1)
	case '7':
		dc.weather(t)
	case '8':
		dc.clouds(t)
	case '9':
		dc.exactTime(t)
	}
}

func (dc *decoder) dewPointOrHumidity(t token) {
	g := t.text
	if g[1] != '9' {
		dc.d.DewPointC = dc.signedTenths(t, "dew point", g[1:])
		return
	}
	u, ok := digits(g[2:])
	switch {
	case missing(g[2:]):
	case !ok || u > 100:
		dc.fail(t, "relative humidity UUU %q is not 000-100", g[2:])
	default:
		dc.d.RelativeHumidityPct = ptr(u)
	}
}

// pressure reads tenths of hPa with the thousands figure omitted (0xxx is
// 1xxx hPa). Values below low are rejected as implausible.
func (dc *decoder) pressure(t token, what, p string, low float64) *float64 {
	if missing(p) {
		return nil
	}
	v, ok := digits(p)
	if !ok {
		w, ok2 := digits(p[:3])
		if !ok2 || p[3] != '/' {
			dc.fail(t, "%s %q is not four digits", what, p)
			return nil
		}
		v = w * 10
		dc.note("%s %s: tenths not reported, whole hPa used", what, t.text)
	}
	hpa := float64(v) / 10
	if p[0] == '0' {
		hpa += 1000
	}
	if hpa < low || hpa > 1100 {
		dc.fail(t, "%s %.1f hPa is not plausible", what, hpa)
		return nil
	}
	return &hpa
}

// seaLevelOrGeopotential tells 4PPPP from 4a3hhh. a3 is 1, 2, 5, 7 or 8
// while sea-level pressure starts with 0 or 9, except for the 8xx hPa of the
// deepest cyclones. 8 is therefore read as 850 hPa unless the station
// pressure is within 15 hPa of it: only a station near sea level reports an
// 8xx.x hPa sea-level pressure, and a station that reports the 850 hPa
// surface stands a kilometre or more higher, 100 hPa or more lower.
func (dc *decoder) seaLevelOrGeopotential(t token) {
	g := t.text
	surface, isSurface := isobaricSurface[g[1]]
	if g[1] == '8' && dc.d.StationPressureHPa != nil {
		if p0 := *dc.d.StationPressureHPa; math.Abs(800+float64(atoiOr(g[2:], 0))/10-p0) <= 15 {
			isSurface = false
		}
	}
	if !isSurface {
		dc.d.SeaLevelPressureHPa = dc.pressure(t, "sea-level pressure", g[1:], 800)
		return
	}
	hhh, ok := digits(g[2:])
	if !ok {
		if !missing(g[2:]) {
			dc.fail(t, "geopotential hhh %q is not three digits", g[2:])
		}
		return
	}
	dc.d.Geopotential = &Geopotential{SurfaceHPa: surface, HeightGpm: restoreGeopotential(surface, hhh)}
}

func atoiOr(s string, def int) int {
	if v, ok := digits(s); ok {
		return v
	}
	return def
}

// tendency decodes 5appp; the sign of ppp follows from a (code table 0200).
func (dc *decoder) tendency(t token) {
	g := t.text
	pt := &PressureTendency{}
	a, aok := digits(g[1:2])
	switch {
	case aok && a <= 8:
		pt.Characteristic = &Code{a, tendencyCharacteristic[a]}
	case g[1] != '/':
		dc.fail(t, "tendency characteristic a %q is not 0-8", g[1:2])
	}
	ppp, ok := digits(g[2:])
	switch {
	case missing(g[2:]):
	case !ok:
		dc.fail(t, "pressure change ppp %q is not three digits", g[2:])
	case pt.Characteristic == nil:
		dc.note("pressure change %.1f hPa in %s has no characteristic, hence no sign; not decoded", float64(ppp)/10, g)
	case a == 4 && ppp != 0:
		dc.fail(t, "characteristic 4 (steady) with a change of %.1f hPa", float64(ppp)/10)
	default:
		c := float64(ppp) / 10
		if a >= 5 && c != 0 {
			c = -c
		}
		pt.ChangeHPa = &c
	}
	if pt.Characteristic != nil || pt.ChangeHPa != nil {
		dc.d.PressureTendency = pt
	}
}

// precipitation decodes 6RRRtR of section 1 or 3.
func (dc *decoder) precipitation(t token, section int) {
	g := t.text
	p := Precipitation{Section: section, Group: g}
	if rrr, ok := digits(g[1:4]); ok {
		mm, trace, atLeast := precipitationAmount(rrr)
		p.AmountMM, p.Trace, p.AtLeast = &mm, trace, atLeast
	} else if !missing(g[1:4]) {
		dc.fail(t, "precipitation amount RRR %q is not three digits", g[1:4])
		return
	}
	if tr, ok := digits(g[4:]); ok && precipitationPeriod[tr] > 0 {
		p.PeriodH = ptr(precipitationPeriod[tr])
	} else if g[4] != '/' {
		dc.fail(t, "precipitation period tR %q is not 1-9", g[4:])
	}
	if p.AmountMM != nil || p.PeriodH != nil {
		dc.d.Precipitation = append(dc.d.Precipitation, p)
	}
}
