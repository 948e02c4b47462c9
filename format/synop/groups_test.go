package synop

import (
	"strings"
	"testing"
)

// decode1 parses one report under the section 0 "AAXX date".
func decode1(t *testing.T, date, report string) Report {
	t.Helper()
	f := mustParse(t, "AAXX "+date+"\n"+report+"=\n")
	if len(f.Bulletins) != 1 || len(f.Bulletins[0].Reports) != 1 {
		t.Fatalf("want one report, got %+v", f)
	}
	return f.Bulletins[0].Reports[0]
}

func eqf(t *testing.T, what string, got *float64, want float64) {
	t.Helper()
	if got == nil || *got != want {
		t.Errorf("%s = %v, want %v", what, deref(got), want)
	}
}

func eqi(t *testing.T, what string, got *int, want int) {
	t.Helper()
	if got == nil || *got != want {
		t.Errorf("%s = %v, want %v", what, deref(got), want)
	}
}

func deref[T any](p *T) any {
	if p == nil {
		return nil
	}
	return *p
}

func noProblems(t *testing.T, r Report) {
	t.Helper()
	if len(r.Problems) > 0 {
		t.Errorf("unexpected problems: %v", r.Problems)
	}
}

func hasProblem(t *testing.T, r Report, group, fragment string) {
	t.Helper()
	for _, p := range r.Problems {
		if p.Group == group && strings.Contains(p.Message, fragment) {
			return
		}
	}
	t.Errorf("no problem on %q containing %q in %v", group, fragment, r.Problems)
}

type groupCase struct {
	name   string
	date   string
	report string
	check  func(t *testing.T, r Report, d *Decoded)
}

func runCases(t *testing.T, cases []groupCase) {
	t.Helper()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := decode1(t, c.date, c.report)
			if r.Decoded == nil {
				t.Fatalf("not decoded: %v", r.Problems)
			}
			c.check(t, r, r.Decoded)
		})
	}
}

func TestSection1Indicators(t *testing.T) {
	runCases(t, []groupCase{
		{"manned, h and VV", "01001", "96749 12583 10000", func(t *testing.T, r Report, d *Decoded) {
			noProblems(t, r)
			if d.PrecipitationIndicator.Code != 1 || d.StationOperation.Code != 2 || *d.Automatic {
				t.Errorf("indicators %+v %+v", d.PrecipitationIndicator, d.StationOperation)
			}
			if d.CloudBase.MinM != 600 || *d.CloudBase.MaxM != 1000 || d.Visibility.MinM != 45000 {
				t.Errorf("h %+v VV %+v", d.CloudBase, d.Visibility)
			}
			if d.Region != "V" || d.WindUnit != "m/s" || !*d.WindMeasured {
				t.Errorf("region %q unit %q", d.Region, d.WindUnit)
			}
		}},
		{"automatic, visibility below 50 m", "01000", "96749 36/90 10000", func(t *testing.T, r Report, d *Decoded) {
			noProblems(t, r)
			if !*d.Automatic || d.CloudBase != nil || !d.NoPrecipitation || d.Visibility.MinM != 0 || *d.Visibility.MaxM != 50 {
				t.Errorf("%+v %+v %+v", d.Automatic, d.CloudBase, d.Visibility)
			}
			if d.WindMeasured == nil || *d.WindMeasured {
				t.Error("iw = 0 is an estimated wind")
			}
		}},
		{"visibility 51 is unused", "01001", "96749 12151 10000", func(t *testing.T, r Report, d *Decoded) {
			hasProblem(t, r, "12151", "not used in code table 4377")
		}},
		{"iR 4: not available", "01001", "96749 42970 10000", func(t *testing.T, r Report, d *Decoded) {
			if d.PrecipitationIndicator.Code != 4 || d.NoPrecipitation {
				t.Errorf("iR %+v", d.PrecipitationIndicator)
			}
		}},
	})
}

