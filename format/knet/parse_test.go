package knet

import (
	"math"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/bmkg/mkggraph/format/internal/fixture"
	"github.com/bmkg/mkggraph/format/strongmotion"
)

var samples = []string{"AOM0011801241951.EW", "AOM0011801241951.NS", "AOM0011801241951.UD"}

// TestPGAReproducesHeader checks the header's Max. Acc. is the peak of the
// mean-removed record, to the precision the header gives.
func TestPGAReproducesHeader(t *testing.T) {
	want := map[string]struct {
		pga       float64
		component string
	}{
		"AOM0011801241951.EW": {4.078, "E"},
		"AOM0011801241951.NS": {4.954, "N"},
		"AOM0011801241951.UD": {2.240, "Z"},
	}
	for _, name := range samples {
		data := fixture.Read(t, name)
		if !Detect(data) {
			t.Errorf("%s: Detect = false", name)
		}
		h, recs, err := Parse(data)
		if err != nil || len(recs) != 1 {
			t.Fatalf("%s: %d records, %v", name, len(recs), err)
		}
		w := want[name]
		if h.MaxAccGal != w.pga || h.MaxAccDecimals != 3 {
			t.Errorf("%s: header Max. Acc. %v (%d decimals)", name, h.MaxAccGal, h.MaxAccDecimals)
		}
		pga := strongmotion.PGA(recs[0].AccGal)
		half := 0.5 * math.Pow10(-h.MaxAccDecimals)
		if math.Abs(pga-h.MaxAccGal) > half {
			t.Errorf("%s: PGA %.6f, header %v", name, pga, h.MaxAccGal)
		}
		r := recs[0]
		if r.Component != w.component || r.Station != "AOM001" || r.Network != "BO" || len(r.AccGal) != 10200 ||
			r.SampleRateHz != 100 || h.Samples != 10200 {
			t.Errorf("%s: %+v", name, r)
		}
		// 19:51:43 JST on the logger, less the 15 s logger delay.
		if got := r.Start.Format(time.RFC3339); got != "2018-01-24T10:51:28Z" {
			t.Errorf("%s: start %s", name, got)
		}
		if got := h.OriginTime.Format(time.RFC3339); got != "2018-01-24T10:51:00Z" {
			t.Errorf("%s: origin %s", name, got)
		}
		if *r.StationLat != 41.5267 || *r.StationLon != 140.9244 || *r.StationElevM != 39 {
			t.Errorf("%s: station at %v %v %v", name, *r.StationLat, *r.StationLon, *r.StationElevM)
		}
	}
}

func TestKiKnetDirections(t *testing.T) {
	for dir, want := range map[string]string{"1": "NS1", "2": "EW1", "3": "UD1", "4": "NS2", "5": "EW2", "6": "UD2", "E-W": "EW"} {
		if got := channel(dir); got != want {
			t.Errorf("channel(%q) = %q, want %q", dir, got, want)
		}
	}
}

func TestBadInput(t *testing.T) {
	good := string(fixture.Read(t, samples[0]))
	lines := strings.SplitAfter(good, "\n")
	without := func(i int) string {
		return strings.Join(append(append([]string{}, lines[:i]...), lines[i+1:]...), "")
	}
	replace := func(old, new string) string { return strings.Replace(good, old, new, 1) }
	cases := map[string]struct{ data, want string }{
		"missing Mag. line":  {without(4), `want "Mag."`},
		"missing Memo. line": {without(16), `want "Memo."`},
		"header only":        {strings.Join(lines[:17], ""), "no samples"},
		"truncated header":   {strings.Join(lines[:9], ""), `want "Record Time"`},
		"empty":              {"", `want "Origin Time"`},
		"bad scale":          {replace("3920(gal)/6182761", "3920/6182761"), "N(gal)/D"},
		"zero denominator":   {replace("3920(gal)/6182761", "3920(gal)/0"), "Scale Factor"},
		"bad time":           {replace("2018/01/24 19:51:43", "2018/13/24 19:51:43"), "Record Time"},
		"bad frequency":      {replace("100Hz", "fastHz"), "Sampling Freq"},
		"bad direction":      {replace("E-W", "X-Y"), "Dir."},
		"bad count":          {replace("-12085", "-12x85"), "line 18"},
		"huge count":         {replace("-12085", "99999999999"), "32-bit"},
		"latitude":           {replace("Lat.              41.0", "Lat.              91.0"), "Lat."},
	}
	for name, c := range cases {
		_, recs, err := Parse([]byte(c.data))
		if err == nil || !strings.Contains(err.Error(), c.want) || recs != nil {
			t.Errorf("%s: err %v, want it to mention %q", name, err, c.want)
		}
	}
}

func TestCRLF(t *testing.T) {
	data := strings.ReplaceAll(string(fixture.Read(t, samples[1])), "\n", "\r\n")
	h, recs, err := Parse([]byte(data))
	if err != nil || h.Direction != "N-S" || len(recs[0].AccGal) != 10200 {
		t.Fatalf("%+v %v", h, err)
	}
}

// TestNIEDSpellings rewrites a real file the way NIED's current format
// description and KiK-net files write it: "Lon.", "Station Lon.",
// "Max Acc. (gal)", an unknown height (-9999) and a KiK-net channel
// number for Dir. The samples and the rest of the header must not change.
func TestNIEDSpellings(t *testing.T) {
	orig := string(fixture.Read(t, samples[1])) // N-S
	h0, r0, err := Parse([]byte(orig))
	if err != nil {
		t.Fatal(err)
	}
	for dir, want := range map[string]struct{ ch, comp string }{
		"1": {"NS1", "N"}, "2": {"EW1", "E"}, "3": {"UD1", "Z"},
		"4": {"NS2", "N"}, "5": {"EW2", "E"}, "6": {"UD2", "Z"},
	} {
		s := orig
		for _, r := range [][2]string{
			{"\nLong.             ", "\nLon.              "},
			{"\nStation Long.     ", "\nStation Lon.      "},
			{"\nMax. Acc. (gal)   ", "\nMax Acc. (gal)    "},
			{"\nStation Height(m) 39\n", "\nStation Height(m) -9999\n"},
			{"\nDir.              N-S\n", "\nDir.              " + dir + "\n"},
		} {
			if !strings.Contains(s, r[0]) {
				t.Fatalf("sample lacks %q", r[0])
			}
			s = strings.Replace(s, r[0], r[1], 1)
		}
		h, recs, err := Parse([]byte(s))
		if err != nil {
			t.Fatalf("Dir. %s: %v", dir, err)
		}
		r := recs[0]
		if r.Channel != want.ch || r.Component != want.comp || r.StationElevM != nil || h.StationHeightM != nil {
			t.Errorf("Dir. %s: channel %s component %s elevation %v", dir, r.Channel, r.Component, r.StationElevM)
		}
		if h.EventLon != h0.EventLon || h.StationLon != h0.StationLon || h.MaxAccGal != h0.MaxAccGal || !r.Start.Equal(r0[0].Start) {
			t.Errorf("Dir. %s: header %+v, want %+v", dir, h, h0)
		}
		if !slices.Equal(r.AccGal, r0[0].AccGal) {
			t.Errorf("Dir. %s: samples differ", dir)
		}
	}
}
