// Package sqlstore keeps MKG Graph's data in PostgreSQL (production, through
// lib/pq) or SQLite (the zero-setup default, through the pure-Go
// modernc.org/sqlite), with one body of SQL for both. The seam between the
// two is kept to a handful of functions in dialect.go.
package sqlstore

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/jmoiron/sqlx"
	_ "github.com/lib/pq"  // PostgreSQL driver
	_ "modernc.org/sqlite" // SQLite driver, pure Go

	"github.com/bmkg/mkggraph/mkg"
)

// Store implements mkg.Store.
type Store struct {
	db      *sqlx.DB
	dialect dialect
	log     *slog.Logger
	// statements counts every statement sent, for the tests that prove a
	// request costs a fixed number of them.
	statements atomic.Int64
	now        func() time.Time
	// standards time the ticket steps (see tickets.go).
	standards mkg.Standards
	// parts caches the time partitions known to exist (partitions.go);
	// stop ends their upkeep, done tells it has ended.
	parts partitionCache
	stop  context.CancelFunc
	done  chan struct{}
}

var _ mkg.Store = (*Store)(nil)

// Options tune Open.
type Options struct {
	Logger *slog.Logger
	// MaxOpenConns bounds the pool (PostgreSQL); 0 means a default of 20.
	MaxOpenConns int
	// Now replaces the clock, for tests.
	Now func() time.Time
	// Standards are the service standards ticket steps are timed against;
	// zero means mkg.DefaultStandards.
	Standards mkg.Standards
}

// Open connects to the database named by url and applies pending migrations.
// url is postgres://… / postgresql://… for PostgreSQL, or sqlite:PATH (or a
// bare file path) for SQLite.
func Open(ctx context.Context, url string, opt Options) (*Store, error) {
	s, err := Connect(ctx, url, opt)
	if err != nil {
		return nil, err
	}
	if _, err := s.Migrate(ctx); err != nil {
		s.Close()
		return nil, err
	}
	if err := s.preparePartitions(ctx); err != nil {
		s.Close()
		return nil, fmt.Errorf("create partitions: %w", err)
	}
	if s.dialect.name == "postgres" {
		var upkeep context.Context
		upkeep, s.stop = context.WithCancel(context.Background())
		s.done = make(chan struct{})
		go func() {
			defer close(s.done)
			s.maintainPartitions(upkeep)
		}()
	}
	return s, nil
}

// Connect opens the database without migrating it.
func Connect(ctx context.Context, url string, opt Options) (*Store, error) {
	d, dsn := dialectFor(url)
	db, err := sqlx.Open(d.driver, dsn)
	if err != nil {
		return nil, fmt.Errorf("open %s database: %w", d.name, err)
	}
	d.configure(db, opt.MaxOpenConns)
	pingCtx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := db.PingContext(pingCtx); err != nil {
		db.Close()
		return nil, fmt.Errorf("connect to %s database: %w", d.name, err)
	}
	s := &Store{db: db, dialect: d, log: opt.Logger, now: opt.Now, standards: opt.Standards}
	if s.standards == (mkg.Standards{}) {
		s.standards = mkg.DefaultStandards
	}
	if s.log == nil {
		s.log = slog.Default()
	}
	if s.now == nil {
		s.now = time.Now
	}
	return s, nil
}

// Close stops the partitions' upkeep and releases the connections.
func (s *Store) Close() error {
	if s.stop != nil {
		s.stop()
		<-s.done
	}
	return s.db.Close()
}

// Dialect returns "postgres" or "sqlite".
func (s *Store) Dialect() string { return s.dialect.name }

// Statements returns how many statements have been sent so far.
func (s *Store) Statements() int64 { return s.statements.Load() }

// Ping checks that the database answers.
func (s *Store) Ping(ctx context.Context) error {
	s.statements.Add(1)
	return s.db.PingContext(ctx)
}

// IsEmpty reports whether no station, observation or earthquake is stored.
func (s *Store) IsEmpty(ctx context.Context) (bool, error) {
	var n int
	err := sqlx.GetContext(ctx, s.q(), &n, `SELECT
		(SELECT COUNT(*) FROM stations) + (SELECT COUNT(*) FROM observations) + (SELECT COUNT(*) FROM earthquakes)`)
	return n == 0, s.wrap(err)
}

// q returns the pool wrapped so that every statement is counted.
func (s *Store) q() sqlx.ExtContext { return counted{s.db, &s.statements} }

// tx runs fn in a transaction, committed when fn returns nil.
func (s *Store) tx(ctx context.Context, fn func(q sqlx.ExtContext) error) error {
	tx, err := s.db.BeginTxx(ctx, nil)
	if err != nil {
		return s.wrap(err)
	}
	s.statements.Add(1)
	if err := fn(counted{tx, &s.statements}); err != nil {
		tx.Rollback()
		return err
	}
	s.statements.Add(1)
	return s.wrap(tx.Commit())
}

// wrap turns driver errors into internal errors that keep their detail for
// the log but show none of it to a client; domain errors pass through.
func (s *Store) wrap(err error) error {
	if err == nil {
		return nil
	}
	var e *mkg.Error
	if errors.As(err, &e) {
		return err
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	return &internalError{err: err}
}

// internalError hides a storage failure from clients (its Error text is
// what the log gets; the error presenter shows only "internal error").
type internalError struct{ err error }

func (e *internalError) Error() string { return "storage: " + e.err.Error() }
func (e *internalError) Unwrap() error { return e.err }

// counted counts the statements that pass through it.
type counted struct {
	sqlx.ExtContext
	n *atomic.Int64
}

func (c counted) QueryContext(ctx context.Context, query string, args ...any) (*sqlRows, error) {
	c.n.Add(1)
	return c.ExtContext.QueryContext(ctx, query, args...)
}

func (c counted) QueryxContext(ctx context.Context, query string, args ...any) (*sqlx.Rows, error) {
	c.n.Add(1)
	return c.ExtContext.QueryxContext(ctx, query, args...)
}

func (c counted) QueryRowxContext(ctx context.Context, query string, args ...any) *sqlx.Row {
	c.n.Add(1)
	return c.ExtContext.QueryRowxContext(ctx, query, args...)
}

func (c counted) ExecContext(ctx context.Context, query string, args ...any) (sqlResult, error) {
	c.n.Add(1)
	return c.ExtContext.ExecContext(ctx, query, args...)
}

// in expands a query with IN (?) lists and rebinds it for the dialect.
func (s *Store) in(query string, args ...any) (string, []any, error) {
	q, a, err := sqlx.In(query, args...)
	if err != nil {
		return "", nil, err
	}
	return s.db.Rebind(q), a, nil
}

// rebind turns ? placeholders into the dialect's.
func (s *Store) rebind(query string) string { return s.db.Rebind(query) }

// likePattern escapes a user's search text for LIKE … ESCAPE '\'.
func likePattern(text string) string {
	r := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)
	return "%" + r.Replace(strings.ToLower(strings.TrimSpace(text))) + "%"
}

func reflectLen(v any) int {
	switch l := v.(type) {
	case []int64:
		return len(l)
	case []string:
		return len(l)
	}
	return -1
}

func formatFloat(f float64) string { return strconv.FormatFloat(f, 'g', -1, 64) }

func joinComma(s []string) string { return strings.Join(s, ", ") }
