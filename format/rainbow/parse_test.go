package rainbow

import (
	"bytes"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/bmkg/mkggraph/format/budget"
	"github.com/bmkg/mkggraph/format/internal/fixture"
)

var samples = []string{"2013051000000600dBZ.vol"}

// TestSample checks the sample against what its XML header states.
func TestSample(t *testing.T) {
	data := fixture.Read(t, samples[0])
	if !Detect(data[:512]) {
		t.Error("Detect = false")
	}
	v, err := Parse(data)
	if err != nil {
		t.Fatal(err)
	}
	if v.SiteCode != "143DEX" || v.SiteName != "Gematronik" || v.Version != "5.36.5" || v.ScanName != "HDCP2.vol" {
		t.Errorf("site %q %q version %q scan %q", v.SiteCode, v.SiteName, v.Version, v.ScanName)
	}
	if v.Latitude != 50.856633 || v.Longitude != 6.379967 || v.AltitudeM != 116.7 ||
		*v.BeamWidthDeg != 1.326 || *v.WavelengthM != 0.0319 {
		t.Errorf("location %v %v %v beam %v wavelength %v", v.Latitude, v.Longitude, v.AltitudeM, *v.BeamWidthDeg, *v.WavelengthM)
	}
	// The last slice starts at 00:03:04 and takes 361 rays * 1 deg / 33 deg/s.
	checkTimes(t, v, "2013-05-10T00:00:06Z", "2013-05-10T00:03:14.939Z")
	if v.ScanType != "VOLUME" || len(v.Sweeps) != 14 {
		t.Fatalf("%s with %d sweeps", v.ScanType, len(v.Sweeps))
	}
	elevations := []float64{0.6, 1.4, 2.4, 3.5, 4.8, 6.3, 8, 9.9, 12.2, 14.8, 17.9, 21.3, 25.4, 30}
	for i, s := range v.Sweeps {
		if s.FixedAngle != elevations[i] || s.Rays != 361 || s.Bins != 400 || s.RangeStartM != 0 || s.RangeResolutionM != 250 {
			t.Errorf("sweep %d: %+v", i, s)
		}
		if len(s.Moments) != 1 || s.Moments[0].Name != "dBZ" || s.Moments[0].Quantity != "DBZH" || s.Moments[0].BlobID != 2*i+1 {
			t.Errorf("sweep %d moments %+v", i, s.Moments)
		}
	}
	if got := v.Sweeps[13].Start.Format(time.TimeOnly); got != "00:03:04" {
		t.Errorf("last sweep at %s", got)
	}
}

func checkTimes(t *testing.T, v *Volume, start, end string) {
	t.Helper()
	if s, e := v.Start.Format(time.RFC3339Nano), v.End.Format(time.RFC3339Nano); s != start || e != end {
		t.Errorf("times %s - %s, want %s - %s", s, e, start, end)
	}
}

func TestSynthPPI(t *testing.T) {
	data := synthPPI()
	v, err := Parse(data)
	if err != nil {
		t.Fatal(err)
	}
	if v.SiteCode != "JAK" || v.SiteName != "Jakarta" || v.Latitude != -6.2 || v.Longitude != 106.8 || v.AltitudeM != 50 {
		t.Errorf("site %+v", v)
	}
	if v.BeamWidthDeg != nil || v.WavelengthM != nil {
		t.Errorf("beam width %v wavelength %v, want nil", v.BeamWidthDeg, v.WavelengthM)
	}
	// No antenna speed: the volume ends when its one sweep starts.
	checkTimes(t, v, "2011-02-03T04:05:07.5Z", "2011-02-03T04:05:07.5Z")
	s := v.Sweeps[0]
	if v.ScanType != "PPI" || s.FixedAngle != 0.5 || s.RangeStartM != 1000 || s.RangeResolutionM != 500 || len(s.Moments) != 2 {
		t.Errorf("%s %+v", v.ScanType, s)
	}
	f, err := v.Decode(data, 0, "dBZ")
	if err != nil {
		t.Fatal(err)
	}
	nan := float32(nan())
	checkValues(t, f.Values, -31.5, 95.5, nan, -31.5, 95.5, 32, -31, nan, nan, nan, nan, -27, -22, -17)
	// Centres between start and stop, across north for the second ray.
	checkFloats(t, "azimuths", f.Azimuths, 67.5, 337.5, 247.5, 157.5)
	checkFloats(t, "elevations", f.Elevations, 0.5, 0.5, 0.5, 0.5)
	if f.Elevation != 0.5 || f.Units != "dBZ" || f.GateWidthM != 500 || f.RangeStartM != 1000 {
		t.Errorf("field %+v", f)
	}
	f, err = v.Decode(data, 0, "VRADH")
	if err != nil {
		t.Fatal(err)
	}
	checkValues(t, f.Values, -16, 16, -16, 16, nan, 0, nan, nan, nan, nan, nan, nan, nan, -15.99951171875)
}

