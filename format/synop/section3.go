package synop

import "fmt"

// radiationRun tracks the radiation groups that follow a sunshine or
// radiation header in section 3 (regulation 12.4.7.4 ff.).
type radiationRun struct {
	periodH int
	allowed string // indicator figures that may follow, in order
	// single marks a 5540x/5550x header: its one group is net short-wave
	// (4) or direct solar (5) radiation.
	single bool
}

// section3 decodes section 3. Groups are identified by their first figure,
// except right after 55SSS, 553SS, 5540x and 5550x, where figures 0-6
// introduce radiation groups.
func (dc *decoder) section3() {
	var rad radiationRun
	for dc.more() && !dc.atMarker() {
		t := dc.next()
		if t.text == "/////" {
			dc.note("placeholder group ///// in section 3 ignored")
			continue
		}
		if !dc.fiveFigures(t) {
			rad = radiationRun{}
			continue
		}
		if dc.radiation(t, &rad) {
			continue
		}
		rad = radiationRun{}
		dc.section3Group(t, &rad)
	}
}

func (dc *decoder) section3Group(t token, rad *radiationRun) {
	g, d := t.text, dc.d
	switch g[0] {
	case '0':
		d.Regional = append(d.Regional, g)
	case '1':
		d.MaxTemperature = dc.extreme(t, "maximum temperature", true)
	case '2':
		d.MinTemperature = dc.extreme(t, "minimum temperature", false)
	case '3':
		dc.ground(t)
	case '4':
		dc.snow(t)
	case '5':
		dc.group5(t, rad)
	case '6':
		if dc.iR >= 0 && dc.iR != 0 && dc.iR != 2 {
			dc.note("precipitation group %s present although iR = %d", t.text, dc.iR)
		}
		dc.precip3 = true
		dc.precipitation(t, 3)
	case '7':
		dc.precipitation24(t)
	case '8':
		dc.cloudLayer(t)
	case '9':
		dc.supplementary(t)
	default:
		dc.fail(t, "indicator figure %q is not 0-9", g[:1])
	}
}

// extreme decodes 1SnTxTxTx or 2SnTnTnTn with the period the region
// defines for this hour.
func (dc *decoder) extreme(t token, what string, isMax bool) *Extreme {
	v := dc.signedTenths(t, what, t.text[1:])
	if v == nil {
		return nil
	}
	e := &Extreme{ValueC: *v}
	periods, ok := extremePeriods[dc.d.Region]
	switch {
	case !ok:
		e.Note = "period unknown: the station's WMO region is not known"
	case dc.hour < 0 || dc.hour%6 != 0:
		e.Note = fmt.Sprintf("period unknown: region %s defines none at %02d UTC", dc.d.Region, dc.hour)
	default:
		p := periods.min[dc.hour/6]
		if isMax {
			p = periods.max[dc.hour/6]
		}
		if p == 0 {
			e.Note = fmt.Sprintf("period unknown: region %s defines none ending at %02d UTC", dc.d.Region, dc.hour)
		} else {
			e.PeriodH = ptr(p)
		}
	}
	return e
}

// ground decodes 3EsnTgTg (the form used in most regions; 3Ejjj elsewhere).
func (dc *decoder) ground(t token) {
	g := t.text
	if c := dc.figure(t, 1, "state of ground E", &groundState); c != nil {
		dc.d.GroundState = c
	}
	if missing(g[2:]) {
		return
	}
	tg, ok := digits(g[3:])
	if !ok || (g[2] != '0' && g[2] != '1') {
		dc.fail(t, "ground minimum temperature snTgTg %q is not a sign and two digits", g[2:])
		return
	}
	if g[2] == '1' {
		tg = -tg
	}
	dc.d.GroundMinTemperatureC = ptr(tg)
}

// snow decodes 4E'sss (code tables 0975 and 3889).
func (dc *decoder) snow(t token) {
	g := t.text
	if c := dc.figure(t, 1, "state of ground with snow E'", &snowGroundState); c != nil {
		dc.d.SnowGroundState = c
	}
	sss, ok := digits(g[2:])
	switch {
	case missing(g[2:]):
	case !ok:
		dc.fail(t, "snow depth sss %q is not three digits", g[2:])
	case sss == 0:
		// 000 is not a figure of code table 3889, yet stations send 4/000
		// for "no snow"; it is read as a depth of 0.
		dc.d.SnowDepth = &SnowDepth{DepthM: ptr(0.0)}
		dc.note("snow depth sss = 000 (not in code table 3889) read as 0 cm")
	case sss <= 996:
		dc.d.SnowDepth = &SnowDepth{DepthM: ptr(float64(sss) / 100)}
	case sss == 997:
		dc.d.SnowDepth = &SnowDepth{DepthM: ptr(0.0), Description: "Less than 0.5 cm"}
	case sss == 998:
		dc.d.SnowDepth = &SnowDepth{Description: "Snow cover, not continuous"}
	default:
		dc.d.SnowDepth = &SnowDepth{Description: "Measurement impossible or inaccurate"}
	}
}

// precipitation24 decodes 7R24R24R24R24, tenths of a millimetre over 24 h.
func (dc *decoder) precipitation24(t token) {
	g := t.text
	v, ok := digits(g[1:])
	if !ok {
		if !missing(g[1:]) {
			dc.fail(t, "24-hour precipitation %q is not four digits", g[1:])
		}
		return
	}
	p := Precipitation{Section: 3, Group: g, PeriodH: ptr(24)}
	switch v {
	case 9999:
		p.AmountMM, p.Trace = ptr(0.0), true
	case 9998:
		p.AmountMM, p.AtLeast = ptr(999.8), true
	default:
		p.AmountMM = ptr(float64(v) / 10)
	}
	dc.d.Precipitation = append(dc.d.Precipitation, p)
}

// cloudLayer decodes 8NsChshs.
func (dc *decoder) cloudLayer(t token) {
	g := t.text
	l := CloudLayer{Group: g}
	if n, ok := digits(g[1:2]); ok {
		if n == 9 {
			l.Obscured = true
		} else {
			l.AmountOktas = ptr(n)
		}
	} else if g[1] != '/' {
		dc.fail(t, "layer amount Ns %q is not 0-9", g[1:2])
	}
	if c, ok := digits(g[2:3]); ok {
		l.Genus = &CloudType{Code: ptr(c), Description: cloudGenus[c]}
	} else if g[2] == '/' {
		l.Genus = &CloudType{Description: cloudsInvisible}
	} else {
		dc.fail(t, "cloud genus C %q is not 0-9", g[2:3])
	}
	if hh, ok := digits(g[3:]); ok {
		if r, ok := layerBaseRange(hh); ok {
			l.Base = &r
		} else {
			dc.fail(t, "layer height hshs %q is not used in code table 1677", g[3:])
		}
	} else if !missing(g[3:]) {
		dc.fail(t, "layer height hshs %q is not two digits", g[3:])
	}
	dc.d.CloudLayers = append(dc.d.CloudLayers, l)
}
