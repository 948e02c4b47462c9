package rainbow

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"time"
)

// readSweeps reads every <slice> and sets the volume's time span.
func (v *Volume) readSweeps(vol, scan *node, rhi bool) error {
	list := scan.all("slice")
	if len(list) == 0 {
		return fmt.Errorf("%w: <scan> has no <slice>", ErrCorrupt)
	}
	fallback, err := scanTime(vol, scan)
	if err != nil {
		return err
	}
	for i, sl := range list {
		chain := params{sl, list[0], scan.child("pargroup")}
		s, dur, err := v.readSweep(sl, chain, rhi, fallback)
		if err != nil {
			return fmt.Errorf("slice %d: %w", i, err)
		}
		v.Sweeps = append(v.Sweeps, s)
		if i == 0 || s.Start.Before(v.Start) {
			v.Start = s.Start
		}
		if end := s.Start.Add(dur); i == 0 || end.After(v.End) {
			v.End = end
		}
	}
	return nil
}

// readSweep reads one slice. It also returns how long the antenna took
// over it, 0 when the file does not give the antenna speed.
func (v *Volume) readSweep(sl *node, p params, rhi bool, fallback time.Time) (Sweep, time.Duration, error) {
	s := Sweep{rhi: rhi}
	sd := sl.child("slicedata")
	if sd == nil {
		return s, 0, fmt.Errorf("%w: no <slicedata>", ErrCorrupt)
	}
	var err error
	if s.Start, err = sliceTime(sd, sl, fallback); err != nil {
		return s, 0, err
	}
	if err := s.readGeometry(p); err != nil {
		return s, 0, err
	}
	if err := v.readRays(&s, sd); err != nil {
		return s, 0, err
	}
	if err := v.readMoments(&s, sd); err != nil {
		return s, 0, err
	}
	return s, s.duration(p), v.checkOtherBlobs(sl)
}

// readGeometry reads the angles and ranges of a sweep.
func (s *Sweep) readGeometry(p params) error {
	fixed, ok, err := p.float("posangle")
	if err != nil {
		return err
	}
	if !ok {
		return fmt.Errorf("%w: no <posangle>", ErrCorrupt)
	}
	s.FixedAngle = fixed
	step, ok, err := p.float("rangestep")
	if err != nil {
		return err
	}
	if !ok || step <= 0 || step > 100 {
		return fmt.Errorf("%w: no <rangestep> in (0, 100] km", ErrCorrupt)
	}
	s.RangeResolutionM = step * 1000
	start, ok, err := p.float("start_range")
	if !ok && err == nil {
		start, _, err = p.float("startrange")
	}
	if err != nil || start < 0 || start > 10000 {
		return fmt.Errorf("%w: start range %v km", ErrCorrupt, start)
	}
	s.RangeStartM = start * 1000
	return s.readAntenna(p)
}

// readAntenna reads the optional angle step, direction and start angle.
func (s *Sweep) readAntenna(p params) error {
	step, _, err := p.float("anglestep")
	if err != nil {
		return err
	}
	if step < 0 || step > 360 {
		return fmt.Errorf("%w: anglestep %v", ErrCorrupt, step)
	}
	s.angleStep = step
	if d, ok := p.get("antdirection"); ok {
		n, err := strconv.Atoi(d)
		s.ccw = err == nil && n != 0
	}
	s.startDeg, _, err = p.float("startangle")
	return err
}

// duration is how long the antenna took to sweep rays steps at antspeed
// degrees per second.
func (s *Sweep) duration(p params) time.Duration {
	speed, ok, err := p.float("antspeed")
	if !ok || err != nil || speed <= 0 || s.angleStep == 0 {
		return 0
	}
	secs := float64(s.Rays) * s.angleStep / speed
	if secs > 3600 {
		return 0
	}
	return time.Duration(math.Round(secs*1000)) * time.Millisecond
}

// readRays reads the <rayinfo> elements: start and stop angles are kept,
// the others (pulse counts, timestamps) only checked.
func (v *Volume) readRays(s *Sweep, sd *node) error {
	for _, n := range sd.all("rayinfo") {
		r, err := v.rayInfo(n)
		if err != nil {
			return err
		}
		switch refid, _ := n.attr("refid"); refid {
		case "startangle":
			s.start = &r
		case "stopangle":
			s.stop = &r
		}
	}
	if s.start != nil && s.stop != nil && s.start.rays != s.stop.rays {
		return fmt.Errorf("%w: %d start angles but %d stop angles", ErrCorrupt, s.start.rays, s.stop.rays)
	}
	return nil
}

