package sqlstore

import (
	"context"
	"encoding/json"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/bmkg/mkggraph/mkg"
)

// change is what an action does to a ticket besides moving its state: the
// action's own input, checked against the ticket as it stands.
type change struct {
	note        string
	checklist   []mkg.ChecklistItem
	details     map[string]any
	assignedTo  int64  // the ticket's officer afterwards (0: any)
	escalatedTo string // APPLICANT or INTERNAL after ESCALATE, cleared by anything else
	accountID   int64
	sealedKey   []byte           // set on fulfilment
	input       *mkg.TicketInput // set on revision
	// For the applicant's message.
	fixes      []string
	keyWaiting bool
	fulfilment *mkg.Fulfilment
}

// prepareFunc checks an action's input and does its side effects (an
// account, a letter) inside the action's transaction, filling in ch.
type prepareFunc func(ctx context.Context, q sqlx.ExtContext, t *mkg.Ticket, sec *ticketSecrets, now time.Time, ch *change) error

// ticketNow is the store's clock at the precision both databases keep, so
// that a ticket returned by an action equals the ticket read back.
func (s *Store) ticketNow() time.Time { return s.now().UTC().Truncate(time.Microsecond) }

// checkCaller refuses a staff role the caller's account does not hold: the
// schema checks roles too, but the store is the last line.
func checkCaller(by mkg.TicketCaller) error {
	if by.Role == mkg.ActorApplicant {
		return nil
	}
	if by.Account == nil || by.Account.Status != mkg.AccountActive || !by.Account.HasRole(mkg.Role(by.Role)) {
		return mkg.Errorf(mkg.EFORBIDDEN, "acting as %s needs an active account with that role", strings.ToLower(string(by.Role)))
	}
	return nil
}

// act runs a staff action on ticket id in one transaction.
func (s *Store) act(ctx context.Context, by mkg.TicketCaller, id int64, action mkg.TicketAction, prepare prepareFunc) (*mkg.Ticket, error) {
	if err := checkCaller(by); err != nil {
		return nil, err
	}
	var out *mkg.Ticket
	err := s.tx(ctx, func(q sqlx.ExtContext) error {
		t, sec, err := s.lockedTicket(ctx, q, id)
		if err != nil {
			return err
		}
		out, err = s.apply(ctx, q, by, t, sec, action, prepare)
		return err
	})
	return out, err
}

// apply moves the locked ticket t by action: the transition, the action's
// own checks and side effects, the guarded update, the steps, the event and
// the applicant's message.
func (s *Store) apply(ctx context.Context, q sqlx.ExtContext, by mkg.TicketCaller, t *mkg.Ticket, sec *ticketSecrets,
	action mkg.TicketAction, prepare prepareFunc) (*mkg.Ticket, error) {
	now := s.ticketNow()
	to, err := mkg.Transition(t.State, action, by.Role)
	if err != nil {
		return nil, err
	}
	ch := &change{details: map[string]any{}, assignedTo: t.AssignedTo, accountID: t.AccountID, keyWaiting: sec.SealedKey != nil}
	if prepare != nil {
		if err := prepare(ctx, q, t, sec, now, ch); err != nil {
			return nil, err
		}
	}
	steps := mkg.AdvanceSteps(t.Steps, action, ch.escalatedTo, now, nil, s.standards)
	if err := s.updateTicket(ctx, q, by, t, to, action, steps, ch, now); err != nil {
		return nil, err
	}
	if err := s.appendEvent(ctx, q, by, t.ID, now, action, t.State, to, ch); err != nil {
		return nil, err
	}
	after, err := s.ticketByID(ctx, q, t.ID)
	if err != nil {
		return nil, err
	}
	subject, body := s.message(after, action, ch)
	return after, s.queueNotification(ctx, q, after, subject, body, now)
}

