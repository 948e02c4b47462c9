package bmkgrealtime

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/bmkg/mkggraph/format/budget"
	"github.com/bmkg/mkggraph/format/internal/fixture"
)

var samples = []string{"bmkg-realtime-20220925.geojson"}

func TestSample(t *testing.T) {
	data := fixture.Read(t, samples[0])
	if !Detect(data) {
		t.Fatal("Detect = false")
	}
	events, rejects, err := Parse(data)
	if err != nil || len(rejects) != 0 || len(events) != 1 {
		t.Fatalf("%d events, rejects %+v, err %v", len(events), rejects, err)
	}
	e := events[0]
	wantTime := time.Date(2022, 9, 25, 13, 3, 33, 941369000, time.UTC)
	switch {
	case e.Record != 1 || e.Feed != FeedRealtime || e.EventID != "bmg2022suve":
		t.Errorf("identity: %+v", e)
	case !e.OriginTime.Equal(wantTime) || e.OriginTime.Location() != time.UTC:
		t.Errorf("time %v, want %v", e.OriginTime, wantTime)
	case e.Latitude != 0.319303 || e.Longitude != 122.090919:
		t.Errorf("position %v,%v (geometry is lon,lat)", e.Latitude, e.Longitude)
	case e.DepthKm == nil || *e.DepthKm != 153.192871:
		t.Errorf("depth %v (the geometry's third value 1 is not the depth)", e.DepthKm)
	case e.Magnitude == nil || *e.Magnitude != 2.575533 || e.MagnitudeType != "":
		t.Errorf("magnitude %v %q", e.Magnitude, e.MagnitudeType)
	case e.Region != "Minahassa Peninsula, Sulawesi" || e.Status != "M":
		t.Errorf("text: %q %q", e.Region, e.Status)
	case e.Phases == nil || *e.Phases != 13:
		t.Errorf("phases %v", e.Phases)
	}
}

func feature(props, coords string) string {
	return `{"type":"Feature","properties":{` + props + `},"geometry":{"type":"Point","coordinates":[` + coords + `]}}`
}

func TestVariations(t *testing.T) {
	tests := []struct {
		name     string
		in       string
		lat, lon float64
		depth    *float64
		mag      *float64
		time     string
	}{
		{"numbers instead of strings",
			`{"type":"FeatureCollection","features":[` + feature(`"id":"bmg2022suve","time":"2022-09-25 13:03:33.941369","mag":2.575533,"place":"x","fase":13,"status":"A","depth":153.192871`, `122.090919,0.319303,1`) + `]}`,
			0.319303, 122.090919, f(153.192871), f(2.575533), "2022-09-25T13:03:33.941369Z"},
		{"ISO time, west and south, no z",
			`{"type":"FeatureCollection","features":[` + feature(`"id":"x","time":"2022-09-25T13:03:33Z","mag":"4"`, `"-70.5","-33.25"`) + `]}`,
			-33.25, -70.5, nil, f(4), "2022-09-25T13:03:33Z"},
		{"epoch milliseconds, depth with unit, empty mag",
			`{"type":"FeatureCollection","features":[` + feature(`"time":1664111013941,"mag":"","depth":"10 km"`, `100,1`) + `]}`,
			1, 100, f(10), nil, "2022-09-25T13:03:33.941Z"},
		{"a single Feature",
			feature(`"id":"bmg1","time":"2022-09-25 13:03:33"`, `100,1`),
			1, 100, nil, nil, "2022-09-25T13:03:33Z"},
	}
	for _, tt := range tests {
		events, rejects, err := Parse([]byte(tt.in))
		if err != nil || len(rejects) != 0 || len(events) != 1 {
			t.Errorf("%s: %+v %+v %v", tt.name, events, rejects, err)
			continue
		}
		e := events[0]
		if e.Latitude != tt.lat || e.Longitude != tt.lon || !samePtr(e.DepthKm, tt.depth) ||
			!samePtr(e.Magnitude, tt.mag) || e.OriginTime.Format(time.RFC3339Nano) != tt.time {
			t.Errorf("%s: got %+v", tt.name, e)
		}
	}
}

