package synop

import "testing"

func BenchmarkParse(b *testing.B) {
	data := readSample(b, samples[1])
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Parse(data); err != nil {
			b.Fatal(err)
		}
	}
}
