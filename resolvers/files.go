package resolvers

import (
	"context"

	"github.com/bmkg/mkggraph/graph/model"
	"github.com/bmkg/mkggraph/mkg"
)

// Catalogue removes file-backed entries together with their stored files.
type Catalogue interface {
	// DeleteRadarScan removes a scan and returns how many stored files
	// went with it.
	DeleteRadarScan(ctx context.Context, id int64) (int, error)
	DeleteSatelliteProduct(ctx context.Context, id int64) (int, error)
}

func (r *Resolver) radarScans(ctx context.Context, f mkg.RadarScanFilter, first *int, after *string) (*model.RadarScanConnection, error) {
	p, err := pageArgs(first, after).Resolve(mkg.OrderRadarScans)
	if err != nil {
		return nil, err
	}
	page, err := r.RadarData.RadarScans(ctx, f, p)
	if err != nil {
		return nil, err
	}
	return radarScanConnection(page, after), nil
}

func radarScanConnection(page *mkg.RadarScanPage, after *string) *model.RadarScanConnection {
	c := &model.RadarScanConnection{}
	c.Edges, c.PageInfo = edges(len(page.Scans), func(i int) mkg.Cursor { return page.Cursors[i] }, page.HasNext, after,
		func(i int, cursor string) *model.RadarScanEdge {
			return &model.RadarScanEdge{Cursor: cursor, Node: page.Scans[i]}
		})
	return c
}

func radarScanFilter(in *model.RadarScanFilter) (mkg.RadarScanFilter, error) {
	if in == nil {
		return mkg.RadarScanFilter{}, nil
	}
	f := mkg.RadarScanFilter{From: in.From, To: in.To, Formats: in.Formats}
	var err error
	if f.SiteIDs, err = typedIDs(in.SiteIds, model.TypeRadarSite, "filter.siteIds", "the ID of a radar site"); err != nil {
		return f, err
	}
	return f, f.Validate("filter")
}

func satelliteFilter(in *model.SatelliteProductFilter) mkg.SatelliteFilter {
	if in == nil {
		return mkg.SatelliteFilter{}
	}
	f := mkg.SatelliteFilter{From: in.From, To: in.To}
	if in.Satellite != nil {
		f.Satellite = *in.Satellite
	}
	if in.Band != nil {
		f.Band = *in.Band
	}
	if in.Area != nil {
		f.Area = *in.Area
	}
	return f
}

func exportFormat(f *mkg.ExportFormat) mkg.ExportFormat {
	if f == nil {
		return mkg.ExportCSV
	}
	return *f
}
