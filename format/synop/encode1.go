package synop

import (
	"fmt"
	"math"
	"slices"
)

// section1 writes iRixhVV, Nddff (00fff) and the groups 1 to 9.
func (e *encoder) section1() {
	e.indicators()
	e.wind()
	d := e.d
	if d.AirTemperatureC != nil {
		e.add("1" + e.signedTenths("airTemperatureC", *d.AirTemperatureC))
	}
	e.dewPointOrHumidity()
	if d.StationPressureHPa != nil {
		e.add("3" + e.pressureFigures("stationPressureHPa", *d.StationPressureHPa, 400))
	}
	e.seaLevelOrGeopotential()
	e.tendency()
	e.precipitation(1)
	e.weather()
	e.clouds()
	if t := d.ExactTime; t != nil {
		if t.Hour < 0 || t.Hour > 23 || t.Minute < 0 || t.Minute > 59 {
			e.fail("exactTime", "%02d:%02d is not a time of day", t.Hour, t.Minute)
		}
		e.add(fmt.Sprintf("9%02d%02d", t.Hour, t.Minute))
	}
}

func (e *encoder) indicators() {
	d := e.d
	iR := e.figure("precipitationIndicator", codeOf(d.PrecipitationIndicator), 4)
	ix := "/"
	if ixv := codeOf(d.StationOperation); ixv != nil {
		if *ixv < 1 || *ixv > 7 {
			e.fail("stationOperation", "ix %d is not 1-7", *ixv)
		}
		ix = fmt.Sprint(*ixv)
	}
	h := "/"
	if d.CloudBase != nil {
		c, err := cloudBaseCode(*d.CloudBase)
		if err != nil {
			e.fail("cloudBase", "%s is not a class of code table 1600", d.CloudBase)
		}
		h = fmt.Sprint(c)
	}
	vv := rangeCode("visibility", d.Visibility, visibilityRange, e)
	e.add(iR + ix + h + vv)
}

// wind writes Nddff, and 00fff after it when the speed is 99 units or more.
func (e *encoder) wind() {
	d := e.d
	n := "/"
	if tc := d.TotalCloud; tc != nil {
		if tc.SkyObscured {
			n = "9"
		} else {
			n = e.figure("totalCloud.oktas", tc.Oktas, 8)
		}
	}
	w := d.Wind
	if w == nil {
		e.add(n + "////")
		return
	}
	dd := e.direction(w)
	ff, extra := e.speed("wind", w.ReportedSpeed, w.SpeedMS, w.ReportedUnit)
	if w.Calm && ff != "//" && ff != "00" {
		e.fail("wind", "calm with a speed of %s", ff)
	}
	e.add(n + dd + ff)
	if extra != "" {
		e.add(extra)
	}
}

func (e *encoder) direction(w *Wind) string {
	switch {
	case w.Calm && w.Variable:
		e.fail("wind", "both calm and variable")
	case w.Calm:
		return "00"
	case w.Variable:
		return "99"
	case w.DirectionDeg == nil:
		return "//"
	}
	deg := *w.DirectionDeg
	if deg < 0 || deg > 360 {
		e.fail("wind.directionDeg", "%d° is outside 0-360", deg)
		return "//"
	}
	dd := (deg + 5) / 10
	if dd == 0 {
		dd = 36 // north is 360°; 00 means calm
	}
	return fmt.Sprintf("%02d", dd)
}

// speed writes ff, and the 00fff group for 99 units or more: the reported
// speed when given, else the speed in m/s converted to the bulletin's unit.
func (e *encoder) speed(field string, reported *int, ms *float64, unit string) (ff, extra string) {
	var v int
	switch {
	case reported != nil:
		if unit != "" && unit != windUnit(e.iw) {
			e.fail(field+".reportedUnit", "%s, but the bulletin's iw %d says %q", unit, e.iw, windUnit(e.iw))
		}
		v = *reported
	case ms == nil:
		return "//", ""
	case windUnit(e.iw) == "":
		e.fail(field+".speedMS", "a speed needs the wind unit indicator iw")
		return "//", ""
	case !e.finite(field+".speedMS", *ms):
		return "//", ""
	case windUnit(e.iw) == "kt":
		v = int(math.Round(*ms / ktToMS))
	default:
		v = int(math.Round(*ms))
	}
	if v < 0 || v > 999 {
		e.fail(field, "speed %d is outside 0-999", v)
		return "//", ""
	}
	if v >= 99 {
		return "99", fmt.Sprintf("00%03d", v)
	}
	return fmt.Sprintf("%02d", v), ""
}

