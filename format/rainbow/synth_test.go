package rainbow

import (
	"bytes"
	"compress/zlib"
	"encoding/binary"
	"fmt"
	"strings"
)

// builder writes small Rainbow files for tests: an XML header assembled by
// the test, then the blobs it registered.
type builder struct {
	blocks bytes.Buffer
	next   int
}

// blob registers payload as the next blob, qCompressed or raw, and returns
// its id.
func (b *builder) blob(payload []byte, compress bool) int {
	id := b.next
	b.next++
	if compress {
		payload = qCompress(payload)
		fmt.Fprintf(&b.blocks, "<BLOB blobid=\"%d\" size=\"%d\" compression=\"qt\">\n", id, len(payload))
	} else {
		fmt.Fprintf(&b.blocks, "<BLOB blobid=\"%d\" size=\"%d\">\n", id, len(payload))
	}
	b.blocks.Write(payload)
	b.blocks.WriteString("\n</BLOB>\n")
	return id
}

// file joins the header and the blobs.
func (b *builder) file(header string) []byte {
	return append([]byte(header+"\n<!-- END XML -->\n"), b.blocks.Bytes()...)
}

// qCompress is Qt's qCompress: a big-endian length, then a zlib stream.
func qCompress(p []byte) []byte {
	return qCompressAs(p, len(p))
}

// qCompressAs writes a length prefix of n whatever p's length, to make
// blobs that lie.
func qCompressAs(p []byte, n int) []byte {
	var out bytes.Buffer
	binary.Write(&out, binary.BigEndian, uint32(n))
	w := zlib.NewWriter(&out)
	w.Write(p)
	w.Close()
	return out.Bytes()
}

// pack writes values big-endian at depth 8 or 16 bits.
func pack(depth int, vals ...int) []byte {
	var out []byte
	for _, v := range vals {
		if depth == 16 {
			out = binary.BigEndian.AppendUint16(out, uint16(v))
		} else {
			out = append(out, byte(v))
		}
	}
	return out
}

// synthPPI is a one-sweep azimuth scan (.azi) of the 5.2x style: the radar
// described by <radarinfo> attributes, 8-bit start and stop angles, an
// 8-bit qCompressed dBZ and a 16-bit raw V of 4 rays by 3 bins, the
// antenna turning counter-clockwise.
func synthPPI() []byte {
	var b builder
	start := b.blob(pack(8, 64, 0, 192, 128), true) // 90, 0, 270, 180 degrees
	stop := b.blob(pack(8, 32, 224, 160, 96), true) // 45, 315, 225, 135
	dbz := b.blob(pack(8, 0, 1, 255, 128, 2, 0, 0, 0, 0, 10, 20, 30), true)
	vel := b.blob(pack(16, 1, 65535, 0, 32768, 0, 0, 0, 0, 0, 0, 0, 2), false)
	return b.file(fmt.Sprintf(`<?xml version="1.0" encoding="ISO-8859-1"?>
<volume version="5.22.3" datetime="2011-02-03T04:05:30" type="azi" owner="">
 <scan name="sector.azi" time="04:05:06" date="2011-02-03">
  <pargroup refid="sdfbase"><rangestep>0.5</rangestep><start_range>1</start_range><anglestep>90</anglestep><antdirection>1</antdirection><comment>f`+"\xfc"+`r</comment></pargroup>
  <slice refid="0"><posangle>0.5</posangle>
   <slicedata time="04:05:07.5" date="2011-02-03">
    <rayinfo refid="startangle" blobid="%d" rays="4" depth="8"/>
    <rayinfo refid="stopangle" blobid="%d" rays="4" depth="8"/>
    <rawdata blobid="%d" rays="4" type="dBZ" bins="3" min="-31.5" max="95.5" depth="8"/>
    <rawdata blobid="%d" rays="4" type="V" bins="3" min="-16" max="16" depth="16"/>
   </slicedata>
  </slice>
 </scan>
 <radarinfo alt="50" lon="106.8" lat="-6.2" id="JAK"><name>Jakarta</name></radarinfo>
</volume>`, start, stop, dbz, vel))
}

// synthRHI is an elevation scan (.ele, an RHI at azimuth 123) in the 5.3x
// style: <sensorinfo> children, the slice time as <slicedate>/<slicetime>,
// 16-bit start angles (one below the horizon) and 8-bit dBuZ, 3 rays by 2
// bins, no antenna speed.
func synthRHI() []byte {
	var b builder
	// -0.5, 1 and 2.5 degrees: raw = deg*65536/360, negative as 65536-raw.
	start := b.blob(pack(16, 65536-91, 182, 455), true)
	dbuz := b.blob(pack(8, 1, 2, 3, 0, 254, 255), true)
	return b.file(fmt.Sprintf(`<volume version="5.40.1" datetime="2020-06-01T12:00:00" type="ele" owner="">
 <scan name="rhi.ele" time="12:00:00" date="2020-06-01">
  <pargroup refid="sdfbase"><rangestep>0.25</rangestep><anglestep>1.5</anglestep></pargroup>
  <slice refid="0"><posangle>123</posangle><slicedate>2020-06-01</slicedate><slicetime>12:00:05</slicetime>
   <slicedata>
    <rayinfo refid="startangle" blobid="%d" rays="3" depth="16"/>
    <rawdata blobid="%d" rays="3" type="dBuZ" bins="2" min="-32" max="95" depth="8"/>
   </slicedata>
  </slice>
 </scan>
 <sensorinfo type="rainbow" id="" name="Bogor"><lon>106.75</lon><lat>-6.5</lat><alt>250</alt><beamwidth>1</beamwidth></sensorinfo>
</volume>`, start, dbuz))
}

// synthBomb declares 2 rays by 3 bins of 8 bits, and its qCompress prefix
// says 6, but its zlib stream inflates to 600 bytes.
func synthBomb() []byte {
	var b builder
	id := b.blob(qCompressAs(make([]byte, 600), 6), false)
	header := strings.NewReplacer("\n", "", "\t", "").Replace(fmt.Sprintf(`<volume version="5.40.1" type="vol">
	<scan name="bomb" time="00:00:00" date="2020-01-01"><pargroup><rangestep>1</rangestep></pargroup>
	<slice><posangle>1</posangle><slicedata time="00:00:00" date="2020-01-01">
	<rawdata blobid="%d" rays="2" type="dBZ" bins="3" min="0" max="1" depth="8"/>
	</slicedata></slice></scan><sensorinfo id="X"><lat>0</lat><lon>0</lon><alt>0</alt></sensorinfo></volume>`, id))
	// The blob was written raw, so mark it qt by hand.
	data := b.file(header)
	return bytes.Replace(data, []byte(`size="`), []byte(`compression="qt" size="`), 1)
}
