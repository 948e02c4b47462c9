package sqlstore

import (
	"context"
	"database/sql"
	"strings"

	"github.com/jmoiron/sqlx"
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
	// lockNamed serialises the transactions that take the same named lock
	// (lightning writes, partition changes) until they end, per schema.
	lockNamed func(ctx context.Context, q sqlx.ExtContext, name string) error
	// copies: the driver streams rows with COPY (see copyIn).
	copies bool
}

var (
	postgres = dialect{name: "postgres", driver: "postgres", forUpdate: " FOR UPDATE", lock: func(ctx context.Context, q sqlx.ExtContext) error {
		// Held until the migration transaction ends.
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
	}}
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
}
