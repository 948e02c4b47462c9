package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/bmkg/mkggraph/mkg"
)

const dayLayout = "2006-01-02"

// climateVals is how a day's parameters are stored.
type climateVals struct {
	Values map[mkg.ClimateParameter]mkg.ClimateValue `json:"p"`
	DDDCar mkg.ClimateValue                          `json:"c"`
	Text   string                                    `json:"t,omitempty"`
}

// UpsertClimateDays implements mkg.ClimateStore.
func (s *Store) UpsertClimateDays(ctx context.Context, days []mkg.ClimateDay) ([]mkg.WriteResult, error) {
	out := make([]mkg.WriteResult, len(days))
	err := s.tx(ctx, func(q sqlx.ExtContext) error {
		for i := range days {
			r, err := s.upsertClimateDay(ctx, q, &days[i])
			if err != nil {
				return err
			}
			out[i] = r
		}
		return nil
	})
	return out, err
}

func (s *Store) upsertClimateDay(ctx context.Context, q sqlx.ExtContext, d *mkg.ClimateDay) (mkg.WriteResult, error) {
	b, err := json.Marshal(climateVals{Values: d.Values, DDDCar: d.DDDCar, Text: d.DDDCarText})
	if err != nil {
		return mkg.WriteResult{}, err
	}
	day := d.Date.UTC().Format(dayLayout)
	var old struct {
		ID   int64  `db:"id"`
		Vals string `db:"vals"`
	}
	err = sqlx.GetContext(ctx, q, &old, s.rebind(`SELECT id, vals FROM climate_days WHERE station_wmo = ? AND day = ?`), d.StationWMO, day)
	now := dbTime{s.now()}
	switch {
	case errors.Is(err, sql.ErrNoRows):
		var id int64
		err := sqlx.GetContext(ctx, q, &id, s.rebind(`INSERT INTO climate_days (station_wmo, day, vals, source, updated_at)
			VALUES (?, ?, ?, ?, ?) RETURNING id`), d.StationWMO, day, string(b), d.Source, now)
		return mkg.WriteResult{Outcome: mkg.Inserted, ID: id}, s.wrap(err)
	case err != nil:
		return mkg.WriteResult{}, s.wrap(err)
	case old.Vals == string(b):
		return mkg.WriteResult{Outcome: mkg.Unchanged, ID: old.ID}, nil
	}
	_, err = q.ExecContext(ctx, s.rebind(`UPDATE climate_days SET vals = ?, source = ?, updated_at = ? WHERE id = ?`), string(b), d.Source, now, old.ID)
	return mkg.WriteResult{Outcome: mkg.Updated, ID: old.ID}, s.wrap(err)
}

// ClimateDays implements mkg.ClimateStore.
func (s *Store) ClimateDays(ctx context.Context, wmo string, from, to time.Time) ([]mkg.ClimateDay, error) {
	return only(s.ClimateDaysOfStations(ctx, []string{wmo}, from, to))
}

// ClimateDaysOfStations returns each station's days in [from, to], oldest
// first, in wmos order, in one statement.
func (s *Store) ClimateDaysOfStations(ctx context.Context, wmos []string, from, to time.Time) ([][]mkg.ClimateDay, error) {
	out := make([][]mkg.ClimateDay, len(wmos))
	if len(wmos) == 0 {
		return out, nil
	}
	var rows []struct {
		WMO    string `db:"station_wmo"`
		Day    string `db:"day"`
		Vals   string `db:"vals"`
		Source string `db:"source"`
	}
	if err := s.selectIn(ctx, s.q(), &rows, `SELECT station_wmo, day, vals, source FROM climate_days
		WHERE station_wmo IN (?) AND day >= ? AND day <= ? ORDER BY station_wmo, day`, wmos, from.UTC().Format(dayLayout), to.UTC().Format(dayLayout)); err != nil {
		return nil, err
	}
	days := make([]mkg.ClimateDay, len(rows))
	for i, r := range rows {
		var v climateVals
		if err := json.Unmarshal([]byte(r.Vals), &v); err != nil {
			return nil, err
		}
		date, err := time.Parse(dayLayout, r.Day)
		if err != nil {
			return nil, err
		}
		days[i] = mkg.ClimateDay{StationWMO: r.WMO, Date: date, Values: v.Values, DDDCar: v.DDDCar, DDDCarText: v.Text, Source: r.Source}
	}
	return groupedOf(wmos, days, func(d mkg.ClimateDay) string { return d.StationWMO }), nil
}
