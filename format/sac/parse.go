package sac

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/bmkg/mkggraph/format/budget"
	"github.com/bmkg/mkggraph/format/strongmotion"
)

// Unit is how many gal one sample unit is.
type Unit float64

// Common sample units.
const (
	G       Unit = strongmotion.StandardGravity // standard gravity, 9.80665 m/s²
	MPerS2  Unit = 100
	CmPerS2 Unit = 1
	NmPerS2 Unit = 1e-7 // the SAC manual's unit for IDEP = IACC
)

// HeaderLen is the size of the binary header; FooterLen that of the
// footer of 22 doubles that header version 7 adds after the samples.
const (
	HeaderLen = 632
	FooterLen = 22 * 8
)

// MaxSamples bounds NPTS (128 MiB of float32), checked before allocation,
// after the memory budget.
const MaxSamples = 1 << 25

// MemoryFactor sets the memory budget of a file (see format/budget):
// parsing it may take at most MemoryFactor times its size plus
// budget.Base. A binary file's 4-byte samples become float64s (2 bytes
// per byte); an alphanumeric file's text is copied once and holds at most
// a sample per 2 bytes (5 bytes per byte).
const MemoryFactor = 8

// SAC's "undefined" values and the enumerated header values used here.
const (
	undefined = -12345
	itime     = 1
	iunkn     = 5
	iacc      = 8
)

// Header holds the SAC header fields a strong-motion record needs.
// Pointers are nil where the file has SAC's "undefined" (-12345).
type Header struct {
	ByteOrder string // "little-endian" or "big-endian"; "" for alphanumeric files
	NVHDR     int32
	DELTA     float64
	B, E      float64
	NPTS      int
	DEPMIN    *float64
	DEPMAX    *float64
	DEPMEN    *float64
	KSTNM     string
	KNETWK    string
	KCMPNM    string
	KHOLE     string
	KINST     string
	KEVNM     string
	STLA      *float64
	STLO      *float64
	STEL      *float64
	STDP      *float64
	EVLA      *float64
	EVLO      *float64
	EVDP      *float64
	MAG       *float64
	CMPAZ     *float64
	CMPINC    *float64
	// Reference is NZYEAR/NZJDAY/NZHOUR/NZMIN/NZSEC/NZMSEC; Start is
	// Reference + B, the time of the first sample.
	Reference time.Time
	Start     time.Time
	IFTYPE    int32
	IDEP      int32
	IZTYPE    int32
	LEVEN     bool
}

// Detect reports whether data starts with a SAC header: binary, header
// version 6 or 7 in either byte order, or alphanumeric.
func Detect(data []byte) bool {
	_, _, ok := byteOrder(data)
	return ok || detectAlpha(data)
}

func byteOrder(data []byte) (binary.ByteOrder, int32, bool) {
	if len(data) < HeaderLen {
		return nil, 0, false
	}
	for _, o := range []binary.ByteOrder{binary.LittleEndian, binary.BigEndian} {
		if v := int32(o.Uint32(data[4*76:])); v == 6 || v == 7 {
			return o, v, true
		}
	}
	return nil, 0, false
}

// Parse reads one SAC file, binary (either byte order, header version 6
// or 7) or alphanumeric, whose samples are acceleration in the given unit,
// and returns its header and one Record in gal, mean removed.
func Parse(data []byte, unit Unit) (Header, []strongmotion.Record, error) {
	if !(unit > 0) || math.IsInf(float64(unit), 0) {
		return Header{}, nil, errors.New("sac: the sample unit must be given (SAC does not record it)")
	}
	var (
		h   Header
		acc []float64
		err error
	)
	b := budget.New(int64(len(data)), MemoryFactor)
	if _, _, ok := byteOrder(data); !ok && detectAlpha(data) {
		h, acc, err = parseAlpha(data, b)
	} else {
		h, acc, err = parseBinary(data, b)
	}
	if err != nil {
		return Header{}, nil, err
	}
	for i := range acc {
		acc[i] *= float64(unit)
	}
	r := strongmotion.Record{
		Network: h.KNETWK, Station: h.KSTNM, Location: h.KHOLE, Channel: h.KCMPNM,
		Component: strongmotion.ComponentOf(h.KCMPNM), Start: h.Start,
		SampleRateHz: 1 / h.DELTA, AccGal: strongmotion.DemeanInPlace(acc),
		StationLat: h.STLA, StationLon: h.STLO, StationElevM: h.STEL,
		Source: strongmotion.SourceSAC,
	}
	return h, []strongmotion.Record{r}, nil
}

