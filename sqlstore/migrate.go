package sqlstore

import (
	"context"
	"embed"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strconv"
	"strings"

	"github.com/jmoiron/sqlx"
)

// Migrations are numbered files NNNN_name.sql, one folder per dialect, each
// applied once, in order, in its own transaction, and recorded in
// schema_migrations. They are embedded so the binary needs nothing beside it.
//
//go:embed migrations/postgres/*.sql migrations/sqlite/*.sql
var migrationFS embed.FS

// Migration is one numbered schema change.
type Migration struct {
	Version int
	Name    string
	SQL     string
}

// Migrations returns the dialect's migrations in order.
func migrations(dialectName string) ([]Migration, error) {
	dir := path.Join("migrations", dialectName)
	entries, err := fs.ReadDir(migrationFS, dir)
	if err != nil {
		return nil, err
	}
	var out []Migration
	for _, e := range entries {
		num, name, ok := strings.Cut(strings.TrimSuffix(e.Name(), ".sql"), "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil || v <= 0 {
			return nil, fmt.Errorf("migration file %s is not named NNNN_name.sql", e.Name())
		}
		body, err := fs.ReadFile(migrationFS, path.Join(dir, e.Name()))
		if err != nil {
			return nil, err
		}
		out = append(out, Migration{Version: v, Name: name, SQL: string(body)})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Version < out[j].Version })
	for i := range out {
		if out[i].Version != i+1 {
			return nil, fmt.Errorf("migrations for %s are not numbered 1..n: found %d at position %d", dialectName, out[i].Version, i+1)
		}
	}
	return out, nil
}

const migrationsTable = `CREATE TABLE IF NOT EXISTS schema_migrations (
    version    INTEGER PRIMARY KEY,
    name       TEXT NOT NULL,
    applied_at TEXT NOT NULL
)`

// Migrate applies every pending migration and returns the ones it applied.
func (s *Store) Migrate(ctx context.Context) ([]Migration, error) {
	all, err := migrations(s.dialect.name)
	if err != nil {
		return nil, err
	}
	if _, err := s.q().ExecContext(ctx, migrationsTable); err != nil {
		return nil, fmt.Errorf("create schema_migrations: %w", err)
	}
	var applied []Migration
	for _, m := range all {
		done, err := s.applyMigration(ctx, m)
		if err != nil {
			return applied, fmt.Errorf("migration %04d_%s: %w", m.Version, m.Name, err)
		}
		if done {
			applied = append(applied, m)
			s.log.Info("migration applied", "version", m.Version, "name", m.Name, "dialect", s.dialect.name)
		}
	}
	return applied, nil
}

// applyMigration runs m unless it is recorded already; the check, the change
// and the record share one transaction, under the dialect's lock, so two
// instances starting together cannot both apply it.
func (s *Store) applyMigration(ctx context.Context, m Migration) (applied bool, err error) {
	err = s.tx(ctx, func(q sqlx.ExtContext) error {
		if err := s.dialect.lock(ctx, q); err != nil {
			return err
		}
		var n int
		if err := sqlx.GetContext(ctx, q, &n, s.rebind(`SELECT COUNT(*) FROM schema_migrations WHERE version = ?`), m.Version); err != nil {
			return err
		}
		if n > 0 {
			return nil
		}
		if _, err := q.ExecContext(ctx, m.SQL); err != nil {
			return err
		}
		_, err := q.ExecContext(ctx, s.rebind(`INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)`),
			m.Version, m.Name, dbTime{s.now()}.String())
		applied = err == nil
		return err
	})
	return applied, err
}

// AppliedMigrations lists the recorded migrations.
func (s *Store) AppliedMigrations(ctx context.Context) ([]int, error) {
	var v []int
	err := sqlx.SelectContext(ctx, s.q(), &v, `SELECT version FROM schema_migrations ORDER BY version`)
	return v, s.wrap(err)
}
