package synop

import (
	"fmt"
	"math"
	"slices"
	"strings"
)

// section3 writes "333" and the groups of section 3 in the order of the
// code form, when the values have any.
func (e *encoder) section3() {
	start := len(e.groups)
	e.add("333")
	d := e.d
	for _, g := range d.Regional {
		if len(g) != 5 || g[0] != '0' {
			e.fail("regional", "%q is not a 0xxxx group", g)
		}
		e.add(g)
	}
	if x := d.MaxTemperature; x != nil {
		e.add("1" + e.signedTenths("maxTemperature", x.ValueC))
	}
	if x := d.MinTemperature; x != nil {
		e.add("2" + e.signedTenths("minTemperature", x.ValueC))
	}
	e.ground()
	e.snow()
	e.group5()
	e.precipitation(3)
	e.cloudLayers()
	e.nineGroups()
	e.checkShortWave()
	if len(e.groups) == start+1 {
		e.groups = e.groups[:start]
	}
}

// ground writes 3EsnTgTg.
func (e *encoder) ground() {
	d := e.d
	if d.GroundState == nil && d.GroundMinTemperatureC == nil {
		return
	}
	g := "3" + e.figure("groundState", codeOf(d.GroundState), 9)
	switch t := d.GroundMinTemperatureC; {
	case t == nil:
		g += "///"
	case *t < -99 || *t > 99:
		e.fail("groundMinTemperatureC", "%d °C is outside -99..99", *t)
	case *t < 0:
		g += fmt.Sprintf("1%02d", -*t)
	default:
		g += fmt.Sprintf("0%02d", *t)
	}
	e.add(g)
}

// snow writes 4E'sss (code table 3889: centimetres, 997-999 special).
func (e *encoder) snow() {
	d := e.d
	if d.SnowGroundState == nil && d.SnowDepth == nil {
		return
	}
	g := "4" + e.figure("snowGroundState", codeOf(d.SnowGroundState), 9)
	s := d.SnowDepth
	switch {
	case s == nil:
		g += "///"
	case s.Description == "Snow cover, not continuous":
		g += "998"
	case s.Description == "Measurement impossible or inaccurate":
		g += "999"
	case s.DepthM == nil:
		e.fail("snowDepth", "neither a depth nor one of the special codes")
	case !e.finite("snowDepth.depthM", *s.DepthM):
	default:
		cm := int(math.Round(*s.DepthM * 100))
		switch {
		case *s.DepthM == 0 && s.Description == "":
			g += "000" // what the decoder reads as 0 cm
		case cm == 0 || s.Description == "Less than 0.5 cm":
			g += "997"
		case cm < 0 || cm > 996:
			e.fail("snowDepth.depthM", "%.2f m is outside 0-9.96", *s.DepthM)
		default:
			g += fmt.Sprintf("%03d", cm)
		}
	}
	e.add(g)
}

// group5 writes the 5-groups in the order the decoder tells them apart:
// evaporation and temperature change before sunshine, whose radiation
// groups would otherwise swallow them, and 56 … 59 after.
func (e *encoder) group5() {
	d := e.d
	if ev := d.Evaporation; ev != nil && e.finite("evaporation.amountMM", ev.AmountMM) {
		r := int(math.Round(ev.AmountMM * 10))
		if r < 0 || r > 399 {
			e.fail("evaporation.amountMM", "%.1f mm is outside 0-39.9 (5EEEiE with EEE of 400 or more reads as 54g0sndT)", ev.AmountMM)
		}
		e.add(fmt.Sprintf("5%03d", r) + e.figure("evaporation.instrument", codeOf(ev.Instrument), 9))
	}
	if tc := d.TemperatureChange; tc != nil {
		e.temperatureChange(tc)
	}
	e.sunshineAndRadiation()
	if d.CloudDrift != nil || d.CloudDirection != nil || d.PressureChange24hHPa != nil {
		e.radOpen = false // any of them ends the run of radiation groups
	}
	if cd := d.CloudDrift; cd != nil {
		e.add("56" + e.dir("cloudDrift.low", cd.Low) + e.dir("cloudDrift.middle", cd.Middle) + e.dir("cloudDrift.high", cd.High))
	}
	if cd := d.CloudDirection; cd != nil {
		var genus *int
		if cd.Genus != nil {
			genus = cd.Genus.Code
		}
		e.add("57" + e.figure("cloudDirection.genus", genus, 9) + e.dir("cloudDirection.direction", cd.Direction) +
			e.figure("cloudDirection.elevation", codeOf(cd.Elevation), 9))
	}
	if p := d.PressureChange24hHPa; p != nil && e.finite("pressureChange24hHPa", *p) {
		r := int(math.Round(*p * 10))
		switch {
		case r > 999 || r < -999:
			e.fail("pressureChange24hHPa", "%.1f hPa is outside ±99.9", *p)
		case r < 0:
			e.add(fmt.Sprintf("59%03d", -r))
		default:
			e.add(fmt.Sprintf("58%03d", r))
		}
	}
}