func TestWindGroup(t *testing.T) {
	runCases(t, []groupCase{
		{"m/s", "01001", "96749 32970 82705", func(t *testing.T, r Report, d *Decoded) {
			noProblems(t, r)
			eqi(t, "N", d.TotalCloud.Oktas, 8)
			eqi(t, "dd", d.Wind.DirectionDeg, 270)
			eqf(t, "ff", d.Wind.SpeedMS, 5)
		}},
		{"knots converted", "01004", "96749 32970 93615", func(t *testing.T, r Report, d *Decoded) {
			noProblems(t, r)
			if !d.TotalCloud.SkyObscured || d.Wind.ReportedUnit != "kt" || *d.Wind.ReportedSpeed != 15 {
				t.Errorf("%+v %+v", d.TotalCloud, d.Wind)
			}
			eqf(t, "speed", d.Wind.SpeedMS, 7.72)
			eqi(t, "dd", d.Wind.DirectionDeg, 360)
		}},
		{"00fff after 99", "01004", "96749 32970 81099 00120 10250", func(t *testing.T, r Report, d *Decoded) {
			noProblems(t, r)
			eqi(t, "fff", d.Wind.ReportedSpeed, 120)
			eqf(t, "speed", d.Wind.SpeedMS, 61.73)
			eqf(t, "T after 00fff", d.AirTemperatureC, 25)
		}},
		{"calm and variable", "01001", "96749 32970 /0000 10250", func(t *testing.T, r Report, d *Decoded) {
			if !d.Wind.Calm || d.TotalCloud != nil || *d.Wind.SpeedMS != 0 {
				t.Errorf("%+v", d.Wind)
			}
		}},
		{"calm with a speed", "01001", "96749 32970 30003", func(t *testing.T, r Report, d *Decoded) {
			hasProblem(t, r, "30003", "calm wind")
		}},
		{"direction 37 invalid", "01001", "96749 32970 33705 10250", func(t *testing.T, r Report, d *Decoded) {
			hasProblem(t, r, "33705", "not 00-36 or 99")
			eqf(t, "speed kept", d.Wind.SpeedMS, 5)
			eqf(t, "T", d.AirTemperatureC, 25)
		}},
		{"variable direction, wind unit missing", "0100/", "96749 32970 39903", func(t *testing.T, r Report, d *Decoded) {
			if !d.Wind.Variable || d.Wind.SpeedMS != nil || *d.Wind.ReportedSpeed != 3 {
				t.Errorf("%+v", d.Wind)
			}
			hasProblem(t, r, "39903", "iw is missing")
		}},
	})
}

func TestTemperatureHumidityPressure(t *testing.T) {
	runCases(t, []groupCase{
		{"negative temperatures and computed RH", "21121", "15108 02698 20402 11039 21122 38210 48624", func(t *testing.T, r Report, d *Decoded) {
			noProblems(t, r)
			eqf(t, "T", d.AirTemperatureC, -3.9)
			eqf(t, "Td", d.DewPointC, -12.2)
			eqi(t, "RH", d.RelativeHumidityPct, 52)
			if !d.RelativeHumidityComputed {
				t.Error("RH not marked computed")
			}
			eqf(t, "P0", d.StationPressureHPa, 821)
			if d.SeaLevelPressureHPa != nil || *d.Geopotential != (Geopotential{850, 1624}) {
				t.Errorf("4-group: %v %+v", d.SeaLevelPressureHPa, d.Geopotential)
			}
		}},
		{"29UUU", "01001", "96749 32970 10000 10250 29085 30055 40123", func(t *testing.T, r Report, d *Decoded) {
			noProblems(t, r)
			eqi(t, "RH", d.RelativeHumidityPct, 85)
			if d.DewPointC != nil || d.RelativeHumidityComputed {
				t.Error("29UUU is not a dew point")
			}
			eqf(t, "P0", d.StationPressureHPa, 1005.5)
			eqf(t, "SLP", d.SeaLevelPressureHPa, 1012.3)
		}},
		{"letter in a group", "01001", "96749 32970 10000 1A234 20230 39990 40080", func(t *testing.T, r Report, d *Decoded) {
			if len(r.Problems) != 1 || r.Problems[0].Message != `group "1A234": air temperature sign "A" is not 0 or 1` ||
				r.Problems[0].Section != "1" || r.Problems[0].Line != 2 {
				t.Errorf("problems %v", r.Problems)
			}
			if d.AirTemperatureC != nil {
				t.Error("bad temperature decoded")
			}
			eqf(t, "Td", d.DewPointC, 23)
			eqf(t, "SLP", d.SeaLevelPressureHPa, 1008)
		}},
		{"dew point above temperature", "01001", "96749 32970 10000 10200 20210", func(t *testing.T, r Report, d *Decoded) {
			if d.RelativeHumidityPct != nil || len(r.Problems) != 1 {
				t.Errorf("RH %v, problems %v", deref(d.RelativeHumidityPct), r.Problems)
			}
		}},
		{"missing values are not problems", "01001", "96749 32970 10000 10/// 2//// 3//// 4////", func(t *testing.T, r Report, d *Decoded) {
			noProblems(t, r)
		}},
		{"8xx.x hPa sea-level pressure near sea level", "01001", "98223 32970 10000 38912 48935", func(t *testing.T, r Report, d *Decoded) {
			eqf(t, "SLP", d.SeaLevelPressureHPa, 893.5)
		}},
	})
}

