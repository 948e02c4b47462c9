package synop

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"testing"
)

// checker compares drawn values with what the decoder read from their text,
// field by field, each to the resolution of its code.
type checker struct {
	t      *testing.T
	text   string
	failed bool
}

func (c *checker) errorf(format string, args ...any) {
	c.t.Helper()
	if !c.failed {
		c.t.Errorf("%s\ntext:\n%s", fmt.Sprintf(format, args...), c.text)
	}
	c.failed = true
}

// near compares optional values: both absent, or both present within tol.
func (c *checker) near(field string, want, got *float64, tol float64) {
	c.t.Helper()
	switch {
	case want == nil && got == nil:
	case want == nil || got == nil:
		c.errorf("%s: want %v, got %v", field, show(want), show(got))
	case math.Abs(*want-*got) > tol+1e-9:
		c.errorf("%s: want %g, got %g (tolerance %g)", field, *want, *got, tol)
	}
}

func show[T any](p *T) string {
	if p == nil {
		return "absent"
	}
	return fmt.Sprint(*p)
}

func (c *checker) same(field string, want, got any) {
	c.t.Helper()
	if fmt.Sprint(want) != fmt.Sprint(got) {
		c.errorf("%s: want %v, got %v", field, want, got)
	}
}

func code(p *Code) string {
	if p == nil {
		return "absent"
	}
	return fmt.Sprint(p.Code)
}

func (c *checker) described(field string, got *Code) {
	c.t.Helper()
	if got != nil && got.Description == "" {
		c.errorf("%s: code %d decoded without a description", field, got.Code)
	}
}

func rng(r *Range) string {
	if r == nil {
		return "absent"
	}
	return r.String()
}

func (c *checker) report(v, d *Decoded, iw int) {
	c.same("windUnit", windUnit(iw), d.WindUnit)
	if v.WindMeasured != nil {
		c.same("windMeasured", *v.WindMeasured, show(d.WindMeasured))
	}
	c.same("iR", code(v.PrecipitationIndicator), code(d.PrecipitationIndicator))
	c.described("iR", d.PrecipitationIndicator)
	c.same("ix", code(v.StationOperation), code(d.StationOperation))
	c.same("cloudBase", rng(v.CloudBase), rng(d.CloudBase))
	c.same("visibility", rng(v.Visibility), rng(d.Visibility))
	c.same("totalCloud", fmt.Sprint(v.TotalCloud != nil), fmt.Sprint(d.TotalCloud != nil))
	if v.TotalCloud != nil && d.TotalCloud != nil {
		c.same("totalCloud", fmt.Sprint(show(v.TotalCloud.Oktas), v.TotalCloud.SkyObscured), fmt.Sprint(show(d.TotalCloud.Oktas), d.TotalCloud.SkyObscured))
	}
	c.wind(v.Wind, d.Wind, iw)
	c.near("airTemperatureC", v.AirTemperatureC, d.AirTemperatureC, 0.05)
	c.near("dewPointC", v.DewPointC, d.DewPointC, 0.05)
	if v.DewPointC == nil {
		c.same("relativeHumidityPct", show(v.RelativeHumidityPct), show(d.RelativeHumidityPct))
	}
	c.near("stationPressureHPa", v.StationPressureHPa, d.StationPressureHPa, 0.05)
	c.near("seaLevelPressureHPa", v.SeaLevelPressureHPa, d.SeaLevelPressureHPa, 0.05)
	c.same("geopotential", show(v.Geopotential), show(d.Geopotential))
	c.tendency(v.PressureTendency, d.PressureTendency)
	c.precipitation(v.Precipitation, d.Precipitation)
	c.weather("presentWeather", v.PresentWeather, d.PresentWeather)
	c.weather("pastWeather1", v.PastWeather1, d.PastWeather1)
	c.weather("pastWeather2", v.PastWeather2, d.PastWeather2)
	c.clouds(v.Clouds, d.Clouds)
	c.same("exactTime", show(v.ExactTime), show(d.ExactTime))
	c.near("seaSurfaceTemperatureC", v.SeaSurfaceTemperatureC, d.SeaSurfaceTemperatureC, 0.05)
	c.section3(v, d)
}