// TestSynthRHI reads an elevation scan: rays are elevations, one of them
// below the horizon, and the fixed angle is the azimuth.
func TestSynthRHI(t *testing.T) {
	data := synthRHI()
	v, err := Parse(data)
	if err != nil {
		t.Fatal(err)
	}
	if v.ScanType != "RHI" || v.SiteCode != "Bogor" || *v.BeamWidthDeg != 1 || v.Sweeps[0].FixedAngle != 123 {
		t.Errorf("%+v", v)
	}
	checkTimes(t, v, "2020-06-01T12:00:05Z", "2020-06-01T12:00:05Z")
	f, err := v.Decode(data, 0, "dBuZ")
	if err != nil {
		t.Fatal(err)
	}
	if v.Sweeps[0].Moments[0].Quantity != "TH" || f.Rays != 3 || f.Bins != 2 || f.GateWidthM != 250 {
		t.Errorf("%+v", f)
	}
	checkValues(t, f.Values, -32, 95, -32, -31.5, -31, float32(nan()), 94.5, 95)
	// start + anglestep/2; raw angles are multiples of 360/65536.
	checkFloats(t, "elevations", f.Elevations, 0.25012, 1.74975, 3.24939)
	checkFloats(t, "azimuths", f.Azimuths, 123, 123, 123)
}

func TestDetect(t *testing.T) {
	for _, c := range []struct {
		head string
		want bool
	}{
		{"<volume version=\"5.36.5\">", true},
		{"\xEF\xBB\xBF<?xml version=\"1.0\"?>\n<volume>", true},
		{"<volumes>", false},
		{"<product>", false},
		{"CDF\x01", false},
		{"", false},
	} {
		if got := Detect([]byte(c.head)); got != c.want {
			t.Errorf("Detect(%q) = %v", c.head, got)
		}
	}
}

