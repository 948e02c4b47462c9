package sqlstore

import (
	"context"
	"encoding/json"
	"errors"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/bmkg/mkggraph/mkg"
)

// errReplayRace: a concurrent submission with the same idempotency key
// committed first. The submission is run again, and then replays it.
var errReplayRace = errors.New("a concurrent submission with the same idempotency key committed first")

// Submit implements mkg.TicketStore. Self-service (the APPLICANT role)
// comes through SIBATIK with an idempotency key; the service desk records
// the other channels (an idempotency key is honoured when given). A retry
// with the same key and request returns the ticket (as it stands now) and
// the same tracking token, opened from its copy sealed with the key; the
// same key with another request is CONFLICT on idempotencyKey. Everything
// else is checked before anything is stored, and every problem is
// reported at once.
func (s *Store) Submit(ctx context.Context, by mkg.TicketCaller, sub mkg.Submission) (*mkg.Ticket, string, error) {
	now := s.ticketNow()
	checked, err := mkg.CheckSubmission(by, sub, now)
	if err != nil {
		return nil, "", err
	}
	for attempt := 0; ; attempt++ {
		var t *mkg.Ticket
		var token string
		err := s.tx(ctx, func(q sqlx.ExtContext) error {
			var err error
			t, token, err = s.submit(ctx, q, by, checked, now)
			return err
		})
		if errors.Is(err, errReplayRace) && attempt == 0 {
			continue
		}
		if err != nil {
			return nil, "", s.wrap(err)
		}
		return t, token, nil
	}
}

func (s *Store) submit(ctx context.Context, q sqlx.ExtContext, by mkg.TicketCaller, sub *mkg.CheckedSubmission, now time.Time) (*mkg.Ticket, string, error) {
	if sub.KeyHash != "" {
		if t, token, err := s.replay(ctx, q, sub); t != nil || err != nil {
			return t, token, err
		}
	}
	problems := sub.Problems
	var formStartedAt *time.Time
	var sessionID int64
	if sub.FormSession != "" {
		var err error
		if sessionID, formStartedAt, err = s.formSession(ctx, q, sub.FormSession, now); err != nil {
			return nil, "", err
		}
		if sessionID == 0 {
			problems = append(problems, mkg.FormSessionProblem)
		}
	}
	if err := mkg.InvalidFields(problems); err != nil {
		return nil, "", err
	}
	t, token, err := s.insertTicket(ctx, q, sub, formStartedAt, now)
	if err != nil {
		return nil, "", err
	}
	if err := s.insertLetter(ctx, q, t.ID, sub.Letter, sub.LetterData, now); err != nil {
		return nil, "", err
	}
	if sub.KeyHash != "" {
		if err := s.rememberSubmission(ctx, q, sub, t.ID, token, now); err != nil {
			return nil, "", err
		}
	}
	if sessionID != 0 {
		res, err := q.ExecContext(ctx, s.rebind(`UPDATE form_sessions SET used_at = ? WHERE id = ? AND used_at IS NULL`), dbTime{now}, sessionID)
		if err != nil {
			return nil, "", s.wrap(err)
		}
		if n, err := res.RowsAffected(); err != nil {
			return nil, "", s.wrap(err)
		} else if n != 1 {
			return nil, "", mkg.InvalidFields([]mkg.FieldProblem{mkg.FormSessionProblem})
		}
	}
	ch := &change{details: sub.Details(formStartedAt)}
	e, err := s.appendEvent(ctx, q, by, t.ID, now, mkg.ActSubmit, mkg.NoState, mkg.TicketSubmitted, ch)
	if err != nil {
		return nil, "", err
	}
	if t, err = s.ticketByID(ctx, q, t.ID); err != nil {
		return nil, "", err
	}
	return t, token, s.queueNotification(ctx, q, t, e, now)
}

