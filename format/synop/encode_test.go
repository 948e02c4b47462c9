package synop

import (
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/bmkg/mkggraph/format/internal/fixture"
)

// reencode writes the decoded reports of f back as text, bulletin by
// bulletin; reports with nothing decoded are left out.
func reencode(t *testing.T, f *File) ([]byte, int) {
	t.Helper()
	var out []OutBulletin
	n := 0
	for _, b := range f.Bulletins {
		if b.Kind != "AAXX" || b.Day < 0 || b.Hour < 0 {
			continue
		}
		ob := OutBulletin{Heading: b.Heading, Day: b.Day, Hour: b.Hour, WindIndicator: b.WindUnitIndicator}
		if ob.Heading.TTAAii == "" {
			ob.Heading = Heading{TTAAii: "SMXX01", CCCC: "XXXX", YYGGgg: "010000"}
		}
		for _, r := range b.Reports {
			if r.Decoded == nil && !r.Nil {
				continue
			}
			ob.Reports = append(ob.Reports, OutReport{Station: r.Station, Values: r.Decoded})
			n++
		}
		out = append(out, ob)
	}
	data, err := EncodeFile(out)
	if err != nil {
		t.Fatal(err)
	}
	return data, n
}

// withoutNotes is d as JSON without its notes: a note explains how a
// group was read (whole degrees for "1010/"), which the text written back
// no longer needs.
func withoutNotes(t *testing.T, d *Decoded) string {
	t.Helper()
	if d == nil {
		return "null"
	}
	c := *d
	c.Notes = nil
	b, err := json.Marshal(c)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestEncodeRealSamples decodes the real bulletins, encodes the values and
// decodes that text: every report must come back with the same values.
func TestEncodeRealSamples(t *testing.T) {
	for _, name := range samples {
		t.Run(name, func(t *testing.T) {
			first := parseSample(t, name)
			text, n := reencode(t, first)
			second, err := Parse(text)
			if err != nil {
				t.Fatalf("encoded text does not parse: %v\n%s", err, text)
			}
			var before, after []Report
			for _, b := range first.Bulletins {
				for _, r := range b.Reports {
					if r.Decoded != nil || r.Nil {
						before = append(before, r)
					}
				}
			}
			for _, b := range second.Bulletins {
				if len(b.Problems) > 0 {
					t.Errorf("bulletin %s written back has problems: %v", b.Heading.Line(), b.Problems)
				}
				after = append(after, b.Reports...)
			}
			if len(after) != n || len(before) != n {
				t.Fatalf("%d reports encoded, %d decoded back", n, len(after))
			}
			for i := range before {
				a, b := before[i], after[i]
				if a.Station != b.Station || a.Nil != b.Nil || a.Day != b.Day || a.Hour != b.Hour || a.Minute != b.Minute {
					t.Errorf("report %d: %s %v %02d%02d:%02d became %s %v %02d%02d:%02d", i, a.Station, a.Nil, a.Day, a.Hour, a.Minute,
						b.Station, b.Nil, b.Day, b.Hour, b.Minute)
				}
				if len(b.Problems) > 0 {
					t.Errorf("station %s written back as\n%s\nhas problems: %v", b.Station, b.Text, b.Problems)
				}
				if x, y := withoutNotes(t, a.Decoded), withoutNotes(t, b.Decoded); x != y {
					t.Errorf("station %s: values differ after encoding\nwas  %s\nnow  %s\ntext %s\n     %s", a.Station, x, y, a.Text, b.Text)
				}
			}
		})
	}
}

// TestEncodeSampleTextAgain: encoding the values decoded from encoded text
// gives that text again, so the generator's Level 1 is stable.
func TestEncodeSampleTextAgain(t *testing.T) {
	for _, name := range samples {
		once, _ := reencode(t, parseSample(t, name))
		f, err := Parse(once)
		if err != nil {
			t.Fatal(err)
		}
		twice, _ := reencode(t, f)
		if string(once) != string(twice) {
			t.Errorf("%s: second encoding differs:\n%s\n---\n%s", name, once, twice)
		}
	}
}

func TestEncodeRefusesWhatCannotBeReadBack(t *testing.T) {
	f := func(v float64) *float64 { return &v }
	i := func(v int) *int { return &v }
	cases := []struct {
		name, field string
		d           Decoded
	}{
		{"temperature out of range", "airTemperatureC", Decoded{AirTemperatureC: f(100)}},
		{"station pressure below 400", "stationPressureHPa", Decoded{StationPressureHPa: f(399.9)}},
		{"sea-level pressure of 1100", "seaLevelPressureHPa", Decoded{SeaLevelPressureHPa: f(1100)}},
		{"8xx sea-level pressure without station pressure", "seaLevelPressureHPa", Decoded{SeaLevelPressureHPa: f(870.2)}},
		{"rise with a falling characteristic", "pressureTendency.changeHPa",
			Decoded{PressureTendency: &PressureTendency{Characteristic: &Code{Code: 7}, ChangeHPa: f(1.2)}}},
		{"change without characteristic", "pressureTendency.changeHPa", Decoded{PressureTendency: &PressureTendency{ChangeHPa: f(1.2)}}},
		{"calm with a speed", "wind", Decoded{Wind: &Wind{Calm: true, ReportedSpeed: i(4)}}},
		{"speed above 999", "wind", Decoded{Wind: &Wind{ReportedSpeed: i(1000)}}},
		{"visibility not a class", "visibility", Decoded{Visibility: &Range{MinM: 1234, MaxM: i(1234)}}},
		{"wawa reserved", "presentWeather", Decoded{StationOperation: &Code{Code: 7}, PresentWeather: &Weather{Code: 6, Automatic: true}}},
		{"manual table at an automatic station", "presentWeather", Decoded{StationOperation: &Code{Code: 7}, PresentWeather: &Weather{Code: 61}}},
		{"evaporation of 40 mm", "evaporation.amountMM", Decoded{Evaporation: &Evaporation{AmountMM: 40}}},
		{"radiation without sunshine", "radiation", Decoded{Radiation: []Radiation{{Kind: "globalSolar", PeriodH: 24, JPerM2: 2e7}}}},
		{"precipitation of 989 mm", "precipitation.amountMM", Decoded{Precipitation: []Precipitation{{Section: 1, AmountMM: f(989.4), PeriodH: i(6)}}}},
		{"precipitation period", "precipitation.periodH", Decoded{Precipitation: []Precipitation{{Section: 1, AmountMM: f(2), PeriodH: i(5)}}}},
		{"geopotential far from the standard height", "geopotential.heightGpm", Decoded{Geopotential: &Geopotential{SurfaceHPa: 850, HeightGpm: 2100}}},
		{"short-wave radiation with iR 0 and no 6-group after it", "radiation", Decoded{PrecipitationIndicator: &Code{Code: 0},
			Sunshine: []Sunshine{{PeriodH: 24, DurationMin: i(300)}}, Radiation: []Radiation{{Kind: "shortWave", PeriodH: 24, JPerM2: 1e7}}}},
		{"section-3 precipitation after an open radiation run with iR 1", "precipitation", Decoded{PrecipitationIndicator: &Code{Code: 1},
			Sunshine: []Sunshine{{PeriodH: 24, DurationMin: i(300)}}, Precipitation: []Precipitation{{Section: 3, AmountMM: f(3), PeriodH: i(12)}}}},
		{"temperature change of 3 °C", "temperatureChange.changeC", Decoded{TemperatureChange: &TemperatureChange{ChangeC: 3}}},
	}
	for _, c := range cases {
		_, err := EncodeReport("96749", 4, &c.d)
		if err == nil || !strings.Contains(err.Error(), c.field+":") || !strings.Contains(err.Error(), "96749") {
			t.Errorf("%s: error %v, want one naming station 96749 and %s", c.name, err, c.field)
		}
	}
	if _, err := EncodeReport("9674", 4, &Decoded{}); err == nil {
		t.Error("a 4-figure station index was accepted")
	}
	if _, err := EncodeFile([]OutBulletin{{Heading: Heading{TTAAii: "SMID41", CCCC: "WIII", YYGGgg: "061200"}, Day: 6, Hour: 12, WindIndicator: 2}}); err == nil {
		t.Error("iw 2 was accepted")
	}
}

func TestEncodeLayout(t *testing.T) {
	i := func(v int) *int { return &v }
	f := func(v float64) *float64 { return &v }
	d := &Decoded{PrecipitationIndicator: &Code{Code: 1}, StationOperation: &Code{Code: 1}, CloudBase: ptr(cloudBaseRange(5)),
		Visibility: ptr(VisibilityClass(20000)), TotalCloud: &TotalCloud{Oktas: i(7)},
		Wind: &Wind{DirectionDeg: i(270), ReportedSpeed: i(105)}, AirTemperatureC: f(-0.04), DewPointC: f(-3.25),
		SeaLevelPressureHPa: f(1009.96), Precipitation: []Precipitation{{Section: 1, AmountMM: f(0.4), PeriodH: i(6)}}}
	got, err := EncodeReport("96749", 4, d)
	if err != nil {
		t.Fatal(err)
	}
	// -0.04 °C rounds to 0.0, written with the positive sign; -3.25 to -3.3
	// (half away from zero); 1009.96 hPa to 1010.0.
	want := "96749 11570 72799 00105 10000 21033 40100 69941="
	if got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
	long := &Decoded{Regional: []string{"01111", "02222", "03333", "04444", "05555", "06666", "07777", "08888", "09999", "01234"}}
	got, _ = EncodeReport("96749", 4, long)
	for _, line := range strings.Split(got, "\n") {
		if len(line) > maxLine {
			t.Errorf("line of %d characters: %q", len(line), line)
		}
	}
	if !reflect.DeepEqual(strings.Fields(got), strings.Fields("96749 ///// ///// 333 01111 02222 03333 04444 05555 06666 07777 08888 09999 01234=")) {
		t.Errorf("long report: %q", got)
	}
}

// TestEncodeShortWaveBeforePrecipitation: with iR 0 a 6FFFF group is read
// as radiation only when the section-3 6RRRtR follows it, which the
// encoder arranges.
func TestEncodeShortWaveBeforePrecipitation(t *testing.T) {
	i := func(v int) *int { return &v }
	f := func(v float64) *float64 { return &v }
	d := &Decoded{PrecipitationIndicator: &Code{Code: 0}, Sunshine: []Sunshine{{PeriodH: 24, DurationMin: i(300)}},
		Radiation:     []Radiation{{Kind: "shortWave", PeriodH: 24, JPerM2: 1e7}},
		Precipitation: []Precipitation{{Section: 3, AmountMM: f(3), PeriodH: i(12)}}}
	text, err := EncodeReport("96749", 4, d)
	if err != nil {
		t.Fatal(err)
	}
	f2, err := Parse([]byte("AAXX 06124\n" + text))
	if err != nil {
		t.Fatal(err)
	}
	got := f2.Bulletins[0].Reports[0].Decoded
	if len(got.Radiation) != 1 || got.Radiation[0].JPerM2 != 1e7 || len(got.Precipitation) != 1 || *got.Precipitation[0].AmountMM != 3 {
		t.Errorf("%s: radiation %+v precipitation %+v", text, got.Radiation, got.Precipitation)
	}
}

// FuzzEncodeDecoded decodes arbitrary input and writes back every report
// the encoder accepts: it must never panic, and what it writes must decode
// to the same values.
func FuzzEncodeDecoded(f *testing.F) {
	for _, name := range samples {
		f.Add(fixture.Read(f, name))
	}
	f.Add([]byte("AAXX 01004\n96749 32970 81099 00120 10250 29085 48624 5/011 333 55310 ///// 22707 90710 91199 00105 555 1=\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		file, err := Parse(data)
		if err != nil {
			return
		}
		for _, b := range file.Bulletins {
			for _, r := range b.Reports {
				// The decoder derives periods from the hour of section 0,
				// which only the bulletin's first one states; a report with
				// problems had groups dropped, whose text is not written back.
				if r.Decoded == nil || len(r.Problems) > 0 || !isStationIndex(r.Station) || b.Day < 1 || b.Hour < 0 || r.Decoded.ExactTime != nil ||
					r.Day != b.Day || r.Hour != b.Hour {
					continue
				}
				text, err := EncodeReport(r.Station, b.WindUnitIndicator, r.Decoded)
				if err != nil {
					continue // values the decoder kept that no text of this decoder gives back
				}
				iw, _ := indicatorFigure(b.WindUnitIndicator)
				again, err := Parse([]byte(fmt.Sprintf("AAXX %02d%02d%c\n%s", b.Day, b.Hour, iw, text)))
				if err != nil || len(again.Bulletins) != 1 || len(again.Bulletins[0].Reports) != 1 {
					t.Fatalf("written back as %q: %v", text, err)
				}
				got := again.Bulletins[0].Reports[0].Decoded
				if x, y := withoutNotes(t, r.Decoded), withoutNotes(t, got); x != y {
					t.Fatalf("values differ after encoding\nwas  %s\nnow  %s\ntext %q\n     %q", x, y, r.Text, text)
				}
			}
		}
	})
}

func TestExtremePeriods(t *testing.T) {
	for _, c := range []struct {
		station      string
		hour, mx, mn int
	}{{"96749", 12, 24, 0}, {"96749", 0, 0, 24}, {"96749", 3, 0, 0}, {"15015", 18, 12, 0}, {"78310", 6, 24, 24}, {"abcde", 12, 0, 0}} {
		if mx, mn := ExtremePeriods(c.station, c.hour); mx != c.mx || mn != c.mn {
			t.Errorf("%s at %02d: %d, %d; want %d, %d", c.station, c.hour, mx, mn, c.mx, c.mn)
		}
	}
}
