package quakeml

import (
	"testing"

	"github.com/bmkg/mkggraph/format/internal/fixture"
	"github.com/bmkg/mkggraph/format/quake"
)

// FuzzParse checks that no input makes Parse panic, and that whatever it
// accepts is within the ranges it promises.
func FuzzParse(f *testing.F) {
	for _, s := range samples {
		f.Add(fixture.Read(f, s.name))
	}
	f.Add([]byte(usgs))
	f.Add([]byte(ev(`<event publicID="e"><preferredOriginID>o2</preferredOriginID>` + origin1 + origin2 + `</event>`)))
	f.Fuzz(func(t *testing.T, data []byte) {
		Detect(data)
		events, rejects, err := Parse(data)
		if err != nil && (len(events) > 0 || len(rejects) > 0) {
			t.Fatalf("error %v returned with results", err)
		}
		for _, e := range events {
			if err := quake.Check(&e, quake.BelowSeaLevel); err != nil {
				t.Fatalf("accepted an invalid event: %v", err)
			}
			if e.OriginTime.Location().String() != "UTC" {
				t.Fatalf("time not in UTC: %v", e.OriginTime)
			}
		}
	})
}
