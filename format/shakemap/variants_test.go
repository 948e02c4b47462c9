package shakemap

import (
	"bytes"
	"reflect"
	"regexp"
	"strings"
	"testing"

	"github.com/bmkg/mkggraph/format/internal/fixture"
)

// The grid_field elements may come in any order: their index, not their
// position, names the column.
func TestGridFieldsOutOfOrder(t *testing.T) {
	data := fixture.Read(t, kepahiangGrid)
	want, err := ParseGrid(data)
	if err != nil {
		t.Fatal(err)
	}
	re := regexp.MustCompile(`<grid_field [^>]*/>\n`)
	fields := re.FindAll(data, -1)
	if len(fields) != 8 {
		t.Fatalf("%d grid_field elements", len(fields))
	}
	first := re.FindIndex(data)
	var rev []byte
	for i := len(fields) - 1; i >= 0; i-- {
		rev = append(rev, fields[i]...)
	}
	out := append(append(append([]byte(nil), data[:first[0]]...), rev...), re.ReplaceAll(data[first[0]:], nil)...)
	got, err := ParseGrid(out)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Error("grid differs when its grid_field elements are reversed")
	}
}

// Columns in another order (here MMI moved first and the rest shifted,
// data rewritten to match) read the same values by name.
func TestGridColumnsPermuted(t *testing.T) {
	data := fixture.Read(t, kepahiangGrid)
	want, err := ParseGrid(data)
	if err != nil {
		t.Fatal(err)
	}
	s := string(data)
	head, body, _ := strings.Cut(s, "<grid_data>")
	body, tail, _ := strings.Cut(body, "</grid_data>")
	// MMI (index 5) becomes 1; fields 1 to 4 become 2 to 5.
	head = regexp.MustCompile(`index="([1-5])"`).ReplaceAllStringFunc(head, func(m string) string {
		n := m[7] - '0'
		if n == 5 {
			return `index="1"`
		}
		return `index="` + string('0'+n+1) + `"`
	})
	var b strings.Builder
	for _, line := range strings.Split(body, "\n") {
		f := strings.Fields(line)
		if len(f) == 0 {
			b.WriteString(line + "\n")
			continue
		}
		f = append([]string{f[4]}, append(append([]string{}, f[:4]...), f[5:]...)...)
		b.WriteString(strings.Join(f, " ") + "\n")
	}
	got, err := ParseGrid([]byte(head + "<grid_data>" + b.String() + "</grid_data>" + tail))
	if err != nil {
		t.Fatal(err)
	}
	if got.Fields[0].Name != "MMI" || got.Fields[3].Name != "PGA" || got.Fields[3].Units != "pctg" {
		t.Fatalf("fields %+v", got.Fields)
	}
	for _, p := range [][2]float64{{-3.6, 102.5}, {-3.55, 102.55}, {want.LatMax, want.LonMin}} {
		for _, name := range []string{"PGA", "PGV", "MMI", "SVEL"} {
			x, err1 := got.At(p[0], p[1], name)
			y, err2 := want.At(p[0], p[1], name)
			if err1 != nil || err2 != nil || x != y {
				t.Errorf("%s at %v: %v %v, want %v %v", name, p, x, err1, y, err2)
			}
		}
	}
}

// A station with an intensity and no component (a felt report, as DYFI
// and BMKG's own questionnaires give) is read with no components.
func TestIntensityOnlyStation(t *testing.T) {
	data := fixture.Read(t, bandungList)
	i := bytes.Index(data, []byte(`<comp name="DERIVED">`))
	j := bytes.Index(data, []byte("</comp>"))
	if i < 0 || j < i {
		t.Fatal("no comp in the sample")
	}
	cut := append(append([]byte(nil), data[:i]...), data[j+len("</comp>"):]...)
	cut = bytes.Replace(cut, []byte(`netid="CIIM"`), []byte(`netid="DYFI"`), 1)
	sl, err := ParseStationList(cut)
	if err != nil {
		t.Fatal(err)
	}
	st := sl.Stations[0]
	if len(sl.Stations) != 2 || st.Code != "Cianjur" || st.NetID != "DYFI" || len(st.Components) != 0 ||
		st.Intensity == nil || *st.Intensity != 5.4 || len(sl.Stations[1].Components) != 1 {
		t.Errorf("stations %+v", sl.Stations)
	}
}

// ShakeMap 4's JSON products are refused by name.
func TestShakeMap4JSONRefused(t *testing.T) {
	js := []byte(`{"type": "FeatureCollection", "features": []}`)
	if _, err := ParseStationList(js); err != errJSON {
		t.Errorf("stationlist.json: %v", err)
	}
	if _, err := ParseGrid(js); err != errJSON {
		t.Errorf("grid: %v", err)
	}
	if _, err := ParseInfo(js); err != errJSON {
		t.Errorf("info.json: %v", err)
	}
}
