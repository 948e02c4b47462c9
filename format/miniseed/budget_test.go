package miniseed

import (
	"bytes"
	"errors"
	"os"
	"testing"

	"github.com/bmkg/mkggraph/format/budget"
	"github.com/bmkg/mkggraph/format/internal/fixture"
	"github.com/bmkg/mkggraph/format/internal/memtest"
	"github.com/bmkg/mkggraph/internal/golden"
)

// craftHostileSamples builds testdata/hostile-samples.mseed (see
// testdata/README): the HNE sample with every record's sample count, the
// 16-bit field at byte 30 of its fixed header, set to 65535.
func craftHostileSamples(t testing.TB) []byte {
	t.Helper()
	data := bytes.Clone(fixture.Read(t, samples[0].name))
	for off := 0; off < len(data); {
		h, err := readRecordHeader(data, off)
		if err != nil {
			t.Fatal(err)
		}
		h.headerOrder.PutUint16(data[off+30:], 65535)
		off += h.RecordLength
	}
	return data
}

// TestHostileSamplesAreRefused: 32 records of 512 bytes declaring 65535
// samples each, 2 million samples for 16 KB, are refused from their
// headers, before a sample is decoded.
func TestHostileSamplesAreRefused(t *testing.T) {
	path := "testdata/hostile-samples.mseed"
	golden.Check(t, path, craftHostileSamples(t))
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	size := int64(len(data))
	memtest.Within(t, path, size, budget.Limit(size, MemoryFactor), func() {
		_, _, err := Parse(data, inventory(t))
		var e *budget.Error
		if !errors.As(err, &e) || e.Need != 32*65535*sampleBytes {
			t.Errorf("%v", err)
		}
	})
}

func TestRealSamplesWithinBudget(t *testing.T) {
	inv := inventory(t)
	for _, s := range samples {
		data := fixture.Read(t, s.name)
		size := int64(len(data))
		memtest.Within(t, s.name, size, budget.Limit(size, MemoryFactor), func() {
			if _, recs, err := Parse(data, inv); err != nil || len(recs) != 1 {
				t.Fatalf("%d records, %v", len(recs), err)
			}
		})
	}
}