// TestBadInput checks that each kind of damage gives its own clear error.
func TestBadInput(t *testing.T) {
	sample := fixture.Read(t, samples[0])
	lastBlob := bytes.LastIndex(sample, []byte("<BLOB"))
	for _, c := range []struct {
		name string
		data []byte
		want error
		msg  string
	}{
		{"empty", nil, ErrNotRainbow, "no <volume>"},
		{"netCDF", []byte("CDF\x01\x00\x00\x00\x00"), ErrNotRainbow, "no <volume>"},
		{"cut in XML", sample[:5000], ErrTruncated, "no <!-- END XML --> marker"},
		{"cut in blob", sample[:len(sample)-500], ErrTruncated, "blob 27 declares"},
		{"cut in tag", sample[:lastBlob+10], ErrTruncated, "inside a <BLOB> tag"},
		{"no </BLOB>", sample[:len(sample)-3], ErrTruncated, "blob 27 has no </BLOB>"},
		{"missing blob", sample[:lastBlob], ErrTruncated, "blob 27 is referenced but missing"},
		{"size lies", edit(sample, `blobid="0" size="737"`, `blobid="0" size="736"`), ErrCorrupt, "blob 0: 736 bytes from its start is not </BLOB>"},
		{"size past end", edit(sample, `blobid="0" size="737"`, `blobid="0" size="9999999"`), ErrTruncated, "blob 0 declares 9999999 bytes"},
		{"bins lie", edit(sample, `bins="400"`, `bins="401"`), ErrCorrupt, "blob 1 holds 144400 bytes, header declares 144761"},
		{"rays lie", edit(sample, `blobid="1" rays="361"`, `blobid="1" rays="360"`), ErrCorrupt, "blob 1 holds 144400 bytes, header declares 144000"},
		{"garbage after blobs", append(bytes.Clone(sample), "xyz"...), ErrCorrupt, "expected <BLOB>"},
		{"not zlib", edit(sample, "\x00\x00\x02\xd2x\x9c", "\x00\x00\x02\xd2AB"), ErrCorrupt, "blob 0 is not a zlib stream"},
		{"no location", edit(sample, "<lat>50.856633</lat>", ""), ErrCorrupt, "has no lat"},
		{"pointing mode", edit(sample, `type="vol"`, `type="poi"`), ErrUnsupported, `scan type "poi"`},
		{"too large", make([]byte, MaxInputSize+1), budget.ErrTooLarge, "more than"},
	} {
		t.Run(c.name, func(t *testing.T) {
			v, err := Parse(c.data)
			if err == nil || v != nil {
				t.Fatalf("no error (volume %v)", v != nil)
			}
			if !errors.Is(err, c.want) || !strings.Contains(err.Error(), c.msg) {
				t.Errorf("error %q, want %v containing %q", err, c.want, c.msg)
			}
		})
	}
}

// edit replaces the first old with new, failing if there is none.
func edit(data []byte, old, new string) []byte {
	if !bytes.Contains(data, []byte(old)) {
		panic("edit: " + old + " not found")
	}
	return bytes.Replace(data, []byte(old), []byte(new), 1)
}

// TestBadSynthetic covers header inconsistencies that the sample's blobs
// would catch first.
func TestBadSynthetic(t *testing.T) {
	ppi := synthPPI()
	for _, c := range []struct {
		name string
		data []byte
		msg  string
	}{
		{"repeated type", edit(ppi, `type="V"`, `type="dBZ"`), `type "dBZ" is empty or repeated`},
		{"untyped", edit(ppi, `type="V" `, ``), `type "" is empty or repeated`},
		{"stop rays", stopRays5(ppi), "4 start angles but 5 stop angles"},
		{"no posangle", edit(ppi, "<posangle>0.5</posangle>", ""), "no <posangle>"},
		{"no rangestep", edit(ppi, "<rangestep>0.5</rangestep>", ""), "no <rangestep>"},
		{"bad time", edit(ppi, `time="04:05:07.5"`, `time="25:05"`), `time "25:05"`},
		{"min above max", edit(ppi, `min="-16" max="16"`, `min="16" max="-16"`), "max -16 is not above min 16"},
		{"deep XML", edit(ppi, "<comment>", strings.Repeat("<a>", 40)), "nested deeper"},
	} {
		t.Run(c.name, func(t *testing.T) {
			if _, err := Parse(c.data); err == nil || !strings.Contains(err.Error(), c.msg) {
				t.Errorf("error %v, want one containing %q", err, c.msg)
			}
		})
	}
}

// stopRays5 makes the stop angles of synthPPI 5, consistently in the header
// and in blob 1's length prefix.
func stopRays5(ppi []byte) []byte {
	data := edit(ppi, `blobid="1" rays="4"`, `blobid="1" rays="5"`)
	i := bytes.Index(data, []byte(`<BLOB blobid="1"`))
	return append(data[:i:i], edit(data[i:], "\x00\x00\x00\x04x", "\x00\x00\x00\x05x")...)
}
