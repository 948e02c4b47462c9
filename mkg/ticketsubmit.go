package mkg

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"slices"
	"strconv"
	"time"
)

// The rules of a submission and of a revision, short of what needs storage
// (the form session's record, a retried idempotency key).

const (
	// An idempotency key is the client's: a UUID or any random string of
	// 16 to 255 characters. It also seals the tracking token for a retry
	// (SealForReplay), so a guessable one would weaken that.
	minIdempotencyKey = 16
	maxIdempotencyKey = 255
)

// CheckedSubmission is a submission checked as far as it can be without
// storage.
type CheckedSubmission struct {
	Input          TicketInput
	Letter         Letter // the letter as stored, its type judged by its bytes
	LetterData     []byte
	IdempotencyKey string
	FormSession    string
	// Problems are every missing or invalid field found; the store adds the
	// form session's, and reports them all at once (InvalidFields).
	Problems []FieldProblem
	// KeyHash identifies the idempotency key within the caller's scope (a
	// staff account, or self-service); "" without a usable key.
	KeyHash string
	// RequestHash is of the input and the letter's bytes: a retry with the
	// same key must carry the same request.
	RequestHash string
}

// CheckSubmission applies the rules of a submission by by at now. The
// caller must be allowed to submit (FORBIDDEN otherwise); the other
// problems are collected, not returned as an error: self-service comes
// through SIBATIK (the service desk records the other channels) and
// carries an idempotency key (a retry then cannot file it twice); a key,
// when given, has 16 to 255 characters; the input and the letter are
// checked as in TicketInput.Problems and CheckLetter.
func CheckSubmission(by TicketCaller, sub Submission, now time.Time) (*CheckedSubmission, error) {
	if _, err := Transition(NoState, ActSubmit, by.Role); err != nil {
		return nil, err
	}
	if err := by.Check(); err != nil {
		return nil, err
	}
	in := sub.Input
	problems := in.Problems(now)
	if by.Role == ActorApplicant && in.Channel != ChannelSIBATIK && slices.Contains(Channels, in.Channel) {
		problems = append([]FieldProblem{{Field: "input.channel", Message: "a self-service request comes through SIBATIK; " +
			"requests by WhatsApp, phone, letter or e-mail are recorded by the service desk"}}, problems...)
	}
	out := &CheckedSubmission{Input: in, LetterData: sub.Letter.Data, IdempotencyKey: sub.IdempotencyKey, FormSession: sub.FormSession}
	var letterProblems []FieldProblem
	out.Letter, letterProblems = CheckLetter(sub.Letter)
	problems = append(problems, letterProblems...)
	switch key := sub.IdempotencyKey; {
	case key == "" && by.Role == ActorApplicant:
		problems = append(problems, FieldProblem{Field: "idempotencyKey", Message: "a self-service submission carries an " +
			"idempotency key (a UUID, or 16 to 255 random characters) so that a retry cannot file it twice"})
	case key != "" && (len(key) < minIdempotencyKey || len(key) > maxIdempotencyKey):
		problems = append(problems, FieldProblem{Field: "idempotencyKey", Message: "an idempotency key has 16 to 255 characters"})
	case key != "":
		scope := "applicant"
		if by.Account != nil {
			scope = "account:" + strconv.FormatInt(by.Account.ID, 10)
		}
		out.KeyHash = sha256Hex([]byte(scope + "\x00" + key))
	}
	// The request hash of records stored by earlier versions must still
	// match a retry: this encoding does not change.
	body, err := json.Marshal(struct {
		Input  TicketInput
		Letter string
	}{in, out.Letter.SHA256})
	if err != nil {
		return nil, err
	}
	out.RequestHash, out.Problems = sha256Hex(body), problems
	return out, nil
}

func sha256Hex(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// Details is what the submission's event records. formStartedAt is the
// form session's start, if one was used.
func (c *CheckedSubmission) Details(formStartedAt *time.Time) SubmitDetails {
	return SubmitDetails{Channel: c.Input.Channel, Letter: c.Letter, FormStartedAt: formStartedAt}
}

// FormSessionLifetime bounds how long a started form may take to be
// submitted before its session is refused (and cleared).
const FormSessionLifetime = 24 * time.Hour

// FormSessionProblem is the problem reported for a form session that opens
// nothing.
var FormSessionProblem = FieldProblem{Field: "formSession", Message: "the form session is unknown, used or older than a day; start the form again"}

// FormSession is a started form as stored.
type FormSession struct {
	ID        int64
	TokenHash string
	StartedAt time.Time
	UsedAt    *time.Time
}

// Opens reports whether token opens the session at now: the token matches,
// the session is unused and younger than FormSessionLifetime.
func (f FormSession) Opens(token string, now time.Time) bool {
	return TokenMatches(token, f.TokenHash) && f.UsedAt == nil && !f.StartedAt.Before(now.Add(-FormSessionLifetime))
}

// CheckedRevision is a revision checked against the ticket it revises.
type CheckedRevision struct {
	Input   TicketInput
	Letter  *Letter // the new letter as stored, when one was sent
	Details ReviseDetails
}

// CheckRevision applies the rules of a revision of t at now: the channel
// stays the one the ticket came through; the input (and the new letter, if
// one is sent) is checked as at submission, every problem at once. The
// details list the parts that changed (basis, applicant, form, letter).
func (t *Ticket) CheckRevision(in TicketInput, letter *LetterFile, now time.Time) (*CheckedRevision, error) {
	in.Channel = t.Channel
	problems := in.Problems(now)
	out := &CheckedRevision{Input: in, Details: ReviseDetails{Changed: []string{}}}
	if letter != nil {
		meta, lp := CheckLetter(*letter)
		problems = append(problems, lp...)
		out.Letter = &meta
	}
	if err := InvalidFields(problems); err != nil {
		return nil, err
	}
	for _, part := range []struct {
		name          string
		before, after any
	}{{"basis", t.Basis, in.Basis}, {"applicant", t.Applicant, in.Applicant}, {"form", t.Form, in.Form}} {
		same, err := sameJSON(part.before, part.after)
		if err != nil {
			return nil, err
		}
		if !same {
			out.Details.Changed = append(out.Details.Changed, part.name)
		}
	}
	if letter != nil {
		out.Details.Changed = append(out.Details.Changed, "letter")
		out.Details.Letter = out.Letter
	}
	return out, nil
}

// sameJSON reports whether a and b are stored alike.
func sameJSON(a, b any) (bool, error) {
	ja, err := json.Marshal(a)
	if err != nil {
		return false, err
	}
	jb, err := json.Marshal(b)
	return string(ja) == string(jb), err
}
