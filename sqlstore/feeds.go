package sqlstore

import (
	"context"
	"database/sql"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/bmkg/mkggraph/mkg"
)

var _ mkg.FeedStore = (*Store)(nil)

const feedColumns = `name, kind, url, path, format, interval_ms, enabled, description, created_at, updated_at,
	etag, last_modified, body_hash, last_fetch_at, last_success_at, last_error_at, last_error, failures, next_run_at,
	last_inserted, last_updated, last_unchanged, last_rejected,
	total_inserted, total_updated, total_unchanged, total_rejected`

type feedRow struct {
	Name           string     `db:"name"`
	Kind           string     `db:"kind"`
	URL            string     `db:"url"`
	Path           string     `db:"path"`
	Format         string     `db:"format"`
	IntervalMS     int64      `db:"interval_ms"`
	Enabled        bool       `db:"enabled"`
	Description    string     `db:"description"`
	CreatedAt      dbTime     `db:"created_at"`
	UpdatedAt      dbTime     `db:"updated_at"`
	ETag           string     `db:"etag"`
	LastModified   string     `db:"last_modified"`
	BodyHash       string     `db:"body_hash"`
	LastFetchAt    dbNullTime `db:"last_fetch_at"`
	LastSuccessAt  dbNullTime `db:"last_success_at"`
	LastErrorAt    dbNullTime `db:"last_error_at"`
	LastError      string     `db:"last_error"`
	Failures       int        `db:"failures"`
	NextRunAt      dbNullTime `db:"next_run_at"`
	LastInserted   int        `db:"last_inserted"`
	LastUpdated    int        `db:"last_updated"`
	LastUnchanged  int        `db:"last_unchanged"`
	LastRejected   int        `db:"last_rejected"`
	TotalInserted  int        `db:"total_inserted"`
	TotalUpdated   int        `db:"total_updated"`
	TotalUnchanged int        `db:"total_unchanged"`
	TotalRejected  int        `db:"total_rejected"`
}

func (r feedRow) feed() mkg.Feed {
	return mkg.Feed{Name: r.Name, Kind: mkg.FeedKind(r.Kind), URL: r.URL, Path: r.Path, Format: r.Format,
		Interval: time.Duration(r.IntervalMS) * time.Millisecond, Enabled: r.Enabled, Description: r.Description,
		CreatedAt: r.CreatedAt.Time, UpdatedAt: r.UpdatedAt.Time,
		State: mkg.FeedState{ETag: r.ETag, LastModified: r.LastModified, BodyHash: r.BodyHash,
			LastFetchAt: r.LastFetchAt.Time, LastSuccessAt: r.LastSuccessAt.Time, LastErrorAt: r.LastErrorAt.Time,
			LastError: r.LastError, Failures: r.Failures, NextRunAt: r.NextRunAt.Time,
			LastRun: mkg.FeedCounts{Inserted: r.LastInserted, Updated: r.LastUpdated, Unchanged: r.LastUnchanged, Rejected: r.LastRejected},
			Totals:  mkg.FeedCounts{Inserted: r.TotalInserted, Updated: r.TotalUpdated, Unchanged: r.TotalUnchanged, Rejected: r.TotalRejected}}}
}

// Feeds implements mkg.FeedStore in one statement.
func (s *Store) Feeds(ctx context.Context) ([]mkg.Feed, error) {
	var rows []feedRow
	if err := sqlx.SelectContext(ctx, s.q(), &rows, `SELECT `+feedColumns+` FROM feeds ORDER BY name`); err != nil {
		return nil, s.wrap(err)
	}
	out := make([]mkg.Feed, len(rows))
	for i, r := range rows {
		out[i] = r.feed()
	}
	return out, nil
}

// Feed implements mkg.FeedStore in one statement.
func (s *Store) Feed(ctx context.Context, name string) (*mkg.Feed, error) {
	return s.feed(ctx, s.q(), name)
}

