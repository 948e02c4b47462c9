package bmkgrealtime

import (
	"testing"

	"github.com/bmkg/mkggraph/format/internal/fixture"
	"github.com/bmkg/mkggraph/format/quake"
)

// FuzzParse checks that no input makes Parse panic, and that whatever it
// accepts is within the ranges it promises.
func FuzzParse(f *testing.F) {
	for _, name := range samples {
		f.Add(fixture.Read(f, name))
	}
	f.Add([]byte(`{"type":"Feature","properties":{"time":1664111013941,"mag":3},"geometry":{"type":"Point","coordinates":[1,2]}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		Detect(data)
		events, rejects, err := Parse(data)
		if err != nil && (len(events) > 0 || len(rejects) > 0) {
			t.Fatalf("error %v returned with results", err)
		}
		for _, e := range events {
			if err := quake.Check(&e, quake.BelowSurface); err != nil {
				t.Fatalf("accepted an invalid event: %v", err)
			}
			if e.OriginTime.Location().String() != "UTC" {
				t.Fatalf("time not in UTC: %v", e.OriginTime)
			}
		}
	})
}
