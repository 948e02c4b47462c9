package dataonline

import (
	"strings"
	"testing"
	"time"

	"github.com/bmkg/mkggraph/format/internal/fixture"
)

// FuzzParse checks that no input makes Parse panic, and that whatever it
// accepts keeps the promises of the types: flags and values agree, values
// are within their limits, dates are unique and not in the future.
func FuzzParse(f *testing.F) {
	for _, s := range samples {
		data := fixture.Read(f, s.name)
		if strings.HasSuffix(s.name, ".csv") {
			data = data[:2000] // the fuzzer mutates small inputs far better
		}
		f.Add(data)
	}
	f.Add([]byte(csvHeader + "0,2020-01-01,24.0,31.0,27.0,80.0,8888.0,9999,4.0,90.0,2.0,E \n1,2020-01-02,,,,,,,,,,\n"))
	f.Add([]byte("Tanggal;RR (mm)\r\n01-01-2020;1\r\n"))
	f.Add(makeXLSX(f, "", header+`<row r="2"><c r="A2"><v>45170</v></c><c r="C2"><v>1.5</v></c><c r="D2" t="str"><v>24</v></c></row>`))
	f.Add(makeXLSX(f, `date1904="1"`, header+`<row><c><v>43708</v></c><c/><c t="inlineStr"><is><t>8888</t></is></c></row>`))
	f.Add(makeXLSX(f, "", header+`<row r="2"><c r="A2" t="d"><v>2023-09-01T00:00:00</v></c><c r="C2" t="inlineStr"><is><t>1,5</t></is></c><c r="D2" t="inlineStr"><is><t>-</t></is></c></row>`))
	f.Add([]byte("ID WMO : 96733\nLintang,:  6.26151 LS\nTanggal;RR\n13/09/2023;1,5\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		Detect(data)
		file, err := parse(data, testToday, defaultLimits())
		if err != nil {
			if file != nil {
				t.Fatalf("error %v returned with a file", err)
			}
			return
		}
		checkFile(t, file)
	})
}

func checkFile(t *testing.T, f *File) {
	seen := map[time.Time]bool{}
	for _, d := range f.Days {
		if seen[d.Date] || d.Date.After(testToday.AddDate(0, 0, 1)) || d.Date.Location() != time.UTC || d.Date.Truncate(24*time.Hour) != d.Date {
			t.Fatalf("row %d: date %v", d.Row, d.Date)
		}
		seen[d.Date] = true
		if len(d.Present) == 0 || d.Row < 1 {
			t.Fatalf("row %d: present %v", d.Row, d.Present)
		}
		for i := range compass {
			if reason := checkValue(&params[i], *d.value(i)); reason != "" {
				t.Fatalf("row %d: %s %s", d.Row, params[i].name, reason)
			}
		}
		if (d.DDDCarFlag == FlagValue) != directions[d.DDDCar] || (d.DDDCarFlag != FlagValue && d.DDDCar != "") {
			t.Fatalf("row %d: ddd_car %q flag %q", d.Row, d.DDDCar, d.DDDCarFlag)
		}
		if d.Tn.V != nil && d.Tx.V != nil && *d.Tx.V < *d.Tn.V {
			t.Fatalf("row %d: Tx below Tn", d.Row)
		}
	}
	for _, r := range f.Rejects {
		if r.Reason == "" || r.Record < 1 {
			t.Fatalf("reject %+v", r)
		}
	}
}

func checkValue(p *param, v Value) string {
	switch v.Flag {
	case FlagValue:
		if v.V == nil || *v.V < p.min || *v.V > p.max {
			return "value missing or out of range"
		}
	case FlagNotMeasurable, FlagNoData, FlagMissing:
		if v.V != nil {
			return "flagged value with a number"
		}
	default:
		return "unknown flag " + string(v.Flag)
	}
	return ""
}
