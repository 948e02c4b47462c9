package miniseed

import (
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"math"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/bmkg/mkggraph/format/internal/fixture"
)

// realRecord is one record of a sample file, with its decoded counts.
type realRecord struct {
	h      RecordHeader
	raw    []byte
	counts []float64
}

// realRecords decodes a sample file record by record.
func realRecords(t testing.TB, name string) ([]realRecord, *Volume) {
	t.Helper()
	data := fixture.Read(t, name)
	v, err := ParseVolume(data)
	if err != nil {
		t.Fatal(err)
	}
	var out []realRecord
	for _, h := range v.Records {
		raw := data[h.Offset : h.Offset+h.RecordLength]
		one, err := ParseVolume(raw)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, realRecord{h, raw, one.Traces[0].Counts})
	}
	return out, v
}

// build writes a miniSEED 2 record with r's identity, time and rate, the
// given header and data byte orders, encoding and payload, blockettes
// 1000 and 1001, and data at offset 64.
func build(r realRecord, hdr, dat binary.ByteOrder, enc byte, payload []byte) []byte {
	exp := 8
	for 1<<exp < 64+len(payload) {
		exp++
	}
	b := make([]byte, 1<<exp)
	copy(b, r.raw[:20]) // sequence, quality, station, location, channel, network
	be := binary.BigEndian
	hdr.PutUint16(b[20:], be.Uint16(r.raw[20:]))
	hdr.PutUint16(b[22:], be.Uint16(r.raw[22:]))
	copy(b[24:28], r.raw[24:28])
	hdr.PutUint16(b[28:], be.Uint16(r.raw[28:]))
	hdr.PutUint16(b[30:], uint16(r.h.Samples))
	hdr.PutUint16(b[32:], uint16(r.h.RateFactor))
	hdr.PutUint16(b[34:], uint16(r.h.RateMultiplier))
	copy(b[36:39], r.raw[36:39])
	b[39] = 2
	hdr.PutUint32(b[40:], uint32(r.h.TimeCorrection))
	hdr.PutUint16(b[44:], 64)
	hdr.PutUint16(b[46:], 48)
	hdr.PutUint16(b[48:], 1000)
	hdr.PutUint16(b[50:], 56)
	b[52], b[54] = enc, byte(exp)
	if dat == binary.BigEndian {
		b[53] = 1
	}
	hdr.PutUint16(b[56:], 1001)
	b[61] = byte(r.h.Microseconds)
	copy(b[64:], payload)
	return b
}

// encode writes counts in a fixed-size encoding.
func encode(counts []float64, enc byte, o binary.AppendByteOrder) []byte {
	var out []byte
	for _, c := range counts {
		switch enc {
		case EncodingInt16:
			out = o.AppendUint16(out, uint16(int16(c)))
		case EncodingInt32:
			out = o.AppendUint32(out, uint32(int32(c)))
		case EncodingFloat32:
			out = o.AppendUint32(out, math.Float32bits(float32(c)))
		case EncodingFloat64:
			out = o.AppendUint64(out, math.Float64bits(c))
		}
	}
	return out
}

// steim1 encodes counts as Steim-1 frames; prev is the last sample of the
// previous record (the first difference links to it).
func steim1(counts []float64, prev int32) []byte {
	diffs := make([]int32, len(counts))
	last := prev
	for i, c := range counts {
		diffs[i], last = int32(c)-last, int32(c)
	}
	fits := func(d []int32, n, bits int) bool {
		if len(d) < n {
			return false
		}
		for _, x := range d[:n] {
			if x < -(1<<(bits-1)) || x >= 1<<(bits-1) {
				return false
			}
		}
		return true
	}
	var frames [][16]uint32
	var nibs []uint32
	w := 3 // next word of the current frame; words 1, 2 of frame 0 are X0, Xn
	put := func(nib, word uint32) {
		if len(frames) == 0 || w == 16 {
			frames, nibs, w = append(frames, [16]uint32{}), append(nibs, 0), 1
		}
		f := len(frames) - 1
		frames[f][w], nibs[f] = word, nibs[f]|nib<<(30-2*uint(w))
		w++
	}
	frames, nibs = append(frames, [16]uint32{}), append(nibs, 0)
	for d := diffs; len(d) > 0; {
		switch {
		case fits(d, 4, 8):
			put(1, pack(0, 8, d[:4]...))
			d = d[4:]
		case fits(d, 2, 16):
			put(2, pack(0, 16, d[:2]...))
			d = d[2:]
		default:
			put(3, uint32(d[0]))
			d = d[1:]
		}
	}
	frames[0][1], frames[0][2] = uint32(int32(counts[0])), uint32(int32(counts[len(counts)-1]))
	var out []byte
	for f := range frames {
		frames[f][0] = nibs[f]
		for _, x := range frames[f] {
			out = binary.BigEndian.AppendUint32(out, x)
		}
	}
	return out
}

