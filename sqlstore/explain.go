package sqlstore

import (
	"context"
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/jmoiron/sqlx"
)

// DataTables are the tables that grow with the data (and with time): a
// statement must reach their rows through an index, never by reading them
// whole. Partitions are named after their table with a suffix.
var DataTables = []string{"observations", "earthquakes", "earthquake_sources", "lightning_strikes", "lightning_cells",
	"climate_days", "aq_measurements", "aq_days", "ground_motions", "tickets", "ticket_events", "audit_events",
	"notifications", "radar_scans", "satellite_products"}

// TableScans asks the database how it would run a statement and returns
// the data tables it would read whole: "Seq Scan" nodes in PostgreSQL's
// plan, "SCAN table" without an index in SQLite's. For the plan tests and
// for operators checking a statement at their volume.
func (s *Store) TableScans(ctx context.Context, query string, args []any) ([]string, error) {
	if s.dialect.name == "postgres" {
		return s.pgTableScans(ctx, query, args)
	}
	return s.sqliteTableScans(ctx, query, args)
}

func (s *Store) pgTableScans(ctx context.Context, query string, args []any) ([]string, error) {
	var raw string
	if err := sqlx.GetContext(ctx, s.db, &raw, "EXPLAIN (FORMAT JSON) "+query, args...); err != nil {
		return nil, fmt.Errorf("explain: %w", err)
	}
	var plans []struct{ Plan pgPlanNode }
	if err := json.Unmarshal([]byte(raw), &plans); err != nil {
		return nil, err
	}
	var out []string
	var walk func(n *pgPlanNode)
	walk = func(n *pgPlanNode) {
		if n.NodeType == "Seq Scan" && isDataTable(n.Relation) {
			out = append(out, n.Relation)
		}
		for i := range n.Plans {
			walk(&n.Plans[i])
		}
	}
	for i := range plans {
		walk(&plans[i].Plan)
	}
	return out, nil
}

type pgPlanNode struct {
	NodeType string       `json:"Node Type"`
	Relation string       `json:"Relation Name"`
	Plans    []pgPlanNode `json:"Plans"`
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
	var out []string
	for _, r := range rows {
		// "SCAN o" (an alias) or "SCAN observations" reads the table;
		// "SCAN o USING INDEX x" walks an index in order (and stops at a
		// LIMIT); "SEARCH" seeks.
		f := strings.Fields(r.Detail)
		if len(f) < 2 || f[0] != "SCAN" || strings.Contains(r.Detail, " USING ") {
			continue
		}
		name := f[1]
		if t, ok := tables[name]; ok {
			name = t
		}
		if isDataTable(name) {
			out = append(out, name)
		}
	}
	return out, nil
}

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

// isDataTable reports whether name is a data table or one of its
// partitions (observations_2025_01 …).
func isDataTable(name string) bool {
	return slices.ContainsFunc(DataTables, func(t string) bool {
		return name == t || strings.HasPrefix(name, t+"_p")
	})
}
