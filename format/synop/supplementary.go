package synop

import "fmt"

// section2 keeps the groups of section 2 and decodes the sea-surface
// temperature 0SsTwTwTw, which must directly follow 222Dsvs.
func (dc *decoder) section2(head token) {
	d := dc.d
	d.Section2 = append(d.Section2, head.text)
	for first := true; dc.more() && !dc.atMarker(); first = false {
		t := dc.next()
		d.Section2 = append(d.Section2, t.text)
		if first && len(t.text) == 5 && t.text[0] == '0' {
			dc.seaSurfaceTemperature(t)
		}
	}
}

// seaSurfaceTemperature decodes 0SsTwTwTw; Ss (code table 3850) gives the
// sign (even: positive, odd: negative) and the method of measurement.
func (dc *decoder) seaSurfaceTemperature(t token) {
	g := t.text
	if missing(g[1:]) {
		return
	}
	ss, ok1 := digits(g[1:2])
	tw, ok2 := digits(g[2:])
	if !ok1 || ss > 7 || !ok2 {
		dc.fail(t, "sea-surface temperature SsTwTwTw %q is not a sign indicator 0-7 and tenths of a degree", g[1:])
		return
	}
	c := float64(tw) / 10
	if ss%2 == 1 {
		c = -c
	}
	dc.d.SeaSurfaceTemperatureC = &c
}

// windSpeedKinds are the wind groups of code table 3778 decoded as speeds.
var windSpeedKinds = map[string]string{
	"910": "highestGust", "911": "highestGust", "912": "highestMeanSpeed", "913": "meanSpeed",
}

// supplementary decodes a 9SpSpspsp group of section 3 (code table 3778).
func (dc *decoder) supplementary(t token) {
	g := t.text
	code := g[:3]
	switch {
	case code == "907":
		dc.referencePeriod(t)
	case windSpeedKinds[code] != "":
		dc.windSpeed(t, windSpeedKinds[code])
	case code == "915":
		dc.windDirection(t)
	case g[1] < '0' || g[1] > '9':
		dc.fail(t, "SpSp %q is not two digits", g[1:3])
	default:
		desc := supplementaryNames[code]
		if desc == "" {
			desc = supplementaryClasses[g[1]-'0']
		}
		dc.d.Supplementary = append(dc.d.Supplementary, Supplementary{Group: g, Description: desc})
	}
}

// referencePeriod decodes 907tt (code table 4077): the duration of the
// period, ending at the observation, of the groups that follow it.
func (dc *decoder) referencePeriod(t token) {
	tt, ok := digits(t.text[3:])
	if !ok {
		dc.fail(t, "period tt %q is not two digits", t.text[3:])
		return
	}
	m, exact, ok := referencePeriod(tt)
	if !ok {
		dc.fail(t, "period tt %02d is not a duration in code table 4077", tt)
		return
	}
	dc.refPeriodMin = ptr(m)
	desc := fmt.Sprintf("period of reference of the following groups: %d min", m)
	if !exact {
		desc = fmt.Sprintf("period of reference of the following groups: %d min or more", m)
	}
	dc.d.Supplementary = append(dc.d.Supplementary, Supplementary{Group: t.text, Description: desc, Interpreted: true})
}

// windSpeed decodes 910ff, 911ff, 912ff and 913ff (with 00fff for 99).
func (dc *decoder) windSpeed(t token, kind string) {
	ff, ok := digits(t.text[3:])
	if !ok {
		if !missing(t.text[3:]) {
			dc.fail(t, "wind speed ff %q is not two digits", t.text[3:])
		}
		return
	}
	if ff == 99 {
		ff = dc.extendedSpeed(t)
	}
	w := WindSpeed{Group: t.text, Kind: kind, ReportedSpeed: ff, SpeedMS: speedMS(ff, dc.iw)}
	if w.SpeedMS == nil {
		dc.fail(t, "wind speed not converted: wind unit indicator iw is missing")
	}
	switch {
	case t.text[:3] == "910":
		w.PeriodMin = ptr(10)
	case dc.refPeriodMin != nil:
		w.PeriodMin = ptr(*dc.refPeriodMin)
	case pastWeatherPeriod(dc.hour) > 0:
		w.PeriodMin = ptr(pastWeatherPeriod(dc.hour) * 60)
	default:
		dc.note("period of %s unknown: no 907tt and no fixed past-weather period at %02d UTC", t.text, dc.hour)
	}
	dc.d.WindSpeeds = append(dc.d.WindSpeeds, w)
}

// windDirection decodes 915dd (code table 0877).
func (dc *decoder) windDirection(t token) {
	dd, ok := digits(t.text[3:])
	if !ok || (dd > 36 && dd != 99) {
		dc.fail(t, "wind direction dd %q is not 00-36 or 99", t.text[3:])
		return
	}
	desc := fmt.Sprintf("wind direction %d°", dd*10)
	switch dd {
	case 0:
		desc = "wind direction: calm"
	case 99:
		desc = "wind direction: variable"
	}
	dc.d.Supplementary = append(dc.d.Supplementary, Supplementary{Group: t.text, Description: desc, Interpreted: true})
}
