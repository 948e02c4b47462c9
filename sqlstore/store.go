// Package sqlstore keeps MKG Graph's data in PostgreSQL (production, through
// lib/pq) or SQLite (the zero-setup default, through the pure-Go
// modernc.org/sqlite), with one body of SQL for both. The seam between the
// two is kept to a handful of functions in dialect.go.
package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/jmoiron/sqlx"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/trace"
	_ "modernc.org/sqlite" // SQLite driver, pure Go

	"github.com/bmkg/mkggraph/internal/telemetry"
	"github.com/bmkg/mkggraph/mkg"
)

// Store implements mkg.Store.
type Store struct {
	db *sqlx.DB
	// side is a pool of its own for the generations' reads (PostgreSQL; the
	// main pool on SQLite): every request may need them, so they must not
	// wait behind the requests' statements for a connection when the
	// main pool is busy.
	side *sqlx.DB
	// prepared runs the hot reads as prepared statements with generic
	// plans, on a pool of their own (PostgreSQL; prepared.go).
	prepared preparedReads
	dialect  dialect
	log      *slog.Logger
	// statements counts every statement sent, for the tests that prove a
	// request costs a fixed number of them.
	statements atomic.Int64
	tracer     atomic.Pointer[func(query string, args []any)]
	// took, when set, is told how long each statement took (metrics).
	took func(time.Duration)
	now  func() time.Time
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
	// documents is the registry of trusted documents as last read
	// (documents.go).
	documents documentSet
}

var _ mkg.Store = (*Store)(nil)

// Options tune Open.
type Options struct {
	Logger *slog.Logger
	// MaxOpenConns bounds the main pool, and the prepared reads' pool too
	// (PostgreSQL); 0 means a default of 20 each.
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
	// StatementTime, when set, is told how long each statement took (the
	// server's metrics). Each statement is also counted in the request's
	// record (internal/telemetry) and, when the request is traced, gets a
	// span with its SQL text (never its arguments).
	StatementTime func(time.Duration)
	// Decoded, when set, keeps observations' decoded values in process
	// memory, so that reading the same reports again does not decode
	// their JSON again (decoding was a fifth of the CPU of a station's last
	// 24 observations). The values are shared by the readers, which must
	// not change them.
	Decoded ObjectCache

	// genericPlans opens connections whose prepared statements are
	// planned once for any argument (the prepared reads' pool).
	genericPlans bool
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
		decoded: opt.Decoded, took: opt.StatementTime}
	if d.name == "postgres" {
		hot := opt
		hot.genericPlans = true
		hotDB, err := d.open(dsn, hot)
		if err != nil {
			side.Close()
			db.Close()
			return nil, fmt.Errorf("open %s database: %w", d.name, err)
		}
		s.prepared.db = sqlx.NewDb(hotDB, d.driver)
		s.prepared.stmts = map[string]*sqlx.Stmt{}
		d.configure(s.prepared.db, opt.MaxOpenConns)
	}
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
	s.prepared.close()
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
	st := s.op(ctx, "PING")
	err := s.db.PingContext(ctx)
	st.end(err)
	return err
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
	st := s.op(ctx, "BEGIN")
	tx, err := s.db.BeginTxx(ctx, nil)
	st.end(err)
	if err != nil {
		return s.wrap(err)
	}
	var advanced bool
	if err := fn(counted{tx, s, &advanced}); err != nil {
		tx.Rollback()
		return err
	}
	return s.commit(ctx, tx, advanced)
}

// commit ends a transaction and, when it advanced a generation, marks this
// process's view of them stale once the change is committed.
func (s *Store) commit(ctx context.Context, tx interface{ Commit() error }, advanced bool) error {
	st := s.op(ctx, "COMMIT")
	err := tx.Commit()
	st.end(err)
	if err != nil {
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
	st := c.s.begin(ctx, query, args)
	rows, err := c.ExtContext.QueryContext(ctx, query, args...)
	st.end(err)
	return rows, err
}

func (c counted) QueryxContext(ctx context.Context, query string, args ...any) (*sqlx.Rows, error) {
	st := c.s.begin(ctx, query, args)
	rows, err := c.ExtContext.QueryxContext(ctx, query, args...)
	st.end(err)
	return rows, err
}

func (c counted) QueryRowxContext(ctx context.Context, query string, args ...any) *sqlx.Row {
	st := c.s.begin(ctx, query, args)
	row := c.ExtContext.QueryRowxContext(ctx, query, args...)
	st.end(row.Err())
	return row
}

func (c counted) ExecContext(ctx context.Context, query string, args ...any) (sqlResult, error) {
	st := c.s.begin(ctx, query, args)
	res, err := c.ExtContext.ExecContext(ctx, query, args...)
	st.end(err)
	return res, err
}

// statement is one statement on its way: begin counts it (in the store's
// total and in the request's record) and shows it to the tracer and, when
// the request is traced, to a span; end records how long it took. A query's
// time runs until its first rows are ready, not until they are all read.
type statement struct {
	s     *Store
	req   *telemetry.Request
	span  trace.Span
	start time.Time
}

func (s *Store) begin(ctx context.Context, query string, args []any) statement {
	if t := s.tracer.Load(); t != nil {
		(*t)(query, args)
	}
	return s.op(ctx, query)
}

// op is begin for what is not a query the tracer would EXPLAIN: BEGIN,
// COMMIT, a ping, COPY.
func (s *Store) op(ctx context.Context, query string) statement {
	s.statements.Add(1)
	st := statement{s: s, req: telemetry.From(ctx), start: time.Now()}
	if trace.SpanFromContext(ctx).IsRecording() {
		_, st.span = telemetry.Start(ctx, "sql "+verb(query), attribute.String("db.system.name", s.dialect.name),
			attribute.String("db.query.text", truncate(query, 2000)))
	}
	return st
}

func (st statement) end(err error) {
	d := time.Since(st.start)
	st.req.Statement(d)
	if st.s.took != nil {
		st.s.took(d)
	}
	if st.span != nil {
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			st.span.SetStatus(codes.Error, "statement failed")
		}
		st.span.End()
	}
}