func (s *Store) feed(ctx context.Context, q sqlx.ExtContext, name string) (*mkg.Feed, error) {
	var r feedRow
	if err := s.getOne(ctx, q, &r, mkg.NotFound("feed"), `SELECT `+feedColumns+` FROM feeds WHERE name = ?`, name); err != nil {
		return nil, err
	}
	f := r.feed()
	return &f, nil
}

// CreateFeed implements mkg.FeedStore in one transaction. The input must
// be validated.
func (s *Store) CreateFeed(ctx context.Context, by mkg.Actor, in mkg.FeedInput) (*mkg.Feed, error) {
	var out *mkg.Feed
	err := s.tx(ctx, func(q sqlx.ExtContext) error {
		added, err := s.insertFeed(ctx, q, in)
		if err != nil {
			return err
		}
		if !added {
			return &mkg.Error{Code: mkg.ECONFLICT, Field: "input.name", Message: "a feed of this name exists"}
		}
		if out, err = s.feed(ctx, q, in.Name); err != nil {
			return err
		}
		return s.record(ctx, q, by, s.now(), "feed.create", "feed", in.Name, feedDetails(out))
	})
	return out, err
}

// feedDetails is a feed's configuration as the audit log keeps it.
func feedDetails(f *mkg.Feed) map[string]any {
	return map[string]any{"kind": string(f.Kind), "url": f.URL, "path": f.Path, "format": f.Format,
		"intervalSeconds": f.Interval.Seconds(), "enabled": f.Enabled}
}

// insertFeed adds a feed unless one of its name exists.
func (s *Store) insertFeed(ctx context.Context, q sqlx.ExtContext, in mkg.FeedInput) (bool, error) {
	now := dbTime{s.now()}
	res, err := q.ExecContext(ctx, s.rebind(`INSERT INTO feeds (name, kind, url, path, format, interval_ms, enabled, description, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (name) DO NOTHING`),
		in.Name, string(in.Kind), in.URL, in.Path, in.Format, in.Interval.Milliseconds(), in.Enabled != nil && *in.Enabled,
		in.Description, now, now)
	if err != nil {
		return false, s.wrap(err)
	}
	n, err := res.RowsAffected()
	return n == 1, s.wrap(err)
}

// UpdateFeed implements mkg.FeedStore in one transaction. The input must be
// validated.
func (s *Store) UpdateFeed(ctx context.Context, by mkg.Actor, name string, in mkg.FeedInput) (*mkg.Feed, error) {
	var out *mkg.Feed
	err := s.tx(ctx, func(q sqlx.ExtContext) error {
		old, err := s.feed(ctx, q, name)
		if err != nil {
			return err
		}
		if in.Name != name {
			if _, err := s.feed(ctx, q, in.Name); err == nil {
				return &mkg.Error{Code: mkg.ECONFLICT, Field: "input.name", Message: "a feed of this name exists"}
			} else if mkg.ErrorCode(err) != mkg.ENOTFOUND {
				return err
			}
		}
		enabled := old.Enabled
		if in.Enabled != nil {
			enabled = *in.Enabled
		}
		// Validators and the body hash are the old source's: a new source
		// is fetched unconditionally and ingested.
		reset := ""
		if in.URL != old.URL || in.Path != old.Path || in.Format != old.Format {
			reset = `, etag = '', last_modified = '', body_hash = ''`
		}
		_, err = q.ExecContext(ctx, s.rebind(`UPDATE feeds SET name = ?, kind = ?, url = ?, path = ?, format = ?, interval_ms = ?,
			enabled = ?, description = ?, updated_at = ?`+reset+` WHERE name = ?`),
			in.Name, string(in.Kind), in.URL, in.Path, in.Format, in.Interval.Milliseconds(), enabled, in.Description, dbTime{s.now()}, name)
		if err != nil {
			return s.wrap(err)
		}
		if out, err = s.feed(ctx, q, in.Name); err != nil {
			return err
		}
		return s.record(ctx, q, by, s.now(), "feed.update", "feed", name, map[string]any{"from": feedDetails(old), "to": feedDetails(out), "name": in.Name})
	})
	return out, err
}

