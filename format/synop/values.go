package synop

import "math"

// Conversions from code figures to values that several groups share.

func ptr[T any](v T) *T { return &v }

// ktToMS is the exact knot: 1852 m per hour.
const ktToMS = 1852.0 / 3600.0

// speedMS converts a reported speed to m/s, rounded to 0.01 m/s.
func speedMS(v, iw int) *float64 {
	switch iw {
	case 0, 1:
		return ptr(float64(v))
	case 3, 4:
		return ptr(math.Round(float64(v)*ktToMS*100) / 100)
	}
	return nil
}

func windUnit(iw int) string {
	switch iw {
	case 0, 1:
		return "m/s"
	case 3, 4:
		return "kt"
	}
	return ""
}

// cloudBaseRange is code table 1600, h.
func cloudBaseRange(h int) Range {
	bounds := [...]int{0, 50, 100, 200, 300, 600, 1000, 1500, 2000, 2500}
	if h == 9 {
		return Range{MinM: 2500}
	}
	return Range{MinM: bounds[h], MaxM: ptr(bounds[h+1])}
}

// visibilityRange is code table 4377, VV; ok is false for the unused 51-55.
func visibilityRange(vv int) (Range, bool) {
	exact := func(m int) (Range, bool) { return Range{MinM: m, MaxM: ptr(m)}, true }
	switch {
	case vv == 0:
		return Range{MinM: 0, MaxM: ptr(100)}, true
	case vv <= 50:
		return exact(vv * 100)
	case vv <= 55:
		return Range{}, false
	case vv <= 80:
		return exact((vv - 50) * 1000)
	case vv <= 88:
		return exact((vv - 74) * 5000)
	case vv == 89:
		return Range{MinM: 70000}, true
	case vv == 90:
		return Range{MinM: 0, MaxM: ptr(50)}, true
	case vv == 99:
		return Range{MinM: 50000}, true
	}
	return exact([...]int{50, 200, 500, 1000, 2000, 4000, 10000, 20000}[vv-91])
}

// layerBaseRange is code table 1677, hshs; ok is false for the unused 51-55.
func layerBaseRange(hh int) (Range, bool) {
	exact := func(m int) (Range, bool) { return Range{MinM: m, MaxM: ptr(m)}, true }
	switch {
	case hh == 0:
		return Range{MinM: 0, MaxM: ptr(30)}, true
	case hh <= 50:
		return exact(hh * 30)
	case hh <= 55:
		return Range{}, false
	case hh <= 80:
		return exact((hh - 50) * 300)
	case hh <= 88:
		return exact((hh-80)*1500 + 9000)
	case hh == 89:
		return Range{MinM: 21000}, true
	}
	return cloudBaseRange(hh - 90), true
}

// precipitationAmount is code table 3590, RRR.
func precipitationAmount(rrr int) (mm float64, trace, atLeast bool) {
	switch {
	case rrr <= 988:
		return float64(rrr), false, false
	case rrr == 989:
		return 989, false, true
	case rrr == 990:
		return 0, true, false
	}
	return float64(rrr-990) / 10, false, false
}

// precipitationPeriod is code table 4019, tR, in hours; 0 means undefined.
var precipitationPeriod = [10]int{0, 6, 12, 18, 24, 1, 2, 3, 9, 15}

// referencePeriod is code table 4077, tt, in minutes, for the codes that
// give a duration ending at the observation (00-60 in steps of 6 minutes,
// 61-66 as the lower end of an hour, 67-68 as the lower end of a range).
func referencePeriod(tt int) (minutes int, exact bool, ok bool) {
	switch {
	case tt <= 60:
		return tt * 6, true, true
	case tt <= 66:
		return (tt - 55) * 60, false, true
	case tt == 67:
		return 12 * 60, false, true
	case tt == 68:
		return 18 * 60, false, true
	}
	return 0, false, false
}

// standardHeights are the heights (gpm) of the standard isobaric surfaces
// in the ICAO standard atmosphere, used to restore the thousands digit that
// 4a3hhh omits (code table 0264 surfaces).
var standardHeights = map[int]int{1000: 111, 925: 762, 850: 1457, 700: 3012, 500: 5574}

var isobaricSurface = map[byte]int{'1': 1000, '2': 925, '5': 500, '7': 700, '8': 850}

// restoreGeopotential picks, among hhh + k·1000 gpm (hhh is defined as the
// geopotential with its thousands digit omitted), the height nearest the
// standard-atmosphere height of the surface. Real heights stay within
// ±500 gpm of it except in extreme situations at 500 hPa, so the choice is
// unique; for 1000 hPa it yields negative heights (e.g. 950 → −50 gpm).
func restoreGeopotential(surface, hhh int) int {
	std := standardHeights[surface]
	best := hhh - 1000
	for h := hhh; h <= 9999; h += 1000 {
		if abs(h-std) < abs(best-std) {
			best = h
		}
	}
	return best
}

func abs(v int) int {
	if v < 0 {
		return -v
	}
	return v
}

// regionOf maps a station index to its WMO Regional Association using the
// block and number ranges of Weather Reporting (WMO-No. 9), Volume A.
func regionOf(station string) string {
	n, ok := digits(station)
	if !ok || len(station) != 5 {
		return ""
	}
	switch {
	case n >= 60000 && n < 70000:
		return "I"
	case n >= 70000 && n < 80000:
		return "IV"
	case n >= 80000 && n < 89000:
		return "III"
	case n >= 89000 && n < 90000:
		return "Antarctic"
	case n >= 90000 && n < 99000, n >= 48600 && n < 48800:
		return "V"
	case n < 20000, n >= 20100 && n < 20200, n >= 22000 && n < 23000,
		n >= 26000 && n < 28000, n >= 33000 && n < 35000, n >= 37000 && n < 38000,
		n >= 40000 && n < 40350:
		return "VI"
	case n < 60000:
		return "II"
	}
	return ""
}

// extremePeriods gives, per region, the period in hours of the maximum
// (max) and minimum (min) temperatures of section 3 at 00, 06, 12 and 18 UTC,
// from the regional regulations of the Manual on Codes, Volume II; 0 where
// the region defines no period for that hour (or, for the Region IV maximum
// at 12 UTC, a calendar day rather than a period ending at the observation).
var extremePeriods = map[string]struct{ max, min [4]int }{
	"I":         {max: [4]int{0, 0, 0, 12}, min: [4]int{0, 12, 0, 0}},
	"II":        {max: [4]int{12, 12, 12, 12}, min: [4]int{12, 12, 12, 12}},
	"III":       {max: [4]int{12, 0, 0, 0}, min: [4]int{0, 0, 12, 0}},
	"IV":        {max: [4]int{12, 24, 0, 12}, min: [4]int{18, 24, 12, 24}},
	"V":         {max: [4]int{0, 0, 24, 0}, min: [4]int{24, 0, 0, 0}},
	"VI":        {max: [4]int{0, 0, 0, 12}, min: [4]int{0, 12, 0, 0}},
	"Antarctic": {max: [4]int{12, 0, 12, 0}, min: [4]int{12, 0, 12, 0}},
}

// pastWeatherPeriod is the period covered by W1W2 (regulation 12.2.6.6.1);
// 0 for intermediate hours, where it depends on the observing schedule.
func pastWeatherPeriod(hour int) int {
	switch {
	case hour < 0:
		return 0
	case hour%6 == 0:
		return 6
	case hour%3 == 0:
		return 3
	}
	return 0
}
