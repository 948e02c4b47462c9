package mkg

import (
	"context"
	"time"
)

// RadarFormat is the file format a radar scan was ingested from.
type RadarFormat string

const (
	// RadarRainbow5 is a Gematronik/Leonardo Rainbow 5 volume (.vol, .azi, .ele).
	RadarRainbow5 RadarFormat = "RAINBOW5"
	// RadarWDSS2NetCDF is a WDSS-II RadialSet in classic netCDF (CDF-1/2/5).
	RadarWDSS2NetCDF RadarFormat = "WDSS2_NETCDF"
	// RadarCfRadialNetCDF4 is CfRadial 1.x in netCDF-4 (HDF5).
	RadarCfRadialNetCDF4 RadarFormat = "CFRADIAL_NETCDF4"
)

// Dataset is the right a scan's file needs: Rainbow volumes are
// RADAR_VOLUME, netCDF files RADAR_NETCDF (2015 regulation's two radar
// formats); the rendered pictures are RADAR_IMAGE.
func (f RadarFormat) Dataset() Dataset {
	if f == RadarRainbow5 {
		return DatasetRadarVolume
	}
	return DatasetRadarNetCDF
}

// Scan types.
const (
	ScanPPI    = "PPI"    // one sweep at a fixed elevation
	ScanRHI    = "RHI"    // one sweep at a fixed azimuth
	ScanVolume = "VOLUME" // several PPI sweeps at increasing elevations
)

// RadarSite is a weather radar, identified by the code its files state.
type RadarSite struct {
	ID           int64
	Code         string
	Name         string
	Latitude     float64
	Longitude    float64
	AltitudeM    float64
	Band         string   // S, C or X from the wavelength; "" when unknown
	BeamWidthDeg *float64 // nil when no file stated it
	WavelengthM  *float64
}

// BandOf names the radar band of a wavelength (IEEE 521: S 2–4 GHz, C 4–8,
// X 8–12), or "" when the wavelength is unknown or outside those bands.
func BandOf(wavelengthM *float64) string {
	if wavelengthM == nil || *wavelengthM <= 0 {
		return ""
	}
	ghz := 0.299792458 / *wavelengthM
	switch {
	case ghz >= 2 && ghz < 4:
		return "S"
	case ghz >= 4 && ghz < 8:
		return "C"
	case ghz >= 8 && ghz < 12:
		return "X"
	}
	return ""
}

// RadarMoment is one measured quantity of a scan.
type RadarMoment struct {
	Name     string `json:"name"`     // as the file names it
	Quantity string `json:"quantity"` // ODIM-H5 quantity (DBZH, VRADH …), "" when unknown
	Units    string `json:"units"`
}

// RadarSweep is one sweep of a scan.
type RadarSweep struct {
	Start            time.Time     `json:"start"`
	FixedAngle       float64       `json:"fixedAngle"` // elevation (PPI) or azimuth (RHI), degrees
	Rays             int           `json:"rays"`
	Bins             int           `json:"bins"`
	RangeStartM      float64       `json:"rangeStartM"`
	RangeResolutionM float64       `json:"rangeResolutionM"`
	Moments          []RadarMoment `json:"moments"`
}

// RadarScan is one radar file in the catalogue, described from its own
// contents. Metadata is false when the file was recognised but its
// contents could not be read (see Problem); it is still kept and
// downloadable.
type RadarScan struct {
	ID         int64
	SiteID     *int64
	Site       *RadarSite // as the file states it (nil when not extracted)
	Start      *time.Time
	End        *time.Time
	ScanType   string
	Sweeps     []RadarSweep
	Format     RadarFormat
	File       StoredFile
	QuickLook  *StoredFile // PNG of the lowest sweep's reflectivity, when there is one
	Metadata   bool
	Problem    string
	IngestedAt time.Time
}

// FileDataset is the right the scan's file needs.
func (s *RadarScan) FileDataset() Dataset { return s.Format.Dataset() }

// Moments lists the scan's moments once each, in first-seen order.
func (s *RadarScan) Moments() []RadarMoment {
	var out []RadarMoment
	seen := map[string]bool{}
	for _, sw := range s.Sweeps {
		for _, m := range sw.Moments {
			if !seen[m.Name] {
				seen[m.Name] = true
				out = append(out, m)
			}
		}
	}
	return out
}

// OrderRadarScans names the ordering of scan lists (newest first), for
// cursors.
const OrderRadarScans = "radar_time_desc"

// RadarScanFilter selects radar scans.
type RadarScanFilter struct {
	SiteIDs  []int64
	From, To *time.Time // scan start in [From, To]
	Formats  []RadarFormat
}

// Validate checks the filter; prefix names the argument holding it.
func (f RadarScanFilter) Validate(prefix string) error {
	if len(f.SiteIDs) > MaxFilterStations {
		return Invalid(fieldPath(prefix, "sites"), "at most %d sites per query", MaxFilterStations)
	}
	return validateWindow(f.From, f.To, prefix)
}

func fieldPath(prefix, name string) string {
	if prefix == "" {
		return name
	}
	return prefix + "." + name
}

// RadarScanPage is one page of scans, newest first.
type RadarScanPage struct {
	Scans   []*RadarScan
	Cursors []Cursor // one per scan
	HasNext bool
}

// RadarReader reads the radar catalogue.
type RadarReader interface {
	RadarSites(ctx context.Context) ([]*RadarSite, error)
	RadarSitesByID(ctx context.Context, ids []int64) ([]*RadarSite, error)
	// RadarScans lists scans newest first (scans without a time last).
	RadarScans(ctx context.Context, f RadarScanFilter, p Page) (*RadarScanPage, error)
	// RadarScansByID returns scans in the order of ids, nil for unknown ones.
	RadarScansByID(ctx context.Context, ids []int64) ([]*RadarScan, error)
	// RadarScansOfSites returns one page per site (in siteIDs order), with
	// the same window and page size for all, in one statement; f's own
	// site condition is ignored.
	RadarScansOfSites(ctx context.Context, siteIDs []int64, f RadarScanFilter, p Page) ([]*RadarScanPage, error)
}

// RadarWriter changes the radar catalogue.
type RadarWriter interface {
	// PutRadarScan catalogues a scan whose files are already stored. A scan
	// of the same file (digest) is updated in place, so ingest is
	// idempotent; its site is created or updated from what the file states.
	PutRadarScan(ctx context.Context, s *RadarScan) (WriteResult, error)
	// DeleteRadarScan removes a scan and returns the digests no longer
	// referenced by any catalogue row, for the caller to delete from the
	// file store. NOT_FOUND when there is no such scan.
	DeleteRadarScan(ctx context.Context, id int64) ([]string, error)
}
