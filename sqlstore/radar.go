package sqlstore

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/bmkg/mkggraph/mkg"
)

const radarSiteColumns = `id, code, name, latitude, longitude, altitude_m, band, beam_width_deg, wavelength_m`

type radarSiteRow struct {
	ID         int64           `db:"id"`
	Code       string          `db:"code"`
	Name       string          `db:"name"`
	Latitude   float64         `db:"latitude"`
	Longitude  float64         `db:"longitude"`
	AltitudeM  float64         `db:"altitude_m"`
	Band       string          `db:"band"`
	BeamWidth  sql.NullFloat64 `db:"beam_width_deg"`
	Wavelength sql.NullFloat64 `db:"wavelength_m"`
}

func (r *radarSiteRow) site() *mkg.RadarSite {
	s := &mkg.RadarSite{ID: r.ID, Code: r.Code, Name: r.Name, Latitude: r.Latitude, Longitude: r.Longitude,
		AltitudeM: r.AltitudeM, Band: r.Band}
	if r.BeamWidth.Valid {
		s.BeamWidthDeg = mkg.Ptr(r.BeamWidth.Float64)
	}
	if r.Wavelength.Valid {
		s.WavelengthM = mkg.Ptr(r.Wavelength.Float64)
	}
	return s
}

// RadarSites implements mkg.RadarReader.
func (s *Store) RadarSites(ctx context.Context) ([]*mkg.RadarSite, error) {
	var rows []radarSiteRow
	if err := sqlx.SelectContext(ctx, s.q(), &rows, `SELECT `+radarSiteColumns+` FROM radar_sites ORDER BY code`); err != nil {
		return nil, s.wrap(err)
	}
	out := make([]*mkg.RadarSite, len(rows))
	for i := range rows {
		out[i] = rows[i].site()
	}
	return out, nil
}

// RadarSitesByID implements mkg.RadarReader.
func (s *Store) RadarSitesByID(ctx context.Context, ids []int64) ([]*mkg.RadarSite, error) {
	return byID(s, ids, `SELECT `+radarSiteColumns+` FROM radar_sites WHERE id IN (?)`, func(r *mkg.RadarSite) int64 { return r.ID },
		scanned(ctx, s, func(r *radarSiteRow) (*mkg.RadarSite, error) { return r.site(), nil }))
}

const radarScanColumns = `id, site_id, start_time, end_time, scan_type, sweeps, format, metadata, problem,
	file_digest, file_size, file_type, file_name, quicklook_digest, quicklook_size, ingested_at, listed_at`

type radarScanRow struct {
	ID          int64          `db:"id"`
	SiteID      sql.NullInt64  `db:"site_id"`
	Start       dbNullTime     `db:"start_time"`
	End         dbNullTime     `db:"end_time"`
	ScanType    string         `db:"scan_type"`
	Sweeps      string         `db:"sweeps"`
	Format      string         `db:"format"`
	Metadata    bool           `db:"metadata"`
	Problem     string         `db:"problem"`
	FileDigest  string         `db:"file_digest"`
	FileSize    int64          `db:"file_size"`
	FileType    string         `db:"file_type"`
	FileName    string         `db:"file_name"`
	QuickDigest sql.NullString `db:"quicklook_digest"`
	QuickSize   sql.NullInt64  `db:"quicklook_size"`
	IngestedAt  dbTime         `db:"ingested_at"`
	ListedAt    dbTime         `db:"listed_at"`
}

func (r *radarScanRow) scan() (*mkg.RadarScan, error) {
	sc := &mkg.RadarScan{ID: r.ID, Start: r.Start.Time, End: r.End.Time, ScanType: r.ScanType,
		Format: mkg.RadarFormat(r.Format), Metadata: r.Metadata, Problem: r.Problem, IngestedAt: r.IngestedAt.Time,
		File: mkg.StoredFile{Digest: r.FileDigest, Size: r.FileSize, ContentType: r.FileType, Name: r.FileName}}
	if r.SiteID.Valid {
		sc.SiteID = mkg.Ptr(r.SiteID.Int64)
	}
	if r.QuickDigest.Valid {
		sc.QuickLook = &mkg.StoredFile{Digest: r.QuickDigest.String, Size: r.QuickSize.Int64, ContentType: "image/png",
			Name: quickLookName(r.FileName)}
	}
	if err := json.Unmarshal([]byte(r.Sweeps), &sc.Sweeps); err != nil {
		return nil, err
	}
	return sc, nil
}

