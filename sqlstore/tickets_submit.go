package sqlstore

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"slices"
	"strconv"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/bmkg/mkggraph/mkg"
)

const (
	// An idempotency key is the client's: a UUID or any random string of
	// 16 to 255 characters. It also seals the tracking token for a retry,
	// so a guessable one would weaken that.
	minIdempotencyKey = 16
	maxIdempotencyKey = 255
)

// wib is the agency's head-office time: a ticket's year is the year in
// Jakarta when it was submitted.
var wib = time.FixedZone("WIB", 7*60*60)

// errReplayRace: a concurrent submission with the same idempotency key
// committed first. The submission is run again, and then replays it.
var errReplayRace = errors.New("a concurrent submission with the same idempotency key committed first")

// submission is a Submission checked as far as it can be without the
// database.
type submission struct {
	mkg.Submission
	problems    []mkg.FieldProblem
	letter      mkg.Letter
	keyHash     string // of the caller and the idempotency key; "" without a usable key
	requestHash string // of the input and the letter's bytes
}

func checkSubmission(by mkg.TicketCaller, sub mkg.Submission, now time.Time) (*submission, error) {
	in := sub.Input
	problems := in.Problems(now)
	if by.Role == mkg.ActorApplicant && in.Channel != mkg.ChannelSIBATIK && slices.Contains(mkg.Channels, in.Channel) {
		problems = append([]mkg.FieldProblem{{Field: "input.channel", Message: "a self-service request comes through SIBATIK; " +
			"requests by WhatsApp, phone, letter or e-mail are recorded by the service desk"}}, problems...)
	}
	out := &submission{Submission: sub}
	var letterProblems []mkg.FieldProblem
	out.letter, letterProblems = checkLetter(sub.Letter)
	problems = append(problems, letterProblems...)
	switch key := sub.IdempotencyKey; {
	case key == "" && by.Role == mkg.ActorApplicant:
		problems = append(problems, mkg.FieldProblem{Field: "idempotencyKey", Message: "a self-service submission carries an " +
			"idempotency key (a UUID, or 16 to 255 random characters) so that a retry cannot file it twice"})
	case key != "" && (len(key) < minIdempotencyKey || len(key) > maxIdempotencyKey):
		problems = append(problems, mkg.FieldProblem{Field: "idempotencyKey", Message: "an idempotency key has 16 to 255 characters"})
	case key != "":
		scope := "applicant"
		if by.Account != nil {
			scope = "account:" + strconv.FormatInt(by.Account.ID, 10)
		}
		out.keyHash = sha256Hex([]byte(scope + "\x00" + key))
	}
	body, err := json.Marshal(struct {
		Input  mkg.TicketInput
		Letter string
	}{in, out.letter.SHA256})
	if err != nil {
		return nil, err
	}
	out.requestHash, out.problems = sha256Hex(body), problems
	return out, nil
}

