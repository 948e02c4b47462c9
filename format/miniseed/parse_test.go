package miniseed

import (
	"encoding/binary"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/bmkg/mkggraph/format/internal/fixture"
	"github.com/bmkg/mkggraph/format/strongmotion"
)

var samples = []struct {
	name    string
	records int
}{
	{"BK.CMB.00.HNE__20140824T102014Z__20140824T102244Z.mseed", 32},
	{"BK.CMB.00.HNN__20140824T102014Z__20140824T102244Z.mseed", 31},
	{"BK.CMB.00.HNZ__20140824T102014Z__20140824T102244Z.mseed", 29},
}

func inventory(t testing.TB) *Inventory {
	t.Helper()
	data := fixture.Read(t, "BK.CMB.xml")
	if !DetectStationXML(data) {
		t.Error("DetectStationXML = false")
	}
	inv, err := ParseStationXML(data)
	if err != nil {
		t.Fatal(err)
	}
	return inv
}

func TestStationXML(t *testing.T) {
	inv := inventory(t)
	at := time.Date(2014, 8, 24, 10, 20, 0, 0, time.UTC)
	for cha, want := range map[string]float64{"HNE": 4.27819e5, "HNN": 4.27525e5, "HNZ": 4.24673e5} {
		c, ok := inv.Lookup("BK", "CMB", "00", cha, at)
		if !ok || c.Sensitivity != want || c.Frequency != 1 || c.InputUnits != "M/S**2" || c.Latitude != 38.03455 {
			t.Errorf("%s: %+v %v", cha, c, ok)
		}
		if g, ok := c.GalPerCount(); !ok || math.Abs(g-100/want) > 1e-15 {
			t.Errorf("%s: %v gal per count", cha, g)
		}
	}
	if _, ok := inv.Lookup("BK", "CMB", "00", "HNZ", time.Date(2018, 1, 1, 0, 0, 0, 0, time.UTC)); ok {
		t.Error("found a channel after its endDate")
	}
	if _, err := ParseStationXML([]byte("<FDSNStationXML><Network")); err == nil {
		t.Error("truncated StationXML accepted")
	}
}

func TestSamples(t *testing.T) {
	inv := inventory(t)
	for _, s := range samples {
		data := fixture.Read(t, s.name)
		if !Detect(data) {
			t.Errorf("%s: Detect = false", s.name)
		}
		v, recs, err := Parse(data, inv)
		if err != nil {
			t.Fatalf("%s: %v", s.name, err)
		}
		if len(v.Records) != s.records || len(v.Traces) != 1 || len(v.Gaps) != 0 || len(recs) != 1 {
			t.Fatalf("%s: %d records, %d traces, gaps %v", s.name, len(v.Records), len(v.Traces), v.Gaps)
		}
		tr := v.Traces[0]
		// Decoded count equals the headers' counts, and each record ends
		// on its Xn and starts on its X0.
		sum := 0
		for _, h := range v.Records {
			if h.Encoding != EncodingSteim2 || h.RecordLength != 512 || h.DataOrder != "big-endian" || h.Xn == nil {
				t.Fatalf("%s: record %+v", s.name, h)
			}
			if tr.Counts[sum] != float64(*h.X0) || tr.Counts[sum+h.Samples-1] != float64(*h.Xn) {
				t.Errorf("%s: record at %d: X0 %d Xn %d, decoded %v..%v", s.name, h.Offset, *h.X0, *h.Xn,
					tr.Counts[sum], tr.Counts[sum+h.Samples-1])
			}
			sum += h.Samples
		}
		if sum != tr.Samples || tr.Samples != 15000 || tr.SampleRateHz != 100 {
			t.Errorf("%s: %d samples decoded, headers say %d", s.name, tr.Samples, sum)
		}
		if got := tr.Start.Format(time.RFC3339Nano); got != "2014-08-24T10:20:14.078393Z" {
			t.Errorf("%s: start %s", s.name, got)
		}
		// PGA in gal from counts through the StationXML sensitivity.
		r := recs[0]
		c, _ := inv.Lookup("BK", "CMB", "00", r.Channel, r.Start)
		acc := make([]float64, len(tr.Counts))
		for i, x := range tr.Counts {
			acc[i] = x / c.Sensitivity / strongmotion.Gal
		}
		pga := strongmotion.PGA(r.AccGal)
		if want := strongmotion.PGA(acc); math.Abs(pga-want) > 1e-9 || pga < 0.3 || pga > 0.6 {
			t.Errorf("%s: PGA %v gal, want %v", s.name, pga, want)
		}
		t.Logf("%s: PGA %.4f gal, PGV %.4f cm/s", r.Channel, pga, strongmotion.PGV(r.AccGal, 0.01))
	}
}

func TestWithoutInventory(t *testing.T) {
	v, recs, err := Parse(fixture.Read(t, samples[0].name), nil)
	if err != nil || recs != nil || v.Traces[0].Unconverted == "" {
		t.Fatalf("%v %v %+v", err, recs, v.Traces)
	}
}

