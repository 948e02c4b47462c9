package knet

import (
	"bytes"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/bmkg/mkggraph/format/budget"
	"github.com/bmkg/mkggraph/format/strongmotion"
)

// MaxInputSize is the largest file Parse accepts. A 300 s record at 200 Hz
// is about 0.6 MB, so this leaves a wide margin.
const MaxInputSize = 64 << 20

// Network is the FDSN code of NIED's networks.
const Network = "BO"

// LoggerDelay is what the K-NET/KiK-net logger adds to the Record Time.
const LoggerDelay = 15 * time.Second

var jst = time.FixedZone("JST", 9*3600)

// Header is the 17-line header of a K-NET/KiK-net file. Times are UTC.
type Header struct {
	OriginTime  time.Time
	EventLat    float64
	EventLon    float64
	DepthKm     float64
	Magnitude   float64
	StationCode string
	StationLat  float64
	StationLon  float64
	// StationHeightM is nil where NIED writes -9999 (altitude unknown).
	StationHeightM *float64
	// RecordTime is the Record Time as written; Start = RecordTime − 15 s
	// is the time of the first sample.
	RecordTime time.Time
	Start      time.Time
	SamplingHz float64
	DurationS  float64
	// Direction is as written: "E-W", "N-S", "U-D", or KiK-net's "1".."6".
	Direction string
	// ScaleGal / ScaleCounts is the gal per count ("3920(gal)/6182761").
	ScaleGal    float64
	ScaleCounts float64
	// MaxAccGal is the header's peak acceleration, written with
	// MaxAccDecimals digits after the point.
	MaxAccGal      float64
	MaxAccDecimals int
	LastCorrection time.Time
	Memo           string
	// Samples is the number of counts after the header.
	Samples int
}

// labels are the header labels, in file order, as NIED has spelled them:
// older files and KiK-net write "Long.", "Station Long." and "Max. Acc.
// (gal)", NIED's current format description "Lon.", "Station Lon." and
// "Max Acc. (gal)". labels[i][0] is the name used in messages.
var labels = [17][]string{
	{"Origin Time"}, {"Lat."}, {"Long.", "Lon."}, {"Depth. (km)", "Depth.(km)", "Depth (km)"}, {"Mag."},
	{"Station Code"}, {"Station Lat."}, {"Station Long.", "Station Lon."}, {"Station Height(m)", "Station Height (m)"},
	{"Record Time"}, {"Sampling Freq(Hz)", "Sampling Freq (Hz)"}, {"Duration Time(s)", "Duration Time (s)"}, {"Dir."},
	{"Scale Factor"}, {"Max. Acc. (gal)", "Max Acc. (gal)", "Max. Acc.(gal)", "Max Acc.(gal)"}, {"Last Correction"}, {"Memo."},
}

// noHeight is the Station Height NIED writes when the altitude is unknown.
const noHeight = -9999

// cutLabel returns what follows one of the spellings of header line i.
func cutLabel(i int, line string) (string, bool) {
	for _, l := range labels[i] {
		if v, ok := strings.CutPrefix(line, l); ok {
			return v, true
		}
	}
	return "", false
}

// Detect reports whether data looks like a K-NET/KiK-net ASCII file.
func Detect(data []byte) bool {
	return bytes.HasPrefix(data, []byte("Origin Time"))
}

// Parse reads one K-NET/KiK-net file. The single Record holds the
// acceleration in gal with its mean removed.
func Parse(data []byte) (Header, []strongmotion.Record, error) {
	if err := budget.CheckSize("knet", int64(len(data)), MaxInputSize); err != nil {
		return Header{}, nil, err
	}
	var values [17]string
	rest := data
	for i := range labels {
		var line []byte
		line, rest = nextLine(rest)
		v, ok := cutLabel(i, string(line))
		if !ok {
			return Header{}, nil, fmt.Errorf("knet: header line %d: want %q, got %.40q", i+1, labels[i][0], line)
		}
		values[i] = strings.TrimSpace(v)
	}
	h, err := header(values)
	if err != nil {
		return Header{}, nil, err
	}
	counts, err := readCounts(rest, 17)
	if err != nil {
		return Header{}, nil, err
	}
	h.Samples = len(counts)
	acc := make([]float64, len(counts))
	gain := h.ScaleGal / h.ScaleCounts
	for i, c := range counts {
		acc[i] = float64(c) * gain
	}
	return h, []strongmotion.Record{record(&h, strongmotion.DemeanInPlace(acc))}, nil
}

func record(h *Header, acc []float64) strongmotion.Record {
	ch := channel(h.Direction)
	lat, lon := h.StationLat, h.StationLon
	var el *float64
	if h.StationHeightM != nil {
		el = new(float64)
		*el = *h.StationHeightM
	}
	return strongmotion.Record{
		Network: Network, Station: h.StationCode, Channel: ch,
		Component: component(ch), Start: h.Start,
		SampleRateHz: h.SamplingHz, AccGal: acc,
		StationLat: &lat, StationLon: &lon, StationElevM: el,
		Source: strongmotion.SourceKNET,
	}
}

