package sqlstore

import (
	"cmp"
	"context"
	"database/sql"
	"slices"
	"strings"

	"github.com/jmoiron/sqlx"

	"github.com/bmkg/mkggraph/mkg"
)

const stationColumns = `st.id, st.wmo_index, st.name, st.kinds, st.latitude, st.longitude, st.elevation_m, st.region,
	st.country, st.status, st.operating_from, st.operating_to, st.sources, st.created_at, st.updated_at`

type stationRow struct {
	ID            int64           `db:"id"`
	WMOIndex      sql.NullString  `db:"wmo_index"`
	Name          string          `db:"name"`
	Kinds         string          `db:"kinds"`
	Latitude      float64         `db:"latitude"`
	Longitude     float64         `db:"longitude"`
	ElevationM    sql.NullFloat64 `db:"elevation_m"`
	Region        string          `db:"region"`
	Country       string          `db:"country"`
	Status        string          `db:"status"`
	OperatingFrom dbNullTime      `db:"operating_from"`
	OperatingTo   dbNullTime      `db:"operating_to"`
	Sources       string          `db:"sources"`
	CreatedAt     dbTime          `db:"created_at"`
	UpdatedAt     dbTime          `db:"updated_at"`
	DistanceKm    sql.NullFloat64 `db:"distance_km"`
	Idx           int             `db:"idx"`
}

func (r *stationRow) station() *mkg.Station {
	s := &mkg.Station{
		ID: r.ID, WMOIndex: r.WMOIndex.String, Name: r.Name, Latitude: r.Latitude, Longitude: r.Longitude,
		Region: r.Region, Country: r.Country, Status: mkg.StationStatus(r.Status),
		OperatingFrom: r.OperatingFrom.Time, OperatingTo: r.OperatingTo.Time,
		Sources: splitList(r.Sources), CreatedAt: r.CreatedAt.Time, UpdatedAt: r.UpdatedAt.Time,
	}
	if r.ElevationM.Valid {
		s.ElevationM = mkg.Ptr(r.ElevationM.Float64)
	}
	for _, k := range splitList(r.Kinds) {
		s.Kinds = append(s.Kinds, mkg.StationKind(k))
	}
	return s
}

// joinList and splitList store small sets as ",a,b," so that one member
// matches with LIKE '%,a,%' on both databases.
func joinList[T ~string](vals []T) string {
	if len(vals) == 0 {
		return ","
	}
	var b strings.Builder
	b.WriteByte(',')
	for _, v := range vals {
		b.WriteString(string(v))
		b.WriteByte(',')
	}
	return b.String()
}

func splitList(s string) []string {
	var out []string
	for _, v := range strings.Split(s, ",") {
		if v != "" {
			out = append(out, v)
		}
	}
	return out
}

// stationQuery builds the filtered station set: a FROM clause with its
// arguments and the WHERE conditions. With a Near filter the FROM is a
// subquery that carries distance_km, so that the outer query can filter and
// order on it in both dialects.
func stationQuery(f mkg.StationFilter) (from string, fromArgs []any, w where) {
	if len(f.Kinds) > 0 {
		var ors []string
		var args []any
		for _, k := range f.Kinds {
			ors = append(ors, "st.kinds LIKE ?")
			args = append(args, "%,"+string(k)+",%")
		}
		w.add(strings.Join(ors, " OR "), args...)
	}
	if f.WMOIndex != "" {
		w.add("st.wmo_index = ?", f.WMOIndex)
	}
	if strings.TrimSpace(f.Search) != "" {
		w.add(`st.search_text LIKE ? ESCAPE '\'`, likePattern(f.Search))
	}
	if len(f.Status) > 0 {
		ph := make([]string, len(f.Status))
		args := make([]any, len(f.Status))
		for i, s := range f.Status {
			ph[i], args[i] = "?", string(s)
		}
		w.add("st.status IN ("+strings.Join(ph, ", ")+")", args...)
	}
	if f.BBox != nil {
		w.bbox(*f.BBox, "st.latitude", "st.longitude")
	}
	if f.Near == nil {
		return "stations st", nil, w
	}
	return near("stations", "st", *f.Near, w)
}

// near returns the FROM item of table's rows (as alias, with latitude and
// longitude columns) that meet w, each with its distance_km from c's
// centre, and the outer condition keeping those within its radius: w gains
// c's bounding box, so that the distance is computed for the rows of the
// box only.
func near(table, alias string, c mkg.Circle, w where) (from string, fromArgs []any, outer where) {
	lat, lon := alias+".latitude", alias+".longitude"
	w.bbox(c.Bounds(), lat, lon)
	inner := "SELECT " + alias + ".*, " + distanceFromH(haversineH(lat, lon, "p.plat", "p.plon")) +
		" AS distance_km FROM " + table + " " + alias + " CROSS JOIN " + pointSQL + " WHERE " + w.sql()
	fromArgs = append([]any{c.Center.Latitude, c.Center.Longitude}, w.args...)
	outer.add(alias+".distance_km <= ?", c.RadiusKm)
	return "(" + inner + ") " + alias, fromArgs, outer
}

