package glm

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
	"strings"
	"time"
	"unsafe"

	"github.com/bmkg/mkggraph/format/budget"
	"github.com/bmkg/mkggraph/format/hdf5"
	"github.com/bmkg/mkggraph/format/reject"
)

// Flash is one lightning flash.
type Flash struct {
	ID        int64     // unique within the file
	Time      time.Time // first event, UTC
	End       time.Time // last event, UTC
	Latitude  float64   // energy-weighted centroid of the events
	Longitude float64
	EnergyJ   float64  // total radiant energy, joules
	AreaKm2   *float64 // area of the pixels that saw it; nil when the file has the fill value (unknown, or too large for its packing)
	Quality   int      // flash_quality_flag: 0 good; 1, 3, 5 degraded
}

// File is what a GLM LCFA file holds.
type File struct {
	Platform   string    // platform_ID: "G16", "G17", ...
	Start, End time.Time // time_coverage_start and _end, UTC
	Flashes    []Flash
	Groups     int // in the file, whether or not their flashes were kept
	Events     int
	// Rejects are the flashes not kept: Record is the flash's 1-based
	// position in the file's flash variables, and Reason starts with its
	// flash_id when the file gives one.
	Rejects []reject.Reject
}

// MaxFlashes bounds the flashes Parse reads; the product's own limit,
// flash_count's valid_range, is 630000.
const MaxFlashes = 1 << 20

// coverageSlack is how far outside the file's coverage a flash time may
// lie: the clustering gathers events from before the file's start.
const coverageSlack = 5 * time.Second

// Detect reports whether b starts like an HDF5 file and names GLM LCFA
// data: the product name or a flash variable. netCDF-4 writers put the
// variable names near the start, the global attributes at the end, so a
// few tens of kilobytes usually suffice; given less, Detect may say no
// to a GLM file, which Parse would still read.
func Detect(b []byte) bool {
	if !hdf5.Detect(b) {
		return false
	}
	return bytes.Contains(b, []byte("GLM-L2-LCFA")) || bytes.Contains(b, []byte("flash_time_offset_of_first_event"))
}

// Parse reads a GLM L2 LCFA file: its coverage and platform, every flash
// (those with missing or impossible values as rejects), and the numbers of
// groups and events. It reads the flash variables only.
func Parse(r io.ReaderAt, size int64) (*File, error) {
	h, err := hdf5.Open(r, size)
	if err != nil {
		return nil, fmt.Errorf("glm: %w", err)
	}
	root := h.Root()
	if _, err := root.Dataset("flash_lat"); err != nil {
		if errors.Is(err, hdf5.ErrNotFound) {
			return nil, errors.New("glm: not a GLM LCFA file (no flash_lat variable)")
		}
		return nil, fmt.Errorf("glm: %w", err)
	}
	attrs, err := root.Attrs()
	if err != nil {
		return nil, fmt.Errorf("glm: global attributes: %w", err)
	}
	global := hdf5.AttrMap(attrs)
	f := &File{Platform: strings.TrimSpace(stringAttr(global, "platform_ID"))}
	g := granule{root: root, budget: h.Budget()}
	if f.Start, f.End, err = g.coverage(global); err != nil {
		return nil, err
	}
	f.Groups = count(root, "group_id", "group_lat")
	f.Events = count(root, "event_id", "event_lat")
	fl, err := g.readFlashes(g.reference(f.Start))
	if err != nil {
		return nil, err
	}
	// A flash or a reject each, and room for the lists to grow.
	if err := g.budget.ReserveN(int64(fl.n), 2*flashBytes, "glm: flashes"); err != nil {
		return nil, err
	}
	for i := range fl.n {
		fl.check(f, i)
	}
	return f, nil
}

// granule is an open file: its root group, and the memory budget that
// what is read from it is charged to.
type granule struct {
	root   *hdf5.Group
	budget *budget.Budget
}

// flashBytes is the memory of a Flash (or a reject) and its area.
const flashBytes = int64(unsafe.Sizeof(Flash{})) + 8

// coverage reads the file's time span from time_coverage_start and _end,
// or else from product_time_bounds.
func (g granule) coverage(global map[string]any) (start, end time.Time, err error) {
	s, errS := parseTime(stringAttr(global, "time_coverage_start"))
	e, errE := parseTime(stringAttr(global, "time_coverage_end"))
	if errS != nil || errE != nil {
		v, err := g.readVar("product_time_bounds", false)
		if err != nil {
			return s, e, errors.New("glm: no time coverage (time_coverage_start/_end or product_time_bounds)")
		}
		ts, err := v.times(time.Time{})
		if err != nil || len(ts) != 2 || ts[0].IsZero() || ts[1].IsZero() {
			return s, e, errors.New("glm: product_time_bounds is not a pair of times")
		}
		s, e = ts[0], ts[1]
	}
	if e.Before(s) {
		return s, e, fmt.Errorf("glm: time coverage ends (%s) before it starts (%s)", e.Format(time.RFC3339), s.Format(time.RFC3339))
	}
	return s, e, nil
}

// count is the length of the first of the variables that is present, 0
// if none is.
func count(root *hdf5.Group, names ...string) int {
	for _, n := range names {
		if ds, err := root.Dataset(n); err == nil {
			if d := ds.Dims(); len(d) == 1 {
				return int(d[0])
			}
		}
	}
	return 0
}