// channel names a direction as ObsPy does: EW, NS, UD for K-NET;
// NS1, EW1, UD1 (borehole) and NS2, EW2, UD2 (surface) for KiK-net.
func channel(dir string) string {
	if len(dir) == 1 && dir[0] >= '1' && dir[0] <= '6' {
		return [...]string{"NS1", "EW1", "UD1", "NS2", "EW2", "UD2"}[dir[0]-'1']
	}
	return strings.ReplaceAll(dir, "-", "")
}

// component maps EW, NS, UD (with or without a KiK-net 1/2) to E, N, Z.
func component(ch string) string {
	switch {
	case ch == "EW" || ch == "EW1" || ch == "EW2":
		return "E"
	case ch == "NS" || ch == "NS1" || ch == "NS2":
		return "N"
	case ch == "UD" || ch == "UD1" || ch == "UD2":
		return "Z"
	}
	return ""
}

// nextLine splits off the first line, without its \n or \r\n.
func nextLine(b []byte) (line, rest []byte) {
	i := bytes.IndexByte(b, '\n')
	if i < 0 {
		return bytes.TrimSuffix(b, []byte("\r")), nil
	}
	return bytes.TrimSuffix(b[:i], []byte("\r")), b[i+1:]
}

func header(v [17]string) (Header, error) {
	var h Header
	p := fieldParser{values: v}
	h.OriginTime = p.time(0)
	h.EventLat = p.float(1, -90, 90)
	h.EventLon = p.float(2, -180, 360)
	h.DepthKm = p.float(3, -10, 1000)
	h.Magnitude = p.float(4, -5, 10)
	h.StationCode = v[5]
	h.StationLat = p.float(6, -90, 90)
	h.StationLon = p.float(7, -180, 360)
	if height := p.float(8, -12000, 9000); height != noHeight {
		h.StationHeightM = &height
	}
	h.RecordTime = p.time(9)
	h.Start = h.RecordTime.Add(-LoggerDelay)
	h.SamplingHz = p.floatSuffix(10, "Hz", 1e-3, 1e5)
	h.DurationS = p.float(11, 0, 1e6)
	h.Direction = v[12]
	h.ScaleGal, h.ScaleCounts = p.scale(13)
	h.MaxAccGal = p.float(14, 0, 1e5)
	if i := strings.IndexByte(v[14], '.'); i >= 0 {
		h.MaxAccDecimals = len(v[14]) - i - 1
	}
	h.LastCorrection = p.time(15)
	h.Memo = v[16]
	if p.err == nil && (h.StationCode == "" || len(h.StationCode) > 16) {
		p.fail(5, "station code must be 1 to 16 characters")
	}
	if p.err == nil && component(channel(h.Direction)) == "" {
		p.fail(12, "want E-W, N-S, U-D or 1 to 6")
	}
	return h, p.err
}

// fieldParser converts header values, keeping the first error.
type fieldParser struct {
	values [17]string
	err    error
}

func (p *fieldParser) fail(i int, msg string) {
	if p.err == nil {
		p.err = fmt.Errorf("knet: %s %.40q: %s", labels[i][0], p.values[i], msg)
	}
}

func (p *fieldParser) time(i int) time.Time {
	t, err := time.ParseInLocation("2006/01/02 15:04:05", p.values[i], jst)
	if err != nil {
		p.fail(i, "not a time yyyy/mm/dd hh:mm:ss")
	}
	return t.UTC()
}

func (p *fieldParser) float(i int, lo, hi float64) float64 {
	return p.number(i, p.values[i], lo, hi)
}

func (p *fieldParser) floatSuffix(i int, suffix string, lo, hi float64) float64 {
	return p.number(i, strings.TrimSpace(strings.TrimSuffix(p.values[i], suffix)), lo, hi)
}

func (p *fieldParser) number(i int, s string, lo, hi float64) float64 {
	x, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(x) || x < lo || x > hi {
		p.fail(i, fmt.Sprintf("want a number in [%g, %g]", lo, hi))
		return 0
	}
	return x
}

// scale reads "3920(gal)/6182761".
func (p *fieldParser) scale(i int) (gal, counts float64) {
	num, den, ok := strings.Cut(p.values[i], "/")
	num, unit, ok2 := strings.Cut(num, "(")
	if !ok || !ok2 || !strings.EqualFold(strings.TrimSpace(unit), "gal)") {
		p.fail(i, "want N(gal)/D")
		return 0, 0
	}
	gal = p.number(i, strings.TrimSpace(num), 1e-9, 1e9)
	counts = p.number(i, strings.TrimSpace(den), 1, 1e12)
	return gal, counts
}

// readCounts reads the whitespace-separated integer counts after the
// header; firstLine is the number of the line before rest, for messages.
func readCounts(rest []byte, firstLine int) ([]int32, error) {
	counts := make([]int32, 0, len(rest)/9)
	for n := firstLine + 1; len(rest) > 0; n++ {
		var line []byte
		line, rest = nextLine(rest)
		for _, f := range strings.Fields(string(line)) {
			c, err := strconv.ParseInt(f, 10, 32)
			if err != nil {
				return nil, fmt.Errorf("knet: line %d: count %.20q is not a 32-bit integer", n, f)
			}
			counts = append(counts, int32(c))
		}
	}
	if len(counts) == 0 {
		return nil, fmt.Errorf("knet: no samples after the header")
	}
	return counts, nil
}
