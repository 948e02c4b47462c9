package bmkgquake

import (
	"testing"

	"github.com/bmkg/mkggraph/format/internal/fixture"
	"github.com/bmkg/mkggraph/format/internal/quaketest"
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
		quaketest.Sound(t, events, rejects, err, quake.BelowSurface)
	})
}
