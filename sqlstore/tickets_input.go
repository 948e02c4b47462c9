package sqlstore

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"time"
	"unicode"

	"github.com/jmoiron/sqlx"

	"github.com/bmkg/mkggraph/mkg"
)

// The applicant's input besides the form's fields: form sessions (when the
// applicant's own step started), request letters, and revision.

// formSessionLifetime bounds how long a started form may take to be
// submitted before its session is refused (and cleared).
const formSessionLifetime = 24 * time.Hour

// StartForm implements mkg.TicketStore. A session is valid for 24 hours
// and used once; older ones are cleared here.
func (s *Store) StartForm(ctx context.Context) (string, time.Time, error) {
	now := s.ticketNow()
	var token string
	err := s.tx(ctx, func(q sqlx.ExtContext) error {
		_, err := q.ExecContext(ctx, s.rebind(`DELETE FROM form_sessions WHERE started_at < ?`), dbTime{now.Add(-formSessionLifetime)})
		if err != nil {
			return s.wrap(err)
		}
		for range keyAttempts {
			tok, prefix, hash := newFormToken()
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

// checkLetter describes an uploaded letter, its type judged by its bytes.
func checkLetter(l mkg.LetterFile) (mkg.Letter, []mkg.FieldProblem) {
	meta := mkg.Letter{Filename: cleanFilename(l.Filename), Size: int64(len(l.Data)), SHA256: sha256Hex(l.Data)}
	ct, err := mkg.SniffLetter(l.Data)
	if err != nil {
		var e *mkg.Error
		if !errors.As(err, &e) {
			e = mkg.Invalid("letter", "the letter could not be read")
		}
		return meta, []mkg.FieldProblem{{Field: "letter", Message: e.Message}}
	}
	meta.ContentType = ct
	if meta.Filename == "" {
		meta.Filename = "letter" + map[string]string{mkg.LetterPDF: ".pdf", mkg.LetterJPEG: ".jpg", mkg.LetterPNG: ".png"}[ct]
	}
	return meta, nil
}

// cleanFilename keeps the last element of a sent file name, without
// control characters, at most 200 bytes: it is shown to staff and sent back
// in a Content-Disposition header.
func cleanFilename(name string) string {
	if i := strings.LastIndexAny(name, `/\`); i >= 0 {
		name = name[i+1:]
	}
	name = strings.TrimSpace(strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || r == '"' {
			return -1
		}
		return r
	}, name))
	for len(name) > 200 {
		name = strings.ToValidUTF8(name[:200], "")
	}
	return name
}

// formSession returns the id and start of an unused, unexpired form
// session, locked; id 0 when the token opens none.
func (s *Store) formSession(ctx context.Context, q sqlx.ExtContext, token string, now time.Time) (int64, *time.Time, error) {
	prefix, ok := formTokenPrefix(token)
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
	if !mkg.TokenMatches(token, row.Hash) || row.UsedAt.Time != nil || row.StartedAt.Before(now.Add(-formSessionLifetime)) {
		return 0, nil, nil
	}
	return row.ID, &row.StartedAt.Time, nil
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

func letterDetails(l mkg.Letter) map[string]any {
	return map[string]any{"filename": l.Filename, "contentType": l.ContentType, "size": l.Size, "sha256": l.SHA256}
}

// Revise implements mkg.TicketStore for the holder of the tracking token.
// The channel stays the one the ticket came through; the input is checked
// as at submission, every problem at once, before anything changes. The
// event lists the parts that changed (basis, applicant, form, letter).
func (s *Store) Revise(ctx context.Context, token string, in mkg.TicketInput, letter *mkg.LetterFile) (*mkg.Ticket, error) {
	return s.actByToken(ctx, token, mkg.ActRevise, func(ctx context.Context, q sqlx.ExtContext, t *mkg.Ticket, _ *ticketSecrets, now time.Time, ch *change) error {
		in.Channel = t.Channel
		problems := in.Problems(now)
		var meta mkg.Letter
		if letter != nil {
			var lp []mkg.FieldProblem
			meta, lp = checkLetter(*letter)
			problems = append(problems, lp...)
		}
		if err := mkg.InvalidFields(problems); err != nil {
			return err
		}
		changed := []string{}
		before, _ := inputColumns(&mkg.TicketInput{Basis: t.Basis, Applicant: t.Applicant, Form: t.Form})
		after, err := inputColumns(&in)
		if err != nil {
			return err
		}
		for i, part := range []string{"basis", "applicant", "", "form"} {
			if part != "" && before[i] != after[i] {
				changed = append(changed, part)
			}
		}
		if letter != nil {
			if err := s.insertLetter(ctx, q, t.ID, meta, letter.Data, now); err != nil {
				return err
			}
			changed = append(changed, "letter")
			ch.details["letter"] = letterDetails(meta)
		}
		ch.input = &in
		ch.details["changed"] = changed
		return nil
	})
}
