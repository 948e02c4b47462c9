package miniseed

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"time"
	"unsafe"

	"github.com/bmkg/mkggraph/format/budget"
	"github.com/bmkg/mkggraph/format/strongmotion"
)

// MaxSamples bounds the samples of one input (all records together); it
// is checked from the headers before any sample is decoded, after the
// memory budget.
const MaxSamples = 1 << 25

// Volume is what a miniSEED input holds: its records' headers, the traces
// they join into and the gaps between those.
type Volume struct {
	Records []RecordHeader
	Traces  []Trace
	Gaps    []Gap
	// Skipped says which channels' records were left out: text (encoding
	// 0, such as log channels) is not a time series.
	Skipped []string `json:",omitempty"`
}

// Trace is a run of records of one channel without gaps.
type Trace struct {
	Network, Station, Location, Channel string
	Start                               time.Time
	SampleRateHz                        float64
	Samples                             int
	Records                             int
	// Counts are the decoded samples (counts, or whatever the data are).
	Counts []float64 `json:"-"`
	// GalPerCount and Unconverted say how Counts became acceleration, or
	// why they did not.
	GalPerCount float64 `json:",omitempty"`
	Unconverted string  `json:",omitempty"`
}

// End is the time of the sample after the last.
func (t *Trace) End() time.Time {
	return t.Start.Add(time.Duration(float64(t.Samples) / t.SampleRateHz * float64(time.Second)))
}

// Gap is a break between two traces of a channel: Seconds is positive for
// missing data and negative for an overlap.
type Gap struct {
	Network, Station, Location, Channel string
	From, To                            time.Time // end of one trace, start of the next
	Seconds                             float64
}

// Detect reports whether data starts with a miniSEED 2 data record header
// or a miniSEED 3 record.
func Detect(data []byte) bool { return validFixedHeader(data) || isMS3(data) }

// Parse reads all records of data, joins them into traces and, for each
// trace whose channel inv gives an acceleration sensitivity for, returns a
// Record in gal with its mean removed. inv may be nil: the Volume is then
// the whole result.
func Parse(data []byte, inv *Inventory) (*Volume, []strongmotion.Record, error) {
	v, err := ParseVolume(data)
	if err != nil {
		return nil, nil, err
	}
	var recs []strongmotion.Record
	for i := range v.Traces {
		if r, ok := convert(&v.Traces[i], inv); ok {
			recs = append(recs, r)
		}
	}
	return v, recs, nil
}

// ParseVolume reads the records and joins them into traces of counts.
// Every header is read first: the samples they declare are charged to the
// input's memory budget, then checked against what each record can hold,
// before any is decoded.
func ParseVolume(data []byte) (*Volume, error) {
	b := budget.New(int64(len(data)), MemoryFactor)
	v := &Volume{}
	var declared int64
	for off := 0; off < len(data); {
		h, err := readRecord(data, off)
		if err != nil {
			return nil, err
		}
		if err := b.Reserve(headerBytes, "miniseed: record headers"); err != nil {
			return nil, err
		}
		if h.Encoding != EncodingASCII {
			declared += int64(h.Samples)
		}
		v.Records = append(v.Records, h)
		off += h.RecordLength
	}
	if len(v.Records) == 0 {
		return nil, fmt.Errorf("miniseed: no records")
	}
	if err := b.ReserveN(declared, sampleBytes, "miniseed: the samples the records declare"); err != nil {
		return nil, err
	}
	if declared > MaxSamples {
		return nil, fmt.Errorf("miniseed: more than %d samples", MaxSamples)
	}
	for i := range v.Records {
		if h := &v.Records[i]; h.Encoding != EncodingASCII && h.Samples > maxSamplesIn(h) && maxSamplesIn(h) > 0 {
			return nil, fmt.Errorf("miniseed: record at offset %d: %d samples cannot fit in %d bytes of encoding %d",
				h.Offset, h.Samples, h.RecordLength-h.DataOffset, h.Encoding)
		}
	}
	if err := v.join(data, b); err != nil {
		return nil, err
	}
	return v, nil
}

// MemoryFactor sets the memory budget of an input (see format/budget):
// parsing it may take at most MemoryFactor times its size plus
// budget.Base. Steim-2 packs up to 7 samples in 4 bytes, each of which
// becomes a float64 count and a float64 in gal: 28 bytes per byte for a
// flat trace. The real samples (about one sample per byte) allocate 18 to
// 20 bytes per byte, StationXML and record headers included.
const MemoryFactor = 32

// What is charged to the budget per record header and per declared
// sample: the count, and the value in gal it is converted to.
const (
	headerBytes = int64(unsafe.Sizeof(RecordHeader{})) + 64
	sampleBytes = 16
)

// readRecord reads the miniSEED 2 or 3 record header at data[off:].
func readRecord(data []byte, off int) (RecordHeader, error) {
	b := data[off:]
	switch {
	case isMS3(b):
		return readRecord3(data, off)
	case len(b) >= 3 && b[0] == 'M' && b[1] == 'S' && !validFixedHeader(b):
		return RecordHeader{}, fmt.Errorf("miniseed: record at offset %d: miniSEED format version %d not supported (only 2 and 3)", off, b[2])
	}
	return readRecordHeader(data, off)
}

