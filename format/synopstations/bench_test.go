package synopstations

import "testing"

func BenchmarkParse(b *testing.B) {
	data := readSample(b)
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if _, _, err := Parse(data); err != nil {
			b.Fatal(err)
		}
	}
}
