package sqlstore

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"sync/atomic"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"
)

// DataTables are the tables that grow with the data (and with time): a
// statement must reach their rows through an index, never by reading them
// whole. Partitions are named after their table with a suffix.
var DataTables = []string{"observations", "earthquakes", "earthquake_sources", "lightning_strikes", "lightning_cells",
	"climate_days", "aq_measurements", "aq_days", "ground_motions", "tickets", "ticket_events", "audit_events",
	"notifications", "radar_scans", "satellite_products", "day_counts", "latest_observations", "usage_daily",
	"webhook_deliveries"}

// pendingIndexes are partial indexes that hold only an outbox's pending
// rows (not sent, not delivered): reading one end to end reads what waits
// to go out, which the outbox bounds, not the table and its history.
var pendingIndexes = []string{"notifications_pending", "webhook_deliveries_due"}

// TableScans asks the database how it would run a statement and returns
// the data tables it would read whole: a sequential scan, or an index read
// from end to end (no index condition, and no LIMIT to stop it). On
// PostgreSQL the plan is made with sequential scans disabled, so that a
// table the test set keeps small is not read whole because that is cheaper
// at its size: a sequential scan left in the plan means no index can serve
// the statement at any size; sorts and hash joins are disabled likewise, so
// that a tiny table read whole to be sorted or hashed is read through the
// index that gives its order or its key, as it would be at volume. For the
// plan tests and for operators checking a statement at their volume.
func (s *Store) TableScans(ctx context.Context, query string, args []any) ([]string, error) {
	if s.dialect.name == "postgres" {
		return s.pgTableScans(ctx, query, args)
	}
	return s.sqliteTableScans(ctx, query, args)
}

func (s *Store) pgTableScans(ctx context.Context, query string, args []any) ([]string, error) {
	lines, err := s.pgExplain(ctx, "EXPLAIN (FORMAT JSON) ", query, args)
	if err != nil {
		return nil, fmt.Errorf("explain: %w", err)
	}
	var plans []struct{ Plan pgPlanNode }
	if err := json.Unmarshal([]byte(strings.Join(lines, "")), &plans); err != nil {
		return nil, err
	}
	var out []string
	var walk func(n *pgPlanNode, limited bool)
	walk = func(n *pgPlanNode, limited bool) {
		whole := n.NodeType == "Seq Scan" ||
			(n.NodeType == "Index Scan" || n.NodeType == "Index Only Scan") && n.IndexCond == "" && !limited &&
				!slices.Contains(pendingIndexes, n.IndexName)
		if t := dataTable(n.Relation); whole && t != "" && !slices.Contains(out, t) && !s.emptyPartition(ctx, n.Relation, t) {
			out = append(out, t)
		}
		// A Limit stops what is under it, unless a sort or an aggregate
		// must read everything first.
		limited = limited && n.NodeType != "Sort" && n.NodeType != "Aggregate" && n.NodeType != "WindowAgg" ||
			n.NodeType == "Limit"
		for i := range n.Plans {
			walk(&n.Plans[i], limited)
		}
	}
	for i := range plans {
		walk(&plans[i].Plan, false)
	}
	return out, nil
}

// pgExplain runs explain (EXPLAIN and its options) on query as the API
// runs it (explainable), planned as at volume (volumePlanner), and returns
// the plan's lines.
func (s *Store) pgExplain(ctx context.Context, explain, query string, args []any) ([]string, error) {
	var lines []string
	err := s.inTx(ctx, func(tx *sqlx.Tx) error {
		if err := volumePlanner(ctx, tx); err != nil {
			return err
		}
		stmt, done, err := s.explainable(ctx, tx, query, args)
		if err != nil {
			return err
		}
		if err := sqlx.SelectContext(ctx, tx, &lines, explain+stmt, argsOf(stmt, query, args)...); err != nil {
			return err // a prepared statement stays in the session under its unused name
		}
		return done()
	})
	return lines, err
}

