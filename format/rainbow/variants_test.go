package rainbow

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"math"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/bmkg/mkggraph/format/budget"
	"github.com/bmkg/mkggraph/format/internal/fixture"
)

// sampleParts splits the real sample into its XML header and its blobs'
// payloads, inflated, by blob id.
func sampleParts(t *testing.T) (header string, payloads map[int][]byte) {
	t.Helper()
	data := fixture.Read(t, samples[0])
	v, err := Parse(data)
	if err != nil {
		t.Fatal(err)
	}
	payloads = map[int][]byte{}
	all := budget.New(int64(len(data)), MemoryFactor) // every blob inflated
	for id, b := range v.blobs {
		if payloads[id], err = v.payload(data, id, b.length, all); err != nil {
			t.Fatal(err)
		}
	}
	return string(data[:bytes.Index(data, endXML)]), payloads
}

// assemble writes a file of header and the payloads of the blobs the
// header refers to, in id order, each blob compressed as compression says:
// "qt", "none", or "" for no compression attribute.
func assemble(header string, payloads map[int][]byte, compression string) []byte {
	var out bytes.Buffer
	out.WriteString(header)
	out.Write(endXML)
	out.WriteString("\n")
	ids := referencedBlobs(header)
	for _, id := range ids {
		p := payloads[id]
		attr := ""
		switch compression {
		case "qt":
			p, attr = qCompress(p), ` compression="qt"`
		case "none":
			attr = ` compression="none"`
		}
		fmt.Fprintf(&out, "<BLOB blobid=\"%d\" size=\"%d\"%s>\n", id, len(p), attr)
		out.Write(p)
		out.WriteString("\n</BLOB>\n")
	}
	return out.Bytes()
}

var blobRef = regexp.MustCompile(`blobid="(\d+)"`)

func referencedBlobs(header string) []int {
	var ids []int
	for _, m := range blobRef.FindAllStringSubmatch(header, -1) {
		id, _ := strconv.Atoi(m[1])
		ids = append(ids, id)
	}
	slices.Sort(ids)
	return slices.Compact(ids)
}

// decodeAll parses data and decodes every moment of every sweep.
func decodeAll(t *testing.T, data []byte) (*Volume, [][]*Field) {
	t.Helper()
	v, err := Parse(data)
	if err != nil {
		t.Fatal(err)
	}
	fields := make([][]*Field, len(v.Sweeps))
	for i, s := range v.Sweeps {
		for _, m := range s.Moments {
			f, err := v.Decode(data, i, m.Name)
			if err != nil {
				t.Fatalf("sweep %d %s: %v", i, m.Name, err)
			}
			fields[i] = append(fields[i], f)
		}
	}
	return v, fields
}

// sameVolume compares what two parses found, the blob index aside.
func sameVolume(t *testing.T, what string, got, want *Volume) {
	t.Helper()
	g, w := *got, *want
	g.blobs, w.blobs, g.fileSize, w.fileSize = nil, nil, 0, 0
	if !reflect.DeepEqual(g, w) {
		t.Errorf("%s: volume differs from the sample's\n got %+v\nwant %+v", what, g, w)
	}
}

// sameFields compares decoded fields, NaN equal to NaN.
func sameFields(t *testing.T, what string, got, want [][]*Field) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: %d sweeps, want %d", what, len(got), len(want))
	}
	for i := range want {
		for j := range want[i] {
			g, w := *got[i][j], *want[i][j]
			if !sameFloat32s(g.Values, w.Values) {
				t.Errorf("%s: sweep %d moment %d: values differ", what, i, j)
			}
			g.Values, w.Values = nil, nil
			if !reflect.DeepEqual(g, w) {
				t.Errorf("%s: sweep %d moment %d: field %+v, want %+v", what, i, j, g, w)
			}
		}
	}
}

func sameFloat32s(a, b []float32) bool {
	return slices.EqualFunc(a, b, func(x, y float32) bool { return x == y || x != x && y != y })
}

