package synop

import "strings"

// group5 decodes the 5j1j2j3j4 groups of section 3, told apart by j1 (and
// j2 for 55).
func (dc *decoder) group5(t token, rad *radiationRun) {
	g := t.text
	switch g[1] {
	case '0', '1', '2', '3':
		dc.evaporation(t)
	case '4':
		dc.temperatureChange(t)
	case '5':
		dc.sunshine(t, rad)
	case '6':
		dc.d.CloudDrift = &CloudDrift{Low: dc.direction(t, g[2]), Middle: dc.direction(t, g[3]), High: dc.direction(t, g[4])}
	case '7':
		dc.cloudDirection(t)
	case '8', '9':
		dc.pressureChange24(t)
	default:
		dc.fail(t, "group 5j1j2j3j4 with j1 %q is not defined", g[1:2])
	}
}

// evaporation decodes 5EEEiE: tenths of a millimetre over 24 h.
func (dc *decoder) evaporation(t token) {
	g := t.text
	eee, ok := digits(g[1:4])
	if !ok {
		if !missing(g[1:4]) {
			dc.fail(t, "evaporation EEE %q is not three digits", g[1:4])
		}
		return
	}
	e := &Evaporation{AmountMM: float64(eee) / 10}
	e.Instrument = dc.figure(t, 4, "evaporation instrument iE", &evaporationInstrument)
	dc.d.Evaporation = e
}

// temperatureChange decodes 54g0sndT (code table 0822 for dT).
func (dc *decoder) temperatureChange(t token) {
	g := t.text
	g0, ok1 := digits(g[2:3])
	dt, ok2 := digits(g[4:5])
	if !ok1 || !ok2 || (g[3] != '0' && g[3] != '1') {
		if !missing(g[2:]) {
			dc.fail(t, "temperature change g0sndT %q is not an hour, a sign and a figure", g[2:])
		}
		return
	}
	if dt < 5 {
		dt += 10
	}
	if g[3] == '1' {
		dt = -dt
	}
	dc.d.TemperatureChange = &TemperatureChange{ChangeC: dt, HoursBefore: g0}
}

// sunshine decodes 55SSS (previous day), 553SS (previous hour) and the
// radiation headers 55407, 55408, 55507, 55508, and opens the run of
// radiation groups that may follow each.
func (dc *decoder) sunshine(t token, rad *radiationRun) {
	g := t.text
	switch g[2] {
	case '0', '1', '2':
		s := Sunshine{PeriodH: 24}
		if sss, ok := digits(g[2:]); ok && sss <= 240 {
			s.DurationMin = ptr(sss * 6)
		} else if !missing(g[2:]) {
			dc.fail(t, "sunshine SSS %q is not 000-240 tenths of an hour", g[2:])
		}
		dc.d.Sunshine = append(dc.d.Sunshine, s)
		*rad = radiationRun{periodH: 24, allowed: "0123456"}
	case '3':
		s := Sunshine{PeriodH: 1}
		if ss, ok := digits(g[3:]); ok && ss <= 10 {
			s.DurationMin = ptr(ss * 6)
		} else if !missing(g[3:]) {
			dc.fail(t, "sunshine SS %q is not 00-10 tenths of an hour", g[3:])
		}
		dc.d.Sunshine = append(dc.d.Sunshine, s)
		*rad = radiationRun{periodH: 1, allowed: "0123456"}
	case '4', '5':
		period := map[byte]int{'4': 1, '5': 24}[g[2]]
		switch g[3:] {
		case "07":
			*rad = radiationRun{periodH: period, allowed: "4", single: true}
		case "08":
			*rad = radiationRun{periodH: period, allowed: "5", single: true}
		default:
			dc.fail(t, "radiation header 55%c%s is not 55%c07 or 55%c08", g[2], g[3:], g[2], g[2])
		}
	default:
		dc.fail(t, "group 55%s is not a sunshine or radiation group", g[2:])
	}
}

// radiation decodes t as a radiation group when the run allows its figure.
// FFFF is in kJ/m² after an hourly header and in J/cm² after a daily one.
// A 5 followed by 5-9 is the next 5-group, and a 6 is the precipitation
// group when iR puts one in section 3 and no other 6-group follows.
func (dc *decoder) radiation(t token, rad *radiationRun) bool {
	c := t.text[0]
	idx := strings.IndexByte(rad.allowed, c)
	if idx < 0 {
		return false
	}
	if c == '5' && t.text[1] > '4' {
		return false
	}
	if c == '6' && (dc.iR == 0 || dc.iR == 2) && !dc.precip3 && !(dc.more() && dc.peek().text[0] == '6') {
		return false
	}
	rad.allowed = rad.allowed[idx+1:]
	f, ok := digits(t.text[1:])
	if !ok {
		if !missing(t.text[1:]) {
			dc.fail(t, "radiation FFFF %q is not four digits", t.text[1:])
		}
		return true
	}
	j := float64(f) * 1000 // kJ/m²
	if rad.periodH == 24 {
		j = float64(f) * 10000 // J/cm²
	}
	kind := radiationKinds[c-'0']
	if rad.single {
		kind = map[byte]string{'4': "netShortWave", '5': "directSolar"}[c]
	}
	if c == '1' {
		j = -j
	}
	dc.d.Radiation = append(dc.d.Radiation, Radiation{Group: t.text, Kind: kind, PeriodH: rad.periodH, JPerM2: j})
	return true
}

var radiationKinds = [7]string{"net", "net", "globalSolar", "diffuseSolar", "downwardLongWave", "upwardLongWave", "shortWave"}

// direction decodes one figure of code table 0700.
func (dc *decoder) direction(t token, c byte) *Direction {
	if c == '/' {
		return nil
	}
	if c < '0' || c > '9' {
		dc.fail(t, "direction %q is not 0-9", string(c))
		return nil
	}
	d := directions[c-'0']
	out := &Direction{Code: int(c - '0'), Description: d.text}
	if d.deg > 0 {
		out.Degrees = ptr(d.deg)
	}
	return out
}

// cloudDirection decodes 57CDaeC.
func (dc *decoder) cloudDirection(t token) {
	g := t.text
	cd := &CloudDirection{Direction: dc.direction(t, g[3])}
	if c, ok := digits(g[2:3]); ok {
		cd.Genus = &CloudType{Code: ptr(c), Description: cloudGenus[c]}
	} else if g[2] != '/' {
		dc.fail(t, "cloud genus C %q is not 0-9", g[2:3])
	}
	cd.Elevation = dc.figure(t, 4, "elevation angle eC", &elevationAngle)
	dc.d.CloudDirection = cd
}

// pressureChange24 decodes 58p24p24p24 (rise) and 59p24p24p24 (fall).
func (dc *decoder) pressureChange24(t token) {
	g := t.text
	p, ok := digits(g[2:])
	if !ok {
		if !missing(g[2:]) {
			dc.fail(t, "24-hour pressure change %q is not three digits", g[2:])
		}
		return
	}
	v := float64(p) / 10
	if g[1] == '9' && v != 0 {
		v = -v
	}
	dc.d.PressureChange24hHPa = &v
}

// figure decodes the code figure at t.text[i] by its code table; what
// names it in the failure when it is neither a figure nor '/' (not
// reported). Either way it is then nil.
func (dc *decoder) figure(t token, i int, what string, table *[10]string) *Code {
	g := t.text
	if c, ok := digits(g[i : i+1]); ok {
		return &Code{c, table[c]}
	}
	if g[i] != '/' {
		dc.fail(t, "%s %q is not 0-9", what, g[i:i+1])
	}
	return nil
}