func (v *Volume) rayInfo(n *node) (rayRef, error) {
	var r rayRef
	var err error
	if r.blobID, err = intAttr(n, "blobid", math.MaxInt32); err != nil {
		return r, err
	}
	if r.rays, err = intAttr(n, "rays", maxRays); err != nil {
		return r, err
	}
	if r.depth, err = depthAttr(n); err != nil {
		return r, err
	}
	lo, hi := blobBytes(1, r.rays, r.depth)
	return r, v.checkBlob(r.blobID, lo, hi)
}

// readMoments reads the <rawdata> elements of a slice.
func (v *Volume) readMoments(s *Sweep, sd *node) error {
	for _, n := range sd.all("rawdata") {
		m, err := v.moment(n)
		if err != nil {
			return err
		}
		if m.Name == "" || slices.ContainsFunc(s.Moments, func(o Moment) bool { return o.Name == m.Name }) {
			return fmt.Errorf("%w: <rawdata> type %q is empty or repeated: moments are found by it", ErrCorrupt, m.Name)
		}
		if s.start != nil && m.rays != s.start.rays {
			return fmt.Errorf("%w: %s has %d rays but the slice has %d angles", ErrCorrupt, m.Name, m.rays, s.start.rays)
		}
		if len(s.Moments) == 0 {
			s.Rays, s.Bins = m.rays, m.bins
		}
		s.Moments = append(s.Moments, m)
	}
	return nil
}

func (v *Volume) moment(n *node) (Moment, error) {
	var m Moment
	m.Name, _ = n.attr("type")
	m.Quantity, m.Units = quantity(m.Name)
	var err error
	if m.BlobID, err = intAttr(n, "blobid", math.MaxInt32); err != nil {
		return m, err
	}
	if m.rays, err = intAttr(n, "rays", maxRays); err != nil {
		return m, err
	}
	if m.bins, err = intAttr(n, "bins", maxBins); err != nil {
		return m, err
	}
	if m.rays == 0 || m.bins == 0 || m.rays*m.bins > maxGates {
		return m, fmt.Errorf("%w: %s is %d rays by %d bins", ErrCorrupt, m.Name, m.rays, m.bins)
	}
	if m.Depth, err = depthAttr(n); err != nil {
		return m, err
	}
	if err := m.readRange(n); err != nil {
		return m, err
	}
	lo, hi := blobBytes(m.rays, m.bins, m.Depth)
	if err := v.checkBlob(m.BlobID, lo, hi); err != nil {
		return m, err
	}
	// Decoding the moment inflates its blob and makes a float32 of each
	// gate: a moment no Decode could afford is refused now.
	gates := int64(m.rays) * int64(m.bins)
	return m, v.budget.Check(int64(hi)+4*gates, fmt.Sprintf("decoding %s (%d rays of %d bins)", m.Name, m.rays, m.bins))
}

// readRange reads min and max, which only bit maps may lack.
func (m *Moment) readRange(n *node) error {
	lo, okLo := n.attr("min")
	hi, okHi := n.attr("max")
	if !okLo || !okHi {
		return nil
	}
	var err error
	if m.Min, err = parseFloat("min", lo); err != nil {
		return err
	}
	if m.Max, err = parseFloat("max", hi); err != nil {
		return err
	}
	if m.Max <= m.Min {
		return fmt.Errorf("%w: %s max %v is not above min %v", ErrCorrupt, m.Name, m.Max, m.Min)
	}
	m.hasRange = true
	return nil
}

var depths = []int{1, 2, 4, 8, 16, 32, 64}

func depthAttr(n *node) (int, error) {
	d, err := intAttr(n, "depth", 64)
	if err == nil && !slices.Contains(depths, d) {
		err = fmt.Errorf("%w: <%s depth=\"%d\">", ErrUnsupported, n.name, d)
	}
	return d, err
}

// blobBytes is the size range of rows*cols values of depth bits: exact for
// whole bytes, and up to one padding byte per row for bit maps.
func blobBytes(rows, cols, depth int) (lo, hi int) {
	lo = (rows*cols*depth + 7) / 8
	if depth >= 8 {
		return lo, lo
	}
	return lo, rows * ((cols*depth + 7) / 8)
}

// checkOtherBlobs checks that blobs referenced by elements this package
// does not read (flag maps and the like) are present.
func (v *Volume) checkOtherBlobs(sl *node) error {
	var err error
	sl.walk(func(n *node) {
		if id, ok := n.attr("blobid"); ok && err == nil && n.name != "rawdata" && n.name != "rayinfo" {
			var b int
			if b, err = intAttr(n, "blobid", math.MaxInt32); err == nil {
				if _, ok := v.blobs[b]; !ok {
					err = fmt.Errorf("%w: blob %s of <%s> is missing", ErrTruncated, id, n.name)
				}
			}
		}
	})
	return err
}