func (c *checker) wind(v, d *Wind, iw int) {
	if v == nil || d == nil {
		c.same("wind", v == nil, d == nil)
		return
	}
	c.same("wind.calm", v.Calm, d.Calm)
	c.same("wind.variable", v.Variable, d.Variable)
	if v.DirectionDeg != nil && d.DirectionDeg != nil {
		diff := (*v.DirectionDeg - *d.DirectionDeg + 360) % 360
		if diff > 5 && diff < 355 || *d.DirectionDeg%10 != 0 || *d.DirectionDeg == 0 {
			c.errorf("wind.directionDeg: want %d, got %d", *v.DirectionDeg, *d.DirectionDeg)
		}
	} else {
		c.same("wind.directionDeg", show(v.DirectionDeg), show(d.DirectionDeg))
	}
	switch {
	case v.ReportedSpeed != nil:
		c.same("wind.reportedSpeed", *v.ReportedSpeed, show(d.ReportedSpeed))
	case v.SpeedMS != nil:
		unit := 1.0
		if windUnit(iw) == "kt" {
			unit = ktToMS
		}
		c.near("wind.speedMS", v.SpeedMS, d.SpeedMS, unit/2+0.005)
	default:
		c.same("wind.reportedSpeed", "absent", show(d.ReportedSpeed))
	}
	if d.ReportedSpeed != nil {
		c.near("wind.speedMS (converted)", speedMS(*d.ReportedSpeed, iw), d.SpeedMS, 0)
	}
}

func (c *checker) tendency(v, d *PressureTendency) {
	if v == nil || d == nil {
		c.same("pressureTendency", v == nil, d == nil)
		return
	}
	c.same("pressureTendency.characteristic", code(v.Characteristic), code(d.Characteristic))
	c.described("pressureTendency.characteristic", d.Characteristic)
	c.near("pressureTendency.changeHPa", v.ChangeHPa, d.ChangeHPa, 0.05)
}

// precipitation compares the lists in order: the encoder keeps section 1
// first, then section 3 as given.
func (c *checker) precipitation(v, d []Precipitation) {
	var want []Precipitation
	for _, s := range []int{1, 3} {
		for _, p := range v {
			if p.Section == s {
				want = append(want, p)
			}
		}
	}
	if len(want) != len(d) {
		c.errorf("precipitation: want %d groups, got %d", len(want), len(d))
		return
	}
	for i, w := range want {
		g := d[i]
		f := fmt.Sprintf("precipitation[%d]", i)
		c.same(f+".section", w.Section, g.Section)
		c.same(f+".periodH", show(w.PeriodH), show(g.PeriodH))
		c.same(f+".trace", w.Trace, g.Trace)
		c.same(f+".atLeast", w.AtLeast, g.AtLeast)
		tol := 0.05 // tenths below 1 mm, and in 7R24R24R24R24
		if w.AmountMM != nil && *w.AmountMM >= 0.95 && g.Group[0] == '6' {
			tol = 0.5 // whole millimetres
		}
		if !w.AtLeast {
			c.near(f+".amountMM", w.AmountMM, g.AmountMM, tol)
		}
	}
}

func (c *checker) weather(field string, v, d *Weather) {
	if v == nil || d == nil {
		c.same(field, v == nil, d == nil)
		return
	}
	c.same(field, fmt.Sprint(v.Code, v.Automatic), fmt.Sprint(d.Code, d.Automatic))
	if d.Description == "" {
		c.errorf("%s: no description for %d", field, d.Code)
	}
}

func cloudCode(t CloudType) string { return show(t.Code) }

func (c *checker) clouds(v, d *Clouds) {
	if v == nil || d == nil {
		c.same("clouds", v == nil, d == nil)
		return
	}
	c.same("clouds", fmt.Sprint(show(v.AmountOktas), v.Obscured, cloudCode(v.Low), cloudCode(v.Middle), cloudCode(v.High)),
		fmt.Sprint(show(d.AmountOktas), d.Obscured, cloudCode(d.Low), cloudCode(d.Middle), cloudCode(d.High)))
}

func (c *checker) section3(v, d *Decoded) {
	c.same("regional", v.Regional, d.Regional)
	extreme := func(e *Extreme) *float64 {
		if e == nil {
			return nil
		}
		return &e.ValueC
	}
	c.near("maxTemperature", extreme(v.MaxTemperature), extreme(d.MaxTemperature), 0.05)
	c.near("minTemperature", extreme(v.MinTemperature), extreme(d.MinTemperature), 0.05)
	c.same("groundState", code(v.GroundState), code(d.GroundState))
	c.same("groundMinTemperatureC", show(v.GroundMinTemperatureC), show(d.GroundMinTemperatureC))
	c.same("snowGroundState", code(v.SnowGroundState), code(d.SnowGroundState))
	c.snow(v.SnowDepth, d.SnowDepth)
	if v.Evaporation == nil || d.Evaporation == nil {
		c.same("evaporation", v.Evaporation == nil, d.Evaporation == nil)
	} else {
		c.near("evaporation.amountMM", &v.Evaporation.AmountMM, &d.Evaporation.AmountMM, 0.05)
		c.same("evaporation.instrument", code(v.Evaporation.Instrument), code(d.Evaporation.Instrument))
	}
	c.same("temperatureChange", show(v.TemperatureChange), show(d.TemperatureChange))
	c.sunshine(v.Sunshine, d.Sunshine)
	c.radiation(v.Radiation, d.Radiation)
	dir := func(x *Direction) string { return show(codeOfDir(x)) }
	if v.CloudDrift == nil || d.CloudDrift == nil {
		c.same("cloudDrift", v.CloudDrift == nil, d.CloudDrift == nil)
	} else {
		c.same("cloudDrift", dir(v.CloudDrift.Low)+dir(v.CloudDrift.Middle)+dir(v.CloudDrift.High),
			dir(d.CloudDrift.Low)+dir(d.CloudDrift.Middle)+dir(d.CloudDrift.High))
	}
	if v.CloudDirection == nil || d.CloudDirection == nil {
		c.same("cloudDirection", v.CloudDirection == nil, d.CloudDirection == nil)
	} else {
		genus := func(t *CloudType) string {
			if t == nil {
				return "absent"
			}
			return show(t.Code)
		}
		c.same("cloudDirection", genus(v.CloudDirection.Genus)+dir(v.CloudDirection.Direction)+code(v.CloudDirection.Elevation),
			genus(d.CloudDirection.Genus)+dir(d.CloudDirection.Direction)+code(d.CloudDirection.Elevation))
	}
	c.near("pressureChange24hHPa", v.PressureChange24hHPa, d.PressureChange24hHPa, 0.05)
	c.layers(v.CloudLayers, d.CloudLayers)
	c.nineGroups(v, d)
}

