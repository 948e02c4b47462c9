package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/bmkg/mkggraph/mkg"
)

// PutAQStation implements mkg.AQStore.
func (s *Store) PutAQStation(ctx context.Context, st mkg.AQStation) error {
	_, err := s.q().ExecContext(ctx, s.rebind(`INSERT INTO aq_stations (code, name, latitude, longitude, operator) VALUES (?, ?, ?, ?, ?)
		ON CONFLICT (code) DO UPDATE SET name = excluded.name, operator = excluded.operator,
			latitude = COALESCE(excluded.latitude, aq_stations.latitude), longitude = COALESCE(excluded.longitude, aq_stations.longitude)`),
		st.Code, st.Name, st.Latitude, st.Longitude, st.Operator)
	return s.wrap(err)
}

// AQStations implements mkg.AQStore.
func (s *Store) AQStations(ctx context.Context) ([]*mkg.AQStation, error) {
	var rows []struct {
		ID        int64           `db:"id"`
		Code      string          `db:"code"`
		Name      string          `db:"name"`
		Latitude  sql.NullFloat64 `db:"latitude"`
		Longitude sql.NullFloat64 `db:"longitude"`
		Operator  string          `db:"operator"`
	}
	if err := sqlx.SelectContext(ctx, s.q(), &rows, `SELECT id, code, name, latitude, longitude, operator FROM aq_stations ORDER BY code`); err != nil {
		return nil, s.wrap(err)
	}
	out := make([]*mkg.AQStation, len(rows))
	for i, r := range rows {
		out[i] = &mkg.AQStation{ID: r.ID, Code: r.Code, Name: r.Name, Operator: r.Operator}
		if r.Latitude.Valid && r.Longitude.Valid {
			out[i].Latitude, out[i].Longitude = mkg.Ptr(r.Latitude.Float64), mkg.Ptr(r.Longitude.Float64)
		}
	}
	return out, nil
}

// UpsertAQMeasurements implements mkg.AQStore. A batch costs one read of
// the stored values it may touch, one multi-row insert of the new ones
// and an update per changed value (a whole file's worth of values is tens
// of thousands of rows).
func (s *Store) UpsertAQMeasurements(ctx context.Context, ms []mkg.AQMeasurement) ([]mkg.WriteResult, error) {
	out := make([]mkg.WriteResult, len(ms))
	err := s.tx(ctx, func(q sqlx.ExtContext) error {
		old, err := s.storedAQ(ctx, q, ms)
		if err != nil {
			return err
		}
		var fresh []int
		for i, m := range ms {
			o, ok := old[aqKey(m.StationCode, m.Date.UTC().Format(dayLayout), m.Pollutant, m.Kind)]
			switch {
			case !ok:
				fresh = append(fresh, i)
				out[i] = mkg.WriteResult{Outcome: mkg.Inserted}
			case o.Value == m.Value && o.Unit == m.Unit:
				out[i] = mkg.WriteResult{Outcome: mkg.Unchanged, ID: o.ID}
			default:
				if _, err := q.ExecContext(ctx, s.rebind(`UPDATE aq_measurements SET value = ?, unit = ?, source = ? WHERE id = ?`),
					m.Value, m.Unit, m.Source, o.ID); err != nil {
					return s.wrap(err)
				}
				out[i] = mkg.WriteResult{Outcome: mkg.Updated, ID: o.ID}
			}
		}
		return s.insertAQ(ctx, q, ms, fresh)
	})
	return out, err
}

type storedAQValue struct {
	ID        int64   `db:"id"`
	Code      string  `db:"station_code"`
	Day       string  `db:"day"`
	Pollutant string  `db:"pollutant"`
	Kind      string  `db:"kind"`
	Value     float64 `db:"value"`
	Unit      string  `db:"unit"`
}

func aqKey(code, day, pollutant, kind string) string {
	return code + "\x1f" + day + "\x1f" + pollutant + "\x1f" + kind
}

// storedAQ reads the stored values of the batch's stations and days.
func (s *Store) storedAQ(ctx context.Context, q sqlx.ExtContext, ms []mkg.AQMeasurement) (map[string]storedAQValue, error) {
	codes, days := map[string]bool{}, map[string]bool{}
	for _, m := range ms {
		codes[m.StationCode], days[m.Date.UTC().Format(dayLayout)] = true, true
	}
	var rows []storedAQValue
	if err := s.selectIn(ctx, q, &rows, `SELECT id, station_code, day, pollutant, kind, value, unit FROM aq_measurements
		WHERE station_code IN (?) AND day IN (?)`, keys(codes), keys(days)); err != nil {
		return nil, err
	}
	out := make(map[string]storedAQValue, len(rows))
	for _, r := range rows {
		out[aqKey(r.Code, r.Day, r.Pollutant, r.Kind)] = r
	}
	return out, nil
}

