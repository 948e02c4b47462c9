package strongmotion

import (
	"math"
	"time"
)

// Summary is a Record without its samples, plus the peak values derived
// from them: what a station list or a map needs.
type Summary struct {
	Network, Station, Location, Channel, Component string
	Start                                          time.Time
	SampleRateHz                                   float64
	Samples                                        int
	StationLat, StationLon, StationElevM           *float64
	Source                                         string
	PGAGal                                         float64
	PGVCmS                                         float64
	MMI                                            float64
}

// Summarize computes PGA, PGV (see PGV for what it is) and Wald et al.
// (1999) intensity for one record.
func Summarize(r Record) Summary {
	s := Summary{
		Network: r.Network, Station: r.Station, Location: r.Location, Channel: r.Channel,
		Component: r.Component, Start: r.Start, SampleRateHz: r.SampleRateHz,
		Samples: len(r.AccGal), StationLat: r.StationLat, StationLon: r.StationLon,
		StationElevM: r.StationElevM, Source: r.Source,
		PGAGal: PGA(r.AccGal),
	}
	if r.SampleRateHz > 0 {
		s.PGVCmS = PGV(r.AccGal, 1/r.SampleRateHz)
	}
	s.MMI = Intensity(s.PGAGal, s.PGVCmS)
	return s
}

// Rounded returns s with PGA, PGV and intensity rounded to six decimals:
// far below what the instruments resolve, and stable across machines that
// fuse multiply-adds differently (what golden files need).
func (s Summary) Rounded() Summary {
	r := func(x float64) float64 { return math.Round(x*1e6) / 1e6 }
	s.PGAGal, s.PGVCmS, s.MMI = r(s.PGAGal), r(s.PGVCmS), r(s.MMI)
	return s
}