func codeOfDir(x *Direction) *int {
	if x == nil {
		return nil
	}
	return &x.Code
}

func (c *checker) snow(v, d *SnowDepth) {
	if v == nil || d == nil {
		c.same("snowDepth", v == nil, d == nil)
		return
	}
	switch {
	case v.DepthM == nil || d.DepthM == nil:
		c.same("snowDepth", show(v), show(d))
	case math.Abs(*v.DepthM-*d.DepthM) > 0.005+1e-9:
		c.errorf("snowDepth.depthM: want %g, got %g", *v.DepthM, *d.DepthM)
	case v.Description != "" && v.Description != d.Description:
		c.errorf("snowDepth.description: want %q, got %q", v.Description, d.Description)
	}
}

func (c *checker) sunshine(v, d []Sunshine) {
	want := slices.Clone(v)
	slices.SortStableFunc(want, func(a, b Sunshine) int { return b.PeriodH - a.PeriodH })
	if len(want) != len(d) {
		c.errorf("sunshine: want %d, got %d", len(want), len(d))
		return
	}
	for i := range want {
		c.same("sunshine.periodH", want[i].PeriodH, d[i].PeriodH)
		w, g := want[i].DurationMin, d[i].DurationMin
		if w == nil || g == nil {
			c.same("sunshine.durationMin", show(w), show(g))
		} else if abs(*w-*g) > 3 {
			c.errorf("sunshine.durationMin: want %d, got %d", *w, *g)
		}
	}
}

func (c *checker) radiation(v, d []Radiation) {
	order := func(a, b Radiation) int {
		return cmp.Or(a.PeriodH-b.PeriodH, cmp.Compare(a.Kind, b.Kind), cmp.Compare(a.JPerM2, b.JPerM2))
	}
	want, got := slices.Clone(v), slices.Clone(d)
	slices.SortFunc(want, order)
	slices.SortFunc(got, order)
	if len(want) != len(got) {
		c.errorf("radiation: want %d groups, got %d", len(want), len(got))
		return
	}
	for i := range want {
		unit := map[int]float64{1: 1000, 24: 10000}[want[i].PeriodH]
		c.same("radiation.kind", want[i].Kind+fmt.Sprint(want[i].PeriodH), got[i].Kind+fmt.Sprint(got[i].PeriodH))
		c.near("radiation.jPerM2", &want[i].JPerM2, &got[i].JPerM2, unit/2)
	}
}

func (c *checker) layers(v, d []CloudLayer) {
	if len(v) != len(d) {
		c.errorf("cloudLayers: want %d, got %d", len(v), len(d))
		return
	}
	for i := range v {
		c.same("cloudLayers", fmt.Sprint(show(v[i].AmountOktas), v[i].Obscured, show(v[i].Genus.Code), rng(v[i].Base)),
			fmt.Sprint(show(d[i].AmountOktas), d[i].Obscured, show(d[i].Genus.Code), rng(d[i].Base)))
	}
}

func (c *checker) nineGroups(v, d *Decoded) {
	var want, got []string
	for _, s := range v.Supplementary {
		want = append(want, s.Group)
	}
	for _, s := range d.Supplementary {
		got = append(got, s.Group)
	}
	for _, w := range v.WindSpeeds {
		want = append(want, fmt.Sprint(w.Kind, w.ReportedSpeed))
	}
	for _, w := range d.WindSpeeds {
		got = append(got, fmt.Sprint(w.Kind, w.ReportedSpeed))
		if w.SpeedMS == nil {
			c.errorf("windSpeeds: %s has no speed in m/s", w.Group)
		}
	}
	slices.Sort(want)
	slices.Sort(got)
	c.same("supplementary and wind speeds", want, got)
}