// parseBinary reads a binary file's header, samples and (version 7)
// footer. The file must be exactly that long: anything else means NPTS or
// the version is wrong, or the file is not a time series.
func parseBinary(data []byte, b *budget.Budget) (Header, []float64, error) {
	h, order, err := ParseHeader(data)
	if err == nil {
		err = h.reserveSamples(b)
	}
	if err != nil {
		return Header{}, nil, err
	}
	want := HeaderLen + 4*h.NPTS
	if h.NVHDR == 7 {
		want += FooterLen
	}
	if len(data) != want {
		return Header{}, nil, fmt.Errorf("sac: NPTS %d needs %d bytes with header version %d, file has %d", h.NPTS, want, h.NVHDR, len(data))
	}
	if h.NVHDR == 7 {
		if err := h.applyFooter(data[HeaderLen+4*h.NPTS:], order); err != nil {
			return Header{}, nil, err
		}
	}
	acc := make([]float64, h.NPTS)
	for i := range acc {
		v := float64(math.Float32frombits(order.Uint32(data[HeaderLen+4*i:])))
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return Header{}, nil, fmt.Errorf("sac: sample %d is %v", i, v)
		}
		acc[i] = v
	}
	return h, acc, nil
}

// applyFooter replaces the header's single-precision DELTA, B, E, EVLA,
// EVLO, STLA and STLO by the footer's doubles (SAC 102, header version 7).
// The footer holds 22 doubles: DELTA, B, E, O, A, T0–T9, F, EVLO, EVLA,
// STLO, STLA, SB, SDELTA (note longitude before latitude).
func (h *Header) applyFooter(f []byte, order binary.ByteOrder) error {
	d := func(i int) float64 { return math.Float64frombits(order.Uint64(f[8*i:])) }
	opt := func(i int) *float64 {
		v := d(i)
		if v == undefined || math.IsNaN(v) || math.IsInf(v, 0) {
			return nil
		}
		return &v
	}
	h.DELTA, h.B, h.E = d(0), d(1), d(2)
	h.EVLO, h.EVLA, h.STLO, h.STLA = opt(16), opt(17), opt(18), opt(19)
	if err := h.check(); err != nil {
		return fmt.Errorf("%w (version 7 footer)", err)
	}
	h.Start = h.Reference.Add(time.Duration(math.Round(h.B*1e6)) * time.Microsecond)
	return nil
}

// ParseHeader reads and checks the 632-byte binary header only. For
// header version 7 the footer's more precise values are not read: Parse
// applies them.
func ParseHeader(data []byte) (Header, binary.ByteOrder, error) {
	order, _, ok := byteOrder(data)
	if !ok {
		return Header{}, nil, fmt.Errorf("sac: not a SAC file (%d bytes: no header version 6 or 7 at word 76 in either byte order, and not alphanumeric SAC)", len(data))
	}
	h, err := decodeHeader(words{data, order})
	if err != nil {
		return Header{}, nil, err
	}
	h.ByteOrder = "little-endian"
	if order == binary.BigEndian {
		h.ByteOrder = "big-endian"
	}
	return h, order, nil
}

// decodeHeader reads the header words, whichever the file's encoding.
func decodeHeader(w words) (Header, error) {
	h := Header{NVHDR: w.int(76)}
	h.DELTA, h.B, h.E = w.float(0), w.float(5), w.float(6)
	h.DEPMIN, h.DEPMAX, h.DEPMEN = w.opt(1), w.opt(2), w.opt(56)
	h.STLA, h.STLO, h.STEL, h.STDP = w.opt(31), w.opt(32), w.opt(33), w.opt(34)
	h.EVLA, h.EVLO, h.EVDP, h.MAG = w.opt(35), w.opt(36), w.opt(38), w.opt(39)
	h.CMPAZ, h.CMPINC = w.opt(57), w.opt(58)
	npts := w.int(70 + 9)
	h.IFTYPE, h.IDEP, h.IZTYPE = w.int(70+15), w.int(70+16), w.int(70+17)
	// SAC's own defaults for a new header are IFTYPE ITIME and LEVEN
	// true; a writer that leaves them undefined means those.
	if h.IFTYPE == undefined {
		h.IFTYPE = itime
	}
	h.LEVEN = w.int(70+35) == 1 || w.int(70+35) == undefined
	h.KSTNM, h.KEVNM, h.KHOLE = w.str(0, 8), w.str(8, 16), w.str(24, 8)
	h.KCMPNM, h.KNETWK, h.KINST = w.str(20*8, 8), w.str(21*8, 8), w.str(23*8, 8)
	if npts <= 0 {
		return Header{}, fmt.Errorf("sac: NPTS %d outside 1..%d", npts, MaxSamples)
	}
	h.NPTS = int(npts)
	if err := h.check(); err != nil {
		return Header{}, err
	}
	ref, err := w.reference()
	if err != nil {
		return Header{}, err
	}
	h.Reference = ref
	h.Start = ref.Add(time.Duration(math.Round(h.B*1e6)) * time.Microsecond)
	return h, nil
}

