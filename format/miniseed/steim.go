package miniseed

import (
	"encoding/binary"
	"fmt"
)

// A Steim frame is 16 32-bit words: w0 holds fifteen 2-bit nibbles, one
// per following word, saying how that word is packed. In the first frame
// of a record w1 is X0, the first sample (the forward integration
// constant), and w2 is Xn, the last sample (the reverse constant).
const (
	frameLen      = 64
	wordsPerFrame = 16
)

// steimErr names the frame and word a decoding error is about.
func steimErr(level, frame, word int, format string, args ...any) error {
	return fmt.Errorf("steim-%d frame %d word %d: %s", level, frame, word, fmt.Sprintf(format, args...))
}

// decodeSteim decodes n samples of Steim-1 (level 1) or Steim-2 (level 2)
// data, checking the last one against Xn. It also returns X0 and Xn.
func decodeSteim(b []byte, n, level int, o binary.ByteOrder) (samples []int32, x0, xn int32, err error) {
	diffs, x0, xn, err := steimDiffs(nil, b, n, level, o)
	if err != nil {
		return nil, 0, 0, err
	}
	samples = make([]int32, 0, n)
	err = integrateSteim(diffs[:n], x0, xn, level, func(v int32) { samples = append(samples, v) })
	if err != nil {
		return nil, 0, 0, err
	}
	return samples, x0, xn, nil
}

// integrateSteim gives the n samples whose differences diffs are, the first
// being x0 (the first difference links to the previous record; X0
// replaces it), and checks that the last is xn. Sums wrap as int32, as
// the encoder's did.
func integrateSteim(diffs []int32, x0, xn int32, level int, emit func(int32)) error {
	if len(diffs) == 0 {
		return nil
	}
	v := x0
	emit(v)
	for _, d := range diffs[1:] {
		v += d
		emit(v)
	}
	if v != xn {
		return fmt.Errorf("steim-%d: last sample %d differs from the reverse integration constant Xn %d", level, v, xn)
	}
	return nil
}

// steimDiffs decodes the differences of n samples into diffs, whose
// memory it reuses, with X0 and Xn from the first frame.
func steimDiffs(diffs []int32, b []byte, n, level int, o binary.ByteOrder) (_ []int32, x0, xn int32, err error) {
	frames := len(b) / frameLen
	perWord := 4
	if level == 2 {
		perWord = 7
	}
	if frames == 0 {
		return nil, 0, 0, fmt.Errorf("steim-%d: no complete frame in %d bytes", level, len(b))
	}
	if n > frames*(wordsPerFrame-1)*perWord {
		return nil, 0, 0, fmt.Errorf("steim-%d: %d samples cannot fit in %d frames", level, n, frames)
	}
	diffs = diffs[:0]
	for f := 0; f < frames && len(diffs) < n; f++ {
		fr := b[f*frameLen : (f+1)*frameLen]
		ctrl := o.Uint32(fr)
		for w := 1; w < wordsPerFrame; w++ {
			word := o.Uint32(fr[4*w:])
			if f == 0 && w == 1 {
				x0 = int32(word)
				continue
			}
			if f == 0 && w == 2 {
				xn = int32(word)
				continue
			}
			nib := ctrl >> (30 - 2*uint(w)) & 3
			var err error
			if level == 1 {
				diffs, err = steim1Word(diffs, nib, word)
			} else {
				diffs, err = steim2Word(diffs, nib, word)
			}
			if err != nil {
				return nil, 0, 0, steimErr(level, f, w, "%v", err)
			}
		}
	}
	if len(diffs) < n {
		return nil, 0, 0, fmt.Errorf("steim-%d: frames hold %d differences, header says %d samples", level, len(diffs), n)
	}
	return diffs, x0, xn, nil
}

// steim1Word unpacks one Steim-1 word: nibble 00 nothing, 01 four 8-bit,
// 10 two 16-bit, 11 one 32-bit difference.
func steim1Word(d []int32, nib, w uint32) ([]int32, error) {
	switch nib {
	case 1:
		return unpack(d, w, 4, 8), nil
	case 2:
		return unpack(d, w, 2, 16), nil
	case 3:
		return append(d, int32(w)), nil
	}
	return d, nil
}

// steim2Word unpacks one Steim-2 word. Nibbles 10 and 11 have a 2-bit
// sub-code (dnib) in the word's top bits:
//
//	nibble 01:          four 8-bit differences
//	nibble 10, dnib 01: one 30-bit;  10: two 15-bit;  11: three 10-bit
//	nibble 11, dnib 00: five 6-bit;  01: six 5-bit;   10: seven 4-bit
//
// dnib 00 under nibble 10 and dnib 11 under nibble 11 are undefined.
func steim2Word(d []int32, nib, w uint32) ([]int32, error) {
	dnib := w >> 30
	switch nib {
	case 0:
		return d, nil
	case 1:
		return unpack(d, w, 4, 8), nil
	case 2:
		switch dnib {
		case 1:
			return unpack(d, w, 1, 30), nil
		case 2:
			return unpack(d, w, 2, 15), nil
		case 3:
			return unpack(d, w, 3, 10), nil
		}
	case 3:
		switch dnib {
		case 0:
			return unpack(d, w, 5, 6), nil
		case 1:
			return unpack(d, w, 6, 5), nil
		case 2:
			return unpack(d, w, 7, 4), nil
		}
	}
	return nil, fmt.Errorf("nibble %02b with dnib %02b is undefined", nib, dnib)
}

// unpack appends k signed values of width bits, the first in the highest
// bits of the low k*bits bits of w.
func unpack(d []int32, w uint32, k, bits int) []int32 {
	shift := 32 - uint(bits)
	for j := k - 1; j >= 0; j-- {
		v := w >> (uint(j * bits))
		d = append(d, int32(v<<shift)>>shift)
	}
	return d
}
