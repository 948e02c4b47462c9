package miniseed

import (
	"encoding/binary"
	"testing"

	"github.com/bmkg/mkggraph/format/internal/fixture"
)

// FuzzParse checks that no input makes Parse panic, and that what it
// accepts adds up: traces hold as many samples as the headers announce.
func FuzzParse(f *testing.F) {
	data := fixture.Read(f, samples[0].name)
	f.Add(data[:1024])
	recs, _ := realRecords(f, samples[0].name)
	f.Add(ms3(recs[0], EncodingSteim2, recs[0].raw[recs[0].h.DataOffset:]))
	f.Add(synth(EncodingInt16, 0, 4, []byte{1, 0, 2, 0, 3, 0, 4, 0}))
	f.Add(synth(EncodingSteim1, 1, 1, steimFrames([][2]uint32{{0, 5}, {0, 5}, {3, 0}})))
	f.Fuzz(func(t *testing.T, data []byte) {
		Detect(data)
		v, recs, err := Parse(data, nil)
		if err != nil {
			if v != nil || recs != nil {
				t.Fatalf("error %v returned with results", err)
			}
			return
		}
		announced, decoded := 0, 0
		for _, h := range v.Records {
			if h.Encoding != EncodingASCII {
				announced += h.Samples
			}
		}
		for _, tr := range v.Traces {
			if len(tr.Counts) != tr.Samples || !(tr.SampleRateHz > 0) {
				t.Fatalf("trace %+v", tr)
			}
			decoded += tr.Samples
		}
		if announced != decoded {
			t.Fatalf("headers announce %d samples, %d decoded", announced, decoded)
		}
	})
}

// FuzzSteim2 feeds arbitrary frames to the Steim-2 decoder.
func FuzzSteim2(f *testing.F) {
	f.Add(steimFrames([][2]uint32{{0, 5}, {0, 5}, {3, 0}}), uint16(1))
	f.Fuzz(func(t *testing.T, b []byte, n uint16) {
		s, _, xn, err := decodeSteim(b, int(n), 2, binary.BigEndian)
		if err == nil && (len(s) != int(n) || (n > 0 && s[n-1] != xn)) {
			t.Fatalf("%d samples for %d, last vs Xn %d", len(s), n, xn)
		}
	})
}

// FuzzStationXML checks the StationXML reader does not panic.
func FuzzStationXML(f *testing.F) {
	f.Add(fixture.Read(f, "BK.CMB.xml")[:3000])
	f.Add([]byte(`<FDSNStationXML><Network code="X"><Station code="S"><Channel code="HNZ"><Response><InstrumentSensitivity><Value>1</Value></InstrumentSensitivity></Response></Channel></Station></Network></FDSNStationXML>`))
	f.Fuzz(func(t *testing.T, data []byte) {
		inv, err := ParseStationXML(data)
		if err == nil {
			for _, c := range inv.Channels {
				if c.Sensitivity == 0 {
					t.Fatalf("zero sensitivity accepted")
				}
			}
		}
	})
}