// updateTicket writes the new state if the ticket is still at the version
// read: of two actions decided on the same version only one gets here
// first; the other is told the state the winner left.
func (s *Store) updateTicket(ctx context.Context, q sqlx.ExtContext, by mkg.TicketCaller, t *mkg.Ticket, to mkg.TicketState,
	action mkg.TicketAction, steps []mkg.ServiceStep, ch *change, now time.Time) error {
	stepsJSON, err := json.Marshal(nonNil(steps))
	if err != nil {
		return err
	}
	breached, due := breachColumns(steps, now)
	closedAt := t.ClosedAt
	if to.Final() {
		closedAt = &now
	}
	set := `state = ?, version = version + 1, updated_at = ?, closed_at = ?, assigned_to = ?, escalated_to = ?, account_id = ?,
		steps = ?, breached = ?, breach_due_at = ?`
	args := []any{string(to), dbTime{now}, nullTime(closedAt), nullID(ch.assignedTo), ch.escalatedTo, nullID(ch.accountID),
		string(stepsJSON), breached, nullTime(due)}
	if ch.sealedKey != nil {
		set += ", sealed_key = ?"
		args = append(args, ch.sealedKey)
	}
	if ch.input != nil {
		cols, err := inputColumns(ch.input)
		if err != nil {
			return err
		}
		set += ", basis = ?, applicant = ?, applicant_email = ?, form = ?"
		args = append(args, cols...)
	}
	res, err := q.ExecContext(ctx, s.rebind("UPDATE tickets SET "+set+" WHERE id = ? AND version = ?"), append(args, t.ID, t.Version)...)
	if err != nil {
		return s.wrap(err)
	}
	if n, err := res.RowsAffected(); err != nil || n == 1 {
		return s.wrap(err)
	}
	var state string
	if err := sqlx.GetContext(ctx, q, &state, s.rebind(`SELECT state FROM tickets WHERE id = ?`), t.ID); err != nil {
		return s.wrap(err)
	}
	if _, err := mkg.Transition(mkg.TicketState(state), action, by.Role); err != nil {
		return err
	}
	return mkg.Errorf(mkg.ECONFLICT, "ticket %s changed while this action was decided; read it again", t.Number)
}

// breachColumns are what the breach filter reads (see migration 0003):
// whether a step is breached for good at now, and the earliest due time of
// a running, unpaused step not yet late, which the filter compares with the
// time of the query (Breached of such a step is exactly now after its due
// time).
func breachColumns(steps []mkg.ServiceStep, now time.Time) (breached bool, dueAt *time.Time) {
	for _, st := range steps {
		switch {
		case st.Breached(now):
			breached = true
		case st.FinishedAt == nil && st.PausedAt == nil && !st.Cancelled:
			if d := st.EffectiveDue(now); dueAt == nil || d.Before(*dueAt) {
				dueAt = &d
			}
		}
	}
	return breached, dueAt
}

