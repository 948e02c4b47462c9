package mkg

import (
	"context"
	"time"
)

// SatelliteProduct is one satellite data file in the catalogue, described
// from its name (the Himawari naming conventions state the satellite, band,
// area, time and resolution; the contents are kept as received).
type SatelliteProduct struct {
	ID           int64
	Satellite    string // e.g. "Himawari-9"
	Sensor       string // e.g. "AHI"
	Band         int    // 0 when the product is not a single band
	WavelengthUM float64
	Product      string // e.g. "L1 HSD"
	Area         string // e.g. "FLDK" (full disk)
	Start        time.Time
	ResolutionKm float64
	Segment      int // HSD segment number and count; 0 when not segmented
	Segments     int
	Format       string // "HSD" or "NETCDF"
	File         StoredFile
	IngestedAt   time.Time
}

// OrderSatellite names the ordering of product lists (newest first), for
// cursors.
const OrderSatellite = "satellite_time_desc"

// SatelliteFilter selects satellite products.
type SatelliteFilter struct {
	Satellite string
	Band      int
	Area      string
	From, To  *time.Time
}

// Validate checks the filter; prefix names the argument holding it.
func (f SatelliteFilter) Validate(prefix string) error {
	if f.Band < 0 || f.Band > 16 {
		return Invalid(fieldPath(prefix, "band"), "band %d is not an AHI band (1–16)", f.Band)
	}
	return validateWindow(f.From, f.To, prefix)
}

// SatellitePage is one page of products, newest first.
type SatellitePage struct {
	Products []*SatelliteProduct
	Cursors  []Cursor // one per product
	HasNext  bool
}

// SatelliteReader reads the satellite catalogue.
type SatelliteReader interface {
	// SatelliteProducts lists products newest first.
	SatelliteProducts(ctx context.Context, f SatelliteFilter, p Page) (*SatellitePage, error)
	SatelliteProductsByID(ctx context.Context, ids []int64) ([]*SatelliteProduct, error)
}

// SatelliteWriter changes the satellite catalogue.
type SatelliteWriter interface {
	// PutSatelliteProduct catalogues a product whose file is stored; the
	// same file (digest) again is unchanged.
	PutSatelliteProduct(ctx context.Context, p *SatelliteProduct) (WriteResult, error)
	// DeleteSatelliteProduct removes a product and returns the digests no
	// longer referenced, for the caller to delete from the file store.
	DeleteSatelliteProduct(ctx context.Context, id int64) ([]string, error)
}
