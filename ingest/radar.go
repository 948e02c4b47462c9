package ingest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"time"

	"github.com/bmkg/mkggraph/format/budget"
	"github.com/bmkg/mkggraph/format/cfradial"
	"github.com/bmkg/mkggraph/format/hdf5"
	"github.com/bmkg/mkggraph/format/netcdf"
	"github.com/bmkg/mkggraph/format/radar"
	"github.com/bmkg/mkggraph/format/rainbow"
	"github.com/bmkg/mkggraph/format/wdss2"
	"github.com/bmkg/mkggraph/mkg"
	"github.com/bmkg/mkggraph/quicklook"
)

// QuickLookSize is the side of the rendered radar pictures, px.
const QuickLookSize = 800

// reflectivity lists the quantities a quick-look may show, preferred first.
var reflectivity = []string{"DBZH", "DBZ", "TH", "DBZV", "TV"}

// radarFile is a parsed radar file, whatever its format: the catalogue
// entry and a way to decode a sweep's moment for the picture.
type radarFile struct {
	scan   mkg.RadarScan
	decode func(sweep int, moment string) (*quicklook.PPI, error)
}

func detectHDF5(head []byte) bool { return netcdf.IsHDF5(head) }

func detectClassicNetCDF(head []byte) bool {
	_, ok := netcdf.Detect(head)
	return ok
}

func ingestRainbow(ctx context.Context, in *Ingester, name string, data []byte, opt Options, s *Summary) error {
	v, err := rainbow.Parse(data)
	if err != nil {
		return err
	}
	rf := &radarFile{scan: rainbowScan(v)}
	rf.decode = func(sweep int, moment string) (*quicklook.PPI, error) {
		return ppi(v.Decode(data, sweep, moment))
	}
	return in.storeRadar(ctx, name, data, rf, "application/octet-stream", s)
}

// ppi is a decoded sweep as the quick-look renders it.
func ppi(f *radar.Field, err error) (*quicklook.PPI, error) {
	if err != nil {
		return nil, err
	}
	return &quicklook.PPI{Azimuths: f.Azimuths, RangeStartM: f.RangeStartM, GateWidthM: f.GateWidthM, Rays: f.Rays, Bins: f.Bins, Values: f.Values}, nil
}

// radarSweep is a sweep as the catalogue lists it; moment picks what the
// catalogue keeps of each of the format's moments.
func radarSweep[M any](sw radar.Sweep, moments []M, moment func(M) radar.Moment) mkg.RadarSweep {
	out := mkg.RadarSweep{Start: sw.Start, FixedAngle: sw.FixedAngle, Rays: sw.Rays, Bins: sw.Bins,
		RangeStartM: sw.RangeStartM, RangeResolutionM: sw.RangeResolutionM}
	for _, m := range moments {
		out.Moments = append(out.Moments, mkg.RadarMoment(moment(m)))
	}
	return out
}

func rainbowScan(v *rainbow.Volume) mkg.RadarScan {
	site := &mkg.RadarSite{Code: v.SiteCode, Name: v.SiteName, Latitude: v.Latitude, Longitude: v.Longitude,
		AltitudeM: v.AltitudeM, BeamWidthDeg: v.BeamWidthDeg, WavelengthM: v.WavelengthM}
	sc := mkg.RadarScan{Site: site, Start: timePtr(v.Start), End: timePtr(v.End), ScanType: v.ScanType,
		Format: mkg.RadarRainbow5, Metadata: true}
	for _, sw := range v.Sweeps {
		sc.Sweeps = append(sc.Sweeps, radarSweep(sw.Sweep, sw.Moments, func(m rainbow.Moment) radar.Moment { return m.Moment }))
	}
	return sc
}

func ingestWDSS2(ctx context.Context, in *Ingester, name string, data []byte, opt Options, s *Summary) error {
	r := bytes.NewReader(data)
	sw, err := wdss2.Parse(r, int64(len(data)))
	if err != nil {
		return err
	}
	site := &mkg.RadarSite{Code: sw.SiteCode, Name: sw.SiteCode, Latitude: sw.Latitude, Longitude: sw.Longitude,
		AltitudeM: sw.AltitudeM, BeamWidthDeg: sw.BeamWidthDeg}
	m := mkg.RadarMoment(sw.Moment)
	rf := &radarFile{scan: mkg.RadarScan{Site: site, Start: timePtr(sw.Start), End: timePtr(sw.Start), ScanType: mkg.ScanPPI,
		Format: mkg.RadarWDSS2NetCDF, Metadata: true, Sweeps: []mkg.RadarSweep{{Start: sw.Start, FixedAngle: sw.ElevationDeg,
			Rays: sw.Rays, Bins: sw.Bins, RangeStartM: sw.RangeStartM, RangeResolutionM: sw.RangeResolutionM,
			Moments: []mkg.RadarMoment{m}}}}}
	rf.decode = func(int, string) (*quicklook.PPI, error) {
		return ppi(wdss2.Decode(r, int64(len(data))))
	}
	return in.storeRadar(ctx, name, data, rf, "application/x-netcdf", s)
}

