package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/bmkg/mkggraph/mkg"
)

const satelliteColumns = `id, satellite, sensor, band, wavelength_um, product, area, start_time, resolution_km, segment,
	segments, format, file_digest, file_size, file_type, file_name, ingested_at`

type satelliteRow struct {
	ID           int64   `db:"id"`
	Satellite    string  `db:"satellite"`
	Sensor       string  `db:"sensor"`
	Band         int     `db:"band"`
	WavelengthUM float64 `db:"wavelength_um"`
	Product      string  `db:"product"`
	Area         string  `db:"area"`
	Start        dbTime  `db:"start_time"`
	ResolutionKm float64 `db:"resolution_km"`
	Segment      int     `db:"segment"`
	Segments     int     `db:"segments"`
	Format       string  `db:"format"`
	FileDigest   string  `db:"file_digest"`
	FileSize     int64   `db:"file_size"`
	FileType     string  `db:"file_type"`
	FileName     string  `db:"file_name"`
	IngestedAt   dbTime  `db:"ingested_at"`
}

func (r *satelliteRow) product() *mkg.SatelliteProduct {
	return &mkg.SatelliteProduct{ID: r.ID, Satellite: r.Satellite, Sensor: r.Sensor, Band: r.Band, WavelengthUM: r.WavelengthUM,
		Product: r.Product, Area: r.Area, Start: r.Start.Time, ResolutionKm: r.ResolutionKm, Segment: r.Segment,
		Segments: r.Segments, Format: r.Format, IngestedAt: r.IngestedAt.Time,
		File: mkg.StoredFile{Digest: r.FileDigest, Size: r.FileSize, ContentType: r.FileType, Name: r.FileName}}
}

// SatelliteProducts implements mkg.SatelliteReader.
func (s *Store) SatelliteProducts(ctx context.Context, f mkg.SatelliteFilter, p mkg.Page) (*mkg.SatellitePage, error) {
	if err := f.Validate("filter"); err != nil {
		return nil, err
	}
	var w where
	if f.Satellite != "" {
		w.add("satellite = ?", f.Satellite)
	}
	if f.Band != 0 {
		w.add("band = ?", f.Band)
	}
	if f.Area != "" {
		w.add("area = ?", f.Area)
	}
	if f.From != nil {
		w.add("start_time >= ?", dbTime{*f.From})
	}
	if f.To != nil {
		w.add("start_time <= ?", dbTime{*f.To})
	}
	if c := p.After; c != nil {
		t, err := time.Parse(time.RFC3339Nano, c.Value)
		if c.Order != mkg.OrderSatellite || err != nil {
			return nil, mkg.Invalid("after", "cursor is not valid for this list")
		}
		w.add("start_time < ? OR (start_time = ? AND id < ?)", dbTime{t}, dbTime{t}, c.ID)
	}
	query := `SELECT ` + satelliteColumns + ` FROM satellite_products WHERE ` + w.sql() + ` ORDER BY start_time DESC, id DESC LIMIT ?`
	var rows []satelliteRow
	if err := sqlx.SelectContext(ctx, s.q(), &rows, s.rebind(query), append(w.args, p.Limit+1)...); err != nil {
		return nil, s.wrap(err)
	}
	page := &mkg.SatellitePage{HasNext: len(rows) > p.Limit}
	for i := range rows[:min(len(rows), p.Limit)] {
		page.Products = append(page.Products, rows[i].product())
		page.Cursors = append(page.Cursors, mkg.Cursor{Order: mkg.OrderSatellite, ID: rows[i].ID,
			Value: rows[i].Start.Time.UTC().Format(time.RFC3339Nano)})
	}
	return page, nil
}

// SatelliteProductsByID implements mkg.SatelliteReader.
func (s *Store) SatelliteProductsByID(ctx context.Context, ids []int64) ([]*mkg.SatelliteProduct, error) {
	return byID(s, ids, `SELECT `+satelliteColumns+` FROM satellite_products WHERE id IN (?)`, func(p *mkg.SatelliteProduct) int64 { return p.ID },
		scanned(ctx, s, func(r *satelliteRow) (*mkg.SatelliteProduct, error) { return r.product(), nil }))
}

// PutSatelliteProduct implements mkg.SatelliteWriter. The catalogue fields
// come from the file's name, and the digest from its contents: the same
// contents again are unchanged whatever they are called.
func (s *Store) PutSatelliteProduct(ctx context.Context, p *mkg.SatelliteProduct) (mkg.WriteResult, error) {
	var id int64
	err := sqlx.GetContext(ctx, s.q(), &id, s.rebind(`SELECT id FROM satellite_products WHERE file_digest = ?`), p.File.Digest)
	if err == nil {
		return mkg.WriteResult{Outcome: mkg.Unchanged, ID: id}, nil
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return mkg.WriteResult{}, s.wrap(err)
	}
	err = sqlx.GetContext(ctx, s.q(), &id, s.rebind(`INSERT INTO satellite_products (satellite, sensor, band, wavelength_um,
		product, area, start_time, resolution_km, segment, segments, format, file_digest, file_size, file_type, file_name, ingested_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (file_digest) DO UPDATE SET file_name = satellite_products.file_name RETURNING id`),
		p.Satellite, p.Sensor, p.Band, p.WavelengthUM, p.Product, p.Area, dbTime{p.Start}, p.ResolutionKm, p.Segment,
		p.Segments, p.Format, p.File.Digest, p.File.Size, p.File.ContentType, p.File.Name, dbTime{s.now()})
	return mkg.WriteResult{Outcome: mkg.Inserted, ID: id}, s.wrap(err)
}

// DeleteSatelliteProduct implements mkg.SatelliteWriter.
func (s *Store) DeleteSatelliteProduct(ctx context.Context, id int64) ([]string, error) {
	return s.deleteWithFiles(ctx, "satellite_products", "satellite product", id, "file_digest")
}
