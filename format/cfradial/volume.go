package cfradial

import (
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/bmkg/mkggraph/format/hdf5"
	"github.com/bmkg/mkggraph/format/radar"
)

// Volume is what a CfRadial file says about one radar volume.
type Volume struct {
	radar.Site
	Start, End  time.Time
	ScanType    string
	Sweeps      []Sweep
	Conventions string
}

// Sweep is one sweep: a run of rays at one fixed angle.
type Sweep struct {
	radar.Sweep
	Moments []Moment

	firstRay int     // index of the sweep's first ray in the time dimension
	ragged   *ragged // rays of varying gate counts, nil when all have Bins
}

// Moment is one field recorded for every gate of every ray.
type Moment = radar.Moment

// Detect reports whether b starts like a netCDF-4 (HDF5) file; whether it
// is CfRadial takes Parse.
func Detect(b []byte) bool { return hdf5.Detect(b) }

// Parse reads the volume's metadata. It reads the small coordinate and
// sweep variables but none of the moments' data.
func Parse(r io.ReaderAt, size int64) (*Volume, error) {
	f, err := open(r, size)
	if err != nil {
		return nil, err
	}
	return f.volume()
}

func open(r io.ReaderAt, size int64) (*file, error) {
	h, err := hdf5.Open(r, size)
	if err != nil {
		if isClassic(r) {
			return nil, errors.New("cfradial: classic netCDF (netCDF-3) files are not supported, only netCDF-4")
		}
		return nil, fmt.Errorf("cfradial: %w", err)
	}
	return newFile(h)
}

// isClassic sniffs the netCDF-3 magic, to say why a file is refused.
func isClassic(r io.ReaderAt) bool {
	b := make([]byte, 4)
	_, err := r.ReadAt(b, 0)
	return err == nil && string(b[:3]) == "CDF" && b[3] >= 1 && b[3] <= 5
}

func (f *file) volume() (*Volume, error) {
	v := &Volume{
		Conventions: f.globalString("Conventions"),
		Site:        radar.Site{SiteCode: f.globalString("instrument_name"), SiteName: f.globalString("site_name")},
	}
	if !strings.Contains(strings.ToLower(v.Conventions), "radial") && !f.has("sweep_start_ray_index") {
		return nil, errors.New("cfradial: not a CfRadial file (no CF/Radial Conventions, no sweep variables)")
	}
	if !f.has("sweep_start_ray_index") && (f.has("sweep_group_name") || strings.Contains(strings.ToLower(v.Conventions), "radial-2")) {
		return nil, errors.New("cfradial: CfRadial 2 (one group per sweep) is not supported, only CfRadial 1.x")
	}
	if err := f.location(v); err != nil {
		return nil, err
	}
	rays, err := f.rayTimes()
	if err != nil {
		return nil, err
	}
	if v.Sweeps, err = f.sweeps(rays); err != nil {
		return nil, err
	}
	if v.Start, v.End, err = f.coverage(rays); err != nil {
		return nil, err
	}
	v.ScanType = f.scanType(v.Sweeps)
	return v, nil
}

func (f *file) location(v *Volume) error {
	var err error
	if v.Latitude, err = f.scalar("latitude"); err != nil {
		return err
	}
	if v.Longitude, err = f.scalar("longitude"); err != nil {
		return err
	}
	if v.Latitude < -90 || v.Latitude > 90 || v.Longitude < -180 || v.Longitude > 360 {
		return fmt.Errorf("cfradial: position %g, %g out of range", v.Latitude, v.Longitude)
	}
	if f.has("altitude") {
		if v.AltitudeM, err = f.scalar("altitude"); err != nil {
			return err
		}
	}
	if bw, err := f.scalar("radar_beam_width_h"); err == nil {
		v.BeamWidthDeg = &bw
	} else if bw, ok := f.globalFloat("radar_beam_width_h"); ok {
		v.BeamWidthDeg = &bw
	}
	return nil
}

// coverage is time_coverage_start/end, else the span of the ray times.
func (f *file) coverage(rays []time.Time) (start, end time.Time, err error) {
	start, okS := f.timeString("time_coverage_start")
	end, okE := f.timeString("time_coverage_end")
	if okS && okE {
		return start, end, nil
	}
	if len(rays) == 0 {
		return start, end, errors.New("cfradial: no time coverage and no ray times")
	}
	start, end = rays[0], rays[0]
	for _, t := range rays {
		if t.Before(start) {
			start = t
		}
		if t.After(end) {
			end = t
		}
	}
	return start, end, nil
}

// scanType follows the sweep modes; see the package documentation.
func (f *file) scanType(sweeps []Sweep) string {
	ppi, rhi := 0, 0
	for _, s := range sweeps {
		switch s.Mode {
		case "azimuth_surveillance", "sector", "manual_ppi":
			ppi++
		case "rhi", "elevation_surveillance", "manual_rhi":
			rhi++
		}
	}
	switch n := len(sweeps); {
	case n > 0 && rhi == n:
		return "RHI"
	case n == 1 && ppi == 1:
		return "PPI"
	case n > 1 && ppi == n:
		return "VOLUME"
	}
	return strings.ToUpper(f.globalString("scan_type"))
}
