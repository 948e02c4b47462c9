package bmkgquake

import (
	"testing"
	"time"

	"github.com/bmkg/mkggraph/format/internal/fixture"
	"github.com/bmkg/mkggraph/format/quake"
)

// samples are the real feed files this package is tested against, with the
// feed each must be recognised as and its record count.
var samples = []struct {
	name   string
	feed   string
	legacy bool
	count  int
}{
	{"bmkg-autogempa-20211005-dompu.json", FeedAutogempa, false, 1},
	{"bmkg-autogempa-20220822-poso.xml", FeedAutogempa, false, 1},
	{"bmkg-gempaterkini-20230712.json", FeedGempaterkini, false, 15},
	{"bmkg-gempadirasakan-20251224.json", FeedGempadirasakan, false, 15},
	{"bmkg-legacy-autogempa-20131108.xml", FeedAutogempa, true, 1},
	{"bmkg-legacy-gempaterkini-20131108.xml", FeedGempaterkini, true, 60},
	{"bmkg-legacy-gempadirasakan-20131107.xml", FeedGempadirasakan, true, 20},
}

func parseSample(t *testing.T, name string) []quake.Event {
	t.Helper()
	events, rejects, err := Parse(fixture.Read(t, name))
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	if len(rejects) != 0 {
		t.Fatalf("%s: unexpected rejects %+v", name, rejects)
	}
	return events
}

func TestSamplesFeedAndCount(t *testing.T) {
	for _, s := range samples {
		data := fixture.Read(t, s.name)
		if !Detect(data[:min(len(data), 4096)]) {
			t.Errorf("%s: Detect = false", s.name)
		}
		events := parseSample(t, s.name)
		if len(events) != s.count {
			t.Errorf("%s: %d events, want %d", s.name, len(events), s.count)
		}
		for i, e := range events {
			if e.Feed != s.feed || e.Legacy != s.legacy || e.Record != i+1 {
				t.Errorf("%s #%d: feed %q legacy %v record %d, want %q %v %d",
					s.name, i, e.Feed, e.Legacy, e.Record, s.feed, s.legacy, i+1)
			}
		}
	}
}

// want is the part of an Event a sample test pins down.
type want struct {
	time     string
	lat, lon float64
	depth    float64
	mag      float64
	region   string
	felt     []quake.Felt
}

func (w want) check(t *testing.T, label string, e quake.Event) {
	t.Helper()
	if got := e.OriginTime.Format(time.RFC3339Nano); got != w.time {
		t.Errorf("%s: time %s, want %s", label, got, w.time)
	}
	if e.Latitude != w.lat || e.Longitude != w.lon {
		t.Errorf("%s: position %v,%v, want %v,%v", label, e.Latitude, e.Longitude, w.lat, w.lon)
	}
	if e.DepthKm == nil || *e.DepthKm != w.depth {
		t.Errorf("%s: depth %v, want %v", label, e.DepthKm, w.depth)
	}
	if e.Magnitude == nil || *e.Magnitude != w.mag || e.MagnitudeType != "" {
		t.Errorf("%s: magnitude %v %q, want %v", label, e.Magnitude, e.MagnitudeType, w.mag)
	}
	if e.Region != w.region {
		t.Errorf("%s: region %q, want %q", label, e.Region, w.region)
	}
	if w.felt != nil && !equalFelt(e.Felt, w.felt) {
		t.Errorf("%s: felt %+v, want %+v", label, e.Felt, w.felt)
	}
}

func equalFelt(a, b []quake.Felt) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestAutogempaDompu(t *testing.T) {
	e := parseSample(t, "bmkg-autogempa-20211005-dompu.json")[0]
	want{"2021-10-05T11:00:27Z", -8.15, 118.10, 20, 4.5,
		"Pusat gempa berada di darat 58 km Barat Laut Dompu",
		[]quake.Felt{fl("II", 2, 2, "Dompu")}}.check(t, "dompu", e)
	if e.Shakemap != "20211005180027.mmi.jpg" || e.FeltText != "II Dompu" ||
		e.TsunamiPotential != "Gempa ini dirasakan untuk diteruskan pada masyarakat" {
		t.Errorf("dompu text fields: %+v", e)
	}
}

func TestAutogempaPosoXML(t *testing.T) {
	e := parseSample(t, "bmkg-autogempa-20220822-poso.xml")[0]
	want{"2022-08-22T12:08:45Z", -1.85, 120.88, 5, 4.2,
		"Pusat gempa berada di darat 8 km TimurLaut Poso",
		[]quake.Felt{fl("II-III", 2, 3, "Tomata")}}.check(t, "poso", e)
	if e.FeltText != "II - III Tomata" {
		t.Errorf("FeltText %q", e.FeltText)
	}
}