// quickLookName is the download name of a scan's picture.
func quickLookName(file string) string { return file + ".png" }

// radarConditions builds the filter and the keyset condition of a
// newest-first scan list.
func radarConditions(f mkg.RadarScanFilter, after *mkg.Cursor) (where, error) {
	return radarConditionsOn(f, after, "")
}

// radarConditionsOn is the filter's conditions with the columns prefixed by
// p (an alias and a dot, or nothing).
func radarConditionsOn(f mkg.RadarScanFilter, after *mkg.Cursor, p string) (where, error) {
	var w where
	if len(f.SiteIDs) > 0 {
		w.add(p+"site_id IN ("+placeholders(len(f.SiteIDs))+")", anySlice(f.SiteIDs)...)
	}
	if len(f.Formats) > 0 {
		w.add(p+"format IN ("+placeholders(len(f.Formats))+")", anySlice(f.Formats)...)
	}
	if f.From != nil {
		w.add(p+"start_time >= ?", dbTime{*f.From})
	}
	if f.To != nil {
		w.add(p+"start_time <= ?", dbTime{*f.To})
	}
	if c := after; c != nil {
		t, err := time.Parse(time.RFC3339Nano, c.Value)
		if c.Order != mkg.OrderRadarScans || err != nil {
			return w, mkg.Invalid("after", "cursor is not valid for this list")
		}
		w.add(p+"listed_at < ? OR ("+p+"listed_at = ? AND "+p+"id < ?)", dbTime{t}, dbTime{t}, c.ID)
	}
	return w, nil
}

// RadarScans implements mkg.RadarReader.
func (s *Store) RadarScans(ctx context.Context, f mkg.RadarScanFilter, p mkg.Page) (*mkg.RadarScanPage, error) {
	if err := f.Validate("filter"); err != nil {
		return nil, err
	}
	w, err := radarConditions(f, p.After)
	if err != nil {
		return nil, err
	}
	query := `SELECT ` + radarScanColumns + ` FROM radar_scans WHERE ` + w.sql() + ` ORDER BY listed_at DESC, id DESC LIMIT ?`
	var rows []radarScanRow
	if err := sqlx.SelectContext(ctx, s.q(), &rows, s.rebind(query), append(w.args, p.Limit+1)...); err != nil {
		return nil, s.wrap(err)
	}
	return radarPage(rows, p.Limit)
}

// radarPage turns up to limit+1 rows into a page.
func radarPage(rows []radarScanRow, limit int) (*mkg.RadarScanPage, error) {
	page := &mkg.RadarScanPage{HasNext: len(rows) > limit}
	for i := range rows[:min(len(rows), limit)] {
		sc, err := rows[i].scan()
		if err != nil {
			return nil, err
		}
		page.Scans = append(page.Scans, sc)
		page.Cursors = append(page.Cursors, mkg.Cursor{Order: mkg.OrderRadarScans, ID: rows[i].ID,
			Value: rows[i].ListedAt.Time.UTC().Format(time.RFC3339Nano)})
	}
	return page, nil
}

