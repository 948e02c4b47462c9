package hdf5

import (
	"bytes"
	"os"
	"testing"
)

// FuzzOpen walks every group, attribute and dataset of whatever Open
// accepts: errors are fine, panics and runaway allocations are not.
func FuzzOpen(f *testing.F) {
	for _, p := range fuzzSeeds {
		data, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		Detect(data)
		file, err := Open(bytes.NewReader(data), int64(len(data)))
		if err != nil {
			return
		}
		_ = walk(file.Root(), 0)
	})
}

// fuzzSeeds are the small files: the fuzzer mutates whole inputs, and
// megabyte seeds bring it to a crawl.
var fuzzSeeds = []string{userBlockFile, samples[0]}
