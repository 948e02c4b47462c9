package bmkgquake

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/bmkg/mkggraph/format/budget"
	"github.com/bmkg/mkggraph/format/internal/fixture"
)

// The feeds exist in both JSON and XML; these are the forms not among the
// samples, written the way the other form of the same feed is.
func TestFormsNotAmongSamples(t *testing.T) {
	tests := []struct {
		name   string
		in     string
		feed   string
		legacy bool
		count  int
		lat    float64
		lon    float64
	}{
		{"gempadirasakan as XML", `<?xml version="1.0"?><Infogempa>
<gempa><Tanggal>24 Des 2025</Tanggal><Jam>12:30:34 WIB</Jam><DateTime>2025-12-24T05:30:34+00:00</DateTime><point><coordinates>-4.46,102.60</coordinates></point><Lintang>4.46 LS</Lintang><Bujur>102.60 BT</Bujur><Magnitude>4.6</Magnitude><Kedalaman>30 km</Kedalaman><Wilayah>Pusat gempa berada di laut 34 km barat Bengkulu Selatan</Wilayah><Dirasakan>II-III Bengkulu Utara</Dirasakan></gempa>
<gempa><Tanggal>23 Des 2025</Tanggal><Jam>11:10:36 WIB</Jam><DateTime>2025-12-23T04:10:36+00:00</DateTime><point><coordinates>-8.06,119.24</coordinates></point><Lintang>8.06 LS</Lintang><Bujur>119.24 BT</Bujur><Magnitude>4.0</Magnitude><Kedalaman>17 km</Kedalaman><Wilayah>x</Wilayah><Dirasakan>III Bima</Dirasakan></gempa>
</Infogempa>`, FeedGempadirasakan, false, 2, -4.46, 102.60},
		{"gempaterkini as XML", `<Infogempa><gempa><Tanggal>12 Jul 2023</Tanggal><Jam>15:39:35 WIB</Jam><DateTime>2023-07-12T08:39:35+00:00</DateTime><point><coordinates>-10.01,118.81</coordinates></point><Lintang>10.01 LS</Lintang><Bujur>118.81 BT</Bujur><Magnitude>5.3</Magnitude><Kedalaman>10 km</Kedalaman><Wilayah>50 km BaratDaya KODI</Wilayah><Potensi>Tidak berpotensi tsunami</Potensi></gempa><gempa><Tanggal>10 Jul 2023</Tanggal><Jam>08:19:04 WIB</Jam><DateTime>2023-07-10T01:19:04+00:00</DateTime><point><coordinates>3.65,95.84</coordinates></point><Lintang>3.65 LU</Lintang><Bujur>95.84 BT</Bujur><Magnitude>5.2</Magnitude><Kedalaman>27 km</Kedalaman><Wilayah>y</Wilayah><Potensi>Tidak berpotensi tsunami</Potensi></gempa></Infogempa>`,
			FeedGempaterkini, false, 2, -10.01, 118.81},
		{"autogempa as JSON with numbers", `{"Infogempa":{"gempa":{"Tanggal":"05 Okt 2021","Jam":"18:00:27 WIB","DateTime":"2021-10-05T11:00:27+00:00","Coordinates":"-8.15,118.10","Lintang":"8.15 LS","Bujur":"118.10 BT","Magnitude":4.5,"Kedalaman":20,"Wilayah":"Dompu","Shakemap":"a.jpg"}}}`,
			FeedAutogempa, false, 1, -8.15, 118.10},
		{"legacy autogempa as JSON", `{"Infogempa":{"gempa":{"Tanggal":"08-Nov-13","Jam":"01:38:53 WIB","point":{"coordinates":"126.40,3.90"},"Lintang":"3.90 LU","Bujur":"126.40 BT","Magnitude":"5.0 SR","Kedalaman":"24 Km","_symbol":"imagesSWF/m2b.swf","Wilayah1":"63 km BaratDaya KEP-TALAUD-SULUT","Wilayah2":"102 km","Potensi":"tidak berpotensi TSUNAMI"}}}`,
			FeedAutogempa, true, 1, 3.90, 126.40},
		{"legacy gempaterkini as JSON", `{"Infogempa":{"gempa":[{"Tanggal":"08-Nov-13","Jam":"01:38:53 WIB","point":{"coordinates":"126.4,3.9"},"Lintang":"3.9 LU","Bujur":"126.4 BT","Magnitude":"5.0 SR","Kedalaman":"24 Km","Wilayah":"63 km"},{"Tanggal":"07-Nov-13","Jam":"17:47:32 WIB","point":{"coordinates":"138.83,-1.55"},"Lintang":"1.55 LS","Bujur":"138.83 BT","Magnitude":"5.4 SR","Kedalaman":"10 Km","Wilayah":"37 km"}]}}`,
			FeedGempaterkini, true, 2, 3.9, 126.4},
		{"legacy gempadirasakan as JSON", `{"Infogempa":{"Gempa":[{"Tanggal":"07/11/2013-17:47:32 WIB","point":{"coordinates":"-1.55, 138.83"},"Posisi":"1.55 LS 138.83 BT","Magnitude":"5.4 SR","Kedalaman":"10 Km","Keterangan":"Sarmi","Dirasakan":" III\tSarmi,"}]}}`,
			FeedGempadirasakan, true, 1, -1.55, 138.83},
		{"legacy autogempa without coordinates order hint", `<Infogempa><gempa><Tanggal>27-Aug-19</Tanggal><Jam>13:31:23 WIB</Jam><point><coordinates>122.05,1.27</coordinates></point><Magnitude>5.0 SR</Magnitude><Kedalaman>10 Km</Kedalaman><Wilayah1>84 km TimurLaut BUOL-SULTENG</Wilayah1></gempa></Infogempa>`,
			FeedAutogempa, true, 1, 1.27, 122.05},
		{"empty list", `{"Infogempa":{"gempa":[]}}`, FeedGempaterkini, false, 0, 0, 0},
		{"latin-1 XML", "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><Infogempa><gempa><DateTime>2021-10-05T11:00:27+00:00</DateTime><Coordinates>-8.15,118.10</Coordinates><Wilayah>Caf\xe9</Wilayah></gempa></Infogempa>",
			FeedAutogempa, false, 1, -8.15, 118.10},
	}
	for _, tt := range tests {
		events, rejects, err := Parse([]byte(tt.in))
		if err != nil || len(rejects) != 0 {
			t.Errorf("%s: err %v rejects %+v", tt.name, err, rejects)
			continue
		}
		if len(events) != tt.count {
			t.Errorf("%s: %d events, want %d", tt.name, len(events), tt.count)
			continue
		}
		if tt.count == 0 {
			continue
		}
		e := events[0]
		if e.Feed != tt.feed || e.Legacy != tt.legacy || e.Latitude != tt.lat || e.Longitude != tt.lon {
			t.Errorf("%s: got %s legacy=%v %v,%v; want %s legacy=%v %v,%v", tt.name,
				e.Feed, e.Legacy, e.Latitude, e.Longitude, tt.feed, tt.legacy, tt.lat, tt.lon)
		}
	}
}

