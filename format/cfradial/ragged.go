package cfradial

import (
	"fmt"
	"math"
)

// ragged describes rays of varying length (CfRadial's ray_n_gates and
// ray_start_index): moments are then one-dimensional, over n_points, each
// ray's gates stored from its start index.
type ragged struct {
	start, n []int
	points   int // length of the n_points dimension
}

// raggedRays reads ray_n_gates and ray_start_index, or returns nil when
// the file has no ray_n_gates (every ray has every gate). A ray may not
// have more gates than the range coordinate, nor reach past n_points.
func (f *file) raggedRays(rays, bins int) (*ragged, error) {
	if !f.has("ray_n_gates") {
		return nil, nil
	}
	n, err := f.floats("ray_n_gates")
	if err != nil {
		return nil, err
	}
	if len(n) != rays {
		return nil, fmt.Errorf("cfradial: ray_n_gates has %d values for %d rays", len(n), rays)
	}
	var start []float64
	if f.has("ray_start_index") {
		if start, err = f.floats("ray_start_index"); err != nil {
			return nil, err
		}
		if len(start) != rays {
			return nil, fmt.Errorf("cfradial: ray_start_index has %d values for %d rays", len(start), rays)
		}
	}
	if err := f.budget.ReserveN(int64(rays), 16, "cfradial: ray gate counts"); err != nil {
		return nil, err
	}
	r := &ragged{start: make([]int, rays), n: make([]int, rays)}
	points := 0
	for i := range rays {
		if n[i] != math.Trunc(n[i]) || n[i] < 0 || n[i] > float64(bins) {
			return nil, fmt.Errorf("cfradial: ray %d has %v gates of %d", i, n[i], bins)
		}
		r.n[i], r.start[i] = int(n[i]), points
		if start != nil {
			if start[i] != math.Trunc(start[i]) || start[i] < 0 || start[i] > 1<<40 {
				return nil, fmt.Errorf("cfradial: ray %d starts at point %v", i, start[i])
			}
			r.start[i] = int(start[i])
		}
		points = max(points, r.start[i]+r.n[i])
	}
	r.points = points
	return r, nil
}

// most is the largest gate count of rays first..last.
func (r *ragged) most(first, last int) int {
	m := 0
	for i := first; i <= last; i++ {
		m = max(m, r.n[i])
	}
	return m
}

// moments are the numeric one-dimensional variables long enough to hold
// every ray's gates, in file order, other than the ray bookkeeping.
func (r *ragged) moments(f *file) []Moment {
	return f.momentsWhere(func(name string, d []int64) bool {
		return len(d) == 1 && d[0] >= int64(r.points) && r.points != 0 && name != "ray_n_gates" && name != "ray_start_index" &&
			!(f.vars["time"] != nil && f.vars["time"].Dims()[0] == d[0])
	})
}

// span is the run of points rays first..first+n-1 take: from the
// lowest start to the furthest end.
func (r *ragged) span(first, n int) (from, to int) {
	from = r.start[first]
	for i := first; i < first+n; i++ {
		from, to = min(from, r.start[i]), max(to, r.start[i]+r.n[i])
	}
	return from, max(from, to)
}