// SetFeedEnabled implements mkg.FeedStore in one transaction.
func (s *Store) SetFeedEnabled(ctx context.Context, by mkg.Actor, name string, enabled bool) (*mkg.Feed, error) {
	action := map[bool]string{true: "feed.enable", false: "feed.disable"}[enabled]
	var out *mkg.Feed
	err := s.tx(ctx, func(q sqlx.ExtContext) error {
		res, err := q.ExecContext(ctx, s.rebind(`UPDATE feeds SET enabled = ?, updated_at = ? WHERE name = ?`), enabled, dbTime{s.now()}, name)
		if err := s.oneFeed(res, err); err != nil {
			return err
		}
		if out, err = s.feed(ctx, q, name); err != nil {
			return err
		}
		return s.record(ctx, q, by, s.now(), action, "feed", name, nil)
	})
	return out, err
}

// DeleteFeed implements mkg.FeedStore in one transaction.
func (s *Store) DeleteFeed(ctx context.Context, by mkg.Actor, name string) error {
	return s.tx(ctx, func(q sqlx.ExtContext) error {
		old, err := s.feed(ctx, q, name)
		if err != nil {
			return err
		}
		if _, err := q.ExecContext(ctx, s.rebind(`DELETE FROM feeds WHERE name = ?`), name); err != nil {
			return s.wrap(err)
		}
		return s.record(ctx, q, by, s.now(), "feed.delete", "feed", name, feedDetails(old))
	})
}

// SeedFeeds implements mkg.FeedStore in one transaction. The inputs must
// be validated.
func (s *Store) SeedFeeds(ctx context.Context, feeds []mkg.FeedInput) (int, error) {
	added := 0
	err := s.tx(ctx, func(q sqlx.ExtContext) error {
		added = 0
		for _, in := range feeds {
			ok, err := s.insertFeed(ctx, q, in)
			if err != nil {
				return err
			}
			if ok {
				added++
			}
		}
		return nil
	})
	return added, err
}

// RecordFeedRun implements mkg.FeedStore in one statement. A failed run
// keeps the validators and the hash of the last body ingested; a
// successful one clears the last error; an unchanged one leaves the counts
// alone.
func (s *Store) RecordFeedRun(ctx context.Context, name string, run mkg.FeedRun) error {
	c := run.Counts
	at := dbTime{run.At}
	counts := `last_inserted = ?, last_updated = ?, last_unchanged = ?, last_rejected = ?,
		total_inserted = total_inserted + ?, total_updated = total_updated + ?,
		total_unchanged = total_unchanged + ?, total_rejected = total_rejected + ?`
	countArgs := []any{c.Inserted, c.Updated, c.Unchanged, c.Rejected, c.Inserted, c.Updated, c.Unchanged, c.Rejected}
	switch {
	case run.Err != "":
		return s.changeFeed(ctx, name, `last_fetch_at = ?, last_error_at = ?, last_error = ?, failures = ?, next_run_at = ?, `+counts,
			append([]any{at, at, run.Err, run.Failures, dbTime{run.Next}}, countArgs...)...)
	case run.Unchanged:
		return s.changeFeed(ctx, name, `etag = ?, last_modified = ?, last_fetch_at = ?, last_success_at = ?,
			last_error = '', failures = 0, next_run_at = ?`, run.ETag, run.LastModified, at, at, dbTime{run.Next})
	}
	return s.changeFeed(ctx, name, `etag = ?, last_modified = ?, body_hash = ?, last_fetch_at = ?, last_success_at = ?,
		last_error = '', failures = 0, next_run_at = ?, `+counts,
		append([]any{run.ETag, run.LastModified, run.BodyHash, at, at, dbTime{run.Next}}, countArgs...)...)
}

func (s *Store) changeFeed(ctx context.Context, name, set string, args ...any) error {
	res, err := s.q().ExecContext(ctx, s.rebind(`UPDATE feeds SET `+set+` WHERE name = ?`), append(args, name)...)
	return s.oneFeed(res, err)
}

func (s *Store) oneFeed(res sql.Result, err error) error {
	return s.changedRow(res, err, mkg.NotFound("feed"))
}