func keys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	return out
}

// insertAQ inserts ms[i] for i in idx with one statement.
func (s *Store) insertAQ(ctx context.Context, q sqlx.ExtContext, ms []mkg.AQMeasurement, idx []int) error {
	if len(idx) == 0 {
		return nil
	}
	args := make([]any, 0, 7*len(idx))
	for _, i := range idx {
		m := ms[i]
		args = append(args, m.StationCode, m.Date.UTC().Format(dayLayout), m.Pollutant, m.Kind, m.Value, m.Unit, m.Source)
	}
	rows := strings.TrimSuffix(strings.Repeat("(?, ?, ?, ?, ?, ?, ?), ", len(idx)), ", ")
	_, err := q.ExecContext(ctx, s.rebind(`INSERT INTO aq_measurements (station_code, day, pollutant, kind, value, unit, source) VALUES `+rows), args...)
	return s.wrap(err)
}

type aqDayRow struct {
	ID               int64         `db:"id"`
	StationCode      string        `db:"station_code"`
	Day              string        `db:"day"`
	ReportedISPU     sql.NullInt64 `db:"reported_ispu"`
	ReportedCritical string        `db:"reported_critical"`
	ReportedCategory string        `db:"reported_category"`
	Notes            string        `db:"notes"`
	ISPU             sql.NullInt64 `db:"ispu"`
	Critical         string        `db:"critical"`
	Category         string        `db:"category"`
	Table            string        `db:"table_name"`
}

const aqDayColumns = `id, station_code, day, reported_ispu, reported_critical, reported_category, notes, ispu, critical, category, table_name`

func aqDayRowOf(d *mkg.AQDay) (aqDayRow, error) {
	notes, err := json.Marshal(append([]string{}, d.Notes...))
	if err != nil {
		return aqDayRow{}, err
	}
	r := aqDayRow{StationCode: d.StationCode, Day: d.Date.UTC().Format(dayLayout), ReportedCritical: d.ReportedCritical,
		ReportedCategory: d.ReportedCategory, Notes: string(notes), Critical: strings.Join(d.Critical, ","), Category: d.Category, Table: d.Table}
	if d.ReportedISPU != nil {
		r.ReportedISPU = sql.NullInt64{Int64: int64(*d.ReportedISPU), Valid: true}
	}
	if d.ISPU != nil {
		r.ISPU = sql.NullInt64{Int64: int64(*d.ISPU), Valid: true}
	}
	return r, nil
}

func (r *aqDayRow) day() (*mkg.AQDay, error) {
	date, err := time.Parse(dayLayout, r.Day)
	if err != nil {
		return nil, err
	}
	d := &mkg.AQDay{StationCode: r.StationCode, Date: date, ReportedCritical: r.ReportedCritical, ReportedCategory: r.ReportedCategory,
		Category: r.Category, Table: r.Table}
	if r.ReportedISPU.Valid {
		d.ReportedISPU = mkg.Ptr(int(r.ReportedISPU.Int64))
	}
	if r.ISPU.Valid {
		d.ISPU = mkg.Ptr(int(r.ISPU.Int64))
	}
	if r.Critical != "" {
		d.Critical = strings.Split(r.Critical, ",")
	}
	return d, json.Unmarshal([]byte(r.Notes), &d.Notes)
}

// UpsertAQDays implements mkg.AQStore, a batch with one read and one
// multi-row insert (and an update per changed day).
func (s *Store) UpsertAQDays(ctx context.Context, days []mkg.AQDay) ([]mkg.WriteResult, error) {
	out := make([]mkg.WriteResult, len(days))
	err := s.tx(ctx, func(q sqlx.ExtContext) error {
		rows := make([]aqDayRow, len(days))
		codes, dates := map[string]bool{}, map[string]bool{}
		for i := range days {
			var err error
			if rows[i], err = aqDayRowOf(&days[i]); err != nil {
				return err
			}
			codes[rows[i].StationCode], dates[rows[i].Day] = true, true
		}
		var stored []aqDayRow
		err := s.selectIn(ctx, q, &stored, `SELECT `+aqDayColumns+` FROM aq_days WHERE station_code IN (?) AND day IN (?)`, keys(codes), keys(dates))
		if err != nil {
			return err
		}
		old := make(map[string]aqDayRow, len(stored))
		for _, r := range stored {
			old[r.StationCode+"\x1f"+r.Day] = r
		}
		var fresh []aqDayRow
		for i, r := range rows {
			o, ok := old[r.StationCode+"\x1f"+r.Day]
			if !ok {
				fresh, out[i] = append(fresh, r), mkg.WriteResult{Outcome: mkg.Inserted}
				continue
			}
			if out[i], err = s.updateAQDay(ctx, q, r, o); err != nil {
				return err
			}
		}
		return s.insertAQDays(ctx, q, fresh)
	})
	return out, err
}

