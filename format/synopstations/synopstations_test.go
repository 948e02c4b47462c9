package synopstations

import (
	"errors"
	"strings"
	"testing"

	"github.com/bmkg/mkggraph/format/budget"
	"github.com/bmkg/mkggraph/format/internal/fixture"
	"github.com/bmkg/mkggraph/format/reject"
	"github.com/bmkg/mkggraph/internal/golden"
)

const sample = "indonesia-synop-stations-kensein.json"

func TestParseSample(t *testing.T) {
	stations, rejects, err := Parse(fixture.Read(t, sample))
	if err != nil {
		t.Fatal(err)
	}
	if len(stations) != 149 || len(rejects) != 0 {
		t.Fatalf("got %d stations, rejects %v; want 149, none", len(stations), rejects)
	}
	want := map[int]Station{
		0:   {WMOIndex: "96001", Name: "Sabang / Cut Bau", Latitude: 5.8667, Longitude: 95.3167},
		4:   {WMOIndex: "96033", Name: "Belawan", Latitude: 3.8, Longitude: 98.7},
		148: {WMOIndex: "97980", Name: "Merauke / Mopah", Latitude: -8.4667, Longitude: 140.3833},
	}
	for i, w := range want {
		if stations[i] != w {
			t.Errorf("stations[%d] = %+v, want %+v", i, stations[i], w)
		}
	}
	for _, s := range stations {
		if s.WMOIndex == "96749" && (s.Name != "Jakarta / Soekarno-Hatta" || s.Latitude != -6.1167 || s.Longitude != 106.65) {
			t.Errorf("96749 = %+v", s)
		}
	}
}

func TestParseRejects(t *testing.T) {
	tests := []struct{ name, entry, reason string }{
		{"key", `"9600A": {"kota": "X", "lat": 1, "lon": 2}`, `key "9600A": want a 5-digit WMO index`},
		{"key long", `"960011": {"kota": "X", "lat": 1, "lon": 2}`, `key "960011"`},
		{"not object", `"96002": [1, 2]`, `96002: value [1, 2] is not an object`},
		{"null", `"96002": null`, `96002: value null is not an object`},
		{"lat missing", `"96002": {"kota": "X", "lon": 2}`, `96002: lat missing`},
		{"lat text", `"96002": {"kota": "X", "lat": "north", "lon": 2}`, `96002: lat "north"`},
		{"lat range", `"96002": {"kota": "X", "lat": 95.5, "lon": 2}`, `96002: lat 95.5`},
		{"lon range", `"96002": {"kota": "X", "lat": 1, "lon": -190}`, `96002: lon -190`},
		{"lon bool", `"96002": {"kota": "X", "lat": 1, "lon": true}`, `96002: lon true`},
		{"kota", `"96002": {"kota": 7, "lat": 1, "lon": 2}`, `96002: kota 7 is not a string`},
		{"duplicate", `"96001": {"kota": "Again", "lat": 1, "lon": 2}`, `key "96001": duplicate WMO index, first given at line 2`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := "{\n" +
				`"96001": {"kota": "A", "lat": 5.8667, "lon": 95.3167},` + "\n" +
				tt.entry + ",\n" +
				`"96003": {"kota": "B", "lat": "-6.1", "lon": " 106.65 "}` + "\n}\n"
			stations, rejects, err := Parse([]byte(in))
			if err != nil {
				t.Fatal(err)
			}
			if len(stations) != 2 || len(rejects) != 1 {
				t.Fatalf("got %d stations, rejects %v; want 2 stations, 1 reject", len(stations), rejects)
			}
			if rejects[0].Record != 3 || !strings.Contains(rejects[0].Reason, tt.reason) {
				t.Errorf("reject %+v; want record 3, reason containing %q", rejects[0], tt.reason)
			}
			if s := stations[1]; s != (Station{"96003", "B", -6.1, 106.65}) {
				t.Errorf("station given as strings = %+v", s)
			}
		})
	}
}

func TestParseNotDirectory(t *testing.T) {
	for name, in := range map[string]string{
		"empty":     "",
		"array":     `[{"kota": "A", "lat": 1, "lon": 2}]`,
		"isd":       `"USAF","WBAN","STATION NAME"` + "\n",
		"wis2":      "station_name,wigos_station_identifier,latitude,longitude\n",
		"truncated": `{"96001": {"kota": "A", "lat": 1, "lon": 2}, "96002": {"kota"`,
		"syntax":    `{"96001": {"kota": "A", "lat": 1, "lon": 2} "96002": {}}`,
		"trailing":  `{"96001": {"kota": "A", "lat": 1, "lon": 2}} {}`,
	} {
		if _, _, err := Parse([]byte(in)); !errors.Is(err, ErrFormat) {
			t.Errorf("%s: err = %v, want ErrFormat", name, err)
		}
	}
	if _, _, err := Parse(make([]byte, MaxInputSize+1)); !errors.Is(err, budget.ErrTooLarge) {
		t.Errorf("oversize: err = %v, want budget.ErrTooLarge", err)
	}
	if stations, rejects, err := Parse([]byte(" {}\n")); err != nil || len(stations)+len(rejects) != 0 {
		t.Errorf("empty object: %v %v %v", stations, rejects, err)
	}
}

func TestDetect(t *testing.T) {
	if !Detect(fixture.Read(t, sample)[:300]) {
		t.Error("Detect(sample) = false")
	}
	if !Detect([]byte("\xef\xbb\xbf{\"97980\":{")) {
		t.Error("Detect(compact with BOM) = false")
	}
	for _, in := range []string{"", "{}", `{"type": "FeatureCollection"}`, `{"96001": 5}`, `[{"96001": {}}]`, "USAF,WBAN"} {
		if Detect([]byte(in)) {
			t.Errorf("Detect(%q) = true", in)
		}
	}
}

func TestGolden(t *testing.T) {
	stations, rejects, err := Parse(fixture.Read(t, sample))
	if err != nil {
		t.Fatal(err)
	}
	if rejects == nil {
		rejects = []reject.Reject{}
	}
	golden.JSON(t, golden.PathOf(sample), struct {
		Stations []Station       `json:"stations"`
		Rejects  []reject.Reject `json:"rejects"`
	}{stations, rejects})
}

func FuzzParse(f *testing.F) {
	f.Add(fixture.Read(f, sample))
	f.Add([]byte(`{"96001": {"kota": "A", "lat": "5.8", "lon": 95}, "x": null, "96001": []}`))
	f.Add([]byte(`{"96001": {"kota": "A", "lat": 1e2, "lon": -0}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		stations, rejects, err := Parse(data)
		if err != nil {
			if stations != nil || rejects != nil {
				t.Fatal("results returned with an error")
			}
			return
		}
		seen := map[string]bool{}
		for _, s := range stations {
			if s.Latitude < -90 || s.Latitude > 90 || s.Longitude < -180 || s.Longitude > 180 {
				t.Fatalf("coordinates out of range: %+v", s)
			}
			if !isDigits(s.WMOIndex) || seen[s.WMOIndex] {
				t.Fatalf("bad or duplicate WMO index: %+v", s)
			}
			seen[s.WMOIndex] = true
		}
		for _, r := range rejects {
			if r.Record < 1 || r.Reason == "" {
				t.Fatalf("bad reject %+v", r)
			}
		}
	})
}
