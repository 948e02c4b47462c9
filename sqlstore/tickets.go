package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/bmkg/mkggraph/mkg"
)

// The ticket store: reading tickets here; submission in tickets_submit.go,
// form sessions, letters and revision in tickets_input.go, the actions and
// their transaction in tickets_actions.go, fulfilment, tokens and key
// collection in tickets_fulfil.go, the outbox in tickets_notify.go. The
// rules they apply, the applicant's messages and the key cryptography are
// mkg's; these files keep the SQL and the transactions.

var _ mkg.TicketStore = (*Store)(nil)

// ticketColumns are a ticket's own columns; listColumns add its latest
// letter (joined with letterJoin).
const (
	ticketColumns = `t.id, t.number, t.state, t.channel, t.basis, t.applicant, t.form, t.assigned_to, t.escalated_to,
	t.account_id, t.version, t.form_started_at, t.submitted_at, t.updated_at, t.closed_at, t.steps,
	(t.sealed_key IS NOT NULL) AS key_waiting`
	listColumns = ticketColumns + `, l.filename AS letter_filename, l.content_type AS letter_content_type,
	l.size AS letter_size, l.sha256 AS letter_sha256`
	letterJoin = ` LEFT JOIN ticket_letters l ON l.id = (SELECT MAX(l2.id) FROM ticket_letters l2 WHERE l2.ticket_id = t.id)`
	// secretColumns are what the token and key operations need besides.
	secretColumns = `t.token_hash, t.key_public, t.key_private, t.sealed_key`
)

type ticketRow struct {
	ID            int64         `db:"id"`
	Number        string        `db:"number"`
	State         string        `db:"state"`
	Channel       string        `db:"channel"`
	Basis         string        `db:"basis"`
	Applicant     string        `db:"applicant"`
	Form          string        `db:"form"`
	AssignedTo    sql.NullInt64 `db:"assigned_to"`
	EscalatedTo   string        `db:"escalated_to"`
	AccountID     sql.NullInt64 `db:"account_id"`
	Version       int           `db:"version"`
	FormStartedAt dbNullTime    `db:"form_started_at"`
	SubmittedAt   dbTime        `db:"submitted_at"`
	UpdatedAt     dbTime        `db:"updated_at"`
	ClosedAt      dbNullTime    `db:"closed_at"`
	Steps         string        `db:"steps"`
	KeyWaiting    bool          `db:"key_waiting"`
}

func (r *ticketRow) ticket() (*mkg.Ticket, error) {
	t := &mkg.Ticket{ID: r.ID, Number: r.Number, State: mkg.TicketState(r.State), Channel: mkg.Channel(r.Channel),
		AssignedTo: r.AssignedTo.Int64, EscalatedTo: r.EscalatedTo, AccountID: r.AccountID.Int64, Version: r.Version,
		FormStartedAt: r.FormStartedAt.Time, SubmittedAt: r.SubmittedAt.Time, UpdatedAt: r.UpdatedAt.Time,
		ClosedAt: r.ClosedAt.Time, KeyWaiting: r.KeyWaiting}
	for _, part := range []struct {
		text string
		into any
	}{{r.Basis, &t.Basis}, {r.Applicant, &t.Applicant}, {r.Form, &t.Form}, {r.Steps, &t.Steps}} {
		if err := json.Unmarshal([]byte(part.text), part.into); err != nil {
			return nil, err
		}
	}
	return t, nil
}

type ticketListRow struct {
	ticketRow
	LetterFilename    sql.NullString `db:"letter_filename"`
	LetterContentType sql.NullString `db:"letter_content_type"`
	LetterSize        sql.NullInt64  `db:"letter_size"`
	LetterSHA256      sql.NullString `db:"letter_sha256"`
}

