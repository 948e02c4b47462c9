package sac

import (
	"encoding/binary"
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/bmkg/mkggraph/format/internal/fixture"
)

// footerFor builds the version 7 footer from a version 6 header's words:
// DELTA, B, E, O, A, T0–T9, F, EVLO, EVLA, STLO, STLA, SB, SDELTA, each
// the decimal the float32 stands for (0.02, not 0.0199999995529651641…),
// as a writer holding the double would have written it.
func footerFor(hdr []byte, o binary.ByteOrder) []byte {
	f := words{hdr, o}.float
	vals := []float64{f(0), f(5), f(6), f(7), f(8)}
	for i := 10; i <= 20; i++ { // T0–T9, F
		vals = append(vals, f(i))
	}
	vals = append(vals, f(36), f(35), f(32), f(31), f(52), f(53))
	out := make([]byte, FooterLen)
	for i, v := range vals {
		o.PutUint64(out[8*i:], math.Float64bits(v))
	}
	return out
}

// TestVersion7 turns a real file into header version 7 by appending the
// footer of doubles SAC 102 writes: the samples are those of version 6 and
// the footer's values replace the header's.
func TestVersion7(t *testing.T) {
	v6 := fixture.Read(t, samples[0])
	h6, r6, err := Parse(v6, G)
	if err != nil {
		t.Fatal(err)
	}
	le := binary.LittleEndian
	v7 := append(append([]byte(nil), v6...), footerFor(v6, le)...)
	le.PutUint32(v7[4*76:], 7)
	// The footer wins: shift the header's single-precision B by a second.
	le.PutUint32(v7[4*5:], math.Float32bits(float32(h6.B+1)))
	if !Detect(v7) {
		t.Fatal("Detect = false for version 7")
	}
	h7, r7, err := Parse(v7, G)
	if err != nil {
		t.Fatal(err)
	}
	if h7.NVHDR != 7 || !h7.Start.Equal(h6.Start) || h7.B != h6.B || *h7.STLA != *h6.STLA || *h7.STLO != *h6.STLO ||
		r7[0].SampleRateHz != 50 || !slices.Equal(r7[0].AccGal, r6[0].AccGal) {
		t.Errorf("version 7: %+v", h7)
	}
	for name, data := range map[string][]byte{
		"no footer":      v7[:len(v6)],
		"short footer":   v7[:len(v7)-8],
		"footer DELTA 0": append(append([]byte(nil), v7[:len(v6)]...), make([]byte, FooterLen)...),
	} {
		if _, _, err := Parse(data, G); err == nil {
			t.Errorf("%s: accepted", name)
		} else {
			t.Logf("%s: %v", name, err)
		}
	}
}

// TestBigEndianVersion7 byte-swaps the version 7 file as well.
func TestBigEndianVersion7(t *testing.T) {
	le := fixture.Read(t, samples[1])
	v7 := append(append([]byte(nil), le...), footerFor(le, binary.LittleEndian)...)
	binary.LittleEndian.PutUint32(v7[4*76:], 7)
	be := swap(v7, len(le))
	for i := len(le); i < len(v7); i += 8 {
		binary.BigEndian.PutUint64(be[i:], binary.LittleEndian.Uint64(v7[i:]))
	}
	h1, r1, err1 := Parse(v7, G)
	h2, r2, err2 := Parse(be, G)
	if err1 != nil || err2 != nil || h2.ByteOrder != "big-endian" || h2.NVHDR != 7 || h1.DELTA != h2.DELTA ||
		!slices.Equal(r1[0].AccGal, r2[0].AccGal) {
		t.Fatalf("%v %v %+v", err1, err2, h2)
	}
}

// swap returns a little-endian file's first n bytes (header and samples)
// in big-endian order; bytes after n are copied.
func swap(le []byte, n int) []byte {
	be := append([]byte(nil), le...)
	for i := 0; i < n; i += 4 {
		if i >= 440 && i < HeaderLen {
			continue // strings
		}
		binary.BigEndian.PutUint32(be[i:], binary.LittleEndian.Uint32(le[i:]))
	}
	return be
}

// alphanumeric writes a binary file as SAC's alphanumeric format
// (5G15.7 floats, 5I10 integers, A8/A16 strings, 5G15.7 samples).
func alphanumeric(bin []byte) string {
	o := binary.LittleEndian
	var b strings.Builder
	for i := 0; i < 110; i++ {
		if i < 70 {
			fmt.Fprintf(&b, "%#15.7g", math.Float32frombits(o.Uint32(bin[4*i:])))
		} else {
			fmt.Fprintf(&b, "%10d", int32(o.Uint32(bin[4*i:])))
		}
		if i%5 == 4 {
			b.WriteString("\n")
		}
	}
	for i := 0; i < 8; i++ {
		b.Write(bin[440+24*i : 440+24*(i+1)])
		b.WriteString("\n")
	}
	npts := int(o.Uint32(bin[4*79:]))
	for i := 0; i < npts; i++ {
		fmt.Fprintf(&b, "%#15.7g", math.Float32frombits(o.Uint32(bin[HeaderLen+4*i:])))
		if i%5 == 4 || i == npts-1 {
			b.WriteString("\n")
		}
	}
	return b.String()
}

