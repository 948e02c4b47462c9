package quicklook

import (
	"math"
	"sort"
)

// rayIndex finds the nearest ray to an azimuth when rays come in any order
// and may leave gaps.
type rayIndex struct {
	az     []float64 // normalised to [0, 360), ascending
	ray    []int     // ray number of az[i]
	maxGap float64   // a ray farther than this is no ray at all
}

func newRayIndex(azimuths []float64) rayIndex {
	n := len(azimuths)
	idx := rayIndex{az: make([]float64, n), ray: make([]int, n)}
	for i := range idx.ray {
		idx.ray[i] = i
	}
	sort.SliceStable(idx.ray, func(a, b int) bool { return norm(azimuths[idx.ray[a]]) < norm(azimuths[idx.ray[b]]) })
	for i, r := range idx.ray {
		idx.az[i] = norm(azimuths[r])
	}
	idx.maxGap = 1.5 * medianSpacing(idx.az)
	return idx
}

// norm puts an azimuth in [0, 360).
func norm(a float64) float64 {
	a = math.Mod(a, 360)
	if a < 0 {
		a += 360
	}
	if a >= 360 { // -1e-17 + 360 rounds to 360
		a = 0
	}
	return a
}

// medianSpacing is the median angle between neighbouring rays, around the
// circle. Repeated azimuths are left out, so that a sweep that recorded a
// ray twice is not judged to have no spacing at all. One distinct azimuth
// counts as a full circle.
func medianSpacing(sorted []float64) float64 {
	var d []float64
	for i := range sorted {
		next := sorted[0] + 360
		if i+1 < len(sorted) {
			next = sorted[i+1]
		}
		if gap := next - sorted[i]; gap > 0 && gap < 360 {
			d = append(d, gap)
		}
	}
	if len(d) == 0 {
		return 360
	}
	sort.Float64s(d)
	if len(d)%2 == 1 {
		return d[len(d)/2]
	}
	return (d[len(d)/2-1] + d[len(d)/2]) / 2
}

// nearest returns the ray nearest to azimuth a in [0, 360), and false when
// it is more than maxGap away.
func (idx rayIndex) nearest(a float64) (int, bool) {
	n := len(idx.az)
	i := sort.SearchFloat64s(idx.az, a) % n
	j := (i + n - 1) % n
	di, dj := angle(a, idx.az[i]), angle(a, idx.az[j])
	if dj < di {
		i, di = j, dj
	}
	if di > idx.maxGap {
		return 0, false
	}
	return idx.ray[i], true
}

// angle is the smaller angle between two azimuths in [0, 360).
func angle(a, b float64) float64 {
	d := math.Abs(a - b)
	return math.Min(d, 360-d)
}
