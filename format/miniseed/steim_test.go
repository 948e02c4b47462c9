package miniseed

import (
	"encoding/binary"
	"slices"
	"strings"
	"testing"
)

// pack builds a Steim data word from differences of the given width, with
// dnib in the top two bits (0 for the codes that have none).
func pack(dnib uint32, bits int, diffs ...int32) uint32 {
	w := dnib << 30
	for i, d := range diffs {
		shift := uint((len(diffs) - 1 - i) * bits)
		w |= (uint32(d) & (1<<uint(bits) - 1)) << shift
	}
	return w
}

// steimFrames lays out frames: nibbles[i] and words[i] describe word i+1
// of the frame (X0 and Xn included, with nibble 0, in the first frame).
func steimFrames(frames ...[][2]uint32) []byte {
	out := make([]byte, 0, len(frames)*frameLen)
	for _, f := range frames {
		var ctrl uint32
		words := make([]byte, 4*wordsPerFrame)
		for i, nw := range f {
			ctrl |= nw[0] << (30 - 2*uint(i+1))
			binary.BigEndian.PutUint32(words[4*(i+1):], nw[1])
		}
		binary.BigEndian.PutUint32(words, ctrl)
		out = append(out, words...)
	}
	return out
}

// integrate gives the samples the differences describe from x0 (the
// first difference is the link to a previous record, and is skipped).
func integrate(x0 int32, diffs []int32) []int32 {
	s := []int32{x0}
	for _, d := range diffs[1:] {
		s = append(s, s[len(s)-1]+d)
	}
	return s
}

func TestSteim1(t *testing.T) {
	var diffs []int32
	add := func(d ...int32) []int32 { diffs = append(diffs, d...); return d }
	words := [][2]uint32{
		{0, 0}, {0, 0}, // X0, Xn: filled in below
		{1, pack(0, 8, add(7, -128, 127, -1)...)}, // 01: four 8-bit
		{0, 0xdeadbeef},                     // 00: no data
		{2, pack(0, 16, add(0, -32768)...)}, // 10: two 16-bit
		{2, pack(0, 16, add(32767, 1)...)},
		{3, uint32(add(-2147483647)[0])},       // 11: one 32-bit
		{1, pack(0, 8, add(-24, 5, -5, 9)...)}, // the last one past n
	}
	n := len(diffs) - 1
	want := integrate(100, diffs[:n])
	words[0][1], words[1][1] = 100, uint32(want[n-1])
	frames := steimFrames(words)
	got, x0, xn, err := decodeSteim(frames, n, 1, binary.BigEndian)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(got, want) || x0 != 100 || xn != want[n-1] {
		t.Errorf("got %v (X0 %d Xn %d), want %v", got, x0, xn, want)
	}
	// Wrong Xn.
	binary.BigEndian.PutUint32(frames[8:], uint32(want[n-1]+1))
	if _, _, _, err := decodeSteim(frames, n, 1, binary.BigEndian); err == nil || !strings.Contains(err.Error(), "Xn") {
		t.Errorf("wrong Xn: %v", err)
	}
	// More samples than the frame holds.
	if _, _, _, err := decodeSteim(frames, n+2, 1, binary.BigEndian); err == nil || !strings.Contains(err.Error(), "header says") {
		t.Errorf("short frames: %v", err)
	}
	if _, _, _, err := decodeSteim(frames, 61, 1, binary.BigEndian); err == nil || !strings.Contains(err.Error(), "cannot fit") {
		t.Errorf("impossible count: %v", err)
	}
}

func TestSteim2(t *testing.T) {
	var diffs []int32
	add := func(d ...int32) []int32 { diffs = append(diffs, d...); return d }
	words := [][2]uint32{
		{0, 0}, {0, 0}, // X0, Xn: filled in below
		{1, pack(0, 8, add(3, -128, 127, -7)...)},       // 01: four 8-bit
		{2, pack(1, 30, add(-(1 << 29))...)},            // 10/01: one 30-bit
		{2, pack(2, 15, add(16383, -16384)...)},         // 10/10: two 15-bit
		{2, pack(3, 10, add(511, -512, 0)...)},          // 10/11: three 10-bit
		{0, 0xffffffff},                                 // 00: no data
		{3, pack(0, 6, add(31, -32, 1, -1, 0)...)},      // 11/00: five 6-bit
		{3, pack(1, 5, add(15, -16, 2, -2, 3, -3)...)},  // 11/01: six 5-bit
		{3, pack(2, 4, add(7, -8, 1, -1, 2, -2, 0)...)}, // 11/10: seven 4-bit
		{2, pack(1, 30, add((1<<29)-1)...)},             // largest 30-bit
		{1, pack(0, 8, add(1, 2, 3, 4)...)},             // to be cut short
	}
	n := len(diffs) - 2 // the last word carries two differences past n
	want := integrate(-5, diffs[:n])
	x0 := int32(-5)
	words[0][1], words[1][1] = uint32(x0), uint32(want[n-1])
	frame2 := [][2]uint32{{3, pack(2, 4, 0, 0, 0, 0, 0, 0, 0)}} // a second, unused frame
	data := steimFrames(words, frame2)
	got, _, xn, err := decodeSteim(data, n, 2, binary.BigEndian)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(got, want) || xn != want[n-1] {
		t.Errorf("got %v, want %v", got, want)
	}

	// Reading across into the second frame.
	all := append(append([]int32{}, diffs...), 0, 0, 0, 0, 0, 0, 0)
	want2 := integrate(-5, all)
	binary.BigEndian.PutUint32(data[8:], uint32(want2[len(want2)-1]))
	if got, _, _, err := decodeSteim(data, len(all), 2, binary.BigEndian); err != nil || !slices.Equal(got, want2) {
		t.Errorf("two frames: %v %v", got, err)
	}

	for name, w := range map[string][2]uint32{
		"10/00": {2, pack(0, 30, 1)},
		"11/11": {3, pack(3, 4, 1)},
	} {
		bad := steimFrames([][2]uint32{{0, 0}, {0, 0}, w})
		if _, _, _, err := decodeSteim(bad, 1, 2, binary.BigEndian); err == nil || !strings.Contains(err.Error(), "undefined") {
			t.Errorf("%s: %v", name, err)
		}
	}
	if _, _, _, err := decodeSteim(data[:63], 1, 2, binary.BigEndian); err == nil {
		t.Error("partial frame accepted")
	}
}
