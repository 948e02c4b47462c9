package sqlstore

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/bmkg/mkggraph/mkg"
)

// The applicant's input besides the form's fields: form sessions (when the
// applicant's own step started), request letters, and revision.

// StartForm implements mkg.TicketStore. A session is valid for 24 hours
// and used once; older ones are cleared here.
func (s *Store) StartForm(ctx context.Context) (string, time.Time, error) {
	now := s.ticketNow()
	var token string
	err := s.tx(ctx, func(q sqlx.ExtContext) error {
		_, err := q.ExecContext(ctx, s.rebind(`DELETE FROM form_sessions WHERE started_at < ?`), dbTime{now.Add(-mkg.FormSessionLifetime)})
		if err != nil {
			return s.wrap(err)
		}
		for range keyAttempts {
			tok, prefix, hash := mkg.NewFormToken()
			var id int64
			err := sqlx.GetContext(ctx, q, &id, s.rebind(`INSERT INTO form_sessions (token_prefix, token_hash, started_at)
				VALUES (?, ?, ?) ON CONFLICT (token_prefix) DO NOTHING RETURNING id`), prefix, hash, dbTime{now})
			if isNoRows(err) {
				continue
			}
			token = tok
			return s.wrap(err)
		}
		return s.wrap(errors.New("no free form session prefix after several attempts"))
	})
	if err != nil {
		return "", time.Time{}, err
	}
	return token, now, nil
}

// formSession returns the id and start of the form session token opens
// (mkg.FormSession.Opens), locked; id 0 when it opens none.
func (s *Store) formSession(ctx context.Context, q sqlx.ExtContext, token string, now time.Time) (int64, *time.Time, error) {
	prefix, ok := mkg.FormTokenPrefix(token)
	if !ok {
		return 0, nil, nil
	}
	var row struct {
		ID        int64      `db:"id"`
		Hash      string     `db:"token_hash"`
		StartedAt dbTime     `db:"started_at"`
		UsedAt    dbNullTime `db:"used_at"`
	}
	err := sqlx.GetContext(ctx, q, &row, s.rebind(`SELECT id, token_hash, started_at, used_at FROM form_sessions WHERE token_prefix = ?`+s.dialect.forUpdate), prefix)
	if isNoRows(err) {
		return 0, nil, nil
	}
	if err != nil {
		return 0, nil, s.wrap(err)
	}
	session := mkg.FormSession{ID: row.ID, TokenHash: row.Hash, StartedAt: row.StartedAt.Time, UsedAt: row.UsedAt.Time}
	if !session.Opens(token, now) {
		return 0, nil, nil
	}
	return session.ID, &session.StartedAt, nil
}

// inputColumns are the values of basis, applicant, applicant_email and form.
func inputColumns(in *mkg.TicketInput) ([]any, error) {
	out := make([]any, 0, 4)
	for _, part := range []any{in.Basis, in.Applicant, strings.TrimSpace(in.Applicant.Email), in.Form} {
		if email, ok := part.(string); ok {
			out = append(out, email)
			continue
		}
		b, err := json.Marshal(part)
		if err != nil {
			return nil, err
		}
		out = append(out, string(b))
	}
	return out, nil
}

func (s *Store) insertLetter(ctx context.Context, q sqlx.ExtContext, ticketID int64, l mkg.Letter, data []byte, now time.Time) error {
	_, err := q.ExecContext(ctx, s.rebind(`INSERT INTO ticket_letters (ticket_id, filename, content_type, size, sha256, data, uploaded_at)
		VALUES (?, ?, ?, ?, ?, ?, ?)`), ticketID, l.Filename, l.ContentType, l.Size, l.SHA256, data, dbTime{now})
	return s.wrap(err)
}

// Revise implements mkg.TicketStore for the holder of the tracking token,
// by the rules of mkg (Ticket.CheckRevision): the channel stays the one
// the ticket came through; the input is checked as at submission, every
// problem at once, before anything changes; the event lists the parts that
// changed.
func (s *Store) Revise(ctx context.Context, token string, in mkg.TicketInput, letter *mkg.LetterFile) (*mkg.Ticket, error) {
	return s.actByToken(ctx, token, mkg.ActRevise, func(ctx context.Context, q sqlx.ExtContext, t *mkg.Ticket, _ *ticketSecrets, now time.Time, ch *change) error {
		rev, err := t.CheckRevision(in, letter, now)
		if err != nil {
			return err
		}
		if letter != nil {
			if err := s.insertLetter(ctx, q, t.ID, *rev.Letter, letter.Data, now); err != nil {
				return err
			}
		}
		ch.input, ch.details = &rev.Input, rev.Details
		return nil
	})
}