// replay answers a retried submission: the ticket and token of the first,
// or CONFLICT when the key came with another request. Nothing found is
// (nil, "", nil).
func (s *Store) replay(ctx context.Context, q sqlx.ExtContext, sub *mkg.CheckedSubmission) (*mkg.Ticket, string, error) {
	var row struct {
		RequestHash string `db:"request_hash"`
		TicketID    int64  `db:"ticket_id"`
		SealedToken []byte `db:"sealed_token"`
	}
	err := sqlx.GetContext(ctx, q, &row, s.rebind(`SELECT request_hash, ticket_id, sealed_token FROM ticket_idempotency WHERE key_hash = ?`), sub.KeyHash)
	if isNoRows(err) {
		return nil, "", nil
	}
	if err != nil {
		return nil, "", s.wrap(err)
	}
	if row.RequestHash != sub.RequestHash {
		return nil, "", &mkg.Error{Code: mkg.ECONFLICT, Field: "idempotencyKey",
			Message: "this idempotency key was used for a different request; a new request needs a new key"}
	}
	token, err := mkg.OpenForReplay(row.SealedToken, sub.IdempotencyKey)
	if err != nil {
		return nil, "", s.wrap(err)
	}
	t, err := s.ticketByID(ctx, q, row.TicketID)
	return t, token, err
}

// rememberSubmission keeps the key's record for retries. A concurrent
// submission that committed the same key first makes this one roll back
// (errReplayRace) and run again, which then replays that one.
func (s *Store) rememberSubmission(ctx context.Context, q sqlx.ExtContext, sub *mkg.CheckedSubmission, ticketID int64, token string, now time.Time) error {
	sealed, err := mkg.SealForReplay(token, sub.IdempotencyKey)
	if err != nil {
		return err
	}
	var kept string
	err = sqlx.GetContext(ctx, q, &kept, s.rebind(`INSERT INTO ticket_idempotency (key_hash, request_hash, ticket_id, sealed_token, created_at)
		VALUES (?, ?, ?, ?, ?) ON CONFLICT (key_hash) DO NOTHING RETURNING key_hash`), sub.KeyHash, sub.RequestHash, ticketID, sealed, dbTime{now})
	if isNoRows(err) {
		return errReplayRace
	}
	return s.wrap(err)
}

// insertTicket stores a new ticket with its number, steps, token and key
// pair, drawing another token if its prefix is taken.
func (s *Store) insertTicket(ctx context.Context, q sqlx.ExtContext, sub *mkg.CheckedSubmission, formStartedAt *time.Time, now time.Time) (*mkg.Ticket, string, error) {
	var seq int64
	year := mkg.TicketYear(now)
	err := sqlx.GetContext(ctx, q, &seq, s.rebind(`INSERT INTO ticket_counters (year, last) VALUES (?, 1)
		ON CONFLICT (year) DO UPDATE SET last = ticket_counters.last + 1 RETURNING last`), year)
	if err != nil {
		return nil, "", s.wrap(err)
	}
	number := mkg.TicketNumber(year, seq)
	steps := mkg.AdvanceSteps(nil, mkg.ActSubmit, "", now, formStartedAt, s.standards)
	stepsJSON, err := json.Marshal(steps)
	if err != nil {
		return nil, "", err
	}
	breached, due := mkg.BreachState(steps, now)
	cols, err := inputColumns(&sub.Input)
	if err != nil {
		return nil, "", err
	}
	for range keyAttempts {
		token, prefix, hash := mkg.NewTrackingToken()
		public, sealedPrivate, err := mkg.NewTicketKeyPair(token)
		if err != nil {
			return nil, "", err
		}
		var id int64
		err = sqlx.GetContext(ctx, q, &id, s.rebind(`INSERT INTO tickets (number, state, channel, basis, applicant, applicant_email, form,
			version, form_started_at, submitted_at, updated_at, steps, breached, breach_due_at, token_prefix, token_hash, key_public, key_private)
			VALUES (?, ?, ?, ?, ?, ?, ?, 1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (token_prefix) DO NOTHING RETURNING id`),
			append(append([]any{number, string(mkg.TicketSubmitted), string(sub.Input.Channel)}, cols...), nullTime(formStartedAt),
				dbTime{now}, dbTime{now}, string(stepsJSON), breached, nullTime(due), prefix, hash, public, sealedPrivate)...)
		if isNoRows(err) {
			s.log.Warn("tracking token prefix collision; drawing another token", "prefix", prefix)
			continue
		}
		if err != nil {
			return nil, "", s.wrap(err)
		}
		return &mkg.Ticket{ID: id, Number: number, Channel: sub.Input.Channel}, token, nil
	}
	return nil, "", s.wrap(errors.New("no free tracking token prefix after several attempts"))
}
