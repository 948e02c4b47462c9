package isd

import (
	"testing"

	"github.com/bmkg/mkggraph/format/internal/fixture"
)

func BenchmarkParse(b *testing.B) {
	data := fixture.Read(b, sample)
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if _, _, err := Parse(data); err != nil {
			b.Fatal(err)
		}
	}
}