// swapWords byte-swaps each 32-bit word (Steim frames in little-endian).
func swapWords(b []byte) []byte {
	out := make([]byte, len(b))
	for i := 0; i+4 <= len(b); i += 4 {
		binary.LittleEndian.PutUint32(out[i:], binary.BigEndian.Uint32(b[i:]))
	}
	return out
}

// TestReencoded re-encodes every record of the real Steim-2 files in the
// other encodings and byte orders and checks the same trace comes out.
func TestReencoded(t *testing.T) {
	var le, be binary.ByteOrder = binary.LittleEndian, binary.BigEndian
	for _, s := range samples {
		recs, v := realRecords(t, s.name)
		want := v.Traces[0]
		lo, hi := slices.Min(want.Counts), slices.Max(want.Counts)
		variants := map[string]func(r realRecord, prev int32) []byte{
			"int32 BE": func(r realRecord, _ int32) []byte {
				return build(r, be, be, EncodingInt32, encode(r.counts, EncodingInt32, binary.BigEndian))
			},
			"int32 LE": func(r realRecord, _ int32) []byte {
				return build(r, le, le, EncodingInt32, encode(r.counts, EncodingInt32, binary.LittleEndian))
			},
			"float32 LE": func(r realRecord, _ int32) []byte {
				return build(r, le, le, EncodingFloat32, encode(r.counts, EncodingFloat32, binary.LittleEndian))
			},
			"float32 BE": func(r realRecord, _ int32) []byte {
				return build(r, be, be, EncodingFloat32, encode(r.counts, EncodingFloat32, binary.BigEndian))
			},
			"float64 LE": func(r realRecord, _ int32) []byte {
				return build(r, le, le, EncodingFloat64, encode(r.counts, EncodingFloat64, binary.LittleEndian))
			},
			"steim-2 LE header": func(r realRecord, _ int32) []byte { return build(r, le, be, EncodingSteim2, r.raw[r.h.DataOffset:]) },
			"steim-2 LE header+data": func(r realRecord, _ int32) []byte {
				return build(r, le, le, EncodingSteim2, swapWords(r.raw[r.h.DataOffset:]))
			},
			"steim-1 BE": func(r realRecord, p int32) []byte { return build(r, be, be, EncodingSteim1, steim1(r.counts, p)) },
			"steim-1 LE": func(r realRecord, p int32) []byte {
				return build(r, le, le, EncodingSteim1, swapWords(steim1(r.counts, p)))
			},
		}
		if lo >= math.MinInt16 && hi <= math.MaxInt16 {
			variants["int16 LE"] = func(r realRecord, _ int32) []byte {
				return build(r, le, le, EncodingInt16, encode(r.counts, EncodingInt16, binary.LittleEndian))
			}
		} else {
			t.Logf("%s: counts %v..%v do not fit int16", s.name, lo, hi)
		}
		for name, enc := range variants {
			var data []byte
			prev := int32(0)
			for _, r := range recs {
				data = append(data, enc(r, prev)...)
				prev = int32(r.counts[len(r.counts)-1])
			}
			if !Detect(data) {
				t.Errorf("%s %s: Detect = false", s.name, name)
			}
			got, err := ParseVolume(data)
			if err != nil {
				t.Fatalf("%s %s: %v", s.name, name, err)
			}
			tr := got.Traces[0]
			if len(got.Traces) != 1 || len(got.Gaps) != 0 || !tr.Start.Equal(want.Start) || tr.SampleRateHz != 100 ||
				!slices.Equal(tr.Counts, want.Counts) {
				t.Errorf("%s %s: %d traces, gaps %v, start %v, %d samples", s.name, name, len(got.Traces), got.Gaps, tr.Start, tr.Samples)
			}
		}
	}
}

