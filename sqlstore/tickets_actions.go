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
// action's own input, checked against the ticket as it stands (by the
// rules in mkg), and what its event records.
type change struct {
	note        string
	checklist   []mkg.ChecklistItem
	details     mkg.EventDetails // the action's own type; nil records NoDetails
	assignedTo  int64            // the ticket's officer afterwards (0: any)
	escalatedTo string           // APPLICANT or INTERNAL after ESCALATE, cleared by anything else
	accountID   int64
	sealedKey   []byte           // set on fulfilment
	input       *mkg.TicketInput // set on revision
}

// prepareFunc checks an action's input and does its side effects (an
// account, a letter) inside the action's transaction, filling in ch.
type prepareFunc func(ctx context.Context, q sqlx.ExtContext, t *mkg.Ticket, sec *ticketSecrets, now time.Time, ch *change) error

// ticketNow is the store's clock at the precision both databases keep, so
// that a ticket returned by an action equals the ticket read back.
func (s *Store) ticketNow() time.Time { return s.now().UTC().Truncate(time.Microsecond) }

// act runs a staff action on ticket id in one transaction.
func (s *Store) act(ctx context.Context, by mkg.TicketCaller, id int64, action mkg.TicketAction, prepare prepareFunc) (*mkg.Ticket, error) {
	if err := by.Check(); err != nil {
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
	ch := &change{assignedTo: t.AssignedTo, accountID: t.AccountID}
	if prepare != nil {
		if err := prepare(ctx, q, t, sec, now, ch); err != nil {
			return nil, err
		}
	}
	steps := mkg.AdvanceSteps(t.Steps, action, ch.escalatedTo, now, nil, s.standards)
	if err := s.updateTicket(ctx, q, by, t, to, action, steps, ch, now); err != nil {
		return nil, err
	}
	e, err := s.appendEvent(ctx, q, by, t.ID, now, action, t.State, to, ch)
	if err != nil {
		return nil, err
	}
	after, err := s.ticketByID(ctx, q, t.ID)
	if err != nil {
		return nil, err
	}
	return after, s.queueNotification(ctx, q, after, e, now)
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
	breached, due := mkg.BreachState(steps, now)
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

// appendEvent records the action and returns its event (without its id),
// which the applicant's message tells about.
func (s *Store) appendEvent(ctx context.Context, q sqlx.ExtContext, by mkg.TicketCaller, ticketID int64, at time.Time,
	action mkg.TicketAction, from, to mkg.TicketState, ch *change) (mkg.TicketEvent, error) {
	e := mkg.TicketEvent{TicketID: ticketID, At: at, Actor: by.Label(), ActorRole: by.Role, Action: action, From: from, To: to,
		Note: ch.note, Checklist: ch.checklist, Details: ch.details}
	if e.Details == nil {
		e.Details = mkg.NoDetails{}
	}
	checklist, err := json.Marshal(nonNil(ch.checklist))
	if err != nil {
		return e, err
	}
	details, err := json.Marshal(e.Details)
	if err != nil {
		return e, err
	}
	var actorID int64
	if by.Account != nil {
		actorID = by.Account.ID
	}
	_, err = q.ExecContext(ctx, s.rebind(`INSERT INTO ticket_events (ticket_id, at, actor_label, actor_account_id, actor_role, action,
		from_state, to_state, note, checklist, details) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
		ticketID, dbTime{at}, e.Actor, nullID(actorID), string(by.Role), string(action), string(from), string(to), ch.note,
		string(checklist), string(details))
	return e, s.wrap(err)
}

// Review implements mkg.TicketStore: the service desk forwards a submitted
// ticket (to an active officer, or to the officers' queue) or returns it
// with what to fix.
func (s *Store) Review(ctx context.Context, by mkg.TicketCaller, id int64, r mkg.Review) (*mkg.Ticket, error) {
	if err := r.CheckDecision(); err != nil {
		return nil, err
	}
	return s.act(ctx, by, id, r.Decision, func(ctx context.Context, q sqlx.ExtContext, _ *mkg.Ticket, _ *ticketSecrets, now time.Time, ch *change) error {
		r, err := r.Check()
		if err != nil {
			return err
		}
		if r.Decision == mkg.ActForward {
			if r.AssignTo != 0 {
				if err := s.checkAssignee(ctx, q, r.AssignTo, now); err != nil {
					return err
				}
			}
			ch.assignedTo = r.AssignTo
		}
		ch.note, ch.checklist, ch.details = r.Note, r.Checklist, r.Details()
		return nil
	})
}

// checkAssignee reads account id and refuses to assign a ticket to it
// unless it is an active officer.
func (s *Store) checkAssignee(ctx context.Context, q sqlx.ExtContext, id int64, now time.Time) error {
	accts, err := s.selectAccounts(ctx, q, s.rebind("SELECT "+accountColumns+" FROM accounts a WHERE a.id = ?"), id)
	if err != nil {
		return err
	}
	var a *mkg.Account
	if len(accts) > 0 {
		a = accts[0]
	}
	return mkg.CheckAssignee(id, a, now)
}

// Start implements mkg.TicketStore. Any officer may start a forwarded
// ticket, one assigned to a colleague included (the event records the
// takeover); the ticket is then theirs.
func (s *Store) Start(ctx context.Context, by mkg.TicketCaller, id int64) (*mkg.Ticket, error) {
	return s.act(ctx, by, id, mkg.ActStart, func(_ context.Context, _ sqlx.ExtContext, t *mkg.Ticket, _ *ticketSecrets, _ time.Time, ch *change) error {
		ch.details, ch.assignedTo = t.StartBy(by.Account.ID), by.Account.ID
		return nil
	})
}

// Escalate implements mkg.TicketStore: to APPLICANT stops the service
// clock until the officer resumes; to INTERNAL does not.
func (s *Store) Escalate(ctx context.Context, by mkg.TicketCaller, id int64, to, note string) (*mkg.Ticket, error) {
	return s.act(ctx, by, id, mkg.ActEscalate, func(_ context.Context, _ sqlx.ExtContext, _ *mkg.Ticket, _ *ticketSecrets, _ time.Time, ch *change) error {
		d, err := mkg.CheckEscalation(to)
		if err != nil {
			return err
		}
		ch.escalatedTo, ch.note, ch.details = d.To, strings.TrimSpace(note), d
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
		var err error
		ch.note, err = mkg.CheckRejection(reason)
		return err
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
