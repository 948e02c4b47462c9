package miniseed

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"strings"
	"time"
)

// fixedHeaderLen is the size of the fixed section of the data header.
const fixedHeaderLen = 48

// Record lengths accepted: 2^7 to 2^20 bytes (SEED 2.4 data records are
// 256 bytes and up; 128-byte records occur in real-time streams).
const (
	minRecordExp = 7
	maxRecordExp = 20
)

// Encodings (SEED blockette 1000 field 3).
const (
	EncodingASCII   = 0
	EncodingInt16   = 1
	EncodingInt32   = 3
	EncodingFloat32 = 4
	EncodingFloat64 = 5
	EncodingSteim1  = 10
	EncodingSteim2  = 11
)

// RecordHeader is the fixed header of one data record and the blockettes
// that matter for decoding it.
type RecordHeader struct {
	Offset   int    // byte offset of the record in the input
	Sequence string // six-character sequence number
	Quality  string // D, R, Q or M
	Network  string
	Station  string
	Location string
	Channel  string
	// Start is the time of the first sample: BTIME plus blockette 1001's
	// microseconds, plus the time correction unless the activity flags say
	// it was already applied.
	Start          time.Time
	Samples        int
	RateFactor     int16
	RateMultiplier int16
	SampleRateHz   float64
	ActivityFlags  uint8
	IOFlags        uint8
	QualityFlags   uint8
	Blockettes     int
	TimeCorrection int32 // units of 0.0001 s
	DataOffset     int
	FirstBlockette int
	HeaderOrder    string // byte order of the fixed header
	// From blockette 1000.
	Encoding     uint8
	DataOrder    string
	RecordLength int
	// From blockette 1001 (0 and 0 when absent).
	Microseconds int8
	Frames       int
	// X0 and Xn are the Steim forward and reverse integration constants.
	X0, Xn *int32 `json:",omitempty"`
	// For miniSEED 3 records: the FDSN source identifier, the flags, the
	// publication version and the extra headers (JSON) as written.
	MiniSEED3          bool   `json:",omitempty"`
	SourceID           string `json:",omitempty"`
	Flags              uint8  `json:",omitempty"`
	PublicationVersion uint8  `json:",omitempty"`
	ExtraHeaders       string `json:",omitempty"`

	headerOrder, dataOrder binary.ByteOrder
}

func orderName(o binary.ByteOrder) string {
	if o == binary.LittleEndian {
		return "little-endian"
	}
	return "big-endian"
}

// headerOrder finds the byte order that gives a plausible start time.
func headerOrder(b []byte) (binary.ByteOrder, bool) {
	for _, o := range []binary.ByteOrder{binary.BigEndian, binary.LittleEndian} {
		y, d := o.Uint16(b[20:]), o.Uint16(b[22:])
		if y >= 1900 && y <= 2100 && d >= 1 && d <= 366 {
			return o, true
		}
	}
	return nil, false
}

// validFixedHeader is the sniff test: sequence digits, a quality code and a
// plausible BTIME.
func validFixedHeader(b []byte) bool {
	if len(b) < fixedHeaderLen || !seqOK(b) {
		return false
	}
	if !strings.ContainsRune("DRQM", rune(b[6])) || (b[7] != ' ' && b[7] != 0) {
		return false
	}
	_, ok := headerOrder(b)
	return ok && b[24] <= 23 && b[25] <= 59 && b[26] <= 60
}

// seqOK reports whether b starts with a six-character sequence number.
func seqOK(b []byte) bool {
	for _, c := range b[:6] {
		if (c < '0' || c > '9') && c != ' ' && c != 0 {
			return false
		}
	}
	return true
}

// readRecordHeader parses the record starting at data[off:]. It reads only
// headers and blockettes, so the caller can check limits before decoding.
func readRecordHeader(data []byte, off int) (RecordHeader, error) {
	b := data[off:]
	if len(b) < fixedHeaderLen {
		return RecordHeader{}, fmt.Errorf("miniseed: record at offset %d: truncated fixed header (%d bytes)", off, len(b))
	}
	if !validFixedHeader(b) {
		if seqOK(b) && strings.ContainsRune("VAST", rune(b[6])) && (b[7] == ' ' || b[7] == '*') {
			return RecordHeader{}, fmt.Errorf("miniseed: record at offset %d: a SEED control header (type %c): full SEED volumes are not supported, only miniSEED data records", off, b[6])
		}
		return RecordHeader{}, fmt.Errorf("miniseed: record at offset %d: not a data record header", off)
	}
	o, _ := headerOrder(b)
	h := RecordHeader{Offset: off, Sequence: string(b[:6]), Quality: string(b[6:7]), headerOrder: o, HeaderOrder: orderName(o)}
	var err error
	fields := []struct {
		dst *string
		raw []byte
	}{{&h.Station, b[8:13]}, {&h.Location, b[13:15]}, {&h.Channel, b[15:18]}, {&h.Network, b[18:20]}}
	for _, f := range fields {
		if *f.dst, err = code(f.raw); err != nil {
			return RecordHeader{}, fmt.Errorf("miniseed: record at offset %d: %w", off, err)
		}
	}
	h.Samples = int(o.Uint16(b[30:]))
	h.RateFactor, h.RateMultiplier = int16(o.Uint16(b[32:])), int16(o.Uint16(b[34:]))
	h.ActivityFlags, h.IOFlags, h.QualityFlags = b[36], b[37], b[38]
	h.Blockettes = int(b[39])
	h.TimeCorrection = int32(o.Uint32(b[40:]))
	h.DataOffset, h.FirstBlockette = int(o.Uint16(b[44:])), int(o.Uint16(b[46:]))
	h.SampleRateHz = nominalRate(h.RateFactor, h.RateMultiplier)
	if err := h.readBlockettes(b); err != nil {
		return RecordHeader{}, fmt.Errorf("miniseed: record at offset %d: %w", off, err)
	}
	start, err := btime(b[20:30], o)
	if err != nil {
		return RecordHeader{}, fmt.Errorf("miniseed: record at offset %d: %w", off, err)
	}
	start = start.Add(time.Duration(h.Microseconds) * time.Microsecond)
	if h.ActivityFlags&0x02 == 0 {
		start = start.Add(time.Duration(h.TimeCorrection) * 100 * time.Microsecond)
	}
	h.Start = start
	return h, h.check(len(b))
}