// verb is a statement's first word (SELECT, INSERT …), to name its span.
func verb(query string) string {
	query = strings.TrimSpace(query)
	if i := strings.IndexAny(query, " \n\t("); i > 0 {
		query = query[:i]
	}
	return strings.ToUpper(truncate(query, 16))
}

func truncate(s string, n int) string {
	if len(s) > n {
		return s[:n]
	}
	return s
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

// selectIn scans into dest the rows of query, whose IN (?) lists sqlx.In
// expands (in, rebound for the database).
func (s *Store) selectIn(ctx context.Context, q sqlx.QueryerContext, dest any, query string, args ...any) error {
	query, args, err := s.in(query, args...)
	if err != nil {
		return err
	}
	return s.wrap(sqlx.SelectContext(ctx, q, dest, query, args...))
}

// getOne reads the one row of query into dest; none is the error when
// there is no row.
func (s *Store) getOne(ctx context.Context, q sqlx.QueryerContext, dest any, none error, query string, args ...any) error {
	err := sqlx.GetContext(ctx, q, dest, s.rebind(query), args...)
	if errors.Is(err, sql.ErrNoRows) {
		return none
	}
	return s.wrap(err)
}

// changedRow checks that a statement (its result and error) changed a
// row: none is returned when it changed nothing.
func (s *Store) changedRow(res sql.Result, err error, none error) error {
	if err != nil {
		return s.wrap(err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return s.wrap(err)
	}
	if n == 0 {
		return none
	}
	return nil
}

// groupedOf returns, for each key, the items whose key it is, in their
// order (an empty list, not nil, for a key without any): a loader's batch
// of lists, answered key by key.
func groupedOf[K comparable, T any](keys []K, items []T, key func(T) K) [][]T {
	by := make(map[K][]T, len(keys))
	for _, it := range items {
		k := key(it)
		by[k] = append(by[k], it)
	}
	out := make([][]T, len(keys))
	for i, k := range keys {
		if out[i] = by[k]; out[i] == nil {
			out[i] = []T{}
		}
	}
	return out
}

// only returns the one list of a batch read for a single key: the
// single-station reads are the batch reads of one station.
func only[T any](lists [][]T, err error) ([]T, error) {
	if err != nil {
		return nil, err
	}
	return lists[0], nil
}

// byID reads the records of ids in one statement and returns them in ids
// order, nil for a missing id (a loader's batch answers key by key). query
// selects with an IN (?) list; read runs it, expanded and rebound; id is a
// record's id.
func byID[T any](s *Store, ids []int64, query string, id func(*T) int64, read func(query string, args ...any) ([]*T, error)) ([]*T, error) {
	if len(ids) == 0 {
		return []*T{}, nil
	}
	query, args, err := s.in(query, ids)
	if err != nil {
		return nil, err
	}
	items, err := read(query, args...)
	if err != nil {
		return nil, err
	}
	return inOrderOf(ids, items, id), nil
}

// scanned returns a read (for byID) that scans rows of type R and converts
// each.
func scanned[R, T any](ctx context.Context, s *Store, conv func(*R) (*T, error)) func(query string, args ...any) ([]*T, error) {
	return func(query string, args ...any) ([]*T, error) { return selectAs(ctx, s, s.q(), conv, query, args...) }
}

// selectAs runs query in one statement, scanning rows of type R, and
// returns each converted.
func selectAs[R, T any](ctx context.Context, s *Store, q sqlx.QueryerContext, conv func(*R) (*T, error), query string, args ...any) ([]*T, error) {
	var rows []R
	if err := sqlx.SelectContext(ctx, q, &rows, query, args...); err != nil {
		return nil, s.wrap(err)
	}
	out := make([]*T, len(rows))
	for i := range rows {
		var err error
		if out[i], err = conv(&rows[i]); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// inOrderOf returns items in the order of ids, nil where no item has that
// id (a loader's batch answers key by key).
func inOrderOf[T any](ids []int64, items []*T, id func(*T) int64) []*T {
	byID := make(map[int64]*T, len(items))
	for _, it := range items {
		byID[id(it)] = it
	}
	out := make([]*T, len(ids))
	for i, k := range ids {
		out[i] = byID[k]
	}
	return out
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

// PoolStats returns the connection pools' figures: "main", and on
// PostgreSQL "side" (the generations' reads) and "prepared" (the prepared
// reads).
func (s *Store) PoolStats() map[string]sql.DBStats {
	out := map[string]sql.DBStats{"main": s.db.Stats()}
	if s.side != s.db {
		out["side"] = s.side.Stats()
	}
	if s.prepared.db != nil {
		out["prepared"] = s.prepared.db.Stats()
	}
	return out
}
