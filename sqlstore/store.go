// Package sqlstore keeps MKG Graph's data in PostgreSQL (production, through
// lib/pq) or SQLite (the zero-setup default, through the pure-Go
// modernc.org/sqlite), with one body of SQL for both. The seam between the
// two is kept to a handful of functions in dialect.go.
package sqlstore

import (
	"context"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/jmoiron/sqlx"
	_ "modernc.org/sqlite" // SQLite driver, pure Go

	"github.com/bmkg/mkggraph/mkg"
)

// Store implements mkg.Store.
type Store struct {
	db *sqlx.DB
	// side is a pool of its own for the generations' reads (PostgreSQL; the
	// main pool on SQLite): every request may need them, so they must not
	// wait behind the requests' statements for a connection when the
	// main pool is busy.
	side    *sqlx.DB
	dialect dialect
	log     *slog.Logger
	// statements counts every statement sent, for the tests that prove a
	// request costs a fixed number of them.
	statements atomic.Int64
	tracer     atomic.Pointer[func(query string, args []any)]
	now        func() time.Time
	// standards time the ticket steps (see tickets.go).
	standards mkg.Standards
	// url is the database URL (PostgreSQL: for the notification listener).
	url string
	// gens is this process's view of the generations (generations.go).
	gens generations
	// parts caches the time partitions known to exist (partitions.go);
	// stop ends their upkeep, done tells it has ended.
	parts partitionCache
	stop  context.CancelFunc
	done  chan struct{}
	// decoded keeps decoded observation values (Options.Decoded); nil: none.
	decoded ObjectCache
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
	// StatementTimeout is PostgreSQL's statement_timeout (and
	// idle_in_transaction_session_timeout) for every connection, unless the
	// URL sets them: 0 means DefaultStatementTimeout, a negative value none.
	StatementTimeout time.Duration
	// Decoded, when set, keeps observations' decoded values in process
	// memory, so that reading the same reports again does not decode
	// their JSON again (decoding was a fifth of the CPU of a station's last
	// 24 observations). The values are shared by the readers, which must
	// not change them.
	Decoded ObjectCache
}

// ObjectCache is a bounded cache of decoded values in process memory
// (inmem.Objects).
type ObjectCache interface {
	Get(key string) (any, bool)
	Put(key string, value any, size int, ttl time.Duration)
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
	sdb, err := d.open(dsn, opt)
	if err != nil {
		return nil, fmt.Errorf("open %s database: %w", d.name, err)
	}
	db := sqlx.NewDb(sdb, d.driver)
	d.configure(db, opt.MaxOpenConns)
	pingCtx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := db.PingContext(pingCtx); err != nil {
		db.Close()
		return nil, fmt.Errorf("connect to %s database: %w", d.name, err)
	}
	side := db
	if d.name == "postgres" {
		sideDB, err := d.open(dsn, opt)
		if err != nil {
			db.Close()
			return nil, fmt.Errorf("open %s database: %w", d.name, err)
		}
		side = sqlx.NewDb(sideDB, d.driver)
		d.configure(side, sidePool)
	}
	s := &Store{db: db, side: side, dialect: d, log: opt.Logger, now: opt.Now, standards: opt.Standards, url: dsn,
		decoded: opt.Decoded}
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
	if s.side != s.db {
		s.side.Close()
	}
	return s.db.Close()
}

// sidePool is the size of the side pool: the background poll and a read
// on demand.
const sidePool = 2

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
	// EXISTS stops at the first row: counting would read a year of
	// observations at every start.
	var any bool
	err := sqlx.GetContext(ctx, s.q(), &any, `SELECT EXISTS (SELECT 1 FROM stations) OR EXISTS (SELECT 1 FROM observations)
		OR EXISTS (SELECT 1 FROM earthquakes)`)
	return !any, s.wrap(err)
}

// q returns the pool wrapped so that every statement is counted.
func (s *Store) q() sqlx.ExtContext { return counted{s.db, s, nil} }

// tx runs fn in a transaction, committed when fn returns nil. When fn
// advanced a generation, this process's view of them is marked stale once
// the change is committed.
func (s *Store) tx(ctx context.Context, fn func(q sqlx.ExtContext) error) error {
	tx, err := s.db.BeginTxx(ctx, nil)
	if err != nil {
		return s.wrap(err)
	}
	s.statements.Add(1)
	var advanced bool
	if err := fn(counted{tx, s, &advanced}); err != nil {
		tx.Rollback()
		return err
	}
	return s.commit(tx, advanced)
}

// commit ends a transaction and, when it advanced a generation, marks this
// process's view of them stale once the change is committed.
func (s *Store) commit(tx interface{ Commit() error }, advanced bool) error {
	s.statements.Add(1)
	if err := tx.Commit(); err != nil {
		return s.wrap(err)
	}
	if advanced {
		s.gens.stale()
	}
	return nil
}

// counted counts the statements that pass through it (and shows them to
// the tracer, if any). In a transaction, advanced records that the
// transaction advanced a generation.
type counted struct {
	sqlx.ExtContext
	s        *Store
	advanced *bool
}

func (c counted) QueryContext(ctx context.Context, query string, args ...any) (*sqlRows, error) {
	c.s.sent(query, args)
	return c.ExtContext.QueryContext(ctx, query, args...)
}

func (c counted) QueryxContext(ctx context.Context, query string, args ...any) (*sqlx.Rows, error) {
	c.s.sent(query, args)
	return c.ExtContext.QueryxContext(ctx, query, args...)
}

func (c counted) QueryRowxContext(ctx context.Context, query string, args ...any) *sqlx.Row {
	c.s.sent(query, args)
	return c.ExtContext.QueryRowxContext(ctx, query, args...)
}

func (c counted) ExecContext(ctx context.Context, query string, args ...any) (sqlResult, error) {
	c.s.sent(query, args)
	return c.ExtContext.ExecContext(ctx, query, args...)
}

func (s *Store) sent(query string, args []any) {
	s.statements.Add(1)
	if t := s.tracer.Load(); t != nil {
		(*t)(query, args)
	}
}

// Trace shows every statement sent through the store to fn (with its
// arguments) until the returned func is called: the plan tests EXPLAIN
// what the API really sends.
func (s *Store) Trace(fn func(query string, args []any)) (stop func()) {
	s.tracer.Store(&fn)
	return func() { s.tracer.Store(nil) }
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