// RadarScansOfSites implements mkg.RadarReader.
func (s *Store) RadarScansOfSites(ctx context.Context, siteIDs []int64, f mkg.RadarScanFilter, p mkg.Page) ([]*mkg.RadarScanPage, error) {
	f.SiteIDs = siteIDs
	out := make([]*mkg.RadarScanPage, len(siteIDs))
	if err := f.Validate(""); err != nil {
		return nil, err
	}
	if len(siteIDs) == 0 {
		return out, nil
	}
	// As ObservationsOfStations: each site's page through the (site, time)
	// index, never all of a site's scans.
	f.SiteIDs = nil
	w, err := radarConditionsOn(f, p.After, "r.")
	if err != nil {
		return nil, err
	}
	w2, err := radarConditionsOn(f, p.After, "r2.")
	if err != nil {
		return nil, err
	}
	list, listArg, err := s.dialect.valueList("bigint", siteIDs)
	if err != nil {
		return nil, err
	}
	query := `SELECT ` + prefixed("r.", radarScanColumns) + ` FROM ` + list + ` CROSS JOIN radar_scans r
		WHERE r.site_id = s.value AND ` + w.sql() + ` AND r.listed_at >= COALESCE((SELECT r2.listed_at FROM radar_scans r2
		  WHERE r2.site_id = s.value AND ` + w2.sql() + ` ORDER BY r2.listed_at DESC, r2.id DESC LIMIT 1 OFFSET ?), ?)`
	var rows []radarScanRow
	args := append(append(append([]any{listArg}, w.args...), w2.args...), p.Limit, dbTime{})
	if err := sqlx.SelectContext(ctx, s.q(), &rows, s.rebind(query), args...); err != nil {
		return nil, s.wrap(err)
	}
	slices.SortFunc(rows, func(a, b radarScanRow) int { // newest listed first
		if c := b.ListedAt.Time.Compare(a.ListedAt.Time); c != 0 {
			return c
		}
		return cmp.Compare(b.ID, a.ID)
	})
	bySite := map[int64][]radarScanRow{}
	for _, r := range rows {
		bySite[r.SiteID.Int64] = append(bySite[r.SiteID.Int64], r)
	}
	for i, id := range siteIDs {
		if out[i], err = radarPage(bySite[id], p.Limit); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// prefixed qualifies a comma-separated column list with p.
func prefixed(p, columns string) string {
	cols := strings.Split(columns, ",")
	for i, c := range cols {
		cols[i] = p + strings.TrimSpace(c)
	}
	return strings.Join(cols, ", ")
}

// RadarScansByID implements mkg.RadarReader.
func (s *Store) RadarScansByID(ctx context.Context, ids []int64) ([]*mkg.RadarScan, error) {
	return byID(s, ids, `SELECT `+radarScanColumns+` FROM radar_scans WHERE id IN (?)`, func(sc *mkg.RadarScan) int64 { return sc.ID },
		scanned(ctx, s, (*radarScanRow).scan))
}

// PutRadarScan implements mkg.RadarWriter: one transaction upserts the
// site and the scan, keyed by the file's digest.
func (s *Store) PutRadarScan(ctx context.Context, sc *mkg.RadarScan) (mkg.WriteResult, error) {
	var res mkg.WriteResult
	err := s.tx(ctx, func(q sqlx.ExtContext) error {
		var err error
		if sc.Site != nil {
			id, err := s.upsertRadarSite(ctx, q, sc.Site)
			if err != nil {
				return err
			}
			sc.SiteID = &id
		}
		res, err = s.upsertRadarScan(ctx, q, sc)
		return err
	})
	return res, err
}

func (s *Store) upsertRadarSite(ctx context.Context, q sqlx.ExtContext, st *mkg.RadarSite) (int64, error) {
	var id int64
	err := sqlx.GetContext(ctx, q, &id, s.rebind(`INSERT INTO radar_sites (code, name, latitude, longitude, altitude_m, band, beam_width_deg, wavelength_m)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (code) DO UPDATE SET name = excluded.name, latitude = excluded.latitude, longitude = excluded.longitude,
			altitude_m = excluded.altitude_m,
			band = CASE WHEN excluded.band = '' THEN radar_sites.band ELSE excluded.band END,
			beam_width_deg = COALESCE(excluded.beam_width_deg, radar_sites.beam_width_deg),
			wavelength_m = COALESCE(excluded.wavelength_m, radar_sites.wavelength_m)
		RETURNING id`), st.Code, st.Name, st.Latitude, st.Longitude, st.AltitudeM, st.Band, st.BeamWidthDeg, st.WavelengthM)
	return id, s.wrap(err)
}

func (s *Store) upsertRadarScan(ctx context.Context, q sqlx.ExtContext, sc *mkg.RadarScan) (mkg.WriteResult, error) {
	sweeps, err := json.Marshal(sc.Sweeps)
	if err != nil {
		return mkg.WriteResult{}, err
	}
	now := s.now().UTC()
	listed := now
	if sc.Start != nil {
		listed = *sc.Start
	}
	var ql struct {
		digest *string
		size   *int64
	}
	if sc.QuickLook != nil {
		ql.digest, ql.size = &sc.QuickLook.Digest, &sc.QuickLook.Size
	}
	cols := []any{sc.SiteID, nullTime(sc.Start), nullTime(sc.End), sc.ScanType, string(sweeps), string(sc.Format),
		sc.Metadata, sc.Problem, sc.File.Size, sc.File.ContentType, sc.File.Name, ql.digest, ql.size}
	var old radarScanRow
	err = sqlx.GetContext(ctx, q, &old, s.rebind(`SELECT `+radarScanColumns+` FROM radar_scans WHERE file_digest = ?`), sc.File.Digest)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		var id int64
		err = sqlx.GetContext(ctx, q, &id, s.rebind(`INSERT INTO radar_scans (site_id, start_time, end_time, scan_type, sweeps,
			format, metadata, problem, file_size, file_type, file_name, quicklook_digest, quicklook_size, file_digest, ingested_at, listed_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`),
			append(cols, sc.File.Digest, dbTime{now}, dbTime{listed})...)
		return mkg.WriteResult{Outcome: mkg.Inserted, ID: id}, s.wrap(err)
	case err != nil:
		return mkg.WriteResult{}, s.wrap(err)
	}
	if unchangedScan(&old, sc, string(sweeps)) {
		return mkg.WriteResult{Outcome: mkg.Unchanged, ID: old.ID}, nil
	}
	_, err = q.ExecContext(ctx, s.rebind(`UPDATE radar_scans SET site_id = ?, start_time = ?, end_time = ?, scan_type = ?, sweeps = ?,
		format = ?, metadata = ?, problem = ?, file_size = ?, file_type = ?, file_name = ?, quicklook_digest = ?, quicklook_size = ?,
		listed_at = ? WHERE id = ?`), append(cols, dbTime{listed}, old.ID)...)
	return mkg.WriteResult{Outcome: mkg.Updated, ID: old.ID}, s.wrap(err)
}

// unchangedScan reports whether storing sc again would change nothing a
// client sees (the file's name may differ: the first name is kept).
func unchangedScan(old *radarScanRow, sc *mkg.RadarScan, sweeps string) bool {
	sameTime := func(a, b *time.Time) bool {
		return (a == nil) == (b == nil) && (a == nil || a.Equal(*b))
	}
	quick := ""
	if sc.QuickLook != nil {
		quick = sc.QuickLook.Digest
	}
	return old.SiteID.Valid == (sc.SiteID != nil) && (sc.SiteID == nil || old.SiteID.Int64 == *sc.SiteID) &&
		sameTime(old.Start.Time, sc.Start) && sameTime(old.End.Time, sc.End) && old.ScanType == sc.ScanType &&
		old.Sweeps == sweeps && old.Format == string(sc.Format) && old.Metadata == sc.Metadata &&
		old.Problem == sc.Problem && old.QuickDigest.String == quick && old.FileName == sc.File.Name
}

// DeleteRadarScan implements mkg.RadarWriter.
func (s *Store) DeleteRadarScan(ctx context.Context, id int64) ([]string, error) {
	return s.deleteWithFiles(ctx, "radar_scans", "radar scan", id, "file_digest", "quicklook_digest")
}

// deleteWithFiles deletes row id of table (what names it when there is
// none) and returns the digests of its files (in digestColumns, NULL for
// none) that no catalogue row refers to any more.
func (s *Store) deleteWithFiles(ctx context.Context, table, what string, id int64, digestColumns ...string) ([]string, error) {
	var unreferenced []string
	err := s.tx(ctx, func(q sqlx.ExtContext) error {
		found := make([]sql.NullString, len(digestColumns))
		dest := make([]any, len(found))
		for i := range found {
			dest[i] = &found[i]
		}
		err := q.QueryRowxContext(ctx, s.rebind(`SELECT `+strings.Join(digestColumns, ", ")+` FROM `+table+` WHERE id = ?`), id).Scan(dest...)
		if errors.Is(err, sql.ErrNoRows) {
			return mkg.NotFound(what)
		}
		if err != nil {
			return s.wrap(err)
		}
		if _, err := q.ExecContext(ctx, s.rebind(`DELETE FROM `+table+` WHERE id = ?`), id); err != nil {
			return s.wrap(err)
		}
		var digests []string
		for _, d := range found {
			if d.Valid {
				digests = append(digests, d.String)
			}
		}
		unreferenced, err = s.unreferenced(ctx, q, digests)
		return err
	})
	return unreferenced, err
}

// unreferenced returns the digests no catalogue row refers to any more.
func (s *Store) unreferenced(ctx context.Context, q sqlx.ExtContext, digests []string) ([]string, error) {
	var out []string
	for _, d := range digests {
		var n int
		err := sqlx.GetContext(ctx, q, &n, s.rebind(`SELECT
			(SELECT COUNT(*) FROM radar_scans WHERE file_digest = ? OR quicklook_digest = ?) +
			(SELECT COUNT(*) FROM satellite_products WHERE file_digest = ?)`), d, d, d)
		if err != nil {
			return nil, s.wrap(err)
		}
		if n == 0 {
			out = append(out, d)
		}
	}
	return out, nil
}

func anySlice[T any](xs []T) []any {
	out := make([]any, len(xs))
	for i, x := range xs {
		out[i] = x
	}
	return out
}
