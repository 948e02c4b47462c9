package sqlstore

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"slices"
	"strconv"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/bmkg/mkggraph/mkg"
)

// The access store: datasets' classifications here; accounts and grants in
// access_accounts.go, API keys in access_keys.go, the audit log in
// access_audit.go. Every change runs in one transaction with its audit
// event.

var _ mkg.AccessStore = (*Store)(nil)

// Classifications implements mkg.AccessStore: one statement, read on every
// request that authenticates. A dataset missing from the table is left out
// (mkg.Principal counts it as restricted).
func (s *Store) Classifications(ctx context.Context) (map[mkg.Dataset]mkg.Classification, error) {
	var rows []struct {
		Name           string `db:"name"`
		Classification string `db:"classification"`
	}
	if err := sqlx.SelectContext(ctx, s.q(), &rows, `SELECT name, classification FROM datasets`); err != nil {
		return nil, s.wrap(err)
	}
	out := make(map[mkg.Dataset]mkg.Classification, len(rows))
	for _, r := range rows {
		out[mkg.Dataset(r.Name)] = mkg.Classification(r.Classification)
	}
	return out, nil
}

type datasetRow struct {
	Name           string `db:"name"`
	Classification string `db:"classification"`
	UpdatedAt      dbTime `db:"updated_at"`
	UpdatedBy      string `db:"updated_by"`
}

func (r *datasetRow) info() mkg.DatasetInfo {
	return mkg.DatasetInfo{Dataset: mkg.Dataset(r.Name), Classification: mkg.Classification(r.Classification),
		UpdatedAt: r.UpdatedAt.Time, UpdatedBy: r.UpdatedBy}
}

// DatasetInfos implements mkg.AccessStore, in the order of mkg.Datasets
// (names the code does not know, if any, last).
func (s *Store) DatasetInfos(ctx context.Context) ([]mkg.DatasetInfo, error) {
	var rows []datasetRow
	if err := sqlx.SelectContext(ctx, s.q(), &rows, `SELECT name, classification, updated_at, updated_by FROM datasets`); err != nil {
		return nil, s.wrap(err)
	}
	rank := func(name string) int {
		if i := slices.Index(mkg.Datasets, mkg.Dataset(name)); i >= 0 {
			return i
		}
		return len(mkg.Datasets)
	}
	slices.SortFunc(rows, func(a, b datasetRow) int {
		return cmp.Or(cmp.Compare(rank(a.Name), rank(b.Name)), cmp.Compare(a.Name, b.Name))
	})
	out := make([]mkg.DatasetInfo, len(rows))
	for i := range rows {
		out[i] = rows[i].info()
	}
	return out, nil
}

// SetClassification implements mkg.AccessStore. The audit event keeps the
// classification before and after.
func (s *Store) SetClassification(ctx context.Context, by mkg.Actor, d mkg.Dataset, c mkg.Classification) (*mkg.DatasetInfo, error) {
	d, err := mkg.ParseDataset(string(d), "dataset")
	if err != nil {
		return nil, err
	}
	c, err = mkg.ParseClassification(string(c), "classification")
	if err != nil {
		return nil, err
	}
	var out mkg.DatasetInfo
	err = s.tx(ctx, func(q sqlx.ExtContext) error {
		now := s.now()
		var before sql.NullString
		err := sqlx.GetContext(ctx, q, &before, s.rebind(`SELECT classification FROM datasets WHERE name = ?`+s.dialect.forUpdate), string(d))
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return s.wrap(err)
		}
		_, err = q.ExecContext(ctx, s.rebind(`INSERT INTO datasets (name, classification, updated_at, updated_by) VALUES (?, ?, ?, ?)
			ON CONFLICT (name) DO UPDATE SET classification = excluded.classification, updated_at = excluded.updated_at,
			updated_by = excluded.updated_by`), string(d), string(c), dbTime{now}, by.Label)
		if err != nil {
			return s.wrap(err)
		}
		var from any // null when the dataset had no classification stored
		if before.Valid {
			from = before.String
		}
		err = s.record(ctx, q, by, now, "dataset.classify", "dataset", string(d), map[string]any{"from": from, "to": string(c)})
		if err != nil {
			return err
		}
		var row datasetRow
		err = sqlx.GetContext(ctx, q, &row, s.rebind(`SELECT name, classification, updated_at, updated_by FROM datasets WHERE name = ?`), string(d))
		out = row.info()
		return s.wrap(err)
	})
	if err != nil {
		return nil, err
	}
	return &out, nil
}

// nullID stores an id of 0 (no account) as NULL.
func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

func formatID(id int64) string { return strconv.FormatInt(id, 10) }

// jsonTime renders an optional time for audit details.
func jsonTime(t *time.Time) any {
	if t == nil {
		return nil
	}
	return t.UTC().Format(time.RFC3339Nano)
}