func TestLatin1Text(t *testing.T) {
	in := "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><Infogempa><gempa><DateTime>2021-10-05T11:00:27+00:00</DateTime><Coordinates>-8.15,118.10</Coordinates><Wilayah>Caf\xe9</Wilayah></gempa></Infogempa>"
	events, _, err := Parse([]byte(in))
	if err != nil || len(events) != 1 || events[0].Region != "Café" {
		t.Fatalf("got %+v, %v", events, err)
	}
}

// A bad record is rejected with a reason naming the field and the value;
// the records around it still load.
func TestBadRecordsAreRejected(t *testing.T) {
	good := `{"DateTime":"2021-10-05T11:00:27+00:00","Coordinates":"-8.15,118.10","Lintang":"8.15 LS","Bujur":"118.10 BT","Magnitude":"4.5","Kedalaman":"20 km","Wilayah":"ok","Dirasakan":"II Dompu"}`
	bad := []struct{ record, reason string }{
		{`{"DateTime":"2021-10-05T11:00:27+00:00","Coordinates":"-8.15,118.10","Magnitude":"besar"}`, `Magnitude "besar"`},
		{`{"DateTime":"2021-10-05T11:00:27+00:00","Coordinates":"-8.15,118.10","Magnitude":"12.5"}`, "magnitude 12.5"},
		{`{"DateTime":"2021-10-05T11:00:27+00:00","Coordinates":"-8.15,118.10","Kedalaman":"1200 km"}`, "depth 1200"},
		{`{"DateTime":"2021-10-05T11:00:27+00:00","Coordinates":"-8.15,118.10","Kedalaman":"-5 km"}`, "depth -5"},
		{`{"DateTime":"2021-10-05T11:00:27+00:00","Coordinates":"-8.15,118.10","Kedalaman":"20 m"}`, `Kedalaman "20 m"`},
		{`{"DateTime":"yesterday","Coordinates":"-8.15,118.10"}`, `DateTime "yesterday"`},
		{`{"Tanggal":"05 Okt 2021","Jam":"18:00:27","Coordinates":"-8.15,118.10"}`, "no time zone"},
		{`{"DateTime":"1850-10-05T11:00:27+00:00","Coordinates":"-8.15,118.10"}`, "outside 1900..2100"},
		{`{"DateTime":"2021-10-05T11:00:27+00:00","Coordinates":"8.15,118.10","Lintang":"8.15 LS","Bujur":"118.10 BT"}`, `Coordinates "8.15,118.10" agree with neither order of Lintang "8.15 LS" / Bujur "118.10 BT"`},
		{`{"DateTime":"2021-10-05T11:00:27+00:00","Coordinates":"-98.15,118.10"}`, "latitude -98.15"},
		{`{"DateTime":"2021-10-05T11:00:27+00:00","Coordinates":"NaN,118.10"}`, `Coordinates "NaN,118.10"`},
		{`{"DateTime":"2021-10-05T11:00:27+00:00"}`, "no position"},
		{`"just a string"`, "gempa entry is a JSON string"},
	}
	for _, b := range bad {
		in := `{"Infogempa":{"gempa":[` + good + "," + b.record + "," + good + `]}}`
		events, rejects, err := Parse([]byte(in))
		if err != nil {
			t.Errorf("%s: %v", b.record, err)
			continue
		}
		if len(events) != 2 || events[0].Record != 1 || events[1].Record != 3 {
			t.Errorf("%s: good records not kept: %+v", b.record, events)
		}
		if len(rejects) != 1 || rejects[0].Record != 2 || !strings.Contains(rejects[0].Reason, b.reason) {
			t.Errorf("%s: rejects %+v, want record 2 with %q", b.record, rejects, b.reason)
		}
	}
}