// dewPointOrHumidity writes the dew point; a relative humidity is written
// as 29UUU only when no dew point is given and it was not computed from one.
func (e *encoder) dewPointOrHumidity() {
	d := e.d
	switch {
	case d.DewPointC != nil:
		e.add("2" + e.signedTenths("dewPointC", *d.DewPointC))
	case d.RelativeHumidityPct != nil && !d.RelativeHumidityComputed:
		u := *d.RelativeHumidityPct
		if u < 0 || u > 100 {
			e.fail("relativeHumidityPct", "%d is not 0-100", u)
		}
		e.add(fmt.Sprintf("29%03d", u))
	}
}

// seaLevelOrGeopotential writes 4PPPP or 4a3hhh, refusing values the
// decoder would take for the other group (see its seaLevelOrGeopotential).
func (e *encoder) seaLevelOrGeopotential() {
	d := e.d
	switch {
	case d.SeaLevelPressureHPa != nil && d.Geopotential != nil:
		e.fail("seaLevelPressureHPa", "a report has either a sea-level pressure or a geopotential, not both")
	case d.SeaLevelPressureHPa != nil:
		p := e.pressureFigures("seaLevelPressureHPa", *d.SeaLevelPressureHPa, 800)
		if p[0] == '8' && !nearStationPressure(d, p) {
			e.fail("seaLevelPressureHPa", "%s hPa reads as a 850 hPa geopotential unless the station pressure is within 15 hPa", p)
		}
		e.add("4" + p)
	case d.Geopotential != nil:
		e.geopotential(d.Geopotential)
	}
}

func nearStationPressure(d *Decoded, p string) bool {
	v, ok := digits(p[1:])
	return ok && d.StationPressureHPa != nil && math.Abs(800+float64(v)/10-*d.StationPressureHPa) <= 15
}

func (e *encoder) geopotential(g *Geopotential) {
	a3 := byte(0)
	for c, s := range isobaricSurface {
		if s == g.SurfaceHPa {
			a3 = c
		}
	}
	if a3 == 0 {
		e.fail("geopotential.surfaceHPa", "%d hPa is not a standard surface of code table 0264", g.SurfaceHPa)
		return
	}
	hhh := ((g.HeightGpm % 1000) + 1000) % 1000
	if restoreGeopotential(g.SurfaceHPa, hhh) != g.HeightGpm {
		e.fail("geopotential.heightGpm", "%d gpm is too far from the standard height of %d hPa to be restored from hhh", g.HeightGpm, g.SurfaceHPa)
		return
	}
	grp := fmt.Sprintf("4%c%03d", a3, hhh)
	if a3 == '8' && nearStationPressure(e.d, grp[1:]) {
		e.fail("geopotential", "%s reads as a sea-level pressure: the station pressure is within 15 hPa of 8%s.%s hPa", grp, grp[2:4], grp[4:])
	}
	e.add(grp)
}

// tendency writes 5appp; the sign of the change must agree with a.
func (e *encoder) tendency() {
	pt := e.d.PressureTendency
	if pt == nil {
		return
	}
	a := e.figure("pressureTendency.characteristic", codeOf(pt.Characteristic), 8)
	ppp := "///"
	if c := pt.ChangeHPa; c != nil && e.finite("pressureTendency.changeHPa", *c) {
		r := int(math.Round(*c * 10))
		switch {
		case pt.Characteristic == nil:
			e.fail("pressureTendency.changeHPa", "a change needs the characteristic a, which gives its sign")
		case r > 999 || r < -999:
			e.fail("pressureTendency.changeHPa", "%.1f hPa is outside ±99.9", *c)
		case a == "4" && r != 0, a < "4" && r < 0, a > "4" && r > 0:
			e.fail("pressureTendency.changeHPa", "%.1f hPa disagrees with characteristic %s", *c, a)
		}
		ppp = fmt.Sprintf("%03d", abs(r))
	}
	e.add("5" + a + ppp)
}

// precipitation writes the 6RRRtR group of section 1, or those of section
// 3 and its 7R24R24R24R24 group.
func (e *encoder) precipitation(section int) {
	seen := false
	for _, p := range e.d.Precipitation {
		if p.Section != section {
			continue
		}
		if section == 3 && p.PeriodH != nil && *p.PeriodH == 24 && (p.Group == "" || p.Group[0] == '7') {
			e.precipitation24(p)
			continue
		}
		if seen {
			e.fail("precipitation", "a second 6RRRtR group in section %d", section)
		}
		if e.radOpen && !e.iRIs(0, 2) {
			e.fail("precipitation", "a section-3 6RRRtR right after sunshine and radiation groups needs iR 0 or 2, else it reads as radiation")
		}
		seen = true
		e.add("6" + e.amount(p) + e.period(p))
	}
}