// reserveSamples charges the budget for NPTS float64 samples, then holds
// NPTS to MaxSamples: both before anything is allocated for them.
func (h *Header) reserveSamples(b *budget.Budget) error {
	if err := b.ReserveN(int64(h.NPTS), 8, fmt.Sprintf("sac: NPTS %d samples", h.NPTS)); err != nil {
		return err
	}
	if h.NPTS > MaxSamples {
		return fmt.Errorf("sac: NPTS %d outside 1..%d", h.NPTS, MaxSamples)
	}
	return nil
}

func (h *Header) check() error {
	switch {
	case h.NVHDR != 6 && h.NVHDR != 7:
		return fmt.Errorf("sac: header version %d not supported (only 6 and 7)", h.NVHDR)
	case h.IFTYPE != itime:
		return fmt.Errorf("sac: IFTYPE %d (%s) is not ITIME: only time series are supported", h.IFTYPE, iftypeName(h.IFTYPE))
	case !h.LEVEN:
		return errors.New("sac: unevenly sampled files (LEVEN false) are not supported")
	case h.IDEP != undefined && h.IDEP != iunkn && h.IDEP != iacc:
		return fmt.Errorf("sac: IDEP %d is not acceleration", h.IDEP)
	case !(h.DELTA > 0 && h.DELTA < 1e6):
		return fmt.Errorf("sac: DELTA %v is not a sampling interval", h.DELTA)
	case h.B == undefined:
		return errors.New("sac: B (the first sample's offset from the reference time) is undefined")
	case !(math.Abs(h.B) < 1e8):
		return fmt.Errorf("sac: B %v out of range", h.B)
	}
	return nil
}

// iftypeName names SAC's file types.
func iftypeName(t int32) string {
	switch t {
	case itime:
		return "time series"
	case 2:
		return "IRLIM, spectral real/imaginary"
	case 3:
		return "IAMPH, spectral amplitude/phase"
	case 4:
		return "IXY, general x-y data"
	case 51:
		return "IXYZ, general x-y-z data"
	}
	return "unknown"
}

// words reads header words in the file's byte order.
type words struct {
	data  []byte
	order binary.ByteOrder
}

// float reads a header float as its shortest decimal, so 0.02 reads as
// 0.02 and not as float32's 0.0199999995529651641845703125.
func (w words) float(i int) float64 {
	v := math.Float32frombits(w.order.Uint32(w.data[4*i:]))
	x, err := strconv.ParseFloat(strconv.FormatFloat(float64(v), 'g', -1, 32), 64)
	if err != nil { // NaN and infinities
		return float64(v)
	}
	return x
}

func (w words) opt(i int) *float64 {
	v := w.float(i)
	if v == undefined || math.IsNaN(v) || math.IsInf(v, 0) {
		return nil
	}
	return &v
}

func (w words) int(i int) int32 { return int32(w.order.Uint32(w.data[4*i:])) }

// str reads a string field at byte offset off of the character block.
func (w words) str(off, n int) string {
	b := w.data[440+off : 440+off+n]
	if i := strings.IndexByte(string(b), 0); i >= 0 {
		b = b[:i]
	}
	s := strings.TrimSpace(string(b))
	if s == "-12345" {
		return ""
	}
	return strings.ToValidUTF8(s, "?")
}

func (w words) reference() (time.Time, error) {
	y, d, hh, mm, ss, ms := w.int(70), w.int(71), w.int(72), w.int(73), w.int(74), w.int(75)
	if y < 1 || y > 9999 || d < 1 || d > 366 || hh < 0 || hh > 23 || mm < 0 || mm > 59 ||
		ss < 0 || ss > 60 || ms < 0 || ms > 999 {
		return time.Time{}, fmt.Errorf("sac: reference time %d-%03d %02d:%02d:%02d.%03d undefined or invalid", y, d, hh, mm, ss, ms)
	}
	t := time.Date(int(y), 1, 1, int(hh), int(mm), int(ss), int(ms)*1e6, time.UTC)
	t = t.AddDate(0, 0, int(d)-1)
	if t.Year() != int(y) && !(ss == 60 && d >= 365) {
		return time.Time{}, fmt.Errorf("sac: NZJDAY %d is past the end of %d", d, y)
	}
	return t, nil
}
