package cfradial

import (
	"bytes"
	"testing"

	"github.com/bmkg/mkggraph/format/internal/fixture"
)

// FuzzParse checks that no input makes Parse or Decode panic, and that an
// accepted volume is consistent with itself.
func FuzzParse(f *testing.F) {
	// Only the small sample: the fuzzer mutates whole inputs, and the
	// 1.2 MB JMA file would bring it to a crawl.
	f.Add(fixture.Read(f, samples[0]))
	f.Fuzz(func(t *testing.T, data []byte) {
		v, err := Parse(bytes.NewReader(data), int64(len(data)))
		if err != nil {
			return
		}
		for i, s := range v.Sweeps {
			if s.Rays <= 0 || s.Bins <= 0 {
				t.Fatalf("sweep %d: %d rays, %d bins", i, s.Rays, s.Bins)
			}
			for _, m := range s.Moments {
				if fl, err := v.Decode(bytes.NewReader(data), int64(len(data)), i, m.Name); err == nil && len(fl.Values) != s.Rays*s.Bins {
					t.Fatalf("decoded %d values for %d×%d", len(fl.Values), s.Rays, s.Bins)
				}
			}
		}
	})
}
