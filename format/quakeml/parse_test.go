package quakeml

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
	{"isc-20041226-sumatra-m6plus.qml", 23},
}

func TestISCSample(t *testing.T) {
	data := fixture.Read(t, samples[0].name)
	if !Detect(data[:4096]) {
		t.Error("Detect = false")
	}
	events, rejects, err := Parse(data)
	if err != nil || len(rejects) != 0 || len(events) != 23 {
		t.Fatalf("%d events, rejects %+v, err %v", len(events), rejects, err)
	}
	first := events[0]
	// No preferredMagnitudeID: the first magnitude of the preferred origin
	// (mb 6.96) is taken, not the later MS 8.69.
	checkEvent(t, first, "smi:ISC/evid=7453151", "2004-12-26T00:58:53.08Z", 3.3148, 95.9829, 26.4518, 6.96, "mb",
		"Off west coast of northern Sumatera")
	checkEvent(t, events[4], "smi:ISC/evid=7453232", "2004-12-26T02:26:04.07Z", 11.9973, 92.5224, 0, 4.6, "mb",
		"Andaman Islands region")
	checkEvent(t, events[22], "smi:ISC/evid=7454678", "2004-12-26T19:19:54.25Z", 2.6603, 94.0796, 21.078, 5.35, "mb",
		"Off west coast of northern Sumatera")
	for i, e := range events {
		if e.Record != i+1 || e.Feed != FeedQuakeML || e.EventType != "earthquake" || e.Status != "" {
			t.Errorf("#%d: %+v", i+1, e)
		}
	}
}

func checkEvent(t *testing.T, e quake.Event, id, when string, lat, lon, depth, mag float64, magType, region string) {
	t.Helper()
	if e.EventID != id || e.OriginTime.Format(time.RFC3339Nano) != when {
		t.Errorf("%s: id %q time %s", id, e.EventID, e.OriginTime.Format(time.RFC3339Nano))
	}
	if e.Latitude != lat || e.Longitude != lon || e.DepthKm == nil || *e.DepthKm != depth {
		t.Errorf("%s: %v,%v depth %v; want %v,%v %v", id, e.Latitude, e.Longitude, e.DepthKm, lat, lon, depth)
	}
	if e.Magnitude == nil || *e.Magnitude != mag || e.MagnitudeType != magType || e.Region != region {
		t.Errorf("%s: M%v %q %q; want M%v %q %q", id, e.Magnitude, e.MagnitudeType, e.Region, mag, magType, region)
	}
}

// usgs is written the way USGS's FDSN event service writes QuakeML: a q:
// prefixed root, the BED namespace as default, catalog: attributes.
const usgs = `<?xml version="1.0" encoding="UTF-8"?>
<q:quakeml xmlns="http://quakeml.org/xmlns/bed/1.2" xmlns:catalog="http://anss.org/xmlns/catalog/0.1" xmlns:q="http://quakeml.org/xmlns/quakeml/1.2">
<eventParameters publicID="quakeml:earthquake.usgs.gov/fdsnws/event/1/query">
<event catalog:datasource="us" catalog:eventid="7000abcd" publicID="quakeml:earthquake.usgs.gov/fdsnws/event/1/query?eventid=us7000abcd&amp;format=quakeml">
  <description><type>earthquake name</type><text>63 km SW of Sinabang, Indonesia</text></description>
  <origin catalog:datasource="us" publicID="quakeml:us.anss.org/origin/old">
    <time><value>2023-04-24T20:00:00.000Z</value></time>
    <longitude><value>95.0</value></longitude><latitude><value>0.0</value></latitude>
    <depth><value>10000</value></depth><evaluationMode>automatic</evaluationMode>
  </origin>
  <origin catalog:datasource="us" publicID="quakeml:us.anss.org/origin/7000abcd">
    <time><value>2023-04-24T20:00:57.681Z</value></time>
    <longitude><value>-97.2345</value></longitude><latitude><value>-0.7715</value></latitude>
    <depth><value>2.1e4</value><uncertainty>1800</uncertainty></depth>
    <evaluationMode>manual</evaluationMode><evaluationStatus>reviewed</evaluationStatus>
  </origin>
  <magnitude publicID="quakeml:us.anss.org/magnitude/old/mb">
    <mag><value>6.8</value></mag><type>mb</type><originID>quakeml:us.anss.org/origin/old</originID>
  </magnitude>
  <magnitude publicID="quakeml:us.anss.org/magnitude/7000abcd/mww">
    <mag><value>7.1</value><uncertainty>0.04</uncertainty></mag><type>Mww</type>
    <originID>quakeml:us.anss.org/origin/7000abcd</originID>
  </magnitude>
  <preferredOriginID>quakeml:us.anss.org/origin/7000abcd</preferredOriginID>
  <preferredMagnitudeID>quakeml:us.anss.org/magnitude/7000abcd/mww</preferredMagnitudeID>
  <type>earthquake</type>
</event>
</eventParameters>
</q:quakeml>`

