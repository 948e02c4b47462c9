package synop

import (
	"testing"

	"github.com/bmkg/mkggraph/format/internal/fixture"
)

func BenchmarkParse(b *testing.B) {
	data := fixture.Read(b, samples[1])
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Parse(data); err != nil {
			b.Fatal(err)
		}
	}
}