// join decodes the records in channel and time order into traces. The
// traces are laid out from the headers first, so that each one's counts
// are allocated once, at their size.
func (v *Volume) join(data []byte, b *budget.Budget) error {
	order := make([]int, len(v.Records))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int {
		ra, rb := &v.Records[a], &v.Records[b]
		return cmp.Or(cmp.Compare(ra.Network, rb.Network), cmp.Compare(ra.Station, rb.Station),
			cmp.Compare(ra.Location, rb.Location), cmp.Compare(ra.Channel, rb.Channel), ra.Start.Compare(rb.Start))
	})
	trace := v.plan(order)
	for i := range v.Traces {
		v.Traces[i].Counts = make([]float64, 0, v.Traces[i].Samples)
	}
	sc := &scratch{budget: b}
	for k, i := range order {
		if trace[k] < 0 {
			continue
		}
		h, t := &v.Records[i], &v.Traces[trace[k]]
		var err error
		t.Counts, err = decodeData(t.Counts, data[h.Offset:h.Offset+h.RecordLength], h, sc)
		if err != nil {
			return fmt.Errorf("miniseed: record at offset %d (%s.%s.%s.%s): %w",
				h.Offset, h.Network, h.Station, h.Location, h.Channel, err)
		}
	}
	return nil
}

// plan lays the records, in order, out in traces: a new one at a change
// of channel or rate, or at a gap or overlap of more than half a sample,
// noted in v.Gaps. It returns each record's trace, -1 for the records
// that have none (text, no samples).
func (v *Volume) plan(order []int) []int {
	trace := make([]int, len(order))
	cur := -1
	for k, i := range order {
		h := &v.Records[i]
		trace[k] = -1
		if h.Encoding == EncodingASCII {
			v.skip(h)
			continue
		}
		if h.Samples == 0 {
			continue
		}
		if cur < 0 || !sameChannel(&v.Traces[cur], h) || v.Traces[cur].SampleRateHz != h.SampleRateHz {
			cur = v.newTrace(h)
		} else if end := v.Traces[cur].End(); math.Abs(h.Start.Sub(end).Seconds()) > 0.5/h.SampleRateHz {
			v.Gaps = append(v.Gaps, Gap{Network: h.Network, Station: h.Station, Location: h.Location,
				Channel: h.Channel, From: end, To: h.Start, Seconds: h.Start.Sub(end).Seconds()})
			cur = v.newTrace(h)
		}
		v.Traces[cur].Samples += h.Samples
		v.Traces[cur].Records++
		trace[k] = cur
	}
	return trace
}

// skip notes, once per channel, that its text records were left out.
func (v *Volume) skip(h *RecordHeader) {
	note := fmt.Sprintf("%s.%s.%s.%s: text records (encoding 0) skipped", h.Network, h.Station, h.Location, h.Channel)
	if !slices.Contains(v.Skipped, note) {
		v.Skipped = append(v.Skipped, note)
	}
}

func sameChannel(t *Trace, h *RecordHeader) bool {
	return t.Network == h.Network && t.Station == h.Station && t.Location == h.Location && t.Channel == h.Channel
}

func (v *Volume) newTrace(h *RecordHeader) int {
	v.Traces = append(v.Traces, Trace{Network: h.Network, Station: h.Station, Location: h.Location,
		Channel: h.Channel, Start: h.Start, SampleRateHz: h.SampleRateHz})
	return len(v.Traces) - 1
}

// convert turns a trace of counts into acceleration with inv's sensitivity.
func convert(t *Trace, inv *Inventory) (strongmotion.Record, bool) {
	if inv == nil {
		t.Unconverted = "no StationXML given"
		return strongmotion.Record{}, false
	}
	c, ok := inv.Lookup(t.Network, t.Station, t.Location, t.Channel, t.Start)
	if !ok {
		t.Unconverted = "channel not in the StationXML at this time"
		return strongmotion.Record{}, false
	}
	gain, ok := c.GalPerCount()
	if !ok {
		t.Unconverted = fmt.Sprintf("sensitivity input units %q are not acceleration", c.InputUnits)
		return strongmotion.Record{}, false
	}
	t.GalPerCount = gain
	acc := make([]float64, len(t.Counts))
	for i, x := range t.Counts {
		acc[i] = x * gain
	}
	lat, lon, el := c.Latitude, c.Longitude, c.ElevationM
	return strongmotion.Record{
		Network: t.Network, Station: t.Station, Location: t.Location, Channel: t.Channel,
		Component: strongmotion.ComponentOf(t.Channel), Start: t.Start, SampleRateHz: t.SampleRateHz,
		AccGal: strongmotion.DemeanInPlace(acc), StationLat: &lat, StationLon: &lon, StationElevM: &el,
		Source: strongmotion.SourceMiniSEED,
	}, true
}