// flashes holds the flash variables, unpacked; NaN where missing.
type flashes struct {
	n                     int
	id, lat, lon          []float64
	energy, area, quality []float64
	first, last           []time.Time // zero where missing
}

// reference is the time offsets count from when their units name no
// epoch: product_time (the start of the observations, in its own units),
// else the start of the coverage.
func (g granule) reference(start time.Time) time.Time {
	if v, err := g.readVar("product_time", false); err == nil {
		if ts, err := v.times(time.Time{}); err == nil && len(ts) == 1 && !ts[0].IsZero() {
			return ts[0]
		}
	}
	return start
}

func (g granule) readFlashes(ref time.Time) (*flashes, error) {
	fl := &flashes{}
	numbers := []struct {
		name string
		dst  *[]float64
	}{
		{"flash_id", &fl.id}, {"flash_lat", &fl.lat}, {"flash_lon", &fl.lon},
		{"flash_energy", &fl.energy}, {"flash_area", &fl.area}, {"flash_quality_flag", &fl.quality},
	}
	for i, v := range numbers {
		x, err := g.readVar(v.name, true)
		if err != nil {
			return nil, err
		}
		if i == 0 {
			fl.n = len(x.values)
		}
		if len(x.values) != fl.n {
			return nil, fmt.Errorf("glm: %s has %d values, flash_id %d", v.name, len(x.values), fl.n)
		}
		*v.dst = x.values
	}
	times := []struct {
		name string
		dst  *[]time.Time
	}{
		{"flash_time_offset_of_first_event", &fl.first}, {"flash_time_offset_of_last_event", &fl.last},
	}
	for _, v := range times {
		x, err := g.readVar(v.name, false)
		if err != nil {
			return nil, err
		}
		if len(x.values) != fl.n {
			return nil, fmt.Errorf("glm: %s has %d values, flash_id %d", v.name, len(x.values), fl.n)
		}
		if *v.dst, err = x.times(ref); err != nil {
			return nil, err
		}
	}
	return fl, nil
}

// check keeps flash i in f, or rejects it.
func (fl *flashes) check(f *File, i int) {
	if reason := fl.problem(i, f.Start, f.End); reason != "" {
		if x := fl.id[i]; whole(x, 1<<53) {
			reason = fmt.Sprintf("flash_id %d: %s", int64(x), reason)
		}
		f.Rejects = append(f.Rejects, reject.Reject{Record: i + 1, Reason: reason})
		return
	}
	f.Flashes = append(f.Flashes, Flash{
		ID: int64(fl.id[i]), Time: fl.first[i], End: fl.last[i],
		Latitude: fl.lat[i], Longitude: fl.lon[i],
		EnergyJ: fl.energy[i], AreaKm2: area(fl.area[i]), Quality: int(fl.quality[i]),
	})
}

// area is a flash's area, nil for the fill value.
func area(x float64) *float64 {
	if math.IsNaN(x) {
		return nil
	}
	return &x
}

// problem says what is wrong with flash i, or "".
func (fl *flashes) problem(i int, start, end time.Time) string {
	for _, v := range []struct {
		name string
		x    float64
	}{
		{"flash_id", fl.id[i]}, {"flash_lat", fl.lat[i]}, {"flash_lon", fl.lon[i]},
		{"flash_energy", fl.energy[i]}, {"flash_area", fl.area[i]}, {"flash_quality_flag", fl.quality[i]},
	} {
		if v.name == "flash_area" && math.IsNaN(v.x) {
			// The packing tops out near 10000 km²; the LCFA writes the
			// fill value for a larger area (glmtools reads it so). The
			// flash is real: it is kept, its area unknown.
			continue
		}
		if math.IsNaN(v.x) || math.IsInf(v.x, 0) {
			return v.name + " is missing (fill value or outside valid_range)"
		}
	}
	if fl.first[i].IsZero() || fl.last[i].IsZero() {
		return "flash time is missing"
	}
	switch lat, lon := fl.lat[i], fl.lon[i]; {
	case !whole(fl.id[i], 1<<53):
		return fmt.Sprintf("flash_id %g is not a whole number", fl.id[i])
	case !whole(fl.quality[i], 1<<16):
		return fmt.Sprintf("quality flag %g is not a flag value", fl.quality[i])
	case lat < -90 || lat > 90:
		return fmt.Sprintf("latitude %g out of range", lat)
	case lon < -180 || lon > 180:
		return fmt.Sprintf("longitude %g out of range", lon)
	case fl.energy[i] < 0:
		return fmt.Sprintf("energy %g J is negative", fl.energy[i])
	case fl.area[i] < 0:
		return fmt.Sprintf("area %g km² is negative", fl.area[i])
	}
	first, last := fl.first[i], fl.last[i]
	switch {
	case last.Before(first):
		return fmt.Sprintf("last event (%s) before the first (%s)", stamp(last), stamp(first))
	case first.Before(start.Add(-coverageSlack)) || last.After(end.Add(coverageSlack)):
		return fmt.Sprintf("times %s–%s are not within the file's coverage %s–%s", stamp(first), stamp(last), stamp(start), stamp(end))
	}
	return ""
}

// whole reports whether x is a whole number in [0, max).
func whole(x, max float64) bool { return x >= 0 && x < max && x == math.Trunc(x) }

func stamp(t time.Time) string { return t.Format("2006-01-02T15:04:05.000Z07:00") }
