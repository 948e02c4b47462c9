package repogempa

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/bmkg/mkggraph/format/budget"
	"github.com/bmkg/mkggraph/format/internal/fixture"
	"github.com/bmkg/mkggraph/format/quake"
)

var samples = []struct {
	name  string
	count int
}{
	{"bmkg-repogempa-20081101.html", 21},
	{"bmkg-repogempa-20221121.html", 101},
}

func parseSample(t *testing.T, name string) []quake.Event {
	t.Helper()
	data := fixture.Read(t, name)
	if !Detect(data[:min(len(data), 4096)]) {
		t.Errorf("Detect(%s) = false", name)
	}
	events, rejects, err := Parse(data)
	if err != nil || len(rejects) != 0 {
		t.Fatalf("%s: rejects %+v, err %v", name, rejects, err)
	}
	return events
}

func TestSampleCounts(t *testing.T) {
	for _, s := range samples {
		events := parseSample(t, s.name)
		if len(events) != s.count {
			t.Errorf("%s: %d events, want %d", s.name, len(events), s.count)
		}
		for i, e := range events {
			if e.Record != i+1 || e.Feed != FeedRepogempa || e.MagnitudeType != "" || e.Status != "" {
				t.Errorf("%s #%d: %+v", s.name, i+1, e)
			}
		}
	}
}

type want struct {
	record   int
	time     string
	lat, lon float64
	depth    float64
	mag      float64
	region   string
	focal    bool
}

func (w want) check(t *testing.T, events []quake.Event) {
	t.Helper()
	e := events[w.record-1]
	if got := e.OriginTime.Format("2006-01-02T15:04:05.000Z07:00"); got != w.time {
		t.Errorf("#%d: time %s, want %s", w.record, got, w.time)
	}
	if e.Latitude != w.lat || e.Longitude != w.lon || *e.DepthKm != w.depth || *e.Magnitude != w.mag {
		t.Errorf("#%d: %v,%v %vkm M%v; want %v,%v %vkm M%v", w.record,
			e.Latitude, e.Longitude, *e.DepthKm, *e.Magnitude, w.lat, w.lon, w.depth, w.mag)
	}
	if e.Region != w.region || e.FocalMechanism != w.focal {
		t.Errorf("#%d: region %q focal %v; want %q %v", w.record, e.Region, e.FocalMechanism, w.region, w.focal)
	}
}

func TestOldPage(t *testing.T) {
	events := parseSample(t, "bmkg-repogempa-20081101.html")
	for _, w := range []want{
		{1, "2008-11-01T21:02:43.058Z", -9.18, 119.06, 10, 4.9, "Sumba Region, Indonesia", false},
		{3, "2008-11-01T17:43:12.941Z", -7.01, 106.63, 121, 3.7, "Java, Indonesia", false},
		{7, "2008-11-01T13:04:38.742Z", 0.10, 98.55, 12, 4.7, "Northern Sumatra, Indonesia", false},
		{21, "2008-11-01T00:31:25.143Z", -0.60, 98.90, 20, 3.0, "Southern Sumatra, Indonesia", false},
	} {
		w.check(t, events)
	}
}

func TestNewPage(t *testing.T) {
	events := parseSample(t, "bmkg-repogempa-20221121.html")
	for _, w := range []want{
		{1, "2022-11-21T23:46:46.320Z", -6.85, 107.15, 18, 2.0, "Java, Indonesia", false},
		{2, "2022-11-21T21:38:06.378Z", 3.76, 125.97, 51, 3.7, "Talaud Islands, Indonesia", false},
		{12, "2022-11-21T18:10:44.858Z", -4.54, 130.35, 115, 4.6, "Banda Sea", true},
		// The Cianjur main shock: 13:21 WIB is 06:21 UTC.
		{93, "2022-11-21T06:21:09.874Z", -6.85, 107.03, 11, 5.6, "Java, Indonesia", true},
		{101, "2022-11-21T00:35:51.844Z", 0.91, 122.89, 30, 4.8, "Minahassa Peninsula, Sulawesi", false},
	} {
		w.check(t, events)
	}
}

const page = "<html><body><pre>The Agency for Meteorology Climatology and Geophysics (BMKG)\n" +
	"Format origin results for:\n" +
	"Date        Time           Lat      Lon     Dep M    MT   Region\n" +
	"...........\n%s\n</pre></body></html>"

func onePage(rows ...string) []byte {
	return []byte(strings.Replace(page, "%s", strings.Join(rows, "\n"), 1))
}

const goodRow = `2008/11/01  21:02:43.058   9.18 S  119.06 E  10 4.9   -   <a href=viewmap.php?tgl=2008/11/01&ot=21:02:43.058&lat=9.18&lon=119.06&ketlat=S&ketlon=E&depth=10&mag=4.9&remark=Sumba+Region%2C+Indonesia+&status=unset>Sumba Region, Indonesia </a>`