// pointSQL makes a one-row table p(plat, plon) from two arguments, so that a
// distance expression names the point's coordinates as columns.
const pointSQL = "(SELECT CAST(? AS DOUBLE PRECISION) AS plat, CAST(? AS DOUBLE PRECISION) AS plon) p"

// Stations implements mkg.StationReader.
func (s *Store) Stations(ctx context.Context, f mkg.StationFilter, p mkg.Page) (*mkg.StationPage, error) {
	if err := f.Validate(); err != nil {
		return nil, err
	}
	from, args, w := stationQuery(f)
	order := mkg.OrderStationName
	orderBy := "st.name, st.id"
	cols := stationColumns
	if f.Near != nil {
		order, orderBy, cols = mkg.OrderStationDistance, "st.distance_km, st.id", stationColumns+", st.distance_km"
	}
	if p.After != nil {
		if p.After.Order != order {
			return nil, mkg.Invalid("after", "cursor belongs to another ordering of this list")
		}
		if err := stationKeyset(&w, order, p.After); err != nil {
			return nil, err
		}
	}
	query := "SELECT " + cols + " FROM " + from + " WHERE " + w.sql() + " ORDER BY " + orderBy + " LIMIT ?"
	args = append(append(args, w.args...), p.Limit+1)
	rows := make([]stationRow, 0, p.Limit+1) // sqlx appends: no regrowth (p.Limit is bounded)
	if err := sqlx.SelectContext(ctx, s.q(), &rows, s.rebind(query), args...); err != nil {
		return nil, s.wrap(err)
	}
	page := &mkg.StationPage{HasNextPage: len(rows) > p.Limit}
	rows = rows[:min(len(rows), p.Limit)]
	stations := make([]*mkg.Station, len(rows))
	for i := range rows {
		stations[i] = rows[i].station()
		edge := mkg.StationEdge{Station: stations[i], Cursor: mkg.Cursor{Order: order, Value: rows[i].Name, ID: rows[i].ID}}
		if rows[i].DistanceKm.Valid {
			edge.DistanceKm = mkg.Ptr(rows[i].DistanceKm.Float64)
			edge.Cursor.Value = formatFloat(rows[i].DistanceKm.Float64)
		}
		page.Edges = append(page.Edges, edge)
	}
	return page, s.attachIdentifiers(ctx, stations)
}

func stationKeyset(w *where, order string, c *mkg.Cursor) error {
	if order == mkg.OrderStationName {
		w.add("st.name > ? OR (st.name = ? AND st.id > ?)", c.Value, c.Value, c.ID)
		return nil
	}
	d, err := c.Float()
	if err != nil {
		return err
	}
	w.add("st.distance_km > ? OR (st.distance_km = ? AND st.id > ?)", d, d, c.ID)
	return nil
}

// CountStations implements mkg.StationReader.
func (s *Store) CountStations(ctx context.Context, f mkg.StationFilter) (int, error) {
	if err := f.Validate(); err != nil {
		return 0, err
	}
	from, args, w := stationQuery(f)
	var n int
	err := sqlx.GetContext(ctx, s.q(), &n, s.rebind("SELECT COUNT(*) FROM "+from+" WHERE "+w.sql()), append(args, w.args...)...)
	return n, s.wrap(err)
}

// StationByWMO implements mkg.StationReader.
func (s *Store) StationByWMO(ctx context.Context, wmo string) (*mkg.Station, error) {
	if !mkg.IsWMOIndex(wmo) {
		return nil, mkg.Invalid("wmoIndex", "WMO index must be 5 digits (got %q)", wmo)
	}
	st, err := s.StationsByWMO(ctx, []string{wmo})
	if err != nil {
		return nil, err
	}
	if st[0] == nil {
		return nil, mkg.NotFound("station")
	}
	return st[0], nil
}

// StationsByID implements mkg.StationReader.
func (s *Store) StationsByID(ctx context.Context, ids []int64) ([]*mkg.Station, error) {
	found, err := s.stationsWhere(ctx, "st.id IN (?)", ids)
	if err != nil {
		return nil, err
	}
	out := make([]*mkg.Station, len(ids))
	for i, id := range ids {
		out[i] = found[id]
	}
	return out, nil
}

// StationsByWMO implements mkg.StationReader.
func (s *Store) StationsByWMO(ctx context.Context, wmos []string) ([]*mkg.Station, error) {
	found, err := s.stationsWhere(ctx, "st.wmo_index IN (?)", wmos)
	if err != nil {
		return nil, err
	}
	byWMO := make(map[string]*mkg.Station, len(found))
	for _, st := range found {
		byWMO[st.WMOIndex] = st
	}
	out := make([]*mkg.Station, len(wmos))
	for i, w := range wmos {
		out[i] = byWMO[w]
	}
	return out, nil
}