// TestAlphanumeric writes the real files as alphanumeric SAC and reads
// them back: same header, samples equal to float32 precision.
func TestAlphanumeric(t *testing.T) {
	for _, name := range samples {
		bin := fixture.Read(t, name)
		txt := []byte(alphanumeric(bin))
		if !Detect(txt) || !Detect(txt[:min(len(txt), 16<<10)]) {
			t.Fatalf("%s: Detect = false", name)
		}
		hb, rb, err := Parse(bin, G)
		if err != nil {
			t.Fatal(err)
		}
		ha, ra, err := Parse(txt, G)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		// G15.7 keeps seven significant digits: 34.063694 becomes 34.06369.
		near := func(a, b *float64) bool { return a != nil && b != nil && math.Abs(*a-*b) <= 1e-6*math.Abs(*b) }
		if ha.ByteOrder != "" || ha.NPTS != hb.NPTS || ha.DELTA != hb.DELTA || ha.B != hb.B || !ha.Start.Equal(hb.Start) ||
			ha.KCMPNM != hb.KCMPNM || ha.IDEP != hb.IDEP || !near(ha.STLA, hb.STLA) || !near(ha.STLO, hb.STLO) ||
			!near(ha.DEPMEN, hb.DEPMEN) || ha.EVLA != nil || *ha.CMPAZ != *hb.CMPAZ {
			t.Errorf("%s: header\n%+v\nwant\n%+v", name, ha, hb)
		}
		if ha.KSTNM != "T001230" || ha.KNETWK != "CJ" || ha.KHOLE != "" {
			t.Errorf("%s: strings %q %q %q", name, ha.KSTNM, ha.KNETWK, ha.KHOLE)
		}
		a, b := ra[0].AccGal, rb[0].AccGal
		for i := range b {
			if math.Abs(a[i]-b[i]) > 1e-6*float64(G) {
				t.Fatalf("%s: sample %d %v, binary %v", name, i, a[i], b[i])
			}
		}
		// With CRLF line ends too.
		if _, r, err := Parse([]byte(strings.ReplaceAll(string(txt), "\n", "\r\n")), G); err != nil || len(r[0].AccGal) != hb.NPTS {
			t.Errorf("%s: CRLF: %v", name, err)
		}
	}
}

func TestAlphanumericBad(t *testing.T) {
	txt := alphanumeric(fixture.Read(t, samples[2]))
	lines := strings.SplitAfter(txt, "\n")
	cases := map[string]struct{ data, want string }{
		"one sample missing": {strings.Join(lines[:len(lines)-2], "") + strings.Join(strings.Fields(lines[len(lines)-2])[1:], " ") + "\n", "NPTS 15001, but"},
		"one sample more":    {txt + "1.0\n", "more than NPTS"},
		"bad sample":         {strings.Replace(txt, lines[40], strings.Replace(lines[40], ".", "x", 1), 1), "not a finite number"},
		"header only":        {strings.Join(lines[:30], ""), "cannot fit"},
		"version 7":          {strings.Replace(txt, lines[15], strings.Replace(lines[15], "         6", "         7", 1), 1), "version 7"},
		"spectral":           {strings.Replace(txt, lines[17], "         2"+lines[17][10:], 1), "IFTYPE 2"},
	}
	for name, c := range cases {
		_, recs, err := Parse([]byte(c.data), G)
		if err == nil || !strings.Contains(err.Error(), c.want) || recs != nil {
			t.Errorf("%s: err %v, want it to mention %q", name, err, c.want)
		}
	}
}

// TestUndefinedDefaults: IFTYPE and LEVEN left undefined mean SAC's
// defaults (time series, evenly sampled); B undefined is refused.
func TestUndefinedDefaults(t *testing.T) {
	good := fixture.Read(t, samples[0])
	_, want, _ := Parse(good, G)
	b := append([]byte(nil), good...)
	binary.LittleEndian.PutUint32(b[4*85:], uint32(0xffffcfc7)) // -12345
	binary.LittleEndian.PutUint32(b[4*105:], uint32(0xffffcfc7))
	if _, got, err := Parse(b, G); err != nil || !slices.Equal(got[0].AccGal, want[0].AccGal) {
		t.Errorf("undefined IFTYPE and LEVEN: %v", err)
	}
	binary.LittleEndian.PutUint32(b[4*5:], math.Float32bits(undefined))
	if _, _, err := Parse(b, G); err == nil || !strings.Contains(err.Error(), "B (the first sample") {
		t.Errorf("undefined B: %v", err)
	}
}