func (r *ticketListRow) ticket() (*mkg.Ticket, error) {
	t, err := r.ticketRow.ticket()
	if err != nil {
		return nil, err
	}
	if r.LetterFilename.Valid {
		t.Letter = &mkg.Letter{Filename: r.LetterFilename.String, ContentType: r.LetterContentType.String,
			Size: r.LetterSize.Int64, SHA256: r.LetterSHA256.String}
	}
	return t, nil
}

// ticketSecrets is a ticket as an action reads it, with what only the
// store sees.
type ticketSecrets struct {
	ticketRow
	TokenHash  string `db:"token_hash"`
	KeyPublic  []byte `db:"key_public"`
	KeyPrivate []byte `db:"key_private"`
	SealedKey  []byte `db:"sealed_key"`
}

// selectTickets runs a query over tickets t (with letterJoin) in one
// statement.
func (s *Store) selectTickets(ctx context.Context, q sqlx.ExtContext, query string, args ...any) ([]*mkg.Ticket, error) {
	return selectAs(ctx, s, q, func(r *ticketListRow) (*mkg.Ticket, error) {
		t, err := r.ticket()
		return t, s.wrap(err)
	}, query, args...)
}

// ticketByID reads one ticket with its letter; NOT_FOUND when there is none.
func (s *Store) ticketByID(ctx context.Context, q sqlx.ExtContext, id int64) (*mkg.Ticket, error) {
	ts, err := s.selectTickets(ctx, q, s.rebind("SELECT "+listColumns+" FROM tickets t"+letterJoin+" WHERE t.id = ?"), id)
	if err != nil {
		return nil, err
	}
	if len(ts) == 0 {
		return nil, mkg.NotFound("ticket")
	}
	return ts[0], nil
}

// lockedTicket reads a ticket inside an action, holding its row until the
// transaction ends (SQLite's IMMEDIATE transactions hold the whole
// database); NOT_FOUND when there is none.
func (s *Store) lockedTicket(ctx context.Context, q sqlx.ExtContext, id int64) (*mkg.Ticket, *ticketSecrets, error) {
	return s.lockedTicketWhere(ctx, q, "t.id = ?", id)
}

func (s *Store) lockedTicketWhere(ctx context.Context, q sqlx.ExtContext, cond string, arg any) (*mkg.Ticket, *ticketSecrets, error) {
	var row ticketSecrets
	err := s.getOne(ctx, q, &row, mkg.NotFound("ticket"), "SELECT "+ticketColumns+", "+secretColumns+" FROM tickets t WHERE "+cond+s.dialect.forUpdate, arg)
	if err != nil {
		return nil, nil, err
	}
	t, err := row.ticket()
	if err != nil {
		return nil, nil, s.wrap(err)
	}
	return t, &row, nil
}

func isNoRows(err error) bool { return errors.Is(err, sql.ErrNoRows) }

// TicketsByID implements mkg.TicketStore: tickets in ids order, nil for a
// missing id, one statement.
func (s *Store) TicketsByID(ctx context.Context, ids []int64) ([]*mkg.Ticket, error) {
	return byID(s, ids, "SELECT "+listColumns+" FROM tickets t"+letterJoin+" WHERE t.id IN (?)", func(t *mkg.Ticket) int64 { return t.ID },
		func(query string, args ...any) ([]*mkg.Ticket, error) {
			return s.selectTickets(ctx, s.q(), query, args...)
		})
}

