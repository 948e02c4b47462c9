package sqlstore

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/bmkg/mkggraph/mkg"
)

// ticketTables are every table a submission writes to.
var ticketTables = []string{"tickets", "ticket_letters", "ticket_events", "ticket_counters", "ticket_idempotency", "notifications"}

// rowCounts counts the rows of the ticket tables (and whether form
// sessions were used).
func rowCounts(t *testing.T, s *Store) map[string]int {
	t.Helper()
	out := map[string]int{}
	for _, tb := range ticketTables {
		var n int
		if err := sqlx.GetContext(context.Background(), s.db, &n, "SELECT COUNT(*) FROM "+tb); err != nil {
			t.Fatal(err)
		}
		out[tb] = n
	}
	var used int
	if err := sqlx.GetContext(context.Background(), s.db, &used, "SELECT COUNT(*) FROM form_sessions WHERE used_at IS NOT NULL"); err != nil {
		t.Fatal(err)
	}
	out["used form sessions"] = used
	return out
}

func fieldsOf(err error) []string {
	var e *mkg.Error
	if !asError(err, &e) || e.Code != mkg.EINVALID {
		return nil
	}
	var out []string
	fields, _ := e.Extra["fields"].([]map[string]string)
	for _, f := range fields {
		out = append(out, f["field"])
	}
	return out
}

func TestTicketSubmitReportsEveryProblem(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		f := newTicketFixture(t, s)
		f.submit(t, nil)
		session, _, err := s.StartForm(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if _, _, err := s.Submit(ctx, applicant, mkg.Submission{Input: sampleInput(), IdempotencyKey: idempotencyKey(),
			Letter: mkg.LetterFile{Data: pdfLetter}, FormSession: session}); err != nil {
			t.Fatal(err)
		}
		before := rowCounts(t, s)

		bad := sampleInput()
		bad.Channel = mkg.ChannelPhone
		bad.Applicant.Email = "siti at example"
		bad.Form.Purpose = ""
		bad.Form.Datasets = []mkg.Dataset{"TSUNAMI"}
		_, _, err = s.Submit(ctx, applicant, mkg.Submission{Input: bad, IdempotencyKey: "short",
			Letter: mkg.LetterFile{Filename: "letter.docx", Data: []byte("PK\x03\x04 a word document")}, FormSession: session})
		want := []string{"input.channel", "input.applicant.email", "input.form.purpose", "input.form.datasets[0]", "letter",
			"idempotencyKey", "formSession"}
		if got := fieldsOf(err); !slices.Equal(got, want) {
			t.Errorf("problems %v (%v), want %v", got, err, want)
		}
		wantInvalid(t, "first problem", err, "input.channel")

		_, _, err = s.Submit(ctx, applicant, mkg.Submission{Input: sampleInput(), Letter: mkg.LetterFile{Data: pdfLetter}})
		if got := fieldsOf(err); !slices.Equal(got, []string{"idempotencyKey"}) {
			t.Errorf("self-service without an idempotency key: %v", err)
		}
		// An unsupported letter alone refuses the submission.
		for _, data := range [][]byte{[]byte("plain text, not a letter"), pdfLetter[:20], nil} {
			_, _, err = s.Submit(ctx, applicant, mkg.Submission{Input: sampleInput(), IdempotencyKey: idempotencyKey(),
				Letter: mkg.LetterFile{Filename: "x.pdf", Data: data}})
			if got := fieldsOf(err); !slices.Equal(got, []string{"letter"}) {
				t.Errorf("letter %q: %v", data, err)
			}
		}
		if after := rowCounts(t, s); !mapsEqual(before, after) {
			t.Errorf("refused submissions stored something: before %v, after %v", before, after)
		}
	})
}

func mapsEqual(a, b map[string]int) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

func TestTicketSubmitIdempotent(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		f := newTicketFixture(t, s)
		key := idempotencyKey()
		sub := mkg.Submission{Input: sampleInput(), IdempotencyKey: key, Letter: mkg.LetterFile{Filename: "a.pdf", Data: pdfLetter}}
		first, token, err := s.Submit(ctx, applicant, sub)
		if err != nil {
			t.Fatal(err)
		}
		before := rowCounts(t, s)
		f.advance(time.Minute)
		again, token2, err := s.Submit(ctx, applicant, sub)
		if err != nil || again.ID != first.ID || token2 != token || again.Number != first.Number {
			t.Fatalf("retry: ticket %d token %q (%v), want ticket %d and the same token", again.ID, token2, err, first.ID)
		}
		if after := rowCounts(t, s); !mapsEqual(before, after) {
			t.Errorf("the retry stored something: before %v, after %v", before, after)
		}
		// A retry after the ticket moved on returns it as it stands.
		f.ok(s.Review(ctx, f.desk, first.ID, mkg.Review{Decision: mkg.ActForward, Checklist: checked}))
		again, token2, err = s.Submit(ctx, applicant, sub)
		if err != nil || again.State != mkg.TicketForwarded || token2 != token {
			t.Errorf("late retry: %+v, %v", again, err)
		}

		other := sub
		other.Input.Form.Purpose = "something else"
		_, _, err = s.Submit(ctx, applicant, other)
		var e *mkg.Error
		if !asError(err, &e) || e.Code != mkg.ECONFLICT || e.Field != "idempotencyKey" {
			t.Errorf("same key, other request: %v, want CONFLICT on idempotencyKey", err)
		}
		other = sub
		other.Letter.Data = pngLetter()
		_, _, err = s.Submit(ctx, applicant, other)
		wantCode(t, "same key, other letter", err, mkg.ECONFLICT)

		// Keys are the caller's: the service desk's same key is another submission.
		desk := sub
		desk.Input.Channel = mkg.ChannelEmail
		byDesk, _, err := s.Submit(ctx, f.desk, desk)
		if err != nil || byDesk.ID == first.ID || byDesk.Channel != mkg.ChannelEmail {
			t.Errorf("service desk with the same key: %+v, %v", byDesk, err)
		}
		// The service desk needs no key.
		desk.IdempotencyKey = ""
		desk.Input.Channel = mkg.ChannelPhone
		byPhone, deskToken, err := s.Submit(ctx, f.desk, desk)
		if err != nil || byPhone.Number != "API-2026-000003" || deskToken == "" {
			t.Errorf("service desk without a key: %+v, %v", byPhone, err)
		}
		events, _ := s.EventsOfTickets(ctx, []int64{byPhone.ID})
		if e := events[0][0]; e.ActorRole != mkg.ActorServiceDesk || e.Actor != f.desk.Label() || e.Details.(mkg.SubmitDetails).Channel != mkg.ChannelPhone {
			t.Errorf("recorded submission event %+v", e)
		}
	})
}