func TestTruncatedXMLKeepsEarlierRecords(t *testing.T) {
	data := fixture.Read(t, "bmkg-legacy-gempaterkini-20131108.xml")
	cut := data[:len(data)/2]
	events, rejects, err := Parse(cut)
	if err != nil {
		t.Fatal(err)
	}
	if len(events) < 20 || len(rejects) != 1 || !strings.Contains(rejects[0].Reason, "file ends") {
		t.Fatalf("%d events, rejects %+v", len(events), rejects)
	}
	if rejects[0].Record != len(events)+1 {
		t.Errorf("reject record %d after %d events", rejects[0].Record, len(events))
	}
}

func TestOtherFormatsAreErrors(t *testing.T) {
	others := []string{
		"bmkg-realtime-20220925.geojson",
		"bmkg-repogempa-20081101.html",
		"isc-20041226-sumatra-m6plus.qml",
	}
	for _, name := range others {
		data := fixture.Read(t, name)
		if Detect(data) {
			t.Errorf("Detect(%s) = true", name)
		}
		if _, _, err := Parse(data); err == nil {
			t.Errorf("Parse(%s): no error", name)
		}
	}
	for _, in := range []string{"", "hello", "{}", `{"Infogempa": 3}`, "<html></html>", "[1,2]", `{"Infogempa":{}} trailing`} {
		if _, _, err := Parse([]byte(in)); err == nil {
			t.Errorf("Parse(%q): no error", in)
		}
	}
}

func TestInputTooLarge(t *testing.T) {
	big := make([]byte, MaxInputSize+1)
	if _, _, err := Parse(big); !errors.Is(err, budget.ErrTooLarge) || !strings.Contains(err.Error(), "more than") {
		t.Fatalf("err = %v", err)
	}
}

func TestDateTimePreferredOverLocal(t *testing.T) {
	in := `{"Infogempa":{"gempa":{"Tanggal":"05 Okt 2021","Jam":"18:00:27 WIB","DateTime":"2021-10-05T11:00:28+00:00","Coordinates":"-8.15,118.10"}}}`
	events, _, err := Parse([]byte(in))
	if err != nil || len(events) != 1 {
		t.Fatal(err)
	}
	if want := time.Date(2021, 10, 5, 11, 0, 28, 0, time.UTC); !events[0].OriginTime.Equal(want) {
		t.Errorf("time %v, want DateTime's %v", events[0].OriginTime, want)
	}
}

func TestMagnitudeAndDepth(t *testing.T) {
	mags := []struct {
		in   string
		v    float64
		typ  string
		none bool
		bad  bool
	}{
		{"4.5", 4.5, "", false, false},
		{"5.0 SR", 5.0, "", false, false},
		{"5 SR", 5, "", false, false},
		{"M 5.0", 5.0, "", false, false},
		{"M5.0", 5.0, "", false, false},
		{"5,2", 5.2, "", false, false},
		{"5.1 Mw", 5.1, "Mw", false, false},
		{"-", 0, "", true, false},
		{"", 0, "", true, false},
		{"5.0 km", 0, "", false, true},
		{"lima", 0, "", false, true},
	}
	for _, m := range mags {
		v, typ, err := parseMagnitude(m.in)
		switch {
		case m.bad:
			if err == nil {
				t.Errorf("parseMagnitude(%q): no error", m.in)
			}
		case m.none:
			if v != nil || err != nil {
				t.Errorf("parseMagnitude(%q) = %v, %v; want nil", m.in, v, err)
			}
		case err != nil || v == nil || *v != m.v || typ != m.typ:
			t.Errorf("parseMagnitude(%q) = %v %q %v", m.in, v, typ, err)
		}
	}
	for in, want := range map[string]float64{"20 km": 20, "24 Km": 24, "10": 10, "10 KM": 10, "7.5 km": 7.5} {
		d, err := parseDepth(in)
		if err != nil || d == nil || *d != want {
			t.Errorf("parseDepth(%q) = %v, %v", in, d, err)
		}
	}
}