func TestGeopotentialSurfaces(t *testing.T) {
	for _, c := range []struct {
		group   string
		surface int
		height  int
	}{
		{"41050", 1000, 50}, {"41950", 1000, -50}, {"42952", 925, 952}, {"42050", 925, 1050},
		{"48624", 850, 1624}, {"48980", 850, 980}, {"47110", 700, 3110}, {"47950", 700, 2950},
		{"45880", 500, 5880}, {"45100", 500, 5100},
	} {
		d := decode1(t, "01001", "96749 32970 10000 "+c.group).Decoded
		if d.Geopotential == nil || *d.Geopotential != (Geopotential{c.surface, c.height}) {
			t.Errorf("%s: got %+v, want %d hPa %d gpm", c.group, d.Geopotential, c.surface, c.height)
		}
	}
}

func TestTendencyAndPrecipitation(t *testing.T) {
	runCases(t, []groupCase{
		{"rise and fall", "01001", "96749 02970 10000 52003 60001 333 60007", func(t *testing.T, r Report, d *Decoded) {
			noProblems(t, r)
			eqf(t, "ppp", d.PressureTendency.ChangeHPa, 0.3)
			if len(d.Precipitation) != 2 || *d.Precipitation[0].PeriodH != 6 || *d.Precipitation[1].PeriodH != 3 || d.Precipitation[1].Section != 3 {
				t.Errorf("precipitation %+v", d.Precipitation)
			}
		}},
		{"fall, trace", "01001", "96749 12970 10000 58014 69901", func(t *testing.T, r Report, d *Decoded) {
			eqf(t, "ppp", d.PressureTendency.ChangeHPa, -1.4)
			p := d.Precipitation[0]
			if !p.Trace || *p.AmountMM != 0 || *p.PeriodH != 6 {
				t.Errorf("990: %+v", p)
			}
		}},
		{"tenths and 989", "01001", "96749 12970 10000 54000 69942 333 69895", func(t *testing.T, r Report, d *Decoded) {
			eqf(t, "steady", d.PressureTendency.ChangeHPa, 0)
			eqf(t, "994", d.Precipitation[0].AmountMM, 0.4)
			if p := d.Precipitation[1]; !p.AtLeast || *p.AmountMM != 989 || *p.PeriodH != 1 {
				t.Errorf("989: %+v", p)
			}
		}},
		{"tR 0 undefined", "01001", "96749 12970 10000 60120", func(t *testing.T, r Report, d *Decoded) {
			hasProblem(t, r, "60120", "tR")
			if p := d.Precipitation[0]; *p.AmountMM != 12 || p.PeriodH != nil {
				t.Errorf("%+v", p)
			}
		}},
		{"iR 3: nothing fell", "01001", "96749 32970 10000 52003", func(t *testing.T, r Report, d *Decoded) {
			if !d.NoPrecipitation || len(d.Precipitation) != 0 {
				t.Errorf("%v %+v", d.NoPrecipitation, d.Precipitation)
			}
		}},
		{"steady with a change", "01001", "96749 32970 10000 54012", func(t *testing.T, r Report, d *Decoded) {
			hasProblem(t, r, "54012", "steady")
		}},
	})
}