// temperatureChange writes 54g0sndT: |change| 5-14 °C (code table 0822).
func (e *encoder) temperatureChange(tc *TemperatureChange) {
	c := tc.ChangeC
	sign := "0"
	if c < 0 {
		sign, c = "1", -c
	}
	if c < 5 || c > 14 {
		e.fail("temperatureChange.changeC", "%d °C: code table 0822 gives 5-14 °C", tc.ChangeC)
	}
	if tc.HoursBefore < 0 || tc.HoursBefore > 9 {
		e.fail("temperatureChange.hoursBefore", "%d is not 0-9", tc.HoursBefore)
	}
	e.add(fmt.Sprintf("54%d%s%d", tc.HoursBefore, sign, c%10))
}

func (e *encoder) dir(field string, d *Direction) string {
	if d == nil {
		return "/"
	}
	return e.figure(field, &d.Code, 9)
}

// radiationFigure is the indicator figure of a radiation group of the
// 55SSS/553SS runs, by kind (net takes 0 or 1 by its sign).
var radiationFigure = map[string]byte{"globalSolar": '2', "diffuseSolar": '3', "downwardLongWave": '4', "upwardLongWave": '5', "shortWave": '6'}

// sunshineAndRadiation writes each sunshine group, daily first, with the
// radiation groups of its period after it in figure order, then the
// net short-wave and direct solar groups under their 5540x/5550x headers.
func (e *encoder) sunshineAndRadiation() {
	d := e.d
	runs := map[int][]string{}
	var singles []string
	for _, r := range d.Radiation {
		g, single := e.radiationGroup(r)
		switch {
		case g == "":
		case single != "":
			singles = append(singles, single, g)
		default:
			runs[r.PeriodH] = append(runs[r.PeriodH], g)
		}
	}
	sun := slices.Clone(d.Sunshine)
	slices.SortStableFunc(sun, func(a, b Sunshine) int { return b.PeriodH - a.PeriodH })
	for _, s := range sun {
		e.sunshine(s)
		run := runs[s.PeriodH]
		delete(runs, s.PeriodH)
		slices.SortStableFunc(run, func(a, b string) int { return int(a[0]) - int(b[0]) })
		for i := 1; i < len(run); i++ {
			if run[i][0] == run[i-1][0] {
				e.fail("radiation", "two %c-groups over %d h", run[i][0], s.PeriodH)
			}
		}
		e.add(run...)
		if len(run) > 0 && run[len(run)-1][0] == '6' {
			e.shortWaveAt = append(e.shortWaveAt, len(e.groups)-1)
		}
		e.radOpen = len(run) == 0 || run[len(run)-1][0] < '6'
	}
	for p := range runs {
		e.fail("radiation", "radiation over %d h needs a sunshine group of that period (55SSS or 553SS)", p)
	}
	if len(singles) > 0 {
		e.add(singles...)
		e.radOpen = false
	}
}

func (e *encoder) sunshine(s Sunshine) {
	switch s.PeriodH {
	case 24:
		if s.DurationMin == nil || *s.DurationMin < 0 || *s.DurationMin > 1440 {
			e.fail("sunshine", "daily sunshine needs a duration of 0-1440 min (55/// is not read)")
			return
		}
		e.add(fmt.Sprintf("55%03d", (*s.DurationMin+3)/6))
	case 1:
		if s.DurationMin == nil {
			e.add("553//")
			return
		}
		if *s.DurationMin < 0 || *s.DurationMin > 60 {
			e.fail("sunshine", "hourly sunshine %d min is outside 0-60", *s.DurationMin)
		}
		e.add(fmt.Sprintf("553%02d", (*s.DurationMin+3)/6))
	default:
		e.fail("sunshine.periodH", "%d h is not 1 or 24", s.PeriodH)
	}
}