func TestTicketFormSession(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		f := newTicketFixture(t, s)
		session, _, _ := s.StartForm(ctx)
		sub := mkg.Submission{Input: sampleInput(), IdempotencyKey: idempotencyKey(), Letter: mkg.LetterFile{Data: pdfLetter}, FormSession: session}
		f.advance(20 * time.Minute) // the applicant's 15 minutes are over
		tk, _, err := s.Submit(ctx, applicant, sub)
		if err != nil {
			t.Fatal(err)
		}
		if st := tk.Steps[0]; st.Kind != mkg.StepApplicant || !st.Breached(s.now()) || tk.Letter.Filename != "letter.pdf" {
			t.Errorf("applicant step %+v (letter %+v): want breached after 20 minutes", st, tk.Letter)
		}
		// Used once: a new submission with it is refused, a retry replays.
		if again, _, err := s.Submit(ctx, applicant, sub); err != nil || again.ID != tk.ID {
			t.Errorf("retry with a used session: %v", err)
		}
		sub.IdempotencyKey = idempotencyKey()
		_, _, err = s.Submit(ctx, applicant, sub)
		if got := fieldsOf(err); !slices.Equal(got, []string{"formSession"}) {
			t.Errorf("second use of a session: %v", err)
		}
		for _, bad := range []string{"frm_nonsense", "trk_00000000_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"} {
			sub.FormSession = bad
			_, _, err = s.Submit(ctx, applicant, sub)
			wantInvalid(t, "session "+bad, err, "formSession")
		}
		old, _, _ := s.StartForm(ctx)
		f.advance(25 * time.Hour)
		sub.FormSession = old
		_, _, err = s.Submit(ctx, applicant, sub)
		wantInvalid(t, "a day-old session", err, "formSession")
	})
}

func TestTicketNumbersCountPerYear(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *Store) {
		f := newTicketFixture(t, s)
		a, _ := f.submit(t, nil)
		b, _ := f.submit(t, nil)
		// 31 Dec 2026 18:00 UTC is already 2027 in Jakarta.
		f.advance(time.Date(2026, 12, 31, 18, 0, 0, 0, time.UTC).Sub(f.advance(0)))
		c, _ := f.submit(t, nil)
		if a.Number != "API-2026-000001" || b.Number != "API-2026-000002" || c.Number != "API-2027-000001" {
			t.Errorf("numbers %s, %s, %s", a.Number, b.Number, c.Number)
		}
	})
}

// A wrong, malformed or expired token is NOT_FOUND everywhere, like a
// ticket that does not exist.
func TestTicketTokens(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		f := newTicketFixture(t, s)
		tk, token := f.submit(t, nil)
		f.ok(s.Review(ctx, f.desk, tk.ID, mkg.Review{Decision: mkg.ActReturn, Fixes: []string{"sign"}}))
		wrongSecret := token[:len(token)-4] + "AAAA"
		if wrongSecret == token {
			wrongSecret = token[:len(token)-4] + "BBBB"
		}
		other, _, _ := mkg.NewTrackingToken()
		for _, bad := range []string{"", "trk_", token + "x", wrongSecret, other} {
			_, err := s.TicketByToken(ctx, bad)
			wantNotFound(t, "TicketByToken "+bad, err)
			_, err = s.Revise(ctx, bad, sampleInput(), nil)
			wantNotFound(t, "Revise "+bad, err)
			_, err = s.Withdraw(ctx, bad, "")
			wantNotFound(t, "Withdraw "+bad, err)
			_, err = s.CollectKey(ctx, bad)
			wantNotFound(t, "CollectKey "+bad, err)
		}
		f.advance(180*24*time.Hour + time.Second)
		_, err := s.TicketByToken(ctx, token)
		wantNotFound(t, "a token 180 days after submission", err)
		_, err = s.Withdraw(ctx, token, "")
		wantNotFound(t, "withdrawing with an expired token", err)
	})
}