func aqDayValues(r aqDayRow) []any {
	return []any{r.ReportedISPU, r.ReportedCritical, r.ReportedCategory, r.Notes, r.ISPU, r.Critical, r.Category, r.Table}
}

func (s *Store) updateAQDay(ctx context.Context, q sqlx.ExtContext, r, old aqDayRow) (mkg.WriteResult, error) {
	r.ID = old.ID
	if r == old {
		return mkg.WriteResult{Outcome: mkg.Unchanged, ID: old.ID}, nil
	}
	_, err := q.ExecContext(ctx, s.rebind(`UPDATE aq_days SET reported_ispu = ?, reported_critical = ?, reported_category = ?, notes = ?,
		ispu = ?, critical = ?, category = ?, table_name = ? WHERE id = ?`), append(aqDayValues(r), old.ID)...)
	return mkg.WriteResult{Outcome: mkg.Updated, ID: old.ID}, s.wrap(err)
}

func (s *Store) insertAQDays(ctx context.Context, q sqlx.ExtContext, rows []aqDayRow) error {
	if len(rows) == 0 {
		return nil
	}
	args := make([]any, 0, 10*len(rows))
	for _, r := range rows {
		args = append(append(args, aqDayValues(r)...), r.StationCode, r.Day)
	}
	values := strings.TrimSuffix(strings.Repeat("(?, ?, ?, ?, ?, ?, ?, ?, ?, ?), ", len(rows)), ", ")
	_, err := q.ExecContext(ctx, s.rebind(`INSERT INTO aq_days (reported_ispu, reported_critical, reported_category, notes,
		ispu, critical, category, table_name, station_code, day) VALUES `+values), args...)
	return s.wrap(err)
}

// AQMeasurements implements mkg.AQStore.
func (s *Store) AQMeasurements(ctx context.Context, code string, from, to time.Time) ([]*mkg.AQMeasurement, error) {
	return only(s.AQMeasurementsOfStations(ctx, []string{code}, from, to))
}

// AQMeasurementsOfStations implements mkg.AQStore.
func (s *Store) AQMeasurementsOfStations(ctx context.Context, codes []string, from, to time.Time) ([][]*mkg.AQMeasurement, error) {
	out := make([][]*mkg.AQMeasurement, len(codes))
	if len(codes) == 0 {
		return out, nil
	}
	var rows []struct {
		Code      string  `db:"station_code"`
		Day       string  `db:"day"`
		Pollutant string  `db:"pollutant"`
		Kind      string  `db:"kind"`
		Value     float64 `db:"value"`
		Unit      string  `db:"unit"`
		Source    string  `db:"source"`
	}
	if err := s.selectIn(ctx, s.q(), &rows, `SELECT station_code, day, pollutant, kind, value, unit, source FROM aq_measurements
		WHERE station_code IN (?) AND day >= ? AND day <= ? ORDER BY station_code, day, pollutant, kind`,
		codes, from.UTC().Format(dayLayout), to.UTC().Format(dayLayout)); err != nil {
		return nil, err
	}
	ms := make([]*mkg.AQMeasurement, len(rows))
	for i, r := range rows {
		date, err := time.Parse(dayLayout, r.Day)
		if err != nil {
			return nil, err
		}
		ms[i] = &mkg.AQMeasurement{StationCode: r.Code, Date: date, Pollutant: r.Pollutant, Kind: r.Kind,
			Value: r.Value, Unit: r.Unit, Source: r.Source}
	}
	return groupedOf(codes, ms, func(m *mkg.AQMeasurement) string { return m.StationCode }), nil
}

// AQDays implements mkg.AQStore.
func (s *Store) AQDays(ctx context.Context, code string, from, to time.Time) ([]*mkg.AQDay, error) {
	return only(s.AQDaysOfStations(ctx, []string{code}, from, to))
}

// AQDaysOfStations implements mkg.AQStore.
func (s *Store) AQDaysOfStations(ctx context.Context, codes []string, from, to time.Time) ([][]*mkg.AQDay, error) {
	out := make([][]*mkg.AQDay, len(codes))
	if len(codes) == 0 {
		return out, nil
	}
	var rows []aqDayRow
	err := s.selectIn(ctx, s.q(), &rows, `SELECT `+aqDayColumns+` FROM aq_days WHERE station_code IN (?) AND day >= ? AND day <= ? ORDER BY station_code, day`,
		codes, from.UTC().Format(dayLayout), to.UTC().Format(dayLayout))
	if err != nil {
		return nil, err
	}
	days := make([]*mkg.AQDay, len(rows))
	for i := range rows {
		if days[i], err = rows[i].day(); err != nil {
			return nil, err
		}
	}
	return groupedOf(codes, days, func(d *mkg.AQDay) string { return d.StationCode }), nil
}