// radiationGroup writes one radiation group; single is the 5540x/5550x
// header a net short-wave or direct solar group needs.
func (e *encoder) radiationGroup(r Radiation) (g, single string) {
	unit := map[int]float64{1: 1000, 24: 10000}[r.PeriodH]
	if unit == 0 {
		e.fail("radiation.periodH", "%d h is not 1 or 24", r.PeriodH)
		return "", ""
	}
	if !e.finite("radiation.jPerM2", r.JPerM2) {
		return "", ""
	}
	f := int(math.Round(math.Abs(r.JPerM2) / unit))
	fig, ok := radiationFigure[r.Kind]
	header := map[int]string{1: "554", 24: "555"}[r.PeriodH]
	switch {
	case r.Kind == "net" && r.JPerM2 < 0 && f > 0:
		fig = '1'
	case r.Kind == "net":
		fig = '0'
	case r.Kind == "netShortWave":
		fig, single = '4', header+"07"
	case r.Kind == "directSolar":
		fig, single = '5', header+"08"
	case !ok:
		e.fail("radiation.kind", "%q is not a radiation kind", r.Kind)
		return "", ""
	}
	switch {
	case r.JPerM2 < 0 && r.Kind != "net":
		e.fail("radiation.jPerM2", "%s radiation %.0f J/m² is negative", r.Kind, r.JPerM2)
	case f > 9999:
		e.fail("radiation.jPerM2", "%.0f J/m² over %d h is more than FFFF can hold", r.JPerM2, r.PeriodH)
	case fig == '5' && f >= 5000:
		e.fail("radiation.jPerM2", "a 5FFFF group with FFFF of 5000 or more reads as a 56-59 group")
	}
	return fmt.Sprintf("%c%04d", fig, f), single
}

// checkShortWave refuses a 6FFFF short-wave radiation group that the
// decoder would read as precipitation: with iR 0 or 2 it takes a 6 for
// precipitation unless another 6-group follows it.
func (e *encoder) checkShortWave() {
	for _, i := range e.shortWaveAt {
		if e.iRIs(0, 2) && (i+1 >= len(e.groups) || e.groups[i+1][0] != '6') {
			e.fail("radiation", "short-wave radiation reads as precipitation when iR is 0 or 2, unless a section-3 6RRRtR follows it")
		}
	}
}

// cloudLayers writes the 8NsChshs groups.
func (e *encoder) cloudLayers() {
	for _, l := range e.d.CloudLayers {
		ns := e.figure("cloudLayers.amountOktas", l.AmountOktas, 8)
		if l.Obscured {
			ns = "9"
		}
		c := "/"
		if l.Genus != nil {
			c = e.figure("cloudLayers.genus", l.Genus.Code, 9)
		}
		e.add("8" + ns + c + rangeCode("cloudLayers.base", l.Base, layerBaseRange, e))
	}
}

// nineGroups writes the 9SpSpspsp groups in the order of their SpSp, so
// that 907tt comes before the wind groups whose period it gives.
func (e *encoder) nineGroups() {
	type group struct{ key, text, extra string }
	var gs []group
	for _, s := range e.d.Supplementary {
		if len(s.Group) != 5 || s.Group[0] != '9' {
			e.fail("supplementary", "%q is not a 9SpSpspsp group", s.Group)
			continue
		}
		gs = append(gs, group{key: s.Group[:3], text: s.Group})
	}
	for _, w := range e.d.WindSpeeds {
		key := windSpeedGroup(w)
		if key == "" {
			e.fail("windSpeeds.kind", "%q is not highestGust, highestMeanSpeed or meanSpeed", w.Kind)
			continue
		}
		ff, extra := e.speed("windSpeeds", &w.ReportedSpeed, nil, "")
		gs = append(gs, group{key: key, text: key + ff, extra: extra})
	}
	slices.SortStableFunc(gs, func(a, b group) int { return strings.Compare(a.key, b.key) })
	for _, g := range gs {
		e.add(g.text)
		if g.extra != "" {
			e.add(g.extra)
		}
	}
}

// windSpeedGroup is 910 … 913: the group as received when known, else
// from the kind (a 10-minute highest gust is 910).
func windSpeedGroup(w WindSpeed) string {
	if len(w.Group) >= 3 && windSpeedKinds[w.Group[:3]] == w.Kind {
		return w.Group[:3]
	}
	switch {
	case w.Kind == "highestGust" && w.PeriodMin != nil && *w.PeriodMin == 10:
		return "910"
	case w.Kind == "highestGust":
		return "911"
	case w.Kind == "highestMeanSpeed":
		return "912"
	case w.Kind == "meanSpeed":
		return "913"
	}
	return ""
}

// rawSections writes sections 4 and 5 and the national sections as kept.
func (e *encoder) rawSections() {
	d := e.d
	if d.Section4 != nil {
		e.add("444")
		e.add(d.Section4...)
	}
	if d.Section5 != nil {
		e.add("555")
		e.add(d.Section5...)
	}
	for _, s := range d.OtherSections {
		if marker(s.Marker) != s.Marker || sectionRank(s.Marker) != 6 {
			e.fail("otherSections", "%q is not a national section marker", s.Marker)
		}
		e.add(s.Marker)
		e.add(s.Groups...)
	}
}