func sha256Hex(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// Submit implements mkg.TicketStore. Self-service (the APPLICANT role)
// comes through SIBATIK with an idempotency key; the service desk records
// the other channels (an idempotency key is honoured when given). A retry
// with the same key and request returns the ticket (as it stands now) and
// the same tracking token, opened from its copy sealed with the key; the
// same key with another request is CONFLICT on idempotencyKey. Everything
// else is checked before anything is stored, and every problem is
// reported at once.
func (s *Store) Submit(ctx context.Context, by mkg.TicketCaller, sub mkg.Submission) (*mkg.Ticket, string, error) {
	if _, err := mkg.Transition(mkg.NoState, mkg.ActSubmit, by.Role); err != nil {
		return nil, "", err
	}
	if err := checkCaller(by); err != nil {
		return nil, "", err
	}
	now := s.ticketNow()
	checked, err := checkSubmission(by, sub, now)
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

func (s *Store) submit(ctx context.Context, q sqlx.ExtContext, by mkg.TicketCaller, sub *submission, now time.Time) (*mkg.Ticket, string, error) {
	if sub.keyHash != "" {
		if t, token, err := s.replay(ctx, q, sub); t != nil || err != nil {
			return t, token, err
		}
	}
	problems := sub.problems
	var formStartedAt *time.Time
	var sessionID int64
	if sub.FormSession != "" {
		var err error
		if sessionID, formStartedAt, err = s.formSession(ctx, q, sub.FormSession, now); err != nil {
			return nil, "", err
		}
		if sessionID == 0 {
			problems = append(problems, formSessionProblem)
		}
	}
	if err := mkg.InvalidFields(problems); err != nil {
		return nil, "", err
	}
	t, token, err := s.insertTicket(ctx, q, sub, formStartedAt, now)
	if err != nil {
		return nil, "", err
	}
	if err := s.insertLetter(ctx, q, t.ID, sub.letter, sub.Letter.Data, now); err != nil {
		return nil, "", err
	}
	if sub.keyHash != "" {
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
			return nil, "", mkg.InvalidFields([]mkg.FieldProblem{formSessionProblem})
		}
	}
	ch := &change{details: map[string]any{"channel": string(t.Channel), "letter": letterDetails(sub.letter),
		"formStartedAt": jsonTime(formStartedAt)}}
	if err := s.appendEvent(ctx, q, by, t.ID, now, mkg.ActSubmit, mkg.NoState, mkg.TicketSubmitted, ch); err != nil {
		return nil, "", err
	}
	if t, err = s.ticketByID(ctx, q, t.ID); err != nil {
		return nil, "", err
	}
	subject, body := s.message(t, mkg.ActSubmit, ch)
	return t, token, s.queueNotification(ctx, q, t, subject, body, now)
}

var formSessionProblem = mkg.FieldProblem{Field: "formSession", Message: "the form session is unknown, used or older than a day; start the form again"}

// replay answers a retried submission: the ticket and token of the first,
// or CONFLICT when the key came with another request. Nothing found is
// (nil, "", nil).
func (s *Store) replay(ctx context.Context, q sqlx.ExtContext, sub *submission) (*mkg.Ticket, string, error) {
	var row struct {
		RequestHash string `db:"request_hash"`
		TicketID    int64  `db:"ticket_id"`
		SealedToken []byte `db:"sealed_token"`
	}
	err := sqlx.GetContext(ctx, q, &row, s.rebind(`SELECT request_hash, ticket_id, sealed_token FROM ticket_idempotency WHERE key_hash = ?`), sub.keyHash)
	if isNoRows(err) {
		return nil, "", nil
	}
	if err != nil {
		return nil, "", s.wrap(err)
	}
	if row.RequestHash != sub.requestHash {
		return nil, "", &mkg.Error{Code: mkg.ECONFLICT, Field: "idempotencyKey",
			Message: "this idempotency key was used for a different request; a new request needs a new key"}
	}
	token, err := openForReplay(row.SealedToken, sub.IdempotencyKey)
	if err != nil {
		return nil, "", s.wrap(err)
	}
	t, err := s.ticketByID(ctx, q, row.TicketID)
	return t, token, err
}

// rememberSubmission keeps the key's record for retries. A concurrent
// submission that committed the same key first makes this one roll back
// (errReplayRace) and run again, which then replays that one.
func (s *Store) rememberSubmission(ctx context.Context, q sqlx.ExtContext, sub *submission, ticketID int64, token string, now time.Time) error {
	sealed, err := sealForReplay(token, sub.IdempotencyKey)
	if err != nil {
		return err
	}
	var kept string
	err = sqlx.GetContext(ctx, q, &kept, s.rebind(`INSERT INTO ticket_idempotency (key_hash, request_hash, ticket_id, sealed_token, created_at)
		VALUES (?, ?, ?, ?, ?) ON CONFLICT (key_hash) DO NOTHING RETURNING key_hash`), sub.keyHash, sub.requestHash, ticketID, sealed, dbTime{now})
	if isNoRows(err) {
		return errReplayRace
	}
	return s.wrap(err)
}

// insertTicket stores a new ticket with its number, steps, token and key
// pair, drawing another token if its prefix is taken.
func (s *Store) insertTicket(ctx context.Context, q sqlx.ExtContext, sub *submission, formStartedAt *time.Time, now time.Time) (*mkg.Ticket, string, error) {
	var seq int64
	year := now.In(wib).Year()
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
	breached, due := breachColumns(steps, now)
	cols, err := inputColumns(&sub.Input)
	if err != nil {
		return nil, "", err
	}
	for range keyAttempts {
		token, prefix, hash := mkg.NewTrackingToken()
		public, sealedPrivate, err := newTicketKeyPair(token)
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
