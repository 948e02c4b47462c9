package synop

// Classes of the code tables for distances and heights, for encoding a
// measured value: an observer reports the class whose lower bound the
// value reaches, the lower code when it lies between two.

// VisibilityClass is the class of code table 4377 (VV) for a horizontal
// visibility in metres.
func VisibilityClass(m float64) Range {
	r, _ := visibilityRange(visibilityCode(m))
	return r
}

func visibilityCode(m float64) int {
	switch {
	case m < 100:
		return 0
	case m < 6000:
		return min(int(m/100), 50)
	case m < 35000:
		return 50 + min(int(m/1000), 30)
	case m <= 70000:
		return 74 + int(m/5000)
	}
	return 89
}

// CloudBaseClass is the class of code table 1600 (h) for the height of the
// base of the lowest cloud in metres; clouds at 2500 m or higher, or none,
// are class 9.
func CloudBaseClass(m float64) Range {
	bounds := [...]float64{50, 100, 200, 300, 600, 1000, 1500, 2000, 2500}
	for h, b := range bounds {
		if m < b {
			return cloudBaseRange(h)
		}
	}
	return cloudBaseRange(9)
}

// LayerBaseClass is the class of code table 1677 (hshs) for the height of
// a cloud layer's base in metres.
func LayerBaseClass(m float64) Range {
	r, _ := layerBaseRange(layerBaseCode(m))
	return r
}

func layerBaseCode(m float64) int {
	switch {
	case m < 30:
		return 0
	case m < 1800:
		return min(int(m/30), 50)
	case m < 10500:
		return 50 + min(int(m/300), 30)
	case m <= 21000:
		return 80 + int((m-9000)/1500)
	}
	return 89
}

// ExtremePeriods returns the periods, in hours, of the maximum and the
// minimum temperature that the regulations of the station's WMO region
// define for section 3 at hour; 0 where they define none. An encoder that
// reports extremes where a period is defined gets them decoded with it.
func ExtremePeriods(station string, hour int) (maxH, minH int) {
	p, ok := extremePeriods[regionOf(station)]
	if !ok || hour < 0 || hour > 23 || hour%6 != 0 {
		return 0, 0
	}
	return p.max[hour/6], p.min[hour/6]
}