func TestWeatherAndClouds(t *testing.T) {
	runCases(t, []groupCase{
		{"manual", "01001", "96749 31470 10000 78098 85973", func(t *testing.T, r Report, d *Decoded) {
			noProblems(t, r)
			if d.PresentWeather.Code != 80 || d.PresentWeather.Automatic || d.PastWeather1.Code != 9 || d.PastWeather2.Code != 8 {
				t.Errorf("weather %+v %+v %+v", d.PresentWeather, d.PastWeather1, d.PastWeather2)
			}
			eqi(t, "W period", d.PastWeatherPeriodH, 6)
			c := d.Clouds
			if *c.AmountOktas != 5 || *c.Low.Code != 9 || *c.Middle.Code != 7 || *c.High.Code != 3 {
				t.Errorf("clouds %+v", c)
			}
		}},
		{"automatic tables with ix 7", "01031", "96749 37470 10000 76162 8597/", func(t *testing.T, r Report, d *Decoded) {
			noProblems(t, r)
			w := d.PresentWeather
			if !w.Automatic || w.Code != 61 || w.Description != "Rain, not freezing, slight" || d.PastWeather2.Description != "Blowing phenomena, visibility reduced" {
				t.Errorf("%+v %+v", w, d.PastWeather2)
			}
			eqi(t, "W period at 03 UTC", d.PastWeatherPeriodH, 3)
			if d.Clouds.High.Code != nil {
				t.Error("CH / decoded as a code")
			}
		}},
		{"ix 4 uses the manual tables", "01001", "96749 34470 10000 76162", func(t *testing.T, r Report, d *Decoded) {
			if d.PresentWeather.Automatic || d.PresentWeather.Code != 61 || !*d.Automatic {
				t.Errorf("%+v", d.PresentWeather)
			}
		}},
		{"ix 6 with a group: decoded, noted", "01001", "96749 36470 10000 7000/", func(t *testing.T, r Report, d *Decoded) {
			noProblems(t, r)
			if d.PresentWeather.Code != 0 || d.PastWeather2 != nil || len(d.Notes) != 1 {
				t.Errorf("%+v %+v %v", d.PresentWeather, d.PastWeather2, d.Notes)
			}
		}},
		{"reserved wawa", "01001", "96749 37470 10000 70700", func(t *testing.T, r Report, d *Decoded) {
			hasProblem(t, r, "70700", "reserved")
		}},
		{"past weather period unknown at 13 UTC", "01131", "96749 31470 10000 76162", func(t *testing.T, r Report, d *Decoded) {
			if d.PastWeatherPeriodH != nil || len(d.Notes) != 1 {
				t.Errorf("%v %v", deref(d.PastWeatherPeriodH), d.Notes)
			}
		}},
	})
}

func TestExactTime(t *testing.T) {
	r := decode1(t, "15001", "96749 32970 10000 91150")
	if r.Day != 15 || r.Hour != 11 || r.Minute != 50 {
		t.Errorf("same day: %d %02d:%02d", r.Day, r.Hour, r.Minute)
	}
	r = decode1(t, "15001", "96749 32970 10000 92350")
	if r.Day != 14 || r.Hour != 23 || r.Minute != 50 {
		t.Errorf("previous day: %d %02d:%02d", r.Day, r.Hour, r.Minute)
	}
	r = decode1(t, "01001", "96749 32970 10000 92350")
	if r.Day != 1 || r.Hour != 0 || r.Minute != 0 || len(r.Decoded.Notes) != 1 {
		t.Errorf("previous month: %d %02d:%02d %v", r.Day, r.Hour, r.Minute, r.Decoded.Notes)
	}
	r = decode1(t, "01001", "96749 32970 10000 92460")
	hasProblem(t, r, "92460", "not a time of day")
}