// TestSampleBlobs writes the sample again with its blobs qCompressed
// afresh, uncompressed with compression="none", and uncompressed with no
// compression attribute: all must decode as the sample does.
func TestSampleBlobs(t *testing.T) {
	header, payloads := sampleParts(t)
	want, wantFields := decodeAll(t, fixture.Read(t, samples[0]))
	for _, c := range []string{"qt", "none", ""} {
		v, fields := decodeAll(t, assemble(header, payloads, c))
		sameVolume(t, "compression "+c, v, want)
		sameFields(t, "compression "+c, fields, wantFields)
	}
}

// scanParams are the slice parameters the sample also states in its
// scan-level pargroup, with the same values.
var scanParams = []string{"stoprange", "start_range", "rangestep", "anglestep", "antspeed", "antdirection", "pw_index"}

// removeElement deletes every <name>...</name> from the part of header
// between from and to (byte offsets).
func removeElement(header, name string, from, to int) string {
	re := regexp.MustCompile(`\s*<` + name + `>[^<]*</` + name + `>`)
	return header[:from] + re.ReplaceAllString(header[from:to], "") + header[to:]
}

// TestSampleInheritance moves parameters between the scan's pargroup and
// the slices: the slice overrides, the first slice stands for later ones,
// and the pargroup provides the defaults, so each variant must parse and
// decode as the sample does.
func TestSampleInheritance(t *testing.T) {
	header, payloads := sampleParts(t)
	want, wantFields := decodeAll(t, fixture.Read(t, samples[0]))
	firstSlice := strings.Index(header, "<slice ")
	secondSlice := strings.Index(header[firstSlice+1:], "<slice ") + firstSlice + 1
	endPargroup := strings.Index(header, "</pargroup>")
	variants := map[string]string{}

	onlyScan := header
	for _, p := range scanParams {
		onlyScan = removeElement(onlyScan, p, firstSlice, len(onlyScan))
	}
	variants["only in the pargroup"] = onlyScan

	onlyFirst := header
	for _, p := range scanParams {
		onlyFirst = removeElement(onlyFirst, p, secondSlice, len(onlyFirst))
	}
	for _, p := range scanParams {
		onlyFirst = removeElement(onlyFirst, p, 0, strings.Index(onlyFirst, "</pargroup>"))
	}
	variants["only in the first slice"] = onlyFirst

	// A pargroup default that every slice overrides does not matter.
	variants["overridden"] = strings.Replace(header, "<rangestep>0.25</rangestep>", "<rangestep>0.5</rangestep>", 1)
	if strings.Index(header, "<rangestep>0.25</rangestep>") > endPargroup {
		t.Fatal("the sample's pargroup has no rangestep")
	}

	for name, h := range variants {
		if h == header {
			t.Fatalf("%s: nothing changed", name)
		}
		v, fields := decodeAll(t, assemble(h, payloads, "none"))
		sameVolume(t, name, v, want)
		sameFields(t, name, fields, wantFields)
	}
}

// TestSampleSlices cuts each slice of the volume out as a one-slice
// azimuth scan (.azi) holding only its own blobs. A later slice cut out
// becomes the first, so what it inherited from slice 0 now comes from the
// pargroup, which holds the same values in the sample.
func TestSampleSlices(t *testing.T) {
	header, payloads := sampleParts(t)
	want, wantFields := decodeAll(t, fixture.Read(t, samples[0]))
	starts := regexp.MustCompile(`\s*<slice refid`).FindAllStringIndex(header, -1)
	end := strings.Index(header, "</scan>")
	for i := range starts {
		h := header[:starts[0][0]] + header[starts[i][0]:nextStart(starts, i, end)] + header[end:]
		h = strings.Replace(h, `type="vol"`, `type="azi"`, 1)
		data := assemble(h, payloads, "none")
		v, fields := decodeAll(t, data)
		if v.ScanType != "PPI" || len(v.Sweeps) != 1 || len(v.blobs) != 2 {
			t.Fatalf("slice %d: %s of %d sweeps, %d blobs", i, v.ScanType, len(v.Sweeps), len(v.blobs))
		}
		if !reflect.DeepEqual(v.Sweeps[0], want.Sweeps[i]) {
			t.Errorf("slice %d: sweep %+v\nwant %+v", i, v.Sweeps[0], want.Sweeps[i])
		}
		sameFields(t, fmt.Sprintf("slice %d", i), fields, wantFields[i:i+1])
	}
}

func nextStart(starts [][]int, i, end int) int {
	if i+1 < len(starts) {
		return starts[i+1][0]
	}
	return end
}

