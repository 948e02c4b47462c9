package synop

import "testing"

// TestCuba checks the GTS file with ZCZC/nnnn framing against what its text
// states.
func TestCuba(t *testing.T) {
	f := parseSample(t, "cuba-SMCU20-MUHV-310000.WX.00.txt")
	if len(f.Problems) != 0 {
		t.Errorf("file problems: %v", f.Problems)
	}
	want := []struct {
		heading string
		reports int
	}{{"SMCU20 MUHV 310000", 20}, {"SMCU40 MUHV 310000", 48}}
	if len(f.Bulletins) != len(want) {
		t.Fatalf("got %d bulletins", len(f.Bulletins))
	}
	byStation := map[string]Report{}
	for i, b := range f.Bulletins {
		if b.Heading.Line() != want[i].heading || len(b.Reports) != want[i].reports || b.Day != 31 || b.Hour != 0 || b.WindUnitIndicator != 1 {
			t.Errorf("bulletin %d: %s, %d reports, %d %d %d", i, b.Heading.Line(), len(b.Reports), b.Day, b.Hour, b.WindUnitIndicator)
		}
		for _, r := range b.Reports {
			if r.Decoded == nil && !r.Nil {
				t.Errorf("%s not decoded: %v", r.Station, r.Problems)
			}
			byStation[r.Station] = r
		}
	}
	for _, s := range []string{"78328", "78332"} {
		if r := byStation[s]; !r.Nil || r.Decoded != nil || r.Text != s+" nil=" {
			t.Errorf("%s should be NIL: %+v", s, r)
		}
	}

	r := byStation["78310"]
	d := r.Decoded
	if r.Line != 4 || r.Day != 31 || r.Hour != 0 || len(r.Problems) != 0 {
		t.Errorf("78310 at line %d, %d %02d, problems %v", r.Line, r.Day, r.Hour, r.Problems)
	}
	eqf(t, "T", d.AirTemperatureC, 25.0)
	eqf(t, "Td", d.DewPointC, 21.4)
	eqf(t, "P0", d.StationPressureHPa, 1009.4)
	eqf(t, "SLP", d.SeaLevelPressureHPa, 1010.4)
	eqi(t, "dd", d.Wind.DirectionDeg, 30)
	eqf(t, "ff", d.Wind.SpeedMS, 3)
	if p := d.Precipitation[0]; p.Section != 1 || *p.AmountMM != 11 || *p.PeriodH != 6 {
		t.Errorf("6h precipitation %+v", p)
	}
	if d.MaxTemperature.ValueC != 32.0 || *d.MaxTemperature.PeriodH != 12 || d.MinTemperature.ValueC != 24.0 || *d.MinTemperature.PeriodH != 18 {
		t.Errorf("extremes (region IV at 00 UTC: 12 h and 18 h) %+v %+v", d.MaxTemperature, d.MinTemperature)
	}
	if len(d.CloudLayers) != 3 || d.WindSpeeds[0].ReportedSpeed != 18 || *d.WindSpeeds[0].PeriodMin != 360 {
		t.Errorf("layers %d, gust %+v", len(d.CloudLayers), d.WindSpeeds)
	}

	// Transmission slips in the file that must not stop decoding.
	hasProblem(t, byStation["78370"], "78370", "repeated")
	eqf(t, "78370 T", byStation["78370"].Decoded.AirTemperatureC, 27.2)
	if d := byStation["78366"].Decoded; d.Geopotential == nil || *d.Geopotential != (Geopotential{850, 1426}) {
		t.Errorf("78366 4a3hhh: %+v", d.Geopotential)
	}
	if d := byStation["78315"].Decoded; len(d.Section5) != 1 || d.Section5[0] != "12301" {
		t.Errorf("78315 section 5: %v", d.Section5)
	}
}
