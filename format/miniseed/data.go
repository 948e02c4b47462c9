package miniseed

import (
	"encoding/binary"
	"fmt"
	"math"

	"github.com/bmkg/mkggraph/format/budget"
)

// decodeData decodes the samples of one record into counts, appending to
// dst. It fills h.X0 and h.Xn for Steim records, whose differences it
// decodes into sc's reused memory.
func decodeData(dst []float64, rec []byte, h *RecordHeader, sc *scratch) ([]float64, error) {
	if h.Samples == 0 {
		return dst, nil
	}
	b := rec[h.DataOffset:h.RecordLength]
	n, o := h.Samples, h.dataOrder
	fixed := func(size int) error {
		if n*size > len(b) {
			return fmt.Errorf("%d samples of %d bytes need %d bytes, data area has %d", n, size, n*size, len(b))
		}
		return nil
	}
	switch h.Encoding {
	case EncodingInt16:
		if err := fixed(2); err != nil {
			return nil, err
		}
		for i := 0; i < n; i++ {
			dst = append(dst, float64(int16(o.Uint16(b[2*i:]))))
		}
	case EncodingInt32:
		if err := fixed(4); err != nil {
			return nil, err
		}
		for i := 0; i < n; i++ {
			dst = append(dst, float64(int32(o.Uint32(b[4*i:]))))
		}
	case EncodingFloat32:
		if err := fixed(4); err != nil {
			return nil, err
		}
		for i := 0; i < n; i++ {
			dst = append(dst, float64(math.Float32frombits(o.Uint32(b[4*i:]))))
		}
	case EncodingFloat64:
		if err := fixed(8); err != nil {
			return nil, err
		}
		for i := 0; i < n; i++ {
			dst = append(dst, math.Float64frombits(o.Uint64(b[8*i:])))
		}
	case EncodingSteim1, EncodingSteim2:
		return sc.decodeSteim(dst, b, h, o)
	default:
		return nil, fmt.Errorf("encoding %d not supported", h.Encoding)
	}
	for _, v := range dst[len(dst)-n:] {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return nil, fmt.Errorf("sample %v", v)
		}
	}
	return dst, nil
}

// scratch holds the Steim differences of one record, reused for the next:
// its growth is charged to the input's budget.
type scratch struct {
	diffs  []int32
	budget *budget.Budget
}

func (sc *scratch) decodeSteim(dst []float64, b []byte, h *RecordHeader, o binary.ByteOrder) ([]float64, error) {
	level := 1
	if h.Encoding == EncodingSteim2 {
		level = 2
	}
	if need := h.Samples + 7; cap(sc.diffs) < need { // a word may carry 6 past the last sample
		if err := sc.budget.ReserveN(int64(need), 4, "miniseed: Steim differences"); err != nil {
			return nil, err
		}
		sc.diffs = make([]int32, 0, need)
	}
	diffs, x0, xn, err := steimDiffs(sc.diffs, b, h.Samples, level, o)
	if err != nil {
		return nil, err
	}
	h.X0, h.Xn = &x0, &xn
	err = integrateSteim(diffs[:h.Samples], x0, xn, level, func(v int32) { dst = append(dst, float64(v)) })
	return dst, err
}

// maxSamplesIn bounds the samples a record's data area can hold in its
// encoding, so counts are checked before anything is allocated.
func maxSamplesIn(h *RecordHeader) int {
	size := h.RecordLength - h.DataOffset
	switch h.Encoding {
	case EncodingInt16:
		return size / 2
	case EncodingInt32, EncodingFloat32:
		return size / 4
	case EncodingFloat64:
		return size / 8
	case EncodingSteim1:
		return size / frameLen * (wordsPerFrame - 1) * 4
	case EncodingSteim2:
		return size / frameLen * (wordsPerFrame - 1) * 7
	}
	return 0
}