func TestSection2(t *testing.T) {
	runCases(t, []groupCase{
		{"sea-surface temperature", "01001", "96749 32970 10000 222// 00254 20301 333 10320", func(t *testing.T, r Report, d *Decoded) {
			noProblems(t, r)
			eqf(t, "SST", d.SeaSurfaceTemperatureC, 25.4)
			if strings.Join(d.Section2, " ") != "222// 00254 20301" {
				t.Errorf("section 2 %v", d.Section2)
			}
			eqf(t, "Tx after section 2", &d.MaxTemperature.ValueC, 32)
		}},
		{"negative, bucket", "01001", "96749 32970 10000 222// 03012", func(t *testing.T, r Report, d *Decoded) {
			eqf(t, "SST", d.SeaSurfaceTemperatureC, -1.2)
		}},
	})
}

func TestSection3(t *testing.T) {
	runCases(t, []groupCase{
		{"extremes in region V", "01121", "96749 32970 10000 333 10325 21235", func(t *testing.T, r Report, d *Decoded) {
			noProblems(t, r)
			if d.MaxTemperature.ValueC != 32.5 || *d.MaxTemperature.PeriodH != 24 {
				t.Errorf("Tx %+v", d.MaxTemperature)
			}
			if d.MinTemperature.ValueC != -23.5 || d.MinTemperature.PeriodH != nil || d.MinTemperature.Note == "" {
				t.Errorf("Tn at 12 UTC %+v", d.MinTemperature)
			}
		}},
		{"ground, snow and evaporation", "01061", "15108 32970 10000 333 31112 49184 50304 54416", func(t *testing.T, r Report, d *Decoded) {
			noProblems(t, r)
			if d.GroundState.Code != 1 || *d.GroundMinTemperatureC != -12 || d.SnowGroundState.Code != 9 {
				t.Errorf("ground %+v %v %+v", d.GroundState, deref(d.GroundMinTemperatureC), d.SnowGroundState)
			}
			eqf(t, "snow", d.SnowDepth.DepthM, 1.84)
			if d.Evaporation.AmountMM != 3 || d.Evaporation.Instrument.Code != 4 {
				t.Errorf("evaporation %+v", d.Evaporation)
			}
			if *d.TemperatureChange != (TemperatureChange{ChangeC: -6, HoursBefore: 4}) {
				t.Errorf("temperature change %+v", d.TemperatureChange)
			}
		}},
		{"special snow depths", "01061", "15108 32970 10000 333 4/997", func(t *testing.T, r Report, d *Decoded) {
			if *d.SnowDepth.DepthM != 0 || d.SnowDepth.Description == "" {
				t.Errorf("%+v", d.SnowDepth)
			}
		}},
		{"daily sunshine and radiation in J/cm²", "01061", "15108 32970 10000 333 55118 00523 20850 59012", func(t *testing.T, r Report, d *Decoded) {
			noProblems(t, r)
			eqi(t, "sunshine", d.Sunshine[0].DurationMin, 708)
			if len(d.Radiation) != 2 || d.Radiation[0] != (Radiation{"00523", "net", 24, 5230000}) ||
				d.Radiation[1] != (Radiation{"20850", "globalSolar", 24, 8500000}) {
				t.Errorf("radiation %+v", d.Radiation)
			}
			eqf(t, "24-hour pressure change", d.PressureChange24hHPa, -1.2)
		}},
		{"hourly radiation in kJ/m², negative net, header groups", "01121", "15108 12970 10000 333 55310 10045 22591 60012 55407 40120", func(t *testing.T, r Report, d *Decoded) {
			noProblems(t, r)
			want := []Radiation{{"10045", "net", 1, -45000}, {"22591", "globalSolar", 1, 2591000},
				{"60012", "shortWave", 1, 12000}, {"40120", "netShortWave", 1, 120000}}
			if len(d.Radiation) != 4 || d.Radiation[0] != want[0] || d.Radiation[1] != want[1] || d.Radiation[2] != want[2] || d.Radiation[3] != want[3] {
				t.Errorf("radiation %+v", d.Radiation)
			}
			if len(d.Precipitation) != 0 {
				t.Errorf("with iR = 1, 60012 is short-wave radiation: %+v", d.Precipitation)
			}
		}},
		{"6-group after radiation with iR 0 is precipitation", "01121", "15108 02970 10000 60001 333 55310 22591 60007", func(t *testing.T, r Report, d *Decoded) {
			if len(d.Radiation) != 1 || len(d.Precipitation) != 2 {
				t.Errorf("radiation %+v precipitation %+v", d.Radiation, d.Precipitation)
			}
		}},
		{"cloud drift, direction, 24-hour rainfall, layers", "01001", "96749 32970 10000 333 56999 57982 70114 82818 849// 89/10", func(t *testing.T, r Report, d *Decoded) {
			noProblems(t, r)
			if d.CloudDrift.Low.Code != 9 || *d.CloudDirection.Direction.Degrees != 360 || d.CloudDirection.Elevation.Code != 2 {
				t.Errorf("%+v %+v", d.CloudDrift, d.CloudDirection)
			}
			eqf(t, "R24", d.Precipitation[0].AmountMM, 11.4)
			l := d.CloudLayers
			if len(l) != 3 || *l[0].AmountOktas != 2 || *l[0].Genus.Code != 8 || l[0].Base.MinM != 540 ||
				l[1].Base != nil || !l[2].Obscured || l[2].Genus.Code != nil || l[2].Base.MinM != 300 {
				t.Errorf("layers %+v", l)
			}
		}},
		{"gusts with 907 and 00fff", "01004", "96749 32970 10000 333 90710 91199 00105 91012", func(t *testing.T, r Report, d *Decoded) {
			noProblems(t, r)
			w := d.WindSpeeds
			if len(w) != 2 || *w[0].PeriodMin != 60 || w[0].ReportedSpeed != 105 || *w[0].SpeedMS != 54.02 || *w[1].PeriodMin != 10 {
				t.Errorf("wind groups %+v", w)
			}
			if len(d.Supplementary) != 1 || !d.Supplementary[0].Interpreted {
				t.Errorf("907 %+v", d.Supplementary)
			}
		}},
		{"uninterpreted supplementary groups, sections 4 and 5", "01001", "96749 32970 10000 333 92427 95100 444 19254 555 12301 80000", func(t *testing.T, r Report, d *Decoded) {
			noProblems(t, r)
			if len(d.Supplementary) != 2 || d.Supplementary[0].Interpreted {
				t.Errorf("%+v", d.Supplementary)
			}
			if strings.Join(d.Section4, " ") != "19254" || strings.Join(d.Section5, " ") != "12301 80000" {
				t.Errorf("sections 4 %v 5 %v", d.Section4, d.Section5)
			}
		}},
		{"supplementary group with a letter", "01001", "96749 32970 10000 333 9x123 91005", func(t *testing.T, r Report, d *Decoded) {
			hasProblem(t, r, "9x123", "SpSp")
			if len(d.WindSpeeds) != 1 {
				t.Errorf("%+v", d.WindSpeeds)
			}
		}},
		{"placeholder and trailing garbage", "01001", "96749 02970 10000 333 55310 ///// 22707 60007 xyz", func(t *testing.T, r Report, d *Decoded) {
			hasProblem(t, r, "xyz", "5 characters")
			if len(d.Radiation) != 1 || len(d.Precipitation) != 1 {
				t.Errorf("%+v %+v", d.Radiation, d.Precipitation)
			}
		}},
	})
}

func TestReportIdentification(t *testing.T) {
	r := decode1(t, "01001", "96749 96749 32970 10000 10250")
	hasProblem(t, r, "96749", "repeated")
	eqf(t, "T", r.Decoded.AirTemperatureC, 25)

	r = decode1(t, "01001", "9674 32970 10000")
	if r.Station != "" || r.Decoded != nil || len(r.Problems) != 1 || r.Text != "9674 32970 10000=" {
		t.Errorf("bad station %+v", r)
	}
	r = decode1(t, "01001", "96749 nil")
	if !r.Nil || r.Station != "96749" || r.Decoded != nil {
		t.Errorf("nil report %+v", r)
	}
	r = decode1(t, "01001", "96749 32970")
	if r.Decoded != nil || len(r.Problems) != 1 {
		t.Errorf("truncated report %+v", r)
	}
}
