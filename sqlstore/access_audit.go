package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/bmkg/mkggraph/mkg"
)

// record writes the audit event of a change, in the change's transaction.
// details say what changed; callers never put a key or its hash in them.
func (s *Store) record(ctx context.Context, q sqlx.ExtContext, by mkg.Actor, at time.Time, action, targetType, targetID string, details any) error {
	body, err := json.Marshal(details)
	if err != nil {
		return err
	}
	_, err = q.ExecContext(ctx, s.rebind(`INSERT INTO audit_events (at, actor_account_id, actor_label, action, target_type, target_id, details)
		VALUES (?, ?, ?, ?, ?, ?, ?)`), dbTime{at}, nullID(by.AccountID), by.Label, action, targetType, targetID, string(body))
	if err != nil {
		return s.wrap(err)
	}
	return s.advance(ctx, q, mkg.GenAccess)
}

// AccessVersion implements mkg.AccessStore: the access generation, which
// every access change advances (see Generation).
func (s *Store) AccessVersion(ctx context.Context) (int64, error) {
	return s.Generation(ctx, mkg.GenAccess)
}

const auditColumns = `e.id, e.at, e.actor_account_id, e.actor_label, e.action, e.target_type, e.target_id, e.details`

type auditRow struct {
	ID             int64         `db:"id"`
	At             dbTime        `db:"at"`
	ActorAccountID sql.NullInt64 `db:"actor_account_id"`
	ActorLabel     string        `db:"actor_label"`
	Action         string        `db:"action"`
	TargetType     string        `db:"target_type"`
	TargetID       string        `db:"target_id"`
	Details        string        `db:"details"`
}

func (r *auditRow) event() (*mkg.AuditEvent, error) {
	e := &mkg.AuditEvent{ID: r.ID, At: r.At.Time, ActorID: r.ActorAccountID.Int64, Actor: r.ActorLabel, Action: r.Action,
		TargetType: r.TargetType, TargetID: r.TargetID}
	if err := json.Unmarshal([]byte(r.Details), &e.Details); err != nil {
		return nil, err
	}
	return e, nil
}

// AuditEvents implements mkg.AccessStore: newest first.
func (s *Store) AuditEvents(ctx context.Context, f mkg.AuditFilter, p mkg.Page) (*mkg.AuditPage, error) {
	w, err := auditConditions(f)
	if err != nil {
		return nil, err
	}
	if c := p.After; c != nil {
		at, err := time.Parse(time.RFC3339Nano, c.Value)
		if c.Order != mkg.OrderAudit || err != nil {
			return nil, mkg.Invalid("after", "cursor is not valid for this list; use a cursor returned by the same query")
		}
		w.add("e.at < ? OR (e.at = ? AND e.id < ?)", dbTime{at}, dbTime{at}, c.ID)
	}
	query := "SELECT " + auditColumns + " FROM audit_events e WHERE " + w.sql() + " ORDER BY e.at DESC, e.id DESC LIMIT ?"
	var rows []auditRow
	if err := sqlx.SelectContext(ctx, s.q(), &rows, s.rebind(query), append(w.args, p.Limit+1)...); err != nil {
		return nil, s.wrap(err)
	}
	page := &mkg.AuditPage{HasNextPage: len(rows) > p.Limit}
	rows = rows[:min(len(rows), p.Limit)]
	for i := range rows {
		e, err := rows[i].event()
		if err != nil {
			return nil, err
		}
		page.Events = append(page.Events, e)
		page.Cursors = append(page.Cursors, mkg.Cursor{Order: mkg.OrderAudit, Value: e.At.Format(time.RFC3339Nano), ID: e.ID})
	}
	return page, nil
}

func auditConditions(f mkg.AuditFilter) (where, error) {
	var w where
	if f.From != nil && f.To != nil && f.From.After(*f.To) {
		return w, mkg.Invalid("filter.from", "from %s is after to %s", f.From.UTC().Format(time.RFC3339), f.To.UTC().Format(time.RFC3339))
	}
	if f.ActorID != 0 {
		w.add("e.actor_account_id = ?", f.ActorID)
	}
	if f.TargetType != "" {
		w.add("e.target_type = ?", f.TargetType)
	}
	if f.TargetID != "" {
		w.add("e.target_id = ?", f.TargetID)
	}
	if f.Action != "" {
		w.add("e.action = ?", f.Action)
	}
	if f.From != nil {
		w.add("e.at >= ?", dbTime{*f.From})
	}
	if f.To != nil {
		w.add("e.at <= ?", dbTime{*f.To})
	}
	return w, nil
}

// AuditEventsByID implements mkg.AccessStore: events in ids order, nil for
// a missing id, one statement.
func (s *Store) AuditEventsByID(ctx context.Context, ids []int64) ([]*mkg.AuditEvent, error) {
	return byID(s, ids, `SELECT `+auditColumns+` FROM audit_events e WHERE e.id IN (?)`, func(e *mkg.AuditEvent) int64 { return e.ID },
		scanned(ctx, s, (*auditRow).event))
}
