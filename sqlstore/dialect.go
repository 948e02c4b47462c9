package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"
)

type (
	sqlRows   = sql.Rows
	sqlResult = sql.Result
)

// dialect is everything that differs between PostgreSQL and SQLite. Keep it
// small: the SQL itself is shared.
type dialect struct {
	name   string // "postgres" or "sqlite": also the migrations folder
	driver string
	// forUpdate locks the rows a read-modify-write transaction read, so
	// two admins changing one account take turns. SQLite needs nothing: its
	// IMMEDIATE transactions already exclude other writers.
	forUpdate string
	// lock serialises migrations between server instances starting at once.
	lock func(ctx context.Context, q sqlx.ExtContext) error
	// open returns the connection pool.
	open func(dsn string, opt Options) (*sql.DB, error)
	// lockNamed serialises the transactions that take the same named lock
	// (lightning writes, partition changes) until they end, per schema.
	lockNamed func(ctx context.Context, q sqlx.ExtContext, name string) error
	// copies: the driver streams rows with COPY (see copyIn).
	copies bool
}

var (
	postgres = dialect{name: "postgres", driver: "postgres", forUpdate: " FOR UPDATE", open: openPostgres,
		lock: func(ctx context.Context, q sqlx.ExtContext) error {
			// A migration may take longer than statement_timeout, and so may
			// waiting for another instance's; the lock is held until the
			// migration transaction ends.
			if _, err := q.ExecContext(ctx, `SET LOCAL statement_timeout = 0`); err != nil {
				return err
			}
			_, err := q.ExecContext(ctx, `SELECT pg_advisory_xact_lock(7218354012)`)
			return err
		}, lockNamed: func(ctx context.Context, q sqlx.ExtContext, name string) error {
			// hashtext is 32 bits, so it never meets the migrations' key.
			_, err := q.ExecContext(ctx, `SELECT pg_advisory_xact_lock(hashtext(current_schema() || '.' || $1))`, name)
			return err
		}, copies: true}
	sqlite = dialect{name: "sqlite", driver: "sqlite", lock: func(context.Context, sqlx.ExtContext) error {
		return nil // BEGIN IMMEDIATE (see dsn) already excludes other writers
	}, lockNamed: func(context.Context, sqlx.ExtContext, string) error {
		return nil
	}, open: func(dsn string, _ Options) (*sql.DB, error) { return sql.Open("sqlite", dsn) }}
)

// dialectFor picks the dialect from a database URL and returns the driver's
// data source name.
func dialectFor(url string) (dialect, string) {
	switch {
	case strings.HasPrefix(url, "postgres://"), strings.HasPrefix(url, "postgresql://"):
		return postgres, url
	case strings.HasPrefix(url, "sqlite://"):
		return sqlite, sqliteDSN(strings.TrimPrefix(url, "sqlite://"))
	case strings.HasPrefix(url, "sqlite:"):
		return sqlite, sqliteDSN(strings.TrimPrefix(url, "sqlite:"))
	}
	return sqlite, sqliteDSN(url)
}

// sqliteDSN turns a path into a modernc.org/sqlite DSN: foreign keys on, WAL
// so readers never wait for the writer, a busy timeout so concurrent writers
// queue instead of failing, and IMMEDIATE transactions so a read-then-write
// transaction cannot deadlock on lock upgrade.
func sqliteDSN(path string) string {
	path = strings.TrimPrefix(path, "file:")
	base, query, _ := strings.Cut(path, "?")
	params := []string{"_pragma=foreign_keys(1)", "_pragma=busy_timeout(10000)", "_pragma=journal_mode(WAL)",
		"_pragma=synchronous(NORMAL)", "_txlock=immediate"}
	if query != "" {
		params = append(params, query)
	}
	return "file:" + base + "?" + strings.Join(params, "&")
}

func (d dialect) configure(db *sqlx.DB, maxOpen int) {
	if maxOpen <= 0 {
		maxOpen = 20
	}
	if d.name == "sqlite" {
		// One writer at a time is SQLite's model; a few readers in WAL mode.
		maxOpen = min(maxOpen, 8)
	}
	db.SetMaxOpenConns(maxOpen)
	db.SetMaxIdleConns(maxOpen)
	if d.name == "postgres" {
		// Connections are renewed now and then, so a failover, a changed
		// setting or a half-dead socket the keep-alives missed does not live
		// in the pool for ever.
		db.SetConnMaxIdleTime(5 * time.Minute)
		db.SetConnMaxLifetime(30 * time.Minute)
	}
}

// valueList is a FROM item "s" with one column, value, listing values bound
// as a single parameter (PostgreSQL: an array; SQLite: a JSON array), so
// that a statement over many keys reads each of them through an index
// while its text stays the same whatever their number. sqlType is the
// values' PostgreSQL type ("text", "bigint").
func (d dialect) valueList(sqlType string, values any) (string, any, error) {
	if d.name == "postgres" {
		return "unnest(CAST(? AS " + sqlType + "[])) AS s(value)", pq.Array(values), nil
	}
	b, err := json.Marshal(values)
	return "json_each(?) AS s", string(b), err
}