// TestGaps drops one record (a gap) and repeats another (an overlap).
func TestGaps(t *testing.T) {
	data := fixture.Read(t, samples[2].name)
	rec := func(i int) []byte { return data[i*512 : (i+1)*512] }
	var b []byte
	for i := 0; i < 29; i++ {
		if i != 5 {
			b = append(b, rec(i)...)
		}
		if i == 20 {
			b = append(b, rec(20)...)
		}
	}
	v, err := ParseVolume(b)
	if err != nil {
		t.Fatal(err)
	}
	if len(v.Gaps) != 2 || len(v.Traces) != 3 {
		t.Fatalf("gaps %+v, %d traces", v.Gaps, len(v.Traces))
	}
	full, _ := ParseVolume(data)
	if want := float64(full.Records[5].Samples) / 100; math.Abs(v.Gaps[0].Seconds-want) > 1e-3 {
		t.Errorf("gap %v s, want %v", v.Gaps[0].Seconds, want)
	}
	if want := -float64(full.Records[20].Samples) / 100; math.Abs(v.Gaps[1].Seconds-want) > 1e-3 {
		t.Errorf("overlap %v s, want %v", v.Gaps[1].Seconds, want)
	}
}

// synth builds a 512-byte record of channel XX.TEST.00.HNZ.
func synth(enc, wordOrder byte, n int, payload []byte) []byte {
	r := make([]byte, 512)
	copy(r, "000001D TEST 00HNZXX")
	be := binary.BigEndian
	be.PutUint16(r[20:], 2020)
	be.PutUint16(r[22:], 1)
	be.PutUint16(r[30:], uint16(n))
	be.PutUint16(r[32:], 100)
	be.PutUint16(r[34:], 1)
	r[39] = 1
	be.PutUint16(r[44:], 64)
	be.PutUint16(r[46:], 48)
	be.PutUint16(r[48:], 1000)
	r[52], r[53], r[54] = enc, wordOrder, 9
	copy(r[64:], payload)
	return r
}

func TestEncodings(t *testing.T) {
	want := []float64{1, -2, 300, -32768}
	le, be := binary.LittleEndian, binary.BigEndian
	i16 := make([]byte, 8)
	i32 := make([]byte, 16)
	f32 := make([]byte, 16)
	f64 := make([]byte, 32)
	for i, x := range want {
		le.PutUint16(i16[2*i:], uint16(int16(x)))
		be.PutUint32(i32[4*i:], uint32(int32(x)))
		le.PutUint32(f32[4*i:], math.Float32bits(float32(x)))
		be.PutUint64(f64[8*i:], math.Float64bits(x))
	}
	for name, rec := range map[string][]byte{
		"int16 LE":   synth(EncodingInt16, 0, 4, i16),
		"int32 BE":   synth(EncodingInt32, 1, 4, i32),
		"float32 LE": synth(EncodingFloat32, 0, 4, f32),
		"float64 BE": synth(EncodingFloat64, 1, 4, f64),
	} {
		v, err := ParseVolume(rec)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		for i, x := range want {
			if v.Traces[0].Counts[i] != x {
				t.Errorf("%s: sample %d = %v, want %v", name, i, v.Traces[0].Counts[i], x)
			}
		}
	}
}

func TestBadInput(t *testing.T) {
	good := fixture.Read(t, samples[0].name)
	patched := func(off int, b ...byte) []byte {
		d := append([]byte(nil), good[:1024]...)
		copy(d[off:], b)
		return d
	}
	cases := map[string]struct {
		data []byte
		want string
	}{
		"empty":             {nil, "no records"},
		"truncated header":  {good[:40], "truncated fixed header"},
		"truncated record":  {good[:1000], "truncated: length 512, 488 bytes left"},
		"wrong Xn":          {patched(512+64+8, 0x7f), "reverse integration constant Xn"},
		"unknown encoding":  {patched(52, 2), "encoding 2 not supported"},
		"int24 encoding":    {patched(52, 2), "encoding 2 not supported"},
		"control header":    {patched(6, 'V'), "SEED control header (type V)"},
		"miniSEED 4":        {append([]byte("MS\x04"), good[3:512]...), "miniSEED format version 4"},
		"bad word order":    {patched(53, 7), "word order"},
		"no blockette 1000": {patched(48, 0x03, 0xe9), "no blockette 1000"},
		"record length":     {patched(54, 30), "record length 2^30"},
		"blockette loop":    {patched(50, 0, 48), "points backwards"},
		"bad quality":       {patched(6, 'X'), "not a data record"},
		"too many samples":  {patched(30, 0x30, 0x00), "cannot fit"},
		"data offset":       {patched(44, 0x03, 0x00), "data offset"},
		"bad identifier":    {patched(8, 0x01), "printable"},
		"zero rate":         {patched(32, 0, 0), "sample rate"},
		"int16 overflow":    {synth(EncodingInt16, 0, 300, nil), "cannot fit"},
	}
	for name, c := range cases {
		v, recs, err := Parse(c.data, nil)
		if err == nil || !strings.Contains(err.Error(), c.want) || v != nil || recs != nil {
			t.Errorf("%s: err %v, want it to mention %q", name, err, c.want)
		}
	}
}