func TestGempaterkini(t *testing.T) {
	events := parseSample(t, "bmkg-gempaterkini-20230712.json")
	want{"2023-07-12T08:39:35Z", -10.01, 118.81, 10, 5.3,
		"50 km BaratDaya KODI-SUMBABARATDAYA-NTT", nil}.check(t, "first", events[0])
	want{"2023-07-10T01:19:04Z", 3.65, 95.84, 27, 5.2,
		"63 km BaratDaya MEULABOH-ACEHBARAT", nil}.check(t, "second (north)", events[1])
	for _, e := range events {
		if e.TsunamiPotential != "Tidak berpotensi tsunami" || e.Felt != nil || *e.Magnitude < 5 {
			t.Errorf("record %d: %+v", e.Record, e)
		}
	}
}

func TestGempadirasakan(t *testing.T) {
	events := parseSample(t, "bmkg-gempadirasakan-20251224.json")
	want{"2025-12-24T05:30:34Z", -4.46, 102.60, 30, 4.6,
		"Pusat gempa berada di laut 34 km barat Bengkulu Selatan",
		[]quake.Felt{fl("II-III", 2, 3, "Bengkulu Utara"), fl("II-III", 2, 3, "Bengkulu Selatan")}}.check(t, "first", events[0])
	// 05:59:21 WIB on the 21st is the 20th in UTC.
	want{"2025-12-20T22:59:21Z", -2.56, 121.63, 2, 4.7,
		"Pusat gempa berada di darat 34 km barat laut Morowali",
		[]quake.Felt{fl("III", 3, 3, "Sorowako"), fl("III", 3, 3, "Malili")}}.check(t, "date change", events[4])
	third := events[2]
	if len(third.Felt) != 6 || third.Felt[4] != fl("III", 3, 3, "Tomohon") || third.Felt[5] != fl("II-III", 2, 3, "Ternate") {
		t.Errorf("Manado felt list: %+v", third.Felt)
	}
	for _, e := range events {
		if len(e.Felt) == 0 || e.TsunamiPotential != "" || e.Shakemap != "" {
			t.Errorf("record %d: %+v", e.Record, e)
		}
	}
}

func TestLegacyAutogempa(t *testing.T) {
	e := parseSample(t, "bmkg-legacy-autogempa-20131108.xml")[0]
	// 08-Nov-13 01:38:53 WIB; coordinates are written "126.40,3.90" (lon,lat).
	want{"2013-11-07T18:38:53Z", 3.90, 126.40, 24, 5.0,
		"63 km BaratDaya KEP-TALAUD-SULUT", nil}.check(t, "legacy autogempa", e)
	if len(e.Nearby) != 4 || e.Nearby[3] != "2448 km TimurLaut JAKARTA-INDONESIA" {
		t.Errorf("Nearby %q", e.Nearby)
	}
	if e.TsunamiPotential != "tidak berpotensi TSUNAMI" {
		t.Errorf("Potensi %q", e.TsunamiPotential)
	}
}

func TestLegacyGempaterkini(t *testing.T) {
	events := parseSample(t, "bmkg-legacy-gempaterkini-20131108.xml")
	want{"2013-11-07T10:47:32Z", -1.55, 138.83, 10, 5.4,
		"37 km TimurLaut SARMI-PAPUA", nil}.check(t, "second", events[1])
	want{"2013-11-03T11:03:41Z", 4.58, 123.46, 529, 5.7,
		"256 km BaratLaut KEP-SANGIHE-SULUT", nil}.check(t, "deep", events[3])
}

func TestLegacyGempadirasakan(t *testing.T) {
	events := parseSample(t, "bmkg-legacy-gempadirasakan-20131107.xml")
	want{"2013-11-07T10:47:32Z", -1.55, 138.83, 10, 5.4,
		"Pusat gempa berada di laut 37 km Timur Laut Sarmi",
		[]quake.Felt{fl("III", 3, 3, "Sarmi")}}.check(t, "first", events[0])
	if events[0].FeltText != "III\tSarmi," {
		t.Errorf("FeltText %q", events[0].FeltText)
	}
	want{"2013-11-06T12:36:30Z", 2.37, 128.52, 10, 4.1,
		"Pusat gempa berada didarat 10 km TimurLaut PULAUMOROTAI-MALUT",
		[]quake.Felt{fl("II-III", 2, 3, "Morotai")}}.check(t, "tab after space", events[2])
	want{"2013-11-03T02:35:28Z", -8.14, 107.86, 18, 5,
		"Pusat gempa berada di laut 74 km BaratDaya Kab. Tasikmalaya",
		[]quake.Felt{fl("II", 2, 2, "Pangandaran"), fl("I-II", 1, 2, "Garut"), fl("I-II", 1, 2, "Tasikmalaya"), fl("I-II", 1, 2, "Ciamis")}}.check(t, "four places", events[4])
}
