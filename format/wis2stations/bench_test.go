package wis2stations

import "testing"

func BenchmarkParse(b *testing.B) {
	data := readFile(b, samples[0].path)
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if _, _, err := Parse(data); err != nil {
			b.Fatal(err)
		}
	}
}
