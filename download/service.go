package download

import (
	"context"
	"log/slog"
	"time"

	"github.com/bmkg/mkggraph/export"
	"github.com/bmkg/mkggraph/internal/lograte"
	"github.com/bmkg/mkggraph/mkg"
)

// Principals rebuilds, when a link is fetched, the caller it was issued to.
type Principals interface {
	// PrincipalByKeyPrefix returns the principal of the API key with this
	// public prefix as it stands now; an error when the key or its account
	// can no longer be used.
	PrincipalByKeyPrefix(ctx context.Context, prefix string) (*mkg.Principal, error)
	// Anonymous returns the principal of a caller without a key.
	Anonymous(ctx context.Context) (*mkg.Principal, error)
}

// Options configure a Service.
type Options struct {
	Signer     *Signer
	TTL        time.Duration // how long links live; 15 minutes when zero
	Files      mkg.FileStore
	Radar      mkg.RadarReader
	Satellite  mkg.SatelliteReader
	Exporter   *export.Exporter
	Principals Principals
	// BaseURL is prepended to the /downloads/… path of links, e.g.
	// "https://api.example.go.id"; empty gives links relative to the API.
	BaseURL string
	Now     func() time.Time
	Log     *slog.Logger
	// Usage, when set, counts each download an account made, with its
	// bytes, under the dataset it belongs to.
	Usage *mkg.UsageTally
}

// Service issues links (to resolvers, through mkg.Downloader) and serves
// them (ServeHTTP, mounted at GET /downloads/{token}).
type Service struct {
	opt    Options
	outage *lograte.Logger
}

// Path is where links are served.
const Path = "/downloads/"

// New returns a Service.
func New(opt Options) *Service {
	if opt.TTL <= 0 {
		opt.TTL = 15 * time.Minute
	}
	if opt.Now == nil {
		opt.Now = time.Now
	}
	if opt.Log == nil {
		opt.Log = slog.Default()
	}
	return &Service{opt: opt, outage: lograte.New(opt.Log, 10*time.Second)}
}

var _ mkg.Downloader = (*Service)(nil)

// object is what a link serves.
type object struct {
	dataset  mkg.Dataset
	file     *mkg.StoredFile // nil for exports
	modified time.Time
}

// find loads what a link names. NOT_FOUND when it does not exist.
func (s *Service) find(ctx context.Context, kind mkg.DownloadKind, id int64) (*object, error) {
	switch kind {
	case mkg.DownloadRadarScan, mkg.DownloadRadarQuickLook:
		scans, err := s.opt.Radar.RadarScansByID(ctx, []int64{id})
		if err != nil {
			return nil, err
		}
		sc := scans[0]
		if sc == nil {
			return nil, mkg.NotFound("radar scan")
		}
		if kind == mkg.DownloadRadarScan {
			return &object{dataset: sc.Format.Dataset(), file: &sc.File, modified: sc.IngestedAt}, nil
		}
		if sc.QuickLook == nil {
			return nil, mkg.NotFound("radar picture")
		}
		return &object{dataset: mkg.DatasetRadarImage, file: sc.QuickLook, modified: sc.IngestedAt}, nil
	case mkg.DownloadSatellite:
		ps, err := s.opt.Satellite.SatelliteProductsByID(ctx, []int64{id})
		if err != nil {
			return nil, err
		}
		if ps[0] == nil {
			return nil, mkg.NotFound("satellite product")
		}
		return &object{dataset: mkg.DatasetSatellite, file: &ps[0].File, modified: ps[0].IngestedAt}, nil
	}
	return nil, mkg.NotFound("download")
}

// Link implements mkg.Downloader: the caller must be allowed the object's
// dataset now.
func (s *Service) Link(ctx context.Context, kind mkg.DownloadKind, id int64, dataset mkg.Dataset, file mkg.StoredFile) (*mkg.Download, error) {
	p := mkg.PrincipalFrom(ctx)
	if err := p.Access(dataset); err != nil {
		return nil, err
	}
	d := s.issue(p, Claims{Kind: kind, ID: id})
	d.ContentType, d.FileName, d.Size = file.ContentType, file.Name, mkg.Ptr(file.Size)
	return d, nil
}

// Export implements mkg.Downloader.
func (s *Service) Export(ctx context.Context, spec mkg.ExportSpec) (*mkg.Download, error) {
	if err := spec.Validate(); err != nil {
		return nil, err
	}
	p := mkg.PrincipalFrom(ctx)
	if err := spec.Allowed(p); err != nil {
		return nil, err
	}
	d := s.issue(p, Claims{Kind: mkg.DownloadExport, Export: &spec})
	d.ContentType, d.FileName = export.ContentType(spec.Format), export.FileName(spec, s.opt.Now())
	return d, nil
}

func (s *Service) issue(p *mkg.Principal, c Claims) *mkg.Download {
	exp := s.opt.Now().Add(s.opt.TTL).Truncate(time.Second)
	c.Expires = exp.Unix()
	if !p.Anonymous() {
		c.Key = p.KeyPrefix
	}
	return &mkg.Download{URL: s.opt.BaseURL + Path + s.opt.Signer.Sign(c), ExpiresAt: exp}
}
