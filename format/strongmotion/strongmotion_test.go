package strongmotion

import (
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

const sampleDir = "testdata"

func TestPGA(t *testing.T) {
	if got := PGA([]float64{11, 9, 14, 6}); got != 4 {
		t.Errorf("PGA = %v, want 4 (mean 10 removed)", got)
	}
	if PGA(nil) != 0 {
		t.Error("PGA of nothing")
	}
}

// TestPGV integrates a sine: a = A sin(ωt) has velocity amplitude A/ω
// after the linear trend (here the constant A/ω offset) is removed.
func TestPGV(t *testing.T) {
	const dt, f, amp = 0.01, 1.0, 100.0 // gal
	w := 2 * math.Pi * f
	acc := make([]float64, 2000) // 20 whole periods
	for i := range acc {
		acc[i] = amp * math.Sin(w*float64(i)*dt)
	}
	if got, want := PGV(acc, dt), amp/w; math.Abs(got-want) > 0.01*want {
		t.Errorf("PGV = %v cm/s, want %v", got, want)
	}
	// A constant offset, as an uncorrected baseline, gives nothing.
	if got := PGV([]float64{5, 5, 5, 5}, dt); got != 0 {
		t.Errorf("PGV of a constant = %v", got)
	}
	if PGV([]float64{1}, dt) != 0 || PGV(acc, 0) != 0 {
		t.Error("degenerate input")
	}
}

// TestIntensity checks against the Puente Hills ShakeMap grid values
// OpenSHA validated its Wald et al. (1999) implementation with (PGA in %g,
// PGV cm/s, MMI); differences come from rounded coefficients.
func TestIntensity(t *testing.T) {
	for _, c := range []struct{ pctg, pgv, mmi float64 }{
		{4.922, 4.3774, 4.7},
		{7.3959, 6.6554, 5.15},
		{12.6785, 11.6435, 6.02},
		{17.6332, 16.4121, 6.55},
		{24.3042, 28.9529, 7.42},
		{34.3796, 48.8414, 8.2},
		{47.0372, 104.926, 9.36},
	} {
		got := Intensity(c.pctg/100*980, c.pgv)
		if math.Abs(got-c.mmi) > 0.03 {
			t.Errorf("Intensity(%v %%g, %v cm/s) = %.3f, want %v", c.pctg, c.pgv, got, c.mmi)
		}
	}
	if Intensity(0, 0) != 1 || Intensity(1e6, 1e6) != 10 || Intensity(math.NaN(), -1) != 1 {
		t.Error("not clamped to I..X")
	}
}

func TestDistance(t *testing.T) {
	// One degree of latitude on a 6371 km sphere.
	if got := Distance(0, 0, 1, 0); math.Abs(got-111.19) > 0.01 {
		t.Errorf("1° = %v km", got)
	}
	// Jakarta (-6.2, 106.8) to Bandung (-6.9, 107.6): about 118 km.
	if got := Distance(-6.2, 106.8, -6.9, 107.6); math.Abs(got-117.8) > 1 {
		t.Errorf("Jakarta–Bandung = %v km", got)
	}
	if got := Distance(0, 0, 0, 180); math.Abs(got-math.Pi*EarthRadiusKm) > 1e-6 {
		t.Errorf("antipode = %v", got)
	}
}

func TestComponentOf(t *testing.T) {
	for in, want := range map[string]string{"HNE": "E", "HNN": "N", "HNZ": "Z", "HN1": "", "EW": "E", "N-S": "N", "UD": "Z", "": ""} {
		if got := ComponentOf(in); got != want {
			t.Errorf("ComponentOf(%q) = %q, want %q", in, got, want)
		}
	}
}

func readEvent(t *testing.T, dir string) Event {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(sampleDir, dir, "event.json"))
	if err != nil {
		t.Fatal(err)
	}
	e, err := ReadEvent(data)
	if err != nil {
		t.Fatal(err)
	}
	return e
}