// TestSampleDepths widens the sample's data to 16 and 32 bits and its
// 16-bit start angles to 32 bits, keeping every raw value: angles are
// exact in any depth, and the data, with max moved so that the step stays
// the 8-bit one, decodes to the same values.
func TestSampleDepths(t *testing.T) {
	header, payloads := sampleParts(t)
	_, wantFields := decodeAll(t, fixture.Read(t, samples[0]))
	const lo, hi = -31.5, 95.5 // the sample's dBZ min and max
	for _, depth := range []int{16, 32} {
		wide := map[int][]byte{}
		for id, p := range payloads {
			wide[id] = widen(p, id%2 == 0, depth)
		}
		max := lo + (hi-lo)*(math.Exp2(float64(depth))-2)/254
		h := strings.ReplaceAll(header, `depth="8"`, fmt.Sprintf(`depth="%d"`, depth))
		h = strings.ReplaceAll(h, `max="95.5"`, `max="`+strconv.FormatFloat(max, 'g', -1, 64)+`"`)
		h = strings.ReplaceAll(h, `rays="361" depth="16"`, `rays="361" depth="32"`)
		v, fields := decodeAll(t, assemble(h, wide, "none"))
		if v.Sweeps[0].Moments[0].Depth != depth {
			t.Fatalf("depth %d not written", depth)
		}
		for i := range wantFields {
			g, w := fields[i][0], wantFields[i][0]
			if !slices.Equal(g.Azimuths, w.Azimuths) {
				t.Errorf("depth %d sweep %d: azimuths differ", depth, i)
			}
			for k := range w.Values {
				if a, b := g.Values[k], w.Values[k]; !(a == b || a != a && b != b || math.Abs(float64(a-b)) < 1e-5) {
					t.Fatalf("depth %d sweep %d value %d: %v, want %v", depth, i, k, a, b)
				}
			}
		}
	}
}

// widen rewrites a blob: start angles (even ids in the sample, 16 bits)
// become 32 bits, data (odd ids, 8 bits) becomes depth bits, raw values
// kept.
func widen(p []byte, angles bool, depth int) []byte {
	var out []byte
	if angles {
		for k := 0; k+1 < len(p); k += 2 {
			out = binary.BigEndian.AppendUint32(out, uint32(binary.BigEndian.Uint16(p[k:]))<<16)
		}
		return out
	}
	for _, r := range p {
		if depth == 16 {
			out = binary.BigEndian.AppendUint16(out, uint16(r))
		} else {
			out = binary.BigEndian.AppendUint32(out, uint32(r))
		}
	}
	return out
}

// TestScanTypeFromName reads the scan type from the scan name's extension
// when the volume has no type attribute.
func TestScanTypeFromName(t *testing.T) {
	for _, c := range []struct {
		data []byte
		want string
	}{
		{fixture.Read(t, samples[0]), "VOLUME"},
		{synthRHI(), "RHI"},
		{synthPPI(), "PPI"},
	} {
		data := regexp.MustCompile(` type="(vol|azi|ele)"`).ReplaceAll(c.data, nil)
		v, err := Parse(data)
		if err != nil || v.ScanType != c.want {
			t.Errorf("%v, %v; want %s", v, err, c.want)
		}
	}
}

// TestHighAccuracyTime prefers <slicedata datetimehighaccuracy>, which
// later versions write beside date and time, and ignores it when it does
// not parse.
func TestHighAccuracyTime(t *testing.T) {
	sample := fixture.Read(t, samples[0])
	for attr, want := range map[string]string{
		`datetimehighaccuracy="2013-05-10T00:00:06.250"`: "2013-05-10T00:00:06.25Z",
		`datetimehighaccuracy="garbled"`:                 "2013-05-10T00:00:06Z",
	} {
		data := bytes.Replace(sample, []byte(`<slicedata time="00:00:06"`), []byte(`<slicedata `+attr+` time="00:00:06"`), 1)
		v, err := Parse(data)
		if err != nil {
			t.Fatal(err)
		}
		if got := v.Sweeps[0].Start.Format(time.RFC3339Nano); got != want {
			t.Errorf("%s: start %s, want %s", attr, got, want)
		}
	}
}
