package volume

import (
	"fmt"
	"testing"
	"time"
)

// BenchmarkSynopDay is the generator's own cost of a day of SYNOP for
// 240 stations (weather model and FM-12 encoding), without storing it.
func BenchmarkSynopDay(b *testing.B) {
	g := &generator{cfg: small()}
	for i := range 240 {
		g.sites = append(g.sites, site{wmo: fmt.Sprintf("96%03d", i), id: int64(96000 + i), lat: -8 + float64(i%16), lon: 95 + float64(i%46), elevM: 10})
	}
	day := time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC)
	b.ReportAllocs()
	for b.Loop() {
		if _, _, err := g.synopDay(day); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkLightningDay is the cost of a day of 13,700 strikes (5 million
// a year) as NEA CSV.
func BenchmarkLightningDay(b *testing.B) {
	g := &generator{cfg: small()}
	day := time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC)
	for b.Loop() {
		neaCSV(g.lightningDay(day, 13_700))
	}
}