// explainable returns what to put after EXPLAIN in tx to see the plan
// query runs with: query itself, or, for a prepared read (prepared.go),
// the EXECUTE of query prepared in tx with a generic plan, as the
// prepared reads' sessions make it; done then deallocates it. (PostgreSQL
// 16's EXPLAIN (GENERIC_PLAN) would not need the PREPARE.)
func (s *Store) explainable(ctx context.Context, tx *sqlx.Tx, query string, args []any) (stmt string, done func() error, err error) {
	if !s.prepared.has(query) {
		return query, func() error { return nil }, nil
	}
	name := fmt.Sprintf("mkg_explain_%d", explained.Add(1))
	if _, err := tx.ExecContext(ctx, "SET LOCAL plan_cache_mode = force_generic_plan"); err != nil {
		return "", nil, err
	}
	if _, err := tx.ExecContext(ctx, "PREPARE "+name+" AS "+query); err != nil {
		return "", nil, err
	}
	// EXECUTE takes its arguments as literals: PostgreSQL does not take
	// parameters for a utility statement such as EXPLAIN EXECUTE.
	stmt = "EXECUTE " + name
	if len(args) > 0 {
		lits := make([]string, len(args))
		for i, a := range args {
			if lits[i], err = literal(a); err != nil {
				return "", nil, err
			}
		}
		stmt += "(" + strings.Join(lits, ", ") + ")"
	}
	return stmt, func() error {
		_, err := tx.ExecContext(ctx, "DEALLOCATE "+name)
		return err
	}, nil
}

// argsOf returns the arguments to send with EXPLAIN stmt: none when stmt
// is an EXECUTE carrying them.
func argsOf(stmt, query string, args []any) []any {
	if stmt != query {
		return nil
	}
	return args
}

// literal writes an argument as a PostgreSQL literal, in the text form
// lib/pq would send it in; the prepared statement's parameter types
// give it its type.
func literal(a any) (string, error) {
	v, err := driver.DefaultParameterConverter.ConvertValue(a)
	if vr, ok := a.(driver.Valuer); ok {
		v, err = vr.Value()
	}
	if err != nil {
		return "", err
	}
	switch x := v.(type) {
	case nil:
		return "NULL", nil
	case string:
		return pq.QuoteLiteral(x), nil
	case []byte:
		return pq.QuoteLiteral(string(x)), nil
	case time.Time:
		return pq.QuoteLiteral(x.Format(time.RFC3339Nano)), nil
	default: // int64, float64, bool
		return pq.QuoteLiteral(fmt.Sprint(x)), nil
	}
}

// explained numbers explainable's statements: a prepared statement
// outlives a failed transaction, so a name is never used twice.
var explained atomic.Int64

type pgPlanNode struct {
	NodeType  string       `json:"Node Type"`
	Relation  string       `json:"Relation Name"`
	IndexCond string       `json:"Index Cond"`
	IndexName string       `json:"Index Name"`
	Plans     []pgPlanNode `json:"Plans"`
}

// emptyPartition reports whether name is a partition of table that the
// statistics say holds nothing (one made ahead for days to come): the
// planner may read it whole, which costs nothing.
func (s *Store) emptyPartition(ctx context.Context, name, table string) bool {
	if name == table {
		return false
	}
	var tuples float64
	err := sqlx.GetContext(ctx, s.db, &tuples, `SELECT reltuples FROM pg_class WHERE oid = to_regclass($1)`, name)
	return err == nil && tuples == 0
}

// volumePlanner makes PostgreSQL plan as it would with tables too big to
// read whole (see TableScans), for the transaction.
func volumePlanner(ctx context.Context, tx *sqlx.Tx) error {
	for _, set := range []string{"enable_seqscan", "enable_sort", "enable_hashjoin"} {
		if _, err := tx.ExecContext(ctx, "SET LOCAL "+set+" = off"); err != nil {
			return err
		}
	}
	return nil
}

// inTx runs fn in a read-only transaction that is always rolled back.
func (s *Store) inTx(ctx context.Context, fn func(tx *sqlx.Tx) error) error {
	tx, err := s.db.BeginTxx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return err
	}
	defer tx.Rollback()
	return fn(tx)
}