func TestReadEvent(t *testing.T) {
	for _, c := range []struct {
		dir, id, when string
		lat, lon, dep float64
		mag           float64
		magType       string
	}{
		{"knet-us2000cnnl", "us2000cnnl", "2018-01-24T10:51:19.09Z", 41.1034, 142.4323, 31, 6.3, ""},
		{"sac-ci38457511", "ci38457511", "2019-07-06T03:19:53.04Z", 35.7695, -117.5993333, 8, 7.1, "mw"},
		// The file lacks the minus sign of the Napa epicentre's longitude;
		// it is returned as written.
		{"mseed-nc72282711", "nc72282711", "2014-08-24T10:20:44Z", 38.215, 122.312, 11.1, 6.0, ""},
	} {
		e := readEvent(t, c.dir)
		if e.ID != c.id || e.Time.Format(time.RFC3339Nano) != c.when || e.Lat != c.lat || e.Lon != c.lon ||
			e.DepthKm != c.dep || e.Magnitude != c.mag || e.MagnitudeType != c.magType {
			t.Errorf("%s: %+v", c.dir, e)
		}
	}
	bad := map[string]string{
		`{"id":"x","time":"2020-01-01T00:00:00","lat":1,"lon":2,"depth":3}`:                 "required",
		`{"id":"x","time":"yesterday","lat":1,"lon":2,"depth":3,"magnitude":4}`:             "ISO 8601",
		`{"id":"x","time":"2020-01-01T00:00:00","lat":91,"lon":2,"depth":3,"magnitude":4}`:  "out of range",
		`{"id":"x","time":"2020-01-01T00:00:00","lat":1,"lon":2,"depth":3,"magnitude":"4"}`: "event",
		`[`: "event",
	}
	for in, want := range bad {
		if _, err := ReadEvent([]byte(in)); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: %v, want %q", in, err, want)
		}
	}
}

// TestEpicentralDistances shows why the Napa sign matters: the K-NET
// station is 135 km from its epicentre, and BK.CMB (Columbia, California,
// 38.03455 -120.386513 from its StationXML) is about 170 km from
// -122.312 but over 9000 km from the +122.312 the file states.
func TestEpicentralDistances(t *testing.T) {
	e := readEvent(t, "knet-us2000cnnl")
	if d := Distance(e.Lat, e.Lon, 41.5267, 140.9244); math.Abs(d-135) > 2 {
		t.Errorf("AOM001: %v km", d)
	}
	napa := readEvent(t, "mseed-nc72282711")
	if d := Distance(napa.Lat, -napa.Lon, 38.03455, -120.386513); d < 160 || d > 180 {
		t.Errorf("CMB from the corrected epicentre: %v km", d)
	}
	if d := Distance(napa.Lat, napa.Lon, 38.03455, -120.386513); d < 9000 {
		t.Errorf("CMB from the epicentre as stated: %v km", d)
	}
}

func TestSummarize(t *testing.T) {
	acc := []float64{1, -1, 2, -2, 0}
	s := Summarize(Record{Station: "X", SampleRateHz: 100, AccGal: acc, Source: SourceSAC})
	if s.Samples != 5 || s.PGAGal != 2 || s.PGVCmS <= 0 || s.MMI < 1.6 || s.MMI > 1.7 || s.Station != "X" {
		t.Errorf("%+v", s)
	}
}

// FuzzReadEvent checks ReadEvent does not panic and keeps its ranges.
func FuzzReadEvent(f *testing.F) {
	f.Add([]byte(`{"id": "us2000cnnl", "time": "2018-01-24T10:51:19.090000", "lat": 41.1034, "lon": 142.4323, "depth": 31, "magnitude": 6.3}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		e, err := ReadEvent(data)
		if err == nil && (math.Abs(e.Lat) > 90 || math.Abs(e.Lon) > 180 || e.Time.Location() != time.UTC) {
			t.Fatalf("accepted %+v", e)
		}
	})
}

// FuzzPeaks checks the computations stay finite and ordered for finite
// input.
func FuzzPeaks(f *testing.F) {
	f.Add(1.0, -2.0, 3.0, 0.01)
	f.Fuzz(func(t *testing.T, a, b, c, dt float64) {
		for _, x := range []float64{a, b, c, dt} {
			if math.IsNaN(x) || math.Abs(x) > 1e100 {
				return
			}
		}
		acc := []float64{a, b, c, a, b}
		pga, pgv := PGA(acc), PGV(acc, dt)
		if pga < 0 || pgv < 0 || math.IsNaN(pgv) {
			t.Fatalf("PGA %v PGV %v", pga, pgv)
		}
		if m := Intensity(pga, pgv); !(m >= 1 && m <= 10) {
			t.Fatalf("MMI %v", m)
		}
	})
}