// ticketConditions checks the filter (mkg.TicketFilter.Check) and returns
// its conditions, the breach judged at now.
func ticketConditions(f mkg.TicketFilter, now time.Time) (where, error) {
	var w where
	if err := f.Check(); err != nil {
		return w, err
	}
	if len(f.Status) > 0 {
		args := make([]any, len(f.Status))
		for i, st := range f.Status {
			args[i] = string(st)
		}
		w.add("t.state IN ("+placeholders(len(args))+")", args...)
	}
	if f.Breached != nil {
		// A running step that was on time at the last action is late once
		// its due time has passed: the stored due time against now.
		late := "t.breached = ? OR (t.breach_due_at IS NOT NULL AND t.breach_due_at < ?)"
		if *f.Breached {
			w.add(late, true, dbTime{now})
		} else {
			w.add("NOT ("+late+")", true, dbTime{now})
		}
	}
	if f.NotificationFailed != nil {
		failed := "EXISTS (SELECT 1 FROM notifications n WHERE n.ticket_id = t.id AND n.failed_at IS NOT NULL)"
		if *f.NotificationFailed {
			w.add(failed)
		} else {
			w.add("NOT " + failed)
		}
	}
	switch {
	case f.AssignedTo == -1:
		w.add("t.assigned_to IS NULL")
	case f.AssignedTo > 0:
		w.add("t.assigned_to = ?", f.AssignedTo)
	}
	if f.Channel != "" {
		w.add("t.channel = ?", string(f.Channel))
	}
	if f.Number != "" {
		w.add("t.number = ?", f.Number)
	}
	if f.From != nil {
		w.add("t.submitted_at >= ?", dbTime{*f.From})
	}
	if f.To != nil {
		w.add("t.submitted_at < ?", dbTime{*f.To})
	}
	return w, nil
}

// Tickets implements mkg.TicketStore in queue order: oldest submission
// first (revisions keep their place), then id. From is inclusive, To
// exclusive. One statement.
func (s *Store) Tickets(ctx context.Context, f mkg.TicketFilter, p mkg.Page) (*mkg.TicketPage, error) {
	w, err := ticketConditions(f, s.now())
	if err != nil {
		return nil, err
	}
	if c := p.After; c != nil {
		at, err := time.Parse(time.RFC3339Nano, c.Value)
		if c.Order != mkg.OrderTickets || err != nil {
			return nil, mkg.Invalid("after", "cursor is not valid for this list; use a cursor returned by the same query")
		}
		w.add("t.submitted_at > ? OR (t.submitted_at = ? AND t.id > ?)", dbTime{at}, dbTime{at}, c.ID)
	}
	query := "SELECT " + listColumns + " FROM tickets t" + letterJoin + " WHERE " + w.sql() + " ORDER BY t.submitted_at, t.id LIMIT ?"
	ts, err := s.selectTickets(ctx, s.q(), s.rebind(query), append(w.args, p.Limit+1)...)
	if err != nil {
		return nil, err
	}
	page := &mkg.TicketPage{HasNextPage: len(ts) > p.Limit, Tickets: ts[:min(len(ts), p.Limit)]}
	for _, t := range page.Tickets {
		page.Cursors = append(page.Cursors, mkg.Cursor{Order: mkg.OrderTickets, Value: t.SubmittedAt.Format(time.RFC3339Nano), ID: t.ID})
	}
	return page, nil
}

// CountTickets implements mkg.TicketStore with the conditions of Tickets.
func (s *Store) CountTickets(ctx context.Context, f mkg.TicketFilter) (int, error) {
	w, err := ticketConditions(f, s.now())
	if err != nil {
		return 0, err
	}
	var n int
	err = sqlx.GetContext(ctx, s.q(), &n, s.rebind("SELECT COUNT(*) FROM tickets t WHERE "+w.sql()), w.args...)
	return n, s.wrap(err)
}

// Stats implements mkg.TicketStore: the tickets submitted in [from, to]
// with their steps, read in one statement, measured at the store's now.
func (s *Store) Stats(ctx context.Context, from, to time.Time) (*mkg.TicketStats, error) {
	if err := mkg.CheckStatsPeriod(from, to); err != nil {
		return nil, err
	}
	ts, err := s.selectTickets(ctx, s.q(), s.rebind("SELECT "+listColumns+" FROM tickets t"+letterJoin+
		" WHERE t.submitted_at >= ? AND t.submitted_at <= ?"), dbTime{from}, dbTime{to})
	if err != nil {
		return nil, err
	}
	return mkg.ComputeStats(ts, from, to, s.now()), nil
}

