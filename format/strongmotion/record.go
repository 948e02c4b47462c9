package strongmotion

import (
	"math"
	"time"
)

// Gal is one gal (cm/s²) in m/s²; StandardGravity is 1 g in gal.
const (
	Gal             = 0.01
	StandardGravity = 980.665
)

// Sources of a Record.
const (
	SourceKNET     = "knet"
	SourceSAC      = "sac"
	SourceMiniSEED = "miniseed"
)

// Record is one component of ground acceleration, as read from a file.
type Record struct {
	Network, Station, Location, Channel string
	// Component is "E", "N" or "Z" (K-NET's EW/NS/UD are mapped onto these);
	// empty when the file does not say.
	Component string
	// Start is the time of the first sample, in UTC.
	Start        time.Time
	SampleRateHz float64
	// AccGal is the acceleration in gal (cm/s²) with its mean removed.
	AccGal []float64 `json:"-"`
	// Station coordinates when the file gives them (degrees, metres).
	StationLat, StationLon, StationElevM *float64
	// Source is the format the record came from: "knet", "sac" or "miniseed".
	Source string
}

// ComponentOf maps a direction or channel code onto E, N or Z: the last
// letter of a SEED channel (HNE → E; 1/2 are left unmapped, as their
// azimuth is only known from metadata) or K-NET's EW/NS/UD directions.
func ComponentOf(code string) string {
	switch code {
	case "EW", "E-W":
		return "E"
	case "NS", "N-S":
		return "N"
	case "UD", "U-D":
		return "Z"
	}
	if len(code) == 0 {
		return ""
	}
	switch c := code[len(code)-1]; c {
	case 'E', 'N', 'Z':
		return string(c)
	}
	return ""
}

// Demean returns x minus its mean, in a new slice.
func Demean(x []float64) []float64 {
	out := make([]float64, len(x))
	copy(out, x)
	return DemeanInPlace(out)
}

// DemeanInPlace subtracts x's mean from each of its values and returns
// x: Demean without the copy, for a parser's own fresh samples.
func DemeanInPlace(x []float64) []float64 {
	if len(x) == 0 {
		return x
	}
	var sum float64
	for _, v := range x {
		sum += v
	}
	mean := sum / float64(len(x))
	for i, v := range x {
		x[i] = v - mean
	}
	return x
}

// PGA is the peak ground acceleration: the largest absolute value of the
// acceleration after its mean is removed, in the unit of accGal. It is 0 for
// an empty record.
func PGA(accGal []float64) float64 {
	return maxAbs(Demean(accGal))
}

// PGV estimates the peak ground velocity in cm/s from acceleration in gal
// sampled every dt seconds.
//
// The acceleration's mean is removed, it is integrated with the trapezoid
// rule from zero initial velocity, and the least-squares straight line
// through the velocity is subtracted (the simplest baseline correction: it
// removes the drift a constant acceleration offset leaves after demeaning).
// The result is the largest absolute velocity.
//
// This is an estimate without instrument correction or filtering; for
// records with tilt or long-period noise it overestimates what a processed
// (band-passed) record would give. It is 0 for fewer than two samples or a
// dt that is not positive.
func PGV(accGal []float64, dt float64) float64 {
	if len(accGal) < 2 || !(dt > 0) {
		return 0
	}
	a := Demean(accGal)
	v := make([]float64, len(a))
	for i := 1; i < len(a); i++ {
		v[i] = v[i-1] + (a[i-1]+a[i])*dt/2
	}
	removeTrend(v)
	return maxAbs(v)
}

// removeTrend subtracts the least-squares line through (i, v[i]).
func removeTrend(v []float64) {
	n := float64(len(v))
	var sx, sy, sxx, sxy float64
	for i, y := range v {
		x := float64(i)
		sx += x
		sy += y
		sxx += x * x
		sxy += x * y
	}
	den := n*sxx - sx*sx
	if den == 0 {
		return
	}
	slope := (n*sxy - sx*sy) / den
	icept := (sy - slope*sx) / n
	for i := range v {
		v[i] -= icept + slope*float64(i)
	}
}

func maxAbs(x []float64) float64 {
	var m float64
	for _, v := range x {
		m = math.Max(m, math.Abs(v))
	}
	return m
}
