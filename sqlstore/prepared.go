package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"sync"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"
)

// Prepared reads (PostgreSQL). The API's hottest reads (a station's last
// observations and their day floor, the earthquake list) are small index
// reads whose planning costs more than running them: on a year of
// partitioned observations, PostgreSQL spent 0.8 ms planning a station's
// last 24 reports and 0.3 ms running them, on every request, because
// lib/pq sends each statement unnamed (parsed and planned at every call).
//
// These reads run as named prepared statements on a pool of their own
// whose sessions set plan_cache_mode = force_generic_plan: each
// connection plans a statement once, for any argument, and partitions are
// pruned when it runs (the plan shows "Subplans Removed"). PostgreSQL's
// own choice (auto) would keep planning them every time: a generic plan
// over every partition looks dearer than a custom plan over one, since
// the planner does not count the pruning done at run time. The setting
// cannot be given to the main pool: there it would give every unnamed
// statement a generic plan, made anew at each call, and without its
// arguments' values. The plan test explains these statements as they run,
// generically (TableScans).
//
// What is prepared is bounded: at most maxPrepared statement texts, each
// with at most maxPreparedArgs arguments (a statement whose text grows
// with a list of keys is not worth keeping); anything else, and a read
// when preparing failed, runs unprepared on the main pool, as before.
type preparedReads struct {
	db *sqlx.DB // nil: none (SQLite), every read runs on the main pool

	mu    sync.RWMutex
	stmts map[string]*sqlx.Stmt
}

const (
	maxPrepared     = 128
	maxPreparedArgs = 16
)

// stmt returns the prepared statement for query, preparing it on first
// use, or nil when query is not to be prepared (or could not be).
func (p *preparedReads) stmt(ctx context.Context, query string, nargs int) *sqlx.Stmt {
	if p.db == nil || nargs > maxPreparedArgs {
		return nil
	}
	p.mu.RLock()
	st, ok := p.stmts[query]
	full := len(p.stmts) >= maxPrepared
	p.mu.RUnlock()
	if ok || full {
		return st
	}
	st, err := p.db.PreparexContext(ctx, query)
	if err != nil {
		return nil // the read runs unprepared and reports its own error
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if have, ok := p.stmts[query]; ok { // prepared meanwhile by another read
		st.Close()
		return have
	}
	if len(p.stmts) >= maxPrepared {
		st.Close()
		return nil
	}
	p.stmts[query] = st
	return st
}

// forget drops a statement whose plan PostgreSQL refuses to run again
// (its tables changed shape under it: "cached plan must not change result
// type"); the next read prepares it anew.
func (p *preparedReads) forget(query string) {
	p.mu.Lock()
	st := p.stmts[query]
	delete(p.stmts, query)
	p.mu.Unlock()
	if st != nil {
		st.Close()
	}
}

// Prepared reports whether query has run as a prepared read (generic
// plan): the plan tests check that the hot reads do.
func (s *Store) Prepared(query string) bool { return s.prepared.has(query) }

// has reports whether query runs as a prepared statement.
func (p *preparedReads) has(query string) bool {
	p.mu.RLock()
	defer p.mu.RUnlock()
	_, ok := p.stmts[query]
	return ok
}

func (p *preparedReads) close() {
	if p.db == nil {
		return
	}
	p.mu.Lock()
	for q, st := range p.stmts {
		st.Close()
		delete(p.stmts, q)
	}
	p.mu.Unlock()
	p.db.Close()
}

// stalePlan reports whether err says a prepared statement must be
// prepared again (feature_not_supported: its result type changed).
func stalePlan(err error) bool {
	var pe *pq.Error
	return errors.As(err, &pe) && pe.Code == "0A000"
}

// reads returns the queryer of the hot reads: prepared statements with
// generic plans on PostgreSQL, the main pool otherwise. Statements are
// counted, traced and timed as on the main pool.
func (s *Store) reads() sqlx.QueryerContext { return preparedQueryer{s} }

type preparedQueryer struct{ s *Store }

func (p preparedQueryer) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	rows, err := p.QueryxContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	return rows.Rows, nil
}

func (p preparedQueryer) QueryxContext(ctx context.Context, query string, args ...any) (*sqlx.Rows, error) {
	st := p.s.begin(ctx, query, args)
	rows, err := p.query(ctx, query, args)
	st.end(err)
	return rows, err
}

func (p preparedQueryer) query(ctx context.Context, query string, args []any) (*sqlx.Rows, error) {
	if stmt := p.s.prepared.stmt(ctx, query, len(args)); stmt != nil {
		rows, err := stmt.QueryxContext(ctx, args...)
		if !stalePlan(err) {
			return rows, err
		}
		p.s.prepared.forget(query)
	}
	return p.s.db.QueryxContext(ctx, query, args...)
}

func (p preparedQueryer) QueryRowxContext(ctx context.Context, query string, args ...any) *sqlx.Row {
	st := p.s.begin(ctx, query, args)
	var row *sqlx.Row
	if stmt := p.s.prepared.stmt(ctx, query, len(args)); stmt != nil {
		row = stmt.QueryRowxContext(ctx, args...)
		if stalePlan(row.Err()) {
			p.s.prepared.forget(query)
			row = nil
		}
	}
	if row == nil {
		row = p.s.db.QueryRowxContext(ctx, query, args...)
	}
	st.end(row.Err())
	return row
}
