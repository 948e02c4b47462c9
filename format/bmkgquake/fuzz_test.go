package bmkgquake

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
	f.Add([]byte(`{"Infogempa":{"gempa":[{"Tanggal":"31 Des 2021","Jam":"23:59:59 WIT","Coordinates":"1,2"}]}}`))
	f.Add([]byte(`<Infogempa><Gempa><Tanggal>07/11/2013-17:47:32 WIB</Tanggal></Gempa></Infogempa>`))
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
			for _, f := range e.Felt {
				if f.MinMMI < 1 || f.MaxMMI > 12 || f.MinMMI > f.MaxMMI || f.Place == "" {
					t.Fatalf("bad felt item %+v", f)
				}
			}
		}
	})
}
