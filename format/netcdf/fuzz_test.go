package netcdf

import (
	"bytes"
	"encoding/binary"
	"testing"

	"github.com/bmkg/mkggraph/format/internal/fixture"
)

// FuzzOpen checks that no input makes Open or ReadFloat64 panic, and that
// every variable of a header Open accepts can be read in full: Open's
// checks are what make reading safe.
func FuzzOpen(f *testing.F) {
	f.Add(smallSample(f))
	for _, version := range []int{1, 2, 5} {
		f.Add(everyType(version).bytes())
		f.Add(records(version, 3).bytes())
	}
	f.Add(singleRecord(Byte, 5).bytes())
	f.Fuzz(func(t *testing.T, data []byte) {
		Detect(data)
		IsHDF5(data)
		r := bytes.NewReader(data)
		file, err := Open(r, int64(len(data)))
		if err != nil {
			return
		}
		for i := range file.Vars {
			v := &file.Vars[i]
			vals, err := file.ReadFloat64(r, v)
			if v.Type == Char {
				continue
			}
			if err != nil {
				if count(file.Shape(v)) > MaxReadValues {
					continue
				}
				t.Fatalf("variable %q accepted by Open but unreadable: %v", v.Name, err)
			}
			if int64(len(vals)) != count(file.Shape(v)) {
				t.Fatalf("variable %q: %d values, shape %v", v.Name, len(vals), file.Shape(v))
			}
		}
	})
}

// count multiplies out a shape, saturating rather than overflowing.
func count(shape []int64) int64 {
	n := int64(1)
	for _, d := range shape {
		if d != 0 && n > (1<<62)/d {
			return 1 << 62
		}
		n *= d
	}
	return n
}

// smallSample is the sample cut to 4 rays of 5 gates: its real header
// with the Azimuth and Gate lengths and the vsizes rewritten, and the file
// cut where the smaller data ends. The whole sample makes a poor seed: every input the
// fuzzer derives from it is 350 kB to mutate and minimize.
func smallSample(t testing.TB) []byte {
	data := bytes.Clone(fixture.Read(t, samples[0])[:5736+4*5*4])
	binary.BigEndian.PutUint32(data[0x1c:], 4) // Azimuth
	binary.BigEndian.PutUint32(data[0x28:], 5) // Gate
	for _, at := range []int{0x4a0, 0x4e8, 0x530} {
		binary.BigEndian.PutUint32(data[at:], 4*4) // vsize of Azimuth, Beamwidth, GateWidth
	}
	binary.BigEndian.PutUint32(data[0x580:], 4*5*4) // vsize of Corrected_Intensity
	return data
}