// appendEvent records the action.
func (s *Store) appendEvent(ctx context.Context, q sqlx.ExtContext, by mkg.TicketCaller, ticketID int64, at time.Time,
	action mkg.TicketAction, from, to mkg.TicketState, ch *change) error {
	checklist, err := json.Marshal(nonNil(ch.checklist))
	if err != nil {
		return err
	}
	details, err := json.Marshal(ch.details)
	if err != nil {
		return err
	}
	var actorID int64
	if by.Account != nil {
		actorID = by.Account.ID
	}
	_, err = q.ExecContext(ctx, s.rebind(`INSERT INTO ticket_events (ticket_id, at, actor_label, actor_account_id, actor_role, action,
		from_state, to_state, note, checklist, details) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
		ticketID, dbTime{at}, by.Label(), nullID(actorID), string(by.Role), string(action), string(from), string(to), ch.note,
		string(checklist), string(details))
	return s.wrap(err)
}

// Review implements mkg.TicketStore: the service desk forwards a submitted
// ticket (to an active officer, or to the officers' queue) or returns it
// with what to fix.
func (s *Store) Review(ctx context.Context, by mkg.TicketCaller, id int64, r mkg.Review) (*mkg.Ticket, error) {
	if r.Decision != mkg.ActForward && r.Decision != mkg.ActReturn {
		return nil, mkg.Invalid("decision", "a review decision is FORWARD or RETURN, not %q", r.Decision)
	}
	return s.act(ctx, by, id, r.Decision, func(ctx context.Context, q sqlx.ExtContext, t *mkg.Ticket, _ *ticketSecrets, now time.Time, ch *change) error {
		for _, c := range r.Checklist {
			if strings.TrimSpace(c.Item) == "" {
				return mkg.Invalid("checklist", "every checklist item names what was checked")
			}
		}
		ch.note, ch.checklist = strings.TrimSpace(r.Note), r.Checklist
		if r.Decision == mkg.ActReturn {
			for _, f := range r.Fixes {
				if f = strings.TrimSpace(f); f != "" {
					ch.fixes = append(ch.fixes, f)
				}
			}
			if len(ch.fixes) == 0 {
				return mkg.Invalid("fixes", "a returned ticket says what the applicant must fix: give at least one fix")
			}
			ch.details["fixes"] = ch.fixes
			return nil
		}
		if r.AssignTo != 0 {
			if err := s.checkOfficer(ctx, q, r.AssignTo, now); err != nil {
				return err
			}
			ch.details["assignedTo"] = r.AssignTo
		}
		ch.assignedTo = r.AssignTo
		return nil
	})
}

// checkOfficer refuses to assign a ticket to anyone but an active,
// unexpired officer.
func (s *Store) checkOfficer(ctx context.Context, q sqlx.ExtContext, id int64, now time.Time) error {
	accts, err := s.selectAccounts(ctx, q, s.rebind("SELECT "+accountColumns+" FROM accounts a WHERE a.id = ?"), id)
	if err != nil {
		return err
	}
	if len(accts) == 0 || !accts[0].HasRole(mkg.RoleOfficer) || accts[0].Status != mkg.AccountActive || accts[0].Expired(now) {
		return mkg.Invalid("assignTo", "account %d is not an active officer", id)
	}
	return nil
}

// Start implements mkg.TicketStore. Any officer may start a forwarded
// ticket, one assigned to a colleague included (the event records the
// takeover); the ticket is then theirs.
func (s *Store) Start(ctx context.Context, by mkg.TicketCaller, id int64) (*mkg.Ticket, error) {
	return s.act(ctx, by, id, mkg.ActStart, func(_ context.Context, _ sqlx.ExtContext, t *mkg.Ticket, _ *ticketSecrets, _ time.Time, ch *change) error {
		if t.AssignedTo != 0 && t.AssignedTo != by.Account.ID {
			ch.details["takenOverFrom"] = t.AssignedTo
		}
		ch.assignedTo = by.Account.ID
		return nil
	})
}

// Escalate implements mkg.TicketStore: to APPLICANT stops the service
// clock until the officer resumes; to INTERNAL does not.
func (s *Store) Escalate(ctx context.Context, by mkg.TicketCaller, id int64, to, note string) (*mkg.Ticket, error) {
	return s.act(ctx, by, id, mkg.ActEscalate, func(_ context.Context, _ sqlx.ExtContext, _ *mkg.Ticket, _ *ticketSecrets, _ time.Time, ch *change) error {
		if to != string(mkg.ActorApplicant) && to != "INTERNAL" {
			return mkg.Invalid("to", "a ticket is escalated to APPLICANT or INTERNAL, not %q", to)
		}
		ch.escalatedTo, ch.note = to, strings.TrimSpace(note)
		ch.details["to"] = to
		return nil
	})
}

// Resume implements mkg.TicketStore.
func (s *Store) Resume(ctx context.Context, by mkg.TicketCaller, id int64, note string) (*mkg.Ticket, error) {
	return s.act(ctx, by, id, mkg.ActResume, noting(note))
}

// CloseTicket implements mkg.TicketStore.
func (s *Store) CloseTicket(ctx context.Context, by mkg.TicketCaller, id int64, note string) (*mkg.Ticket, error) {
	return s.act(ctx, by, id, mkg.ActClose, noting(note))
}

// Reject implements mkg.TicketStore: the reason is required (the applicant
// is told it).
func (s *Store) Reject(ctx context.Context, by mkg.TicketCaller, id int64, reason string) (*mkg.Ticket, error) {
	return s.act(ctx, by, id, mkg.ActReject, func(_ context.Context, _ sqlx.ExtContext, _ *mkg.Ticket, _ *ticketSecrets, _ time.Time, ch *change) error {
		if ch.note = strings.TrimSpace(reason); ch.note == "" {
			return mkg.Invalid("reason", "a rejection gives its reason")
		}
		return nil
	})
}

// Withdraw implements mkg.TicketStore for the holder of the tracking token.
func (s *Store) Withdraw(ctx context.Context, token, reason string) (*mkg.Ticket, error) {
	return s.actByToken(ctx, token, mkg.ActWithdraw, noting(reason))
}

// actByToken runs an applicant's action on the ticket the token belongs
// to, in one transaction.
func (s *Store) actByToken(ctx context.Context, token string, action mkg.TicketAction, prepare prepareFunc) (*mkg.Ticket, error) {
	var out *mkg.Ticket
	err := s.tx(ctx, func(q sqlx.ExtContext) error {
		t, sec, err := s.ticketForToken(ctx, q, token, true)
		if err != nil {
			return err
		}
		out, err = s.apply(ctx, q, mkg.TicketCaller{Role: mkg.ActorApplicant, Token: token}, t, sec, action, prepare)
		return err
	})
	return out, err
}

func noting(note string) prepareFunc {
	return func(_ context.Context, _ sqlx.ExtContext, _ *mkg.Ticket, _ *ticketSecrets, _ time.Time, ch *change) error {
		ch.note = strings.TrimSpace(note)
		return nil
	}
}