func TestRowVariations(t *testing.T) {
	tests := []struct {
		name     string
		row      string
		lat, lon float64
		mag      *float64
		region   string
		magType  string
	}{
		{"old unquoted href", goodRow, -9.18, 119.06, f(4.9), "Sumba Region, Indonesia", ""},
		{"quoted href with &amp;", `2022/11/21  21:38:06.378   3.76 N  125.97 E  51 3.7   -   <a href="viewmap.php?tgl=2022/11/21&amp;ot=21:38:06.378&amp;lat=3.76&amp;lon=125.97&amp;ketlat=N&amp;ketlon=E&amp;depth=51&amp;mag=3.7&amp;remark=Talaud+Islands%2C+Indonesia+&amp;status=unset">Talaud Islands, Indonesia </a>`,
			3.76, 125.97, f(3.7), "Talaud Islands, Indonesia", ""},
		{"single-quoted href, west", `2022/11/21  21:38:06.378   3.76 N  25.97 W  51 3.7   -   <A HREF='viewmap.php?lat=3.76&amp;lon=25.97&amp;ketlat=N&amp;ketlon=W'>Somewhere </A>`,
			3.76, -25.97, f(3.7), "Somewhere", ""},
		{"no magnitude", `2008/11/01  21:02:43.058   9.18 S  119.06 E  10   -   <a href=viewmap.php?lat=9.18&ketlat=S>Sumba Region</a>`,
			-9.18, 119.06, nil, "Sumba Region", ""},
		{"glued hemispheres, no link", `2008/11/01  21:02:43.058   9.18S  119.06E  10 4.9   -   Sumba Region`,
			-9.18, 119.06, f(4.9), "Sumba Region", ""},
		{"empty link text uses remark", `2008/11/01  21:02:43.058   9.18 S  119.06 E  10 4.9   -   <a href=viewmap.php?remark=Banda+Sea+></a>`,
			-9.18, 119.06, f(4.9), "Banda Sea", ""},
		{"a magnitude type in MT", `2008/11/01  21:02:43.058   9.18 S  119.06 E  10 4.9   MLv   <a href=viewmap.php?mag=4.9>Banda Sea</a>`,
			-9.18, 119.06, f(4.9), "Banda Sea", "MLv"},
	}
	for _, tt := range tests {
		events, rejects, err := Parse(onePage(tt.row))
		if err != nil || len(rejects) != 0 || len(events) != 1 {
			t.Errorf("%s: %+v %+v %v", tt.name, events, rejects, err)
			continue
		}
		e := events[0]
		if e.Latitude != tt.lat || e.Longitude != tt.lon || !samePtr(e.Magnitude, tt.mag) ||
			e.Region != tt.region || e.MagnitudeType != tt.magType {
			t.Errorf("%s: got %+v", tt.name, e)
		}
	}
}

func f(v float64) *float64 { return &v }

func samePtr(a, b *float64) bool {
	return (a == nil && b == nil) || (a != nil && b != nil && *a == *b)
}

func TestBadRowsAreRejected(t *testing.T) {
	bad := []struct{ row, reason string }{
		{strings.Replace(goodRow, "lat=9.18", "lat=9.81", 1), "link lat=9.81 ketlat=S disagrees with row 9.18 S"},
		{strings.Replace(goodRow, "ketlat=S", "ketlat=N", 1), "link lat=9.18 ketlat=N disagrees"},
		{strings.Replace(goodRow, "depth=10", "depth=100", 1), "link depth=100 disagrees"},
		{strings.Replace(goodRow, "mag=4.9", "mag=5.9", 1), "link mag=5.9 disagrees"},
		{strings.Replace(goodRow, "ot=21:02:43.058", "ot=21:02:44.058", 1), "link time"},
		{strings.Replace(goodRow, "remark=Sumba", "remark=Java", 1), "link remark"},
		{strings.Replace(goodRow, "9.18 S", "9.18 Q", 1), `latitude hemisphere "Q"`},
		{strings.Replace(goodRow, "119.06 E", "119.x6 E", 1), `longitude "119.x6"`},
		{strings.Replace(goodRow, "21:02:43.058", "25:02:43.058", 1), "not a valid UTC time"},
		{strings.Replace(strings.Replace(goodRow, " 10 4.9", " 1200 4.9", 1), "depth=10", "depth=1200", 1), "depth 1200"},
		{strings.Replace(strings.Replace(goodRow, "9.18 S", "99.18 S", 1), "lat=9.18", "lat=99.18", 1), "latitude -99.18"},
		{"2008/11/01  21:02:43.058   9.18 S", "row has 4 columns"},
	}
	for _, b := range bad {
		events, rejects, err := Parse(onePage(goodRow, b.row, goodRow))
		if err != nil {
			t.Errorf("%s: %v", b.reason, err)
			continue
		}
		if len(events) != 2 || events[1].Record != 3 {
			t.Errorf("%s: good rows not kept: %d", b.reason, len(events))
		}
		if len(rejects) != 1 || rejects[0].Record != 2 || !strings.Contains(rejects[0].Reason, b.reason) {
			t.Errorf("rejects %+v, want %q", rejects, b.reason)
		}
	}
}

func TestQuietDay(t *testing.T) {
	events, rejects, err := Parse(onePage())
	if err != nil || len(events) != 0 || len(rejects) != 0 {
		t.Fatalf("%v %v %v", events, rejects, err)
	}
}

func TestOtherFormatsAreErrors(t *testing.T) {
	for _, name := range []string{"bmkg-autogempa-20220822-poso.xml", "bmkg-realtime-20220925.geojson", "isc-20041226-sumatra-m6plus.qml"} {
		data := fixture.Read(t, name)
		if Detect(data) {
			t.Errorf("Detect(%s) = true", name)
		}
		if _, _, err := Parse(data); err == nil {
			t.Errorf("Parse(%s): no error", name)
		}
	}
	for _, in := range []string{"", "<html><pre>nothing here</pre></html>", "hello"} {
		if _, _, err := Parse([]byte(in)); err == nil {
			t.Errorf("Parse(%q): no error", in)
		}
	}
	if _, _, err := Parse(make([]byte, MaxInputSize+1)); !errors.Is(err, budget.ErrTooLarge) {
		t.Errorf("oversized input: %v", err)
	}
}

func TestTimesAreUTC(t *testing.T) {
	for _, e := range parseSample(t, "bmkg-repogempa-20081101.html") {
		if e.OriginTime.Location() != time.UTC {
			t.Fatalf("record %d: %v", e.Record, e.OriginTime.Location())
		}
	}
}