func TestUSGSStyle(t *testing.T) {
	if !Detect([]byte(usgs)) {
		t.Error("Detect = false")
	}
	events, rejects, err := Parse([]byte(usgs))
	if err != nil || len(rejects) != 0 || len(events) != 1 {
		t.Fatalf("%+v %+v %v", events, rejects, err)
	}
	e := events[0]
	checkEvent(t, e, "quakeml:earthquake.usgs.gov/fdsnws/event/1/query?eventid=us7000abcd&format=quakeml",
		"2023-04-24T20:00:57.681Z", -0.7715, -97.2345, 21, 7.1, "Mww", "63 km SW of Sinabang, Indonesia")
	if e.Status != "manual" {
		t.Errorf("status %q", e.Status)
	}
}

// ev builds a minimal event for the selection tests.
func ev(inner string) string {
	return `<quakeml xmlns="http://quakeml.org/xmlns/quakeml/1.2"><eventParameters>` + inner + `</eventParameters></quakeml>`
}

const origin1 = `<origin publicID="o1"><time><value>2020-01-01T00:00:00Z</value></time><latitude><value>1</value></latitude><longitude><value>2</value></longitude><depth><value>5000</value></depth></origin>`
const origin2 = `<origin publicID="o2"><time><value>2020-01-01T00:00:01Z</value></time><latitude><value>3</value></latitude><longitude><value>4</value></longitude></origin>`

func TestSelection(t *testing.T) {
	tests := []struct {
		name    string
		event   string
		lat     float64
		mag     float64
		magType string
		region  string
		evType  string
	}{
		{"first origin and magnitude without preferences",
			`<event publicID="e">` + origin1 + origin2 + `<magnitude publicID="m1"><mag><value>4</value></mag></magnitude><magnitude publicID="m2"><mag><value>5</value></mag><type>Mw</type></magnitude></event>`,
			1, 4, "", "", ""},
		{"preferred origin, its magnitude",
			`<event publicID="e"><preferredOriginID>o2</preferredOriginID>` + origin1 + origin2 + `<magnitude publicID="m1"><mag><value>4</value></mag><originID>o1</originID></magnitude><magnitude publicID="m2"><mag><value>5</value></mag><type>ML</type><originID>o2</originID></magnitude></event>`,
			3, 5, "ML", "", ""},
		{"preferred magnitude wins over origin match",
			`<event publicID="e"><preferredOriginID>o2</preferredOriginID><preferredMagnitudeID>m1</preferredMagnitudeID>` + origin1 + origin2 + `<magnitude publicID="m1"><mag><value>4</value></mag><originID>o1</originID></magnitude><magnitude publicID="m2"><mag><value>5</value></mag><originID>o2</originID></magnitude></event>`,
			3, 4, "", "", ""},
		{"dangling preferredOriginID falls back to the first",
			`<event publicID="e"><preferredOriginID>gone</preferredOriginID>` + origin1 + `</event>`,
			1, 0, "", "", ""},
		{"description preference and event type",
			`<event publicID="e"><type>quarry blast</type><description><text>near X</text><type>nearest cities</type></description><description><text>  Java,   Indonesia </text><type>region name</type></description><description><text>South of Java</text><type>Flinn-Engdahl region</type></description>` + origin1 + `</event>`,
			1, 0, "", "South of Java", "quarry blast"},
		{"description without type",
			`<event publicID="e"><type>explosion</type><description><text>Somewhere</text></description>` + origin1 + `</event>`,
			1, 0, "", "Somewhere", "explosion"},
	}
	for _, tt := range tests {
		events, rejects, err := Parse([]byte(ev(tt.event)))
		if err != nil || len(rejects) != 0 || len(events) != 1 {
			t.Errorf("%s: %+v %+v %v", tt.name, events, rejects, err)
			continue
		}
		e := events[0]
		gotMag := 0.0
		if e.Magnitude != nil {
			gotMag = *e.Magnitude
		}
		if e.Latitude != tt.lat || gotMag != tt.mag || e.MagnitudeType != tt.magType || e.Region != tt.region || e.EventType != tt.evType {
			t.Errorf("%s: got %+v", tt.name, e)
		}
	}
}

