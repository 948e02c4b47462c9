package strongmotion

import "math"

// Intensity converts peak ground acceleration (gal) and velocity (cm/s) to
// Modified Mercalli intensity with the ground-motion/intensity conversion of
//
//	Wald, D.J., V. Quitoriano, T.H. Heaton and H. Kanamori (1999).
//	Relationships between peak ground acceleration, peak ground velocity,
//	and Modified Mercalli intensity in California. Earthquake Spectra
//	15(3), 557–564.
//
// combined the way ShakeMap 3 (the version BMKG's ShakeMap runs) combines
// them:
//
//	Ia = 3.66 log10(PGA) − 1.66, or 2.20 log10(PGA) + 1.00 when that is ≤ 5
//	Iv = 3.47 log10(PGV) + 2.35, or 2.10 log10(PGV) + 3.40 when that is ≤ 5
//	w  = clamp((Ia − 5) / 2, 0, 1)
//	I  = clamp((1 − w)·Ia + w·Iv, 1, 10)
//
// so intensity follows acceleration up to V, velocity from VII, and a
// linear ramp between. The low-intensity PGV line is ShakeMap 3's (its
// 2.0951 and 3.3991 rounded); the other three lines are the paper's. The relations are Californian; their standard
// deviations are about one intensity unit. Non-positive inputs give I.
func Intensity(pgaGal, pgvCmS float64) (mmi float64) {
	ia := 1.0
	if pgaGal > 0 {
		ia = 3.66*math.Log10(pgaGal) - 1.66
		if ia <= 5 {
			ia = 2.20*math.Log10(pgaGal) + 1.00
		}
	}
	iv := 1.0
	if pgvCmS > 0 {
		iv = 3.47*math.Log10(pgvCmS) + 2.35
		if iv <= 5 {
			iv = 2.10*math.Log10(pgvCmS) + 3.40
		}
	}
	ia, iv = clamp(ia, 1, 10), clamp(iv, 1, 10)
	w := clamp((ia-5)/2, 0, 1)
	return clamp((1-w)*ia+w*iv, 1, 10)
}

func clamp(x, lo, hi float64) float64 {
	if math.IsNaN(x) {
		return lo
	}
	return math.Min(hi, math.Max(lo, x))
}

// EarthRadiusKm is the mean Earth radius used by Distance.
const EarthRadiusKm = 6371.0

// Distance is the great-circle (haversine) distance in km between two points
// given in degrees, on a sphere of radius EarthRadiusKm: the epicentral
// distance when one point is an epicentre.
func Distance(lat1, lon1, lat2, lon2 float64) float64 {
	const rad = math.Pi / 180
	dlat := (lat2 - lat1) * rad
	dlon := (lon2 - lon1) * rad
	h := math.Sin(dlat/2)*math.Sin(dlat/2) +
		math.Cos(lat1*rad)*math.Cos(lat2*rad)*math.Sin(dlon/2)*math.Sin(dlon/2)
	return 2 * EarthRadiusKm * math.Asin(math.Sqrt(math.Min(1, h)))
}