type ticketEventRow struct {
	ID             int64         `db:"id"`
	TicketID       int64         `db:"ticket_id"`
	At             dbTime        `db:"at"`
	ActorLabel     string        `db:"actor_label"`
	ActorAccountID sql.NullInt64 `db:"actor_account_id"`
	ActorRole      string        `db:"actor_role"`
	Action         string        `db:"action"`
	FromState      string        `db:"from_state"`
	ToState        string        `db:"to_state"`
	Note           string        `db:"note"`
	Checklist      string        `db:"checklist"`
	Details        string        `db:"details"`
}

func (r *ticketEventRow) event() (mkg.TicketEvent, error) {
	e := mkg.TicketEvent{ID: r.ID, TicketID: r.TicketID, At: r.At.Time, Actor: r.ActorLabel, ActorRole: mkg.TicketActor(r.ActorRole),
		Action: mkg.TicketAction(r.Action), From: mkg.TicketState(r.FromState), To: mkg.TicketState(r.ToState), Note: r.Note}
	if err := json.Unmarshal([]byte(r.Checklist), &e.Checklist); err != nil {
		return e, err
	}
	if len(e.Checklist) == 0 {
		e.Checklist = nil
	}
	var err error
	e.Details, err = mkg.DecodeEventDetails(e.Action, []byte(r.Details))
	return e, err
}

// EventsOfTickets implements mkg.TicketStore: each ticket's events, oldest
// first, in ids order, one statement.
func (s *Store) EventsOfTickets(ctx context.Context, ids []int64) ([][]mkg.TicketEvent, error) {
	out := make([][]mkg.TicketEvent, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	var rows []ticketEventRow
	if err := s.selectIn(ctx, s.q(), &rows, `SELECT id, ticket_id, at, actor_label, actor_account_id, actor_role, action, from_state, to_state,
		note, checklist, details FROM ticket_events WHERE ticket_id IN (?) ORDER BY ticket_id, id`, ids); err != nil {
		return nil, err
	}
	byTicket := map[int64][]mkg.TicketEvent{}
	for i := range rows {
		e, err := rows[i].event()
		if err != nil {
			return nil, s.wrap(err)
		}
		byTicket[e.TicketID] = append(byTicket[e.TicketID], e)
	}
	for i, id := range ids {
		out[i] = byTicket[id]
	}
	return out, nil
}

// LetterOf implements mkg.TicketStore: the ticket's latest letter;
// NOT_FOUND for a ticket that does not exist or has no letter.
func (s *Store) LetterOf(ctx context.Context, id int64) (*mkg.Letter, []byte, error) {
	var row struct {
		Filename    string `db:"filename"`
		ContentType string `db:"content_type"`
		Size        int64  `db:"size"`
		SHA256      string `db:"sha256"`
		Data        []byte `db:"data"`
	}
	if err := s.getOne(ctx, s.q(), &row, mkg.NotFound("letter"), `SELECT filename, content_type, size, sha256, data FROM ticket_letters
		WHERE ticket_id = ? ORDER BY id DESC LIMIT 1`, id); err != nil {
		return nil, nil, err
	}
	return &mkg.Letter{Filename: row.Filename, ContentType: row.ContentType, Size: row.Size, SHA256: row.SHA256}, row.Data, nil
}

// OpenTickets returns the tickets not in a final state, the oldest first,
// at most limit of them (one statement): what the service figures
// (mkg.ComputeServiceFigures) are computed from.
func (s *Store) OpenTickets(ctx context.Context, limit int) ([]*mkg.Ticket, error) {
	var final []any
	for _, st := range mkg.TicketStates {
		if st.Final() {
			final = append(final, string(st))
		}
	}
	query := "SELECT " + listColumns + " FROM tickets t" + letterJoin + " WHERE t.state NOT IN (" + placeholders(len(final)) +
		") ORDER BY t.submitted_at, t.id LIMIT ?"
	return s.selectTickets(ctx, s.q(), s.rebind(query), append(final, limit)...)
}