// TestRateFactorMultiplier writes 100 Hz in each sign combination SEED
// allows and checks the trace is unchanged.
func TestRateFactorMultiplier(t *testing.T) {
	recs, v := realRecords(t, samples[2].name)
	for _, fm := range [][2]int16{{100, 1}, {1, 100}, {10, 10}, {100, -1}, {-1, 100}, {-10, -1}} {
		var data []byte
		for _, r := range recs {
			r.h.RateFactor, r.h.RateMultiplier = fm[0], fm[1]
			data = append(data, build(r, binary.BigEndian, binary.BigEndian, EncodingSteim2, r.raw[r.h.DataOffset:])...)
		}
		got, err := ParseVolume(data)
		want := 100.0
		if fm == [2]int16{-10, -1} {
			want = 0.1 // 1/(f×m): a period of 10 s
		}
		if err != nil || got.Traces[0].SampleRateHz != want {
			t.Errorf("factor %d multiplier %d: %v, rate %v", fm[0], fm[1], err, got.Traces[0].SampleRateHz)
			continue
		}
		if want == 100 && !slices.Equal(got.Traces[0].Counts, v.Traces[0].Counts) {
			t.Errorf("factor %d multiplier %d: samples differ", fm[0], fm[1])
		}
	}
}

// TestInterleaved merges the three channels' records into one file, as
// data centres deliver them, and checks each channel's trace.
func TestInterleaved(t *testing.T) {
	var files [][]byte
	want := map[string][]float64{}
	for _, s := range samples {
		data := fixture.Read(t, s.name)
		files = append(files, data)
		v, _ := ParseVolume(data)
		want[v.Traces[0].Channel] = v.Traces[0].Counts
	}
	var data []byte
	for i := 0; ; i++ {
		added := false
		for _, f := range files {
			if (i+1)*512 <= len(f) {
				data, added = append(data, f[i*512:(i+1)*512]...), true
			}
		}
		if !added {
			break
		}
	}
	v, recs, err := Parse(data, inventory(t))
	if err != nil || len(v.Traces) != 3 || len(v.Gaps) != 0 || len(recs) != 3 {
		t.Fatalf("%v: %d traces, gaps %v, %d records", err, len(v.Traces), v.Gaps, len(recs))
	}
	for _, tr := range v.Traces {
		if !slices.Equal(tr.Counts, want[tr.Channel]) {
			t.Errorf("%s: samples differ", tr.Channel)
		}
	}
}

// TestTimeCorrection: the header's time correction (0.0001 s units) moves
// the start unless activity flag bit 1 says it was already applied.
func TestTimeCorrection(t *testing.T) {
	recs, _ := realRecords(t, samples[0].name)
	r := recs[0]
	r.h.TimeCorrection = 12345 // 1.2345 s
	rec := build(r, binary.BigEndian, binary.BigEndian, EncodingSteim2, r.raw[r.h.DataOffset:])
	h, err := readRecordHeader(rec, 0)
	if err != nil || h.Start.Sub(r.h.Start) != 1234500*time.Microsecond {
		t.Errorf("not applied: %v, start %v, was %v", err, h.Start, r.h.Start)
	}
	rec[36] |= 0x02
	if h, err := readRecordHeader(rec, 0); err != nil || !h.Start.Equal(r.h.Start) {
		t.Errorf("applied: %v, start %v, was %v", err, h.Start, r.h.Start)
	}
}

// TestQualityCodes: D, R, Q and M are data records; anything else not.
func TestQualityCodes(t *testing.T) {
	data := fixture.Read(t, samples[0].name)[:512]
	for _, q := range "DRQMX" {
		b := append([]byte(nil), data...)
		b[6] = byte(q)
		v, err := ParseVolume(b)
		if ok := err == nil; ok != (q != 'X') {
			t.Errorf("%c: %v", q, err)
		} else if ok && v.Records[0].Quality != string(q) {
			t.Errorf("%c: quality %s", q, v.Records[0].Quality)
		}
	}
}

// TestTextRecordsSkipped turns one record into a LOG channel's text
// record (encoding 0, no sample rate): it is left out with a note.
func TestTextRecordsSkipped(t *testing.T) {
	data := append([]byte(nil), fixture.Read(t, samples[1].name)...)
	copy(data[15:18], "LOG")
	data[52] = EncodingASCII
	binary.BigEndian.PutUint32(data[32:], 0) // rate factor and multiplier
	v, err := ParseVolume(data)
	if err != nil || len(v.Traces) != 1 || len(v.Skipped) != 1 || !strings.Contains(v.Skipped[0], "BK.CMB.00.LOG") ||
		v.Traces[0].Records != 30 {
		t.Fatalf("%v: %+v %v", err, v.Traces, v.Skipped)
	}
}