func TestBadEventsAreRejected(t *testing.T) {
	good := `<event publicID="ok">` + origin1 + `</event>`
	bad := []struct{ event, reason string }{
		{`<event publicID="x"><type>not existing</type>` + origin1 + `</event>`, `event x has type "not existing"`},
		{`<event publicID="x"><type>earthquake</type></event>`, "event x has no origin"},
		{`<event publicID="x"><origin><latitude><value>1</value></latitude><longitude><value>2</value></longitude></origin></event>`, "origin time/value is missing"},
		{`<event publicID="x"><origin><time><value>01/01/2020</value></time><latitude><value>1</value></latitude><longitude><value>2</value></longitude></origin></event>`, `origin time/value "01/01/2020"`},
		{`<event publicID="x"><origin><time><value>2020-01-01T00:00:00Z</value></time><longitude><value>2</value></longitude></origin></event>`, "origin latitude/value is missing"},
		{`<event publicID="x"><origin><time><value>2020-01-01T00:00:00Z</value></time><latitude><value>NaN</value></latitude><longitude><value>2</value></longitude></origin></event>`, `origin latitude/value "NaN"`},
		{`<event publicID="x"><origin><time><value>2020-01-01T00:00:00Z</value></time><latitude><value>91</value></latitude><longitude><value>2</value></longitude></origin></event>`, "latitude 91"},
		{`<event publicID="x"><origin><time><value>2020-01-01T00:00:00Z</value></time><latitude><value>1</value></latitude><longitude><value>2</value></longitude><depth><value>-15000</value></depth></origin></event>`, "depth -15 km"},
		{`<event publicID="x"><origin><time><value>2020-01-01T00:00:00Z</value></time><latitude><value>1</value></latitude><longitude><value>2</value></longitude><depth><value>1200000</value></depth></origin></event>`, "depth 1200 km"},
		{`<event publicID="x">` + origin1 + `<magnitude><mag><value>besar</value></mag></magnitude></event>`, `magnitude mag/value "besar"`},
		{`<event publicID="x">` + origin1 + `<magnitude><mag><value>10.5</value></mag></magnitude></event>`, "magnitude 10.5"},
	}
	for _, b := range bad {
		events, rejects, err := Parse([]byte(ev(good + b.event + good)))
		if err != nil {
			t.Errorf("%s: %v", b.reason, err)
			continue
		}
		if len(events) != 2 || events[1].Record != 3 {
			t.Errorf("%s: good events not kept: %+v", b.reason, events)
		}
		if len(rejects) != 1 || rejects[0].Record != 2 || !strings.Contains(rejects[0].Reason, b.reason) {
			t.Errorf("rejects %+v, want %q", rejects, b.reason)
		}
	}
}

func TestTruncatedFileKeepsEarlierEvents(t *testing.T) {
	data := fixture.Read(t, samples[0].name)
	events, rejects, err := Parse(data[:len(data)/2])
	if err != nil {
		t.Fatal(err)
	}
	if len(events) < 8 || len(rejects) != 1 || rejects[0].Record != len(events)+1 {
		t.Fatalf("%d events, rejects %+v", len(events), rejects)
	}
}

func TestOtherFormatsAreErrors(t *testing.T) {
	for _, name := range []string{"bmkg-autogempa-20220822-poso.xml", "bmkg-realtime-20220925.geojson", "bmkg-repogempa-20221121.html"} {
		data := fixture.Read(t, name)
		if Detect(data) {
			t.Errorf("Detect(%s) = true", name)
		}
		if _, _, err := Parse(data); err == nil {
			t.Errorf("Parse(%s): no error", name)
		}
	}
	for _, in := range []string{"", "quakeml", "<eventParameters/>", "<?xml version=\"1.0\"?>"} {
		if _, _, err := Parse([]byte(in)); err == nil {
			t.Errorf("Parse(%q): no error", in)
		}
	}
	if _, _, err := Parse(make([]byte, MaxInputSize+1)); !errors.Is(err, budget.ErrTooLarge) {
		t.Errorf("oversized input: %v", err)
	}
}

func TestEmptyCatalogue(t *testing.T) {
	events, rejects, err := Parse([]byte(ev("")))
	if err != nil || len(events) != 0 || len(rejects) != 0 {
		t.Fatalf("%v %v %v", events, rejects, err)
	}
}

func TestMetresToKm(t *testing.T) {
	for in, want := range map[string]float64{"26451.8": 26.4518, "10000": 10, "2.1e4": 21, "0": 0, "-1500": -1.5, "1.5E+3": 1.5} {
		got, err := metresToKm(in)
		if err != nil || got == nil || *got != want {
			t.Errorf("metresToKm(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	for _, in := range []string{"Inf", "0x10", "1_000", "1e99999", "."} {
		if _, err := metresToKm(in); err == nil {
			t.Errorf("metresToKm(%q): no error", in)
		}
	}
}