// code reads a space-padded ASCII identifier.
func code(raw []byte) (string, error) {
	for _, c := range raw {
		if c < ' ' || c > '~' {
			return "", fmt.Errorf("identifier %q is not printable ASCII", raw)
		}
	}
	return strings.TrimSpace(string(raw)), nil
}

// nominalRate is SEED's sample rate from factor and multiplier.
func nominalRate(f, m int16) float64 {
	ff, mm := float64(f), float64(m)
	switch {
	case f == 0 || m == 0:
		return 0
	case f > 0 && m > 0:
		return ff * mm
	case f > 0:
		return -ff / mm
	case m > 0:
		return -mm / ff
	default:
		return 1 / (ff * mm)
	}
}

func btime(b []byte, o binary.ByteOrder) (time.Time, error) {
	frac := int(o.Uint16(b[8:]))
	if frac > 9999 {
		return time.Time{}, fmt.Errorf("start time fraction %d of 0.0001 s invalid", frac)
	}
	t, err := btimeParts(int(o.Uint16(b)), int(o.Uint16(b[2:])), int(b[4]), int(b[5]), int(b[6]))
	return t.Add(time.Duration(frac) * 100 * time.Microsecond), err
}

// btimeParts is a year, day of year and time of day as a UTC time.
func btimeParts(y, d, hh, mm, ss int) (time.Time, error) {
	if y < 1 || y > 9999 || d < 1 || d > 366 || hh > 23 || mm > 59 || ss > 60 {
		return time.Time{}, fmt.Errorf("start time %d,%03d %02d:%02d:%02d invalid", y, d, hh, mm, ss)
	}
	t := time.Date(y, 1, d, hh, mm, ss, 0, time.UTC)
	if t.Year() != y && ss != 60 {
		return time.Time{}, fmt.Errorf("day %d is past the end of %d", d, y)
	}
	return t, nil
}

// readBlockettes follows the blockette chain within the record.
func (h *RecordHeader) readBlockettes(b []byte) error {
	var have1000 bool
	next := h.FirstBlockette
	for n := 0; next != 0; n++ {
		if next < fixedHeaderLen || next+4 > len(b) || n >= 64 {
			return fmt.Errorf("blockette chain broken at offset %d", next)
		}
		o := h.headerOrder
		typ, following := o.Uint16(b[next:]), int(o.Uint16(b[next+2:]))
		if following != 0 && following <= next {
			return fmt.Errorf("blockette %d at %d points backwards to %d", typ, next, following)
		}
		blk := b[next:]
		switch typ {
		case 1000:
			if len(blk) < 8 {
				return errors.New("blockette 1000 truncated")
			}
			h.Encoding, have1000 = blk[4], true
			switch blk[5] {
			case 0:
				h.dataOrder = binary.LittleEndian
			case 1:
				h.dataOrder = binary.BigEndian
			default:
				return fmt.Errorf("blockette 1000 word order %d is neither 0 nor 1", blk[5])
			}
			h.DataOrder = orderName(h.dataOrder)
			exp := int(blk[6])
			if exp < minRecordExp || exp > maxRecordExp {
				return fmt.Errorf("record length 2^%d outside 2^%d..2^%d", exp, minRecordExp, maxRecordExp)
			}
			h.RecordLength = 1 << exp
		case 1001:
			if len(blk) < 8 {
				return errors.New("blockette 1001 truncated")
			}
			h.Microseconds, h.Frames = int8(blk[5]), int(blk[7])
		case 100:
			if len(blk) < 12 {
				return errors.New("blockette 100 truncated")
			}
			if r := float64(math.Float32frombits(o.Uint32(blk[4:]))); r > 0 && !math.IsInf(r, 0) {
				h.SampleRateHz = r
			}
		}
		next = following
	}
	if !have1000 {
		return errors.New("no blockette 1000: the record states neither its encoding nor its length " +
			"(SEED before 2.3, or data records cut from a full SEED volume); not supported")
	}
	return nil
}

// check validates what decoding relies on; avail is the number of bytes
// from the start of the record to the end of the input.
func (h *RecordHeader) check(avail int) error {
	switch {
	case h.RecordLength > avail:
		return fmt.Errorf("miniseed: record at offset %d: truncated: length %d, %d bytes left", h.Offset, h.RecordLength, avail)
	case h.Samples == 0 || h.Encoding == EncodingASCII:
		return nil // nothing to decode
	case h.DataOffset < fixedHeaderLen || h.DataOffset >= h.RecordLength:
		return fmt.Errorf("miniseed: record at offset %d: data offset %d outside the record", h.Offset, h.DataOffset)
	case !(h.SampleRateHz >= 1e-4) || h.SampleRateHz > 1e7:
		return fmt.Errorf("miniseed: record at offset %d: sample rate %v", h.Offset, h.SampleRateHz)
	}
	return nil
}