// ms3 writes a miniSEED 3 record of r with the given encoding and
// payload; the extra headers carry the record's quality code as libmseed
// does when it converts miniSEED 2.
func ms3(r realRecord, enc byte, payload []byte) []byte {
	sid := fmt.Sprintf("FDSN:%s_%s_%s_%c_%c_%c", r.h.Network, r.h.Station, r.h.Location, r.h.Channel[0], r.h.Channel[1], r.h.Channel[2])
	extra := fmt.Sprintf(`{"FDSN":{"DataQuality":%q}}`, r.h.Quality)
	le := binary.LittleEndian
	b := make([]byte, 40, 40+len(sid)+len(extra)+len(payload))
	copy(b, "MS\x03")
	s := r.h.Start
	le.PutUint32(b[4:], uint32(s.Nanosecond()))
	le.PutUint16(b[8:], uint16(s.Year()))
	le.PutUint16(b[10:], uint16(s.YearDay()))
	b[12], b[13], b[14], b[15] = byte(s.Hour()), byte(s.Minute()), byte(s.Second()), enc
	le.PutUint64(b[16:], math.Float64bits(r.h.SampleRateHz))
	le.PutUint32(b[24:], uint32(r.h.Samples))
	b[32], b[33] = 1, byte(len(sid))
	le.PutUint16(b[34:], uint16(len(extra)))
	le.PutUint32(b[36:], uint32(len(payload)))
	b = append(append(append(b, sid...), extra...), payload...)
	le.PutUint32(b[28:], crc32.Checksum(b, crc32.MakeTable(crc32.Castagnoli)))
	return b
}

// TestMiniSEED3 rewrites the real records as miniSEED 3, with the Steim-2
// frames as they are and as little-endian int32, and checks the trace.
func TestMiniSEED3(t *testing.T) {
	for _, s := range samples {
		recs, v := realRecords(t, s.name)
		want := v.Traces[0]
		for name, enc := range map[string]func(r realRecord) []byte{
			"steim-2": func(r realRecord) []byte { return ms3(r, EncodingSteim2, r.raw[r.h.DataOffset:]) },
			"int32": func(r realRecord) []byte {
				return ms3(r, EncodingInt32, encode(r.counts, EncodingInt32, binary.LittleEndian))
			},
			"float64": func(r realRecord) []byte {
				return ms3(r, EncodingFloat64, encode(r.counts, EncodingFloat64, binary.LittleEndian))
			},
			"by period": func(r realRecord) []byte {
				r.h.SampleRateHz = -0.01
				return ms3(r, EncodingSteim2, r.raw[r.h.DataOffset:])
			},
		} {
			var data []byte
			for _, r := range recs {
				data = append(data, enc(r)...)
			}
			if !Detect(data) {
				t.Errorf("%s %s: Detect = false", s.name, name)
			}
			got, err := ParseVolume(data)
			if err != nil {
				t.Fatalf("%s %s: %v", s.name, name, err)
			}
			tr, h := got.Traces[0], got.Records[0]
			if len(got.Traces) != 1 || len(got.Gaps) != 0 || !tr.Start.Equal(want.Start) || tr.SampleRateHz != 100 ||
				tr.Channel != want.Channel || tr.Location != "00" || tr.Network != "BK" || !slices.Equal(tr.Counts, want.Counts) ||
				!h.MiniSEED3 || h.ExtraHeaders != `{"FDSN":{"DataQuality":"M"}}` {
				t.Errorf("%s %s: %d traces, gaps %v, %+v", s.name, name, len(got.Traces), got.Gaps, h)
			}
		}
		// Damage is caught.
		good := ms3(recs[0], EncodingSteim2, recs[0].raw[recs[0].h.DataOffset:])
		for name, c := range map[string]struct {
			off  int
			b    byte
			want string
		}{
			"bit flip":  {200, good[200] ^ 1, "CRC-32C"},
			"truncated": {-1, 0, "truncated"},
			"bad SID":   {40, 'X', "not FDSN:"},
		} {
			b := append([]byte(nil), good...)
			if c.off < 0 {
				b = b[:len(b)-1]
			} else {
				b[c.off] = c.b
				binary.LittleEndian.PutUint32(b[28:], 0)
				if name != "bit flip" {
					binary.LittleEndian.PutUint32(b[28:], crc32.Checksum(b, crc32.MakeTable(crc32.Castagnoli)))
				}
			}
			if _, err := ParseVolume(b); err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("%s: %v, want %q", name, err, c.want)
			}
		}
	}
}