func (s *Store) stationsWhere(ctx context.Context, cond string, list any) (map[int64]*mkg.Station, error) {
	out := map[int64]*mkg.Station{}
	if reflectLen(list) == 0 {
		return out, nil
	}
	var rows []stationRow
	if err := s.selectIn(ctx, s.q(), &rows, "SELECT "+stationColumns+" FROM stations st WHERE "+cond, list); err != nil {
		return nil, err
	}
	list2 := make([]*mkg.Station, len(rows))
	for i := range rows {
		list2[i] = rows[i].station()
		out[rows[i].ID] = list2[i]
	}
	return out, s.attachIdentifiers(ctx, list2)
}

// attachIdentifiers loads the identifiers of a set of stations in one statement.
func (s *Store) attachIdentifiers(ctx context.Context, stations []*mkg.Station) error {
	if len(stations) == 0 {
		return nil
	}
	byID := make(map[int64]*mkg.Station, len(stations))
	ids := make([]int64, 0, len(stations))
	for _, st := range stations {
		if _, dup := byID[st.ID]; !dup {
			ids = append(ids, st.ID)
		}
		byID[st.ID] = st
	}
	var rows []struct {
		StationID int64  `db:"station_id"`
		Scheme    string `db:"scheme"`
		Value     string `db:"value"`
	}
	if err := s.selectIn(ctx, s.q(), &rows, `SELECT station_id, scheme, value FROM station_identifiers WHERE station_id IN (?) ORDER BY scheme, value`, ids); err != nil {
		return err
	}
	for _, r := range rows {
		st := byID[r.StationID]
		st.Identifiers = append(st.Identifiers, mkg.Identifier{Scheme: r.Scheme, Value: r.Value})
	}
	// Several entries may share one *Station (same id twice in a batch);
	// copy the list to each pointer that was not the map's.
	for _, st := range stations {
		if byID[st.ID] != st {
			st.Identifiers = byID[st.ID].Identifiers
		}
	}
	return nil
}

// NearestStations implements mkg.StationReader. The ranking is done in Go
// over the stations' positions (one statement reads them, one more the
// chosen stations): a window function over every (point, station) pair
// cost SQLite half a second for 50 points; this costs a few milliseconds
// for the catalogue's ~1,600 stations, with the same distance formula as the
// SQL filters (mkg.DistanceKm).
func (s *Store) NearestStations(ctx context.Context, points []mkg.Point, n int, kinds []mkg.StationKind) ([][]mkg.StationDistance, error) {
	out := make([][]mkg.StationDistance, len(points))
	if len(points) == 0 || n <= 0 {
		return out, nil
	}
	var w where
	if len(kinds) > 0 {
		var ors []string
		for _, k := range kinds {
			ors = append(ors, "st.kinds LIKE ?")
			w.args = append(w.args, "%,"+string(k)+",%")
		}
		w.conds = append(w.conds, strings.Join(ors, " OR "))
	}
	var all []struct {
		ID        int64   `db:"id"`
		Latitude  float64 `db:"latitude"`
		Longitude float64 `db:"longitude"`
	}
	if err := sqlx.SelectContext(ctx, s.q(), &all, s.rebind("SELECT st.id, st.latitude, st.longitude FROM stations st WHERE "+w.sql()), w.args...); err != nil {
		return nil, s.wrap(err)
	}
	type ranked struct {
		id int64
		km float64
	}
	chosen := make([][]ranked, len(points))
	var ids []int64
	for i, p := range points {
		best := make([]ranked, 0, n+1)
		for _, st := range all {
			d := mkg.DistanceKm(p, mkg.Point{Latitude: st.Latitude, Longitude: st.Longitude})
			if len(best) == n && (d > best[n-1].km || d == best[n-1].km && st.ID > best[n-1].id) {
				continue
			}
			at, _ := slices.BinarySearchFunc(best, ranked{st.ID, d}, func(a, b ranked) int {
				return cmp.Or(cmp.Compare(a.km, b.km), cmp.Compare(a.id, b.id))
			})
			best = slices.Insert(best, at, ranked{st.ID, d})
			if len(best) > n {
				best = best[:n]
			}
		}
		chosen[i] = best
		for _, r := range best {
			ids = append(ids, r.id)
		}
	}
	slices.Sort(ids)
	byID, err := s.stationsWhere(ctx, "st.id IN (?)", slices.Compact(ids))
	if err != nil {
		return nil, err
	}
	for i, list := range chosen {
		for _, r := range list {
			if st := byID[r.id]; st != nil {
				out[i] = append(out[i], mkg.StationDistance{Station: st, DistanceKm: r.km})
			}
		}
	}
	return out, nil
}
