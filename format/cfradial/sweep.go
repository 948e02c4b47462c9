package cfradial

import (
	"errors"
	"fmt"
	"math"
	"time"

	"github.com/bmkg/mkggraph/format/radar"
)

// sweeps reads the sweep variables. A sweep_end_ray_index past the last
// ray is clipped to the rays present: Py-ART's thinned example keeps the
// 399 of the 400-ray original with only 40 rays left.
func (f *file) sweeps(rays []time.Time) ([]Sweep, error) {
	starts, err := f.floats("sweep_start_ray_index")
	if err != nil {
		return nil, err
	}
	ends, err := f.floats("sweep_end_ray_index")
	if err != nil {
		return nil, err
	}
	angles, err := f.floats("fixed_angle")
	if err != nil {
		return nil, err
	}
	if len(ends) != len(starts) || len(angles) != len(starts) {
		return nil, fmt.Errorf("cfradial: %d sweep starts, %d ends, %d fixed angles", len(starts), len(ends), len(angles))
	}
	modes, _ := f.strings("sweep_mode") // optional
	gates, err := f.gates()
	if err != nil {
		return nil, err
	}
	ragged, err := f.raggedRays(len(rays), gates.bins)
	if err != nil {
		return nil, err
	}
	moments := f.moments(len(rays), gates.bins)
	if ragged != nil {
		moments = ragged.moments(f)
	}
	out := make([]Sweep, 0, len(starts))
	for i := range starts {
		first, last, err := rayRange(starts[i], ends[i], len(rays))
		if err != nil {
			return nil, fmt.Errorf("cfradial: sweep %d: %w", i, err)
		}
		s := Sweep{Sweep: radar.Sweep{Start: rays[first], FixedAngle: angles[i], Rays: last - first + 1, Bins: gates.bins,
			RangeStartM: gates.start, RangeResolutionM: gates.step}, Moments: moments, firstRay: first}
		if i < len(modes) {
			s.Mode = modes[i]
		}
		if ragged != nil {
			s.Bins = ragged.most(first, last)
			s.ragged = ragged
		}
		out = append(out, s)
	}
	return out, nil
}

func rayRange(start, end float64, rays int) (first, last int, err error) {
	if start != math.Trunc(start) || end != math.Trunc(end) || start < 0 || start >= float64(rays) || end < start {
		return 0, 0, fmt.Errorf("rays %v to %v of %d", start, end, rays)
	}
	return int(start), int(min(end, float64(rays-1))), nil
}

type gates struct {
	bins        int
	start, step float64
}

// gates reads the range coordinate: the first gate and the spacing of
// the first two (see the package documentation for why not the
// attributes). A single gate takes its spacing from meters_between_gates.
func (f *file) gates() (gates, error) {
	r, err := f.floats("range")
	if err != nil {
		return gates{}, err
	}
	if len(r) == 0 {
		return gates{}, errors.New("cfradial: no range gates")
	}
	g := gates{bins: len(r), start: r[0]}
	if len(r) > 1 {
		g.step = narrow(r[1] - r[0])
	} else if step, ok := firstFloat(f.varAttrs("range")["meters_between_gates"]); ok {
		g.step = step
	}
	return g, nil
}

// moments are the numeric (time, range) variables, in file order.
func (f *file) moments(rays, bins int) []Moment {
	return f.momentsWhere(func(_ string, d []int64) bool { return len(d) == 2 && d[0] == int64(rays) && d[1] == int64(bins) })
}

// momentsWhere returns the numeric variables, in file order, whose name and
// dimensions keep accepts: the moments of a sweep laid out one way.
func (f *file) momentsWhere(keep func(name string, dims []int64) bool) []Moment {
	var out []Moment
	for _, name := range f.order {
		ds := f.vars[name]
		if (ds.Kind() != "float" && ds.Kind() != "integer") || !keep(name, ds.Dims()) {
			continue
		}
		a := f.varAttrs(name)
		units, _ := a["units"].(string)
		std, _ := a["standard_name"].(string)
		out = append(out, Moment{Name: name, Quantity: quantity(std, name), Units: units})
	}
	return out
}