func (e *encoder) iRIs(codes ...int) bool {
	iR := codeOf(e.d.PrecipitationIndicator)
	return iR != nil && slices.Contains(codes, *iR)
}

// amount is RRR of code table 3590.
func (e *encoder) amount(p Precipitation) string {
	switch {
	case p.Trace:
		return "990"
	case p.AtLeast:
		return "989"
	case p.AmountMM == nil:
		return "///"
	case !e.finite("precipitation.amountMM", *p.AmountMM):
		return "///"
	}
	mm := *p.AmountMM
	tenths := int(math.Round(mm * 10))
	switch {
	case tenths < 0:
		e.fail("precipitation.amountMM", "%.1f mm is negative", mm)
	case tenths == 0:
		return "000"
	case tenths < 10:
		return fmt.Sprintf("99%d", tenths)
	case math.Round(mm) > 988:
		e.fail("precipitation.amountMM", "%.0f mm is more than 988 (use AtLeast)", mm)
	}
	return fmt.Sprintf("%03d", int(math.Round(mm)))
}

// period is tR of code table 4019.
func (e *encoder) period(p Precipitation) string {
	if p.PeriodH == nil {
		return "/"
	}
	for tr, h := range precipitationPeriod {
		if h > 0 && h == *p.PeriodH {
			return fmt.Sprint(tr)
		}
	}
	e.fail("precipitation.periodH", "%d h is not a period of code table 4019", *p.PeriodH)
	return "/"
}

// precipitation24 writes 7R24R24R24R24, tenths of a millimetre.
func (e *encoder) precipitation24(p Precipitation) {
	switch {
	case p.Trace:
		e.add("79999")
	case p.AtLeast:
		e.add("79998")
	case p.AmountMM == nil:
		e.add("7////")
	case e.finite("precipitation.amountMM", *p.AmountMM):
		r := int(math.Round(*p.AmountMM * 10))
		if r < 0 || r > 9997 {
			e.fail("precipitation.amountMM", "24-hour amount %.1f mm is outside 0-999.7", *p.AmountMM)
		}
		e.add(fmt.Sprintf("7%04d", r))
	}
}

// weather writes 7wwW1W2 (or 7wawaWa1Wa2): the tables follow ix, so the
// values' Automatic flag must agree with it.
func (e *encoder) weather() {
	d := e.d
	if d.PresentWeather == nil && d.PastWeather1 == nil && d.PastWeather2 == nil {
		return
	}
	auto := d.StationOperation != nil && d.StationOperation.Code == 7
	ww := "//"
	if w := d.PresentWeather; w != nil {
		switch {
		case w.Code < 0 || w.Code > 99:
			e.fail("presentWeather", "%d is not 00-99", w.Code)
		case w.Automatic != auto:
			e.fail("presentWeather", "automatic = %v, but ix says %v", w.Automatic, auto)
		case auto && presentWeatherAutomatic[w.Code] == "":
			e.fail("presentWeather", "wawa %02d is reserved in code table 4680", w.Code)
		}
		ww = fmt.Sprintf("%02d", w.Code)
	}
	e.add("7" + ww + e.past("pastWeather1", d.PastWeather1, auto) + e.past("pastWeather2", d.PastWeather2, auto))
}

func (e *encoder) past(field string, w *Weather, auto bool) string {
	if w == nil {
		return "/"
	}
	if w.Automatic != auto {
		e.fail(field, "automatic = %v, but ix says %v", w.Automatic, auto)
	}
	return e.figure(field, &w.Code, 9)
}

// clouds writes 8NhCLCMCH.
func (e *encoder) clouds() {
	c := e.d.Clouds
	if c == nil {
		return
	}
	nh := e.figure("clouds.amountOktas", c.AmountOktas, 8)
	if c.Obscured {
		nh = "9"
	}
	e.add("8" + nh + e.figure("clouds.low", c.Low.Code, 9) + e.figure("clouds.middle", c.Middle.Code, 9) + e.figure("clouds.high", c.High.Code, 9))
}

// section2 writes section 2 as kept, or a minimal one for a sea-surface
// temperature given without it.
func (e *encoder) section2() {
	d := e.d
	if len(d.Section2) > 0 {
		if marker(d.Section2[0]) != "2" {
			e.fail("section2", "first group %q is not 222Dsvs", d.Section2[0])
		}
		e.add(d.Section2...)
		return
	}
	if t := d.SeaSurfaceTemperatureC; t != nil {
		s := e.signedTenths("seaSurfaceTemperatureC", *t)
		e.add("222//", "0"+s)
	}
}
