package shakemap

import (
	"strings"
	"testing"
	"time"
)

// minimalList is a stationlist the way ShakeMap 3.5 writes one for an
// instrument network, without the DTD.
const minimalList = `<?xml version="1.0" encoding="UTF-8"?>
<shakemap-data code_version="3.5" map_version="2">
<earthquake id="ci123" lat="34.2" lon="-118.5" mag="6.7" year="1994" month="01" day="17" hour="04" minute="30" second="55.39" timezone="PST" depth="18" locstring="Northridge" created="1" />
<stationlist created="1">
<station code="PKC" name="Pacoima Kagel" insttype="K2" lat="34.29" lon="-118.38" source="CGS" netid="CE" commtype="DIG">
<comp name="HN1" originalname="HNE">
<acc value="43.2" flag="0" />
<vel value="" flag="" />
<psa03 value="87.1" flag="M" />
<psa05 value="1" />
</comp>
<comp name="HN2"><acc value="12" /><vel value="9.1" /></comp>
</station>
</stationlist>
</shakemap-data>`

func TestMinimalStationList(t *testing.T) {
	sl, err := ParseStationList([]byte(minimalList))
	if err != nil {
		t.Fatal(err)
	}
	if got := sl.Event.Time.Format(time.RFC3339Nano); got != "1994-01-17T12:30:55.39Z" {
		t.Errorf("time %s", got)
	}
	st := sl.Stations[0]
	if st.DistanceKm != nil || st.Intensity != nil || len(st.Components) != 2 {
		t.Fatalf("%+v", st)
	}
	c := st.Components[0]
	if *c.PGAPctG != 43.2 || c.PGVCmS != nil || *c.PSA03 != 87.1 || c.PSA10 != nil || len(c.Flags) != 1 || c.Flags["psa03"] != "M" {
		t.Errorf("%+v", c)
	}
}

func TestStationListBadInput(t *testing.T) {
	dtd := `<?xml version="1.0"?><!DOCTYPE shakemap-data [<!ENTITY big "xxxxxxxx">]>`
	for _, c := range []struct{ name, text, want string }{
		{"entity not expanded", dtd + strings.Replace(minimalList[strings.Index(minimalList, "<shakemap-data"):], "Northridge", "&big;", 1),
			"invalid character entity &big;"},
		{"external entity", `<?xml version="1.0"?><!DOCTYPE shakemap-data [<!ENTITY ext SYSTEM "file:///etc/passwd">]>` +
			strings.Replace(minimalList[strings.Index(minimalList, "<shakemap-data"):], "Northridge", "&ext;", 1),
			"invalid character entity &ext;"},
		{"truncated", minimalList[:len(minimalList)/2], "the file is cut short (line 5)"},
		{"truncated after a station", minimalList[:strings.Index(minimalList, "</stationlist>")], "the file is cut short (line 14)"},
		{"no earthquake", strings.Replace(minimalList, "<earthquake ", "<quake ", 1), "no <earthquake> element"},
		{"two earthquakes", strings.Replace(minimalList, "<stationlist ", `<earthquake/><stationlist `, 1), "more than one <earthquake>"},
		{"bad month", strings.Replace(minimalList, `month="01"`, `month="13"`, 1), "out of range"},
		{"no such day", strings.Replace(minimalList, `month="01" day="17"`, `month="02" day="30"`, 1), "date 1994-02-30 does not exist"},
		{"unknown zone", strings.Replace(minimalList, `"PST"`, `"XST"`, 1), `unknown time zone "XST"`},
		{"bad station lat", strings.Replace(minimalList, `lat="34.29"`, `lat="north"`, 1), `station 1: "PKC": lat "north" is not a finite number`},
		{"bad value", strings.Replace(minimalList, `"43.2"`, `"NaN"`, 1), `station 1: "PKC" component "HN1": <acc>: value "NaN" is not a finite number`},
		{"value twice", strings.Replace(minimalList, `<vel value="9.1" />`, `<acc value="1"/>`, 1), `<acc> appears twice`},
		{"wrong root", `<shakemap_grid/>`, "XML root is <shakemap_grid>, not <shakemap-data>"},
		{"garbage", "}{", "not XML"},
	} {
		t.Run(c.name, func(t *testing.T) {
			sl, err := ParseStationList([]byte(c.text))
			if !contains(err, c.want) {
				t.Errorf("error %v; want one containing %q", err, c.want)
			}
			if sl != nil {
				t.Error("stationlist returned with an error")
			}
		})
	}
}

func TestInfoBadInput(t *testing.T) {
	for _, c := range []struct{ name, text, want string }{
		{"no name", `<info><tag value="1"/></info>`, "<tag> 1 has no name"},
		{"twice", `<info><tag name="a" value="1"/><tag name="a" value="2"/></info>`, `tag "a" appears twice`},
		{"truncated", `<info><tag name="a" value="1"/>`, "the file is cut short (line 1)"},
		{"wrong root", `<infos/>`, "XML root is <infos>, not <info>"},
	} {
		if info, err := ParseInfo([]byte(c.text)); !contains(err, c.want) || info != nil {
			t.Errorf("%s: %v, %v; want an error containing %q", c.name, info, err, c.want)
		}
	}
}

func TestTimestamps(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"2017-10-16T08:53:00WIB", "2017-10-16T01:53:00Z"},
		{"2017-10-16T08:53:00WITA", "2017-10-16T00:53:00Z"},
		{"2017-10-16T08:53:00WIT", "2017-10-15T23:53:00Z"},
		{"2017-10-16T08:53:00UTC", "2017-10-16T08:53:00Z"},
		{"2017-10-16T08:53:00GMT", "2017-10-16T08:53:00Z"},
		{"2017-10-16 08:53:00 utc", "2017-10-16T08:53:00Z"},
		{"2019-07-06T03:19:53.040000Z", "2019-07-06T03:19:53.04Z"},
		{"2019-07-05T20:19:53PDT", "2019-07-06T03:19:53Z"},
		{"2017-10-16T08:53:00+07:00", "2017-10-16T01:53:00Z"},
		{"2017-10-16T08:53:00+0530", "2017-10-16T03:23:00Z"},
		{"2017-10-16T08:53:00UTC-3", "2017-10-16T11:53:00Z"},
		{"2017-10-16T08:53:00", "2017-10-16T08:53:00Z"},
	} {
		got, err := parseTimestamp(c.in)
		if err != nil || got.Format(time.RFC3339Nano) != c.want || got.Location() != time.UTC {
			t.Errorf("%s: %v, %v; want %s", c.in, got, err, c.want)
		}
	}
	for _, bad := range []string{"", "2017-10-16", "2017-13-16T08:53:00Z", "2017-10-16T08:53:00XYZ",
		"2017-10-16T08:53:00+25:00", "2017-10-16T08:53:00.Z", "2017-10-16T08:53:00+7+7"} {
		if got, err := parseTimestamp(bad); err == nil {
			t.Errorf("%q: %v, want an error", bad, got)
		}
	}
}

func TestStationListCutAfterList(t *testing.T) {
	text := minimalList[:strings.Index(minimalList, "</shakemap-data>")]
	if sl, err := ParseStationList([]byte(text)); !contains(err, "the file is cut short") || sl != nil {
		t.Errorf("%v, %v", sl, err)
	}
}