// ingestCfRadial catalogues a netCDF-4 file. A file whose HDF5 structure
// does not hold together (truncated, offsets past its end), or that
// declares more data than its size allows (format/budget), is refused
// whole; a sound HDF5 file whose CfRadial contents cannot be read is still
// catalogued (and downloadable) with the reason, since it may use HDF5
// features this reader lacks.
func ingestCfRadial(ctx context.Context, in *Ingester, name string, data []byte, opt Options, s *Summary) error {
	r := bytes.NewReader(data)
	if _, err := hdf5.Open(r, int64(len(data))); err != nil {
		return err
	}
	v, err := cfradial.Parse(r, int64(len(data)))
	if errors.Is(err, budget.ErrTooLarge) {
		return err
	}
	if err != nil {
		rf := &radarFile{scan: mkg.RadarScan{Format: mkg.RadarCfRadialNetCDF4, Problem: err.Error()}}
		s.Notes = append(s.Notes, "catalogued without metadata: "+err.Error())
		return in.storeRadar(ctx, name, data, rf, "application/x-netcdf", s)
	}
	site := &mkg.RadarSite{Code: v.SiteCode, Name: v.SiteName, Latitude: v.Latitude, Longitude: v.Longitude,
		AltitudeM: v.AltitudeM, BeamWidthDeg: v.BeamWidthDeg}
	sc := mkg.RadarScan{Site: site, Start: timePtr(v.Start), End: timePtr(v.End), ScanType: v.ScanType,
		Format: mkg.RadarCfRadialNetCDF4, Metadata: true}
	for _, sw := range v.Sweeps {
		sc.Sweeps = append(sc.Sweeps, radarSweep(sw.Sweep, sw.Moments, func(m radar.Moment) radar.Moment { return m }))
	}
	rf := &radarFile{scan: sc}
	rf.decode = func(sweep int, moment string) (*quicklook.PPI, error) {
		return ppi(v.Decode(r, int64(len(data)), sweep, moment))
	}
	return in.storeRadar(ctx, name, data, rf, "application/x-netcdf", s)
}

// storeRadar keeps the file and its picture in the file store, then writes
// the catalogue row. Files go first: if the row cannot be written the files
// stay (a retry finds them stored) and nothing refers to a missing file.
func (in *Ingester) storeRadar(ctx context.Context, name string, data []byte, rf *radarFile, ctype string, s *Summary) error {
	if in.files == nil {
		return errors.New("this server has no file store configured")
	}
	s.Read = 1
	sc := &rf.scan
	if sc.Site != nil && sc.Site.Code == "" {
		sc.Site.Code = sc.Site.Name // CfRadial files may state only the site name
	}
	if sc.Site != nil && sc.Site.Code == "" {
		return errors.New("the file does not identify its radar (no sensor id or radar name)")
	}
	if sc.Site != nil {
		sc.Site.Band = mkg.BandOf(sc.Site.WavelengthM)
	}
	if sc.Metadata {
		ql, err := in.quickLook(ctx, rf)
		if errors.Is(err, budget.ErrTooLarge) {
			return err // the sweep declares more than the file holds: refused whole
		}
		if err != nil {
			s.Notes = append(s.Notes, "no quick-look picture: "+err.Error())
		}
		sc.QuickLook = ql
	}
	digest, size, err := in.files.Put(ctx, bytes.NewReader(data), MaxFileBytes)
	if err != nil {
		return err
	}
	sc.File = mkg.StoredFile{Digest: digest, Size: size, ContentType: ctype, Name: baseName(name)}
	res, err := in.store.PutRadarScan(ctx, sc)
	if err != nil {
		return err
	}
	s.count([]mkg.WriteResult{res}, []string{"file"})
	return nil
}

// quickLook renders the lowest sweep that has reflectivity.
func (in *Ingester) quickLook(ctx context.Context, rf *radarFile) (*mkg.StoredFile, error) {
	sweep, moment := lowestReflectivity(rf.scan.Sweeps)
	if sweep < 0 {
		return nil, errors.New("the scan has no reflectivity sweep")
	}
	if rf.scan.ScanType == mkg.ScanRHI {
		return nil, errors.New("RHI scans have no plan-view picture")
	}
	ppi, err := rf.decode(sweep, moment)
	if err != nil {
		return nil, fmt.Errorf("decoding sweep %d %s: %w", sweep+1, moment, err)
	}
	img, err := quicklook.Render(*ppi, quicklook.Reflectivity, QuickLookSize)
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	if err := quicklook.EncodePNG(&buf, img); err != nil {
		return nil, err
	}
	digest, size, err := in.files.Put(ctx, &buf, MaxFileBytes)
	if err != nil {
		return nil, err
	}
	return &mkg.StoredFile{Digest: digest, Size: size, ContentType: "image/png"}, nil
}

// lowestReflectivity returns the sweep with the smallest fixed angle that
// measured reflectivity, and that moment's name; -1 when none did.
func lowestReflectivity(sweeps []mkg.RadarSweep) (int, string) {
	best, name := -1, ""
	for _, q := range reflectivity {
		for i, sw := range sweeps {
			for _, m := range sw.Moments {
				if m.Quantity == q && (best < 0 || sw.FixedAngle < sweeps[best].FixedAngle) {
					best, name = i, m.Name
				}
			}
		}
		if best >= 0 {
			return best, name
		}
	}
	return -1, ""
}

func timePtr(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	t = t.UTC()
	return &t
}

func baseName(name string) string { return filepath.Base(name) }