func (s *Store) sqliteTableScans(ctx context.Context, query string, args []any) ([]string, error) {
	var rows []struct {
		ID      int    `db:"id"`
		Parent  int    `db:"parent"`
		NotUsed int    `db:"notused"`
		Detail  string `db:"detail"`
	}
	if err := sqlx.SelectContext(ctx, s.db, &rows, "EXPLAIN QUERY PLAN "+query, args...); err != nil {
		return nil, fmt.Errorf("explain: %w", err)
	}
	tables := aliases(query)
	limited := hasLimit(query)
	var out []string
	for _, r := range rows {
		// "SCAN o" (an alias) or "SCAN observations" reads the table;
		// "SCAN o USING INDEX x" walks an index from end to end unless a
		// LIMIT stops it; "SEARCH" seeks.
		f := strings.Fields(r.Detail)
		if len(f) < 2 || f[0] != "SCAN" || strings.Contains(r.Detail, " USING ") && limited {
			continue
		}
		if i := slices.Index(f, "INDEX"); i > 0 && i+1 < len(f) && slices.Contains(pendingIndexes, f[i+1]) {
			continue
		}
		name := f[1]
		if t, ok := tables[name]; ok {
			name = t
		}
		if t := dataTable(name); t != "" && !slices.Contains(out, t) {
			out = append(out, t)
		}
	}
	return out, nil
}

// hasLimit reports whether the statement's outermost query has a LIMIT.
func hasLimit(query string) bool {
	depth, q := 0, strings.ToUpper(query)
	for i := 0; i < len(q); i++ {
		switch q[i] {
		case '(':
			depth++
		case ')':
			depth--
		case 'L':
			if depth == 0 && strings.HasPrefix(q[i:], "LIMIT") && (i == 0 || !isWordByte(q[i-1])) {
				return true
			}
		}
	}
	return false
}

func isWordByte(b byte) bool { return b == '_' || b >= 'A' && b <= 'Z' || b >= '0' && b <= '9' }

var (
	fromJoin   = regexp.MustCompile(`(?i)\b(?:FROM|JOIN)\s+([a-z_][a-z0-9_]*)(?:\s+(?:AS\s+)?([a-z_][a-z0-9_]*))?`)
	notAnAlias = map[string]bool{"where": true, "join": true, "left": true, "inner": true, "cross": true, "on": true,
		"group": true, "order": true, "limit": true, "using": true, "natural": true, "full": true, "right": true, "union": true}
)

// aliases maps the table aliases of a statement's FROM and JOIN clauses to
// their tables (SQLite's plans name a table by its alias).
func aliases(query string) map[string]string {
	out := map[string]string{}
	for _, m := range fromJoin.FindAllStringSubmatch(query, -1) {
		if a := strings.ToLower(m[2]); a != "" && !notAnAlias[a] {
			out[a] = strings.ToLower(m[1])
		}
	}
	return out
}

// dataTable returns the data table that name is, or is a partition of
// (observations_p20250101 …); "" when it is neither.
func dataTable(name string) string {
	for _, t := range DataTables {
		if name == t || strings.HasPrefix(name, t+"_p") {
			return t
		}
	}
	return ""
}

// Analyze refreshes the planner's statistics (PostgreSQL: VACUUM ANALYZE,
// which also marks pages all-visible for index-only scans; SQLite:
// ANALYZE). After a bulk load the plans are those of the data's real size.
func (s *Store) Analyze(ctx context.Context) error {
	stmt := "ANALYZE"
	if s.dialect.name == "postgres" {
		stmt = "VACUUM (ANALYZE)"
	}
	_, err := s.db.ExecContext(ctx, stmt)
	return s.wrap(err)
}

// Plan returns the database's plan for a statement as text, for messages
// about it.
func (s *Store) Plan(ctx context.Context, query string, args []any) (string, error) {
	if s.dialect.name == "postgres" {
		lines, err := s.pgExplain(ctx, "EXPLAIN ", query, args)
		return strings.Join(lines, "\n"), err
	}
	var rows []struct {
		ID      int    `db:"id"`
		Parent  int    `db:"parent"`
		NotUsed int    `db:"notused"`
		Detail  string `db:"detail"`
	}
	err := sqlx.SelectContext(ctx, s.db, &rows, "EXPLAIN QUERY PLAN "+query, args...)
	var lines []string
	for _, r := range rows {
		lines = append(lines, r.Detail)
	}
	return strings.Join(lines, "\n"), err
}
