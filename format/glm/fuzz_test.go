package glm

import (
	"bytes"
	"os"
	"testing"
	"time"
)

// FuzzParse checks that no input makes Parse panic, and that every flash
// it keeps is within the ranges it promises.
func FuzzParse(f *testing.F) {
	// Only the 16 kB made-up file: the fuzzer mutates whole inputs, and
	// the 600 kB sample would bring it to a crawl.
	small, err := os.ReadFile(smallFile)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(small)
	f.Fuzz(func(t *testing.T, data []byte) {
		Detect(data)
		file, err := Parse(bytes.NewReader(data), int64(len(data)))
		if err != nil {
			if file != nil {
				t.Fatalf("error %v returned with a file", err)
			}
			return
		}
		if file.End.Before(file.Start) {
			t.Fatalf("coverage %v–%v", file.Start, file.End)
		}
		for _, fl := range file.Flashes {
			if fl.Latitude < -90 || fl.Latitude > 90 || fl.Longitude < -180 || fl.Longitude > 180 {
				t.Fatalf("kept position %v, %v", fl.Latitude, fl.Longitude)
			}
			if fl.End.Before(fl.Time) || fl.Time.Before(file.Start.Add(-coverageSlack)) || fl.End.After(file.End.Add(coverageSlack)) {
				t.Fatalf("kept times %v–%v", fl.Time, fl.End)
			}
			if fl.Time.Location() != time.UTC || !(fl.EnergyJ >= 0) || (fl.AreaKm2 != nil && !(*fl.AreaKm2 >= 0)) || fl.Quality < 0 || fl.ID < 0 {
				t.Fatalf("kept %+v", fl)
			}
		}
	})
}