func f(v float64) *float64 { return &v }

func samePtr(a, b *float64) bool {
	return (a == nil && b == nil) || (a != nil && b != nil && *a == *b)
}

func TestBadFeaturesAreRejected(t *testing.T) {
	good := feature(`"id":"ok","time":"2022-09-25 13:03:33.941369","mag":"2.5","depth":"10"`, `"122.09","0.31",1`)
	bad := []struct{ feature, reason string }{
		{feature(`"time":"2022-09-25 13:03:33","mag":"besar"`, `1,2`), `properties.mag "besar"`},
		{feature(`"time":"2022-09-25 13:03:33","mag":"11"`, `1,2`), "magnitude 11"},
		{feature(`"time":"2022-09-25 13:03:33","depth":"-3"`, `1,2`), "depth -3"},
		{feature(`"time":"2022-09-25 13:03:33","depth":"1000"`, `1,2`), "depth 1000"},
		{feature(`"time":"kemarin"`, `1,2`), `properties.time "kemarin"`},
		{feature(`"mag":"3"`, `1,2`), "properties.time is missing"},
		{feature(`"time":"2022-09-25 13:03:33"`, `"a","b"`), "not numbers"},
		{feature(`"time":"2022-09-25 13:03:33"`, `1`), "not [lon, lat]"},
		{feature(`"time":"2022-09-25 13:03:33"`, `"NaN","1"`), "not numbers"},
		{feature(`"time":"2022-09-25 13:03:33"`, `200,1`), "longitude 200"},
		{feature(`"time":"2022-09-25 13:03:33"`, `1,95`), "latitude 95"},
		{feature(`"time":"2022-09-25 13:03:33","fase":"banyak"`, `1,2`), `properties.fase "banyak"`},
		{`{"type":"Feature","properties":{"time":"2022-09-25 13:03:33"},"geometry":{"type":"LineString","coordinates":[[1,2],[3,4]]}}`, `geometry type "LineString"`},
		{`{"type":"Feature","geometry":{"type":"Point","coordinates":[1,2]}}`, "no properties"},
		{`"feature"`, "not a JSON object"},
	}
	for _, b := range bad {
		in := `{"type":"FeatureCollection","features":[` + good + "," + b.feature + "," + good + `]}`
		events, rejects, err := Parse([]byte(in))
		if err != nil {
			t.Errorf("%s: %v", b.feature, err)
			continue
		}
		if len(events) != 2 || events[1].Record != 3 {
			t.Errorf("%s: good features not kept: %+v", b.feature, events)
		}
		if len(rejects) != 1 || rejects[0].Record != 2 || !strings.Contains(rejects[0].Reason, b.reason) {
			t.Errorf("%s: rejects %+v, want %q", b.feature, rejects, b.reason)
		}
	}
}

func TestOtherFormatsAreErrors(t *testing.T) {
	for _, name := range []string{"bmkg-autogempa-20211005-dompu.json", "bmkg-repogempa-20081101.html", "isc-20041226-sumatra-m6plus.qml"} {
		data := fixture.Read(t, name)
		if Detect(data) {
			t.Errorf("Detect(%s) = true", name)
		}
		if _, _, err := Parse(data); err == nil {
			t.Errorf("Parse(%s): no error", name)
		}
	}
	for _, in := range []string{"", "[]", "{}", `{"type":"Polygon"}`, `{"type":"FeatureCollection","features":{}}`, `{"type":"Feature"} x`} {
		if _, _, err := Parse([]byte(in)); err == nil {
			t.Errorf("Parse(%q): no error", in)
		}
	}
	if _, _, err := Parse(make([]byte, MaxInputSize+1)); !errors.Is(err, budget.ErrTooLarge) {
		t.Errorf("oversized input: %v", err)
	}
}

func TestEmptyCollection(t *testing.T) {
	events, rejects, err := Parse([]byte(`{"type":"FeatureCollection","features":[]}`))
	if err != nil || len(events) != 0 || len(rejects) != 0 {
		t.Fatalf("%v %v %v", events, rejects, err)
	}
}
