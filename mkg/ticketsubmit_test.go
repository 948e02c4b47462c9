package mkg

import (
	"slices"
	"strings"
	"testing"
	"time"
)

func submission(t *testing.T, channel Channel, key string) Submission {
	in := validInput()
	in.Channel = channel
	return Submission{Input: in, Letter: LetterFile{Filename: "surat.png", Data: pngLetter(t)}, IdempotencyKey: key}
}

const goodKey = "0b6f4a3e-7c1d-4f8e-9a2b-5d6c7e8f9a0b"

func TestCheckSubmission(t *testing.T) {
	applicant := TicketCaller{Role: ActorApplicant}
	desk := TicketCaller{Role: ActorServiceDesk, Account: staffAccount(7, AccountActive, RoleServiceDesk)}
	problems := func(by TicketCaller, sub Submission) []string {
		t.Helper()
		c, err := CheckSubmission(by, sub, inputNow)
		if err != nil {
			t.Fatal(err)
		}
		return fieldsOf(c.Problems)
	}
	if p := problems(applicant, submission(t, ChannelSIBATIK, goodKey)); len(p) != 0 {
		t.Errorf("a valid self-service submission: %v", p)
	}
	if p := problems(applicant, submission(t, ChannelWhatsApp, goodKey)); !slices.Equal(p, []string{"input.channel"}) {
		t.Errorf("self-service by WhatsApp: %v, want the channel first", p)
	}
	if p := problems(desk, submission(t, ChannelWhatsApp, "")); len(p) != 0 {
		t.Errorf("the desk recording a WhatsApp request without a key: %v", p)
	}
	for _, key := range []string{"", "short", strings.Repeat("k", 256)} {
		if p := problems(applicant, submission(t, ChannelSIBATIK, key)); !slices.Equal(p, []string{"idempotencyKey"}) {
			t.Errorf("self-service with key %.20q: %v", key, p)
		}
	}
	bad := submission(t, ChannelSIBATIK, "")
	bad.Input.Applicant.Email = "nobody"
	bad.Letter.Data = []byte("GIF89a......")
	if p := problems(applicant, bad); !slices.Equal(p, []string{"input.applicant.email", "letter", "idempotencyKey"}) {
		t.Errorf("several problems: %v, want all of them in the form's order", p)
	}
	admin := TicketCaller{Role: ActorAdmin, Account: staffAccount(8, AccountActive, RoleAdmin)}
	suspended := TicketCaller{Role: ActorServiceDesk, Account: staffAccount(9, AccountSuspended, RoleServiceDesk)}
	for _, by := range []TicketCaller{admin, suspended} {
		if _, err := CheckSubmission(by, submission(t, ChannelEmail, ""), inputNow); ErrorCode(err) != EFORBIDDEN {
			t.Errorf("%s submitting: %v, want FORBIDDEN", by.Label(), err)
		}
	}
}

// An idempotency key is the caller's: the same key from another caller is
// another submission. A retry must carry the same request, letter
// included, and the request's encoding does not change between versions
// (records stored by an earlier version still answer their retries).
func TestSubmissionHashes(t *testing.T) {
	applicant := TicketCaller{Role: ActorApplicant}
	desk := TicketCaller{Role: ActorServiceDesk, Account: staffAccount(7, AccountActive, RoleServiceDesk)}
	check := func(by TicketCaller, sub Submission) *CheckedSubmission {
		t.Helper()
		c, err := CheckSubmission(by, sub, inputNow)
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	first := check(applicant, submission(t, ChannelSIBATIK, goodKey))
	if first.KeyHash == "" || check(applicant, submission(t, ChannelSIBATIK, goodKey)).KeyHash != first.KeyHash {
		t.Errorf("key hash %q is not stable", first.KeyHash)
	}
	if check(desk, submission(t, ChannelSIBATIK, goodKey)).KeyHash == first.KeyHash {
		t.Error("the desk's key and the applicant's share a hash")
	}
	if check(desk, submission(t, ChannelPhone, "")).KeyHash != "" {
		t.Error("a submission without a key has a key hash")
	}
	renamed := submission(t, ChannelSIBATIK, goodKey)
	renamed.Letter.Filename = "scan-0001.png"
	if check(applicant, renamed).RequestHash != first.RequestHash {
		t.Error("the same letter under another name makes another request")
	}
	changed := submission(t, ChannelSIBATIK, goodKey)
	changed.Input.Form.Purpose += "."
	if check(applicant, changed).RequestHash == first.RequestHash {
		t.Error("another purpose makes the same request")
	}
	pdf := submission(t, ChannelSIBATIK, goodKey)
	pdf.Letter.Data = []byte("%PDF-1.7\n%%EOF\n")
	if check(applicant, pdf).RequestHash == first.RequestHash {
		t.Error("another letter makes the same request")
	}
	fixed := submission(t, ChannelSIBATIK, goodKey)
	fixed.Letter.Data = []byte("%PDF-1.7\n%%EOF\n")
	if got := check(applicant, fixed).RequestHash; got != storedRequestHash {
		t.Errorf("request hash %s, want %s as stored by earlier versions", got, storedRequestHash)
	}
	if d := first.Details(Ptr(inputNow)); d.Channel != ChannelSIBATIK || d.Letter != first.Letter || !d.FormStartedAt.Equal(inputNow) {
		t.Errorf("submission details %+v", d)
	}
}

// storedRequestHash is the request hash of validInput with a minimal PDF,
// as computed since tickets were first stored.
const storedRequestHash = "0c0f8979e6d8e428a4e4f93adae45ceaedb5dfd77746464278170400cefdff96"

func TestCheckLetter(t *testing.T) {
	png := pngLetter(t)
	l, p := CheckLetter(LetterFile{Filename: "C:\\Scans\\surat \"final\"\x07.png", Data: png})
	if len(p) != 0 || l.Filename != "surat final.png" || l.ContentType != LetterPNG || l.Size != int64(len(png)) || len(l.SHA256) != 64 {
		t.Errorf("letter %+v, %v", l, p)
	}
	if l, _ := CheckLetter(LetterFile{Filename: " ../ ", Data: png}); l.Filename != "letter.png" {
		t.Errorf("a letter without a usable name is named %q", l.Filename)
	}
	long := strings.Repeat("é", 150) + ".pdf"
	if l, _ := CheckLetter(LetterFile{Filename: long, Data: png}); len(l.Filename) > 200 || !strings.HasPrefix(long, l.Filename) ||
		!strings.HasSuffix(l.Filename, "é") {
		t.Errorf("a long name is kept as %q (%d bytes); want at most 200 bytes of whole characters", l.Filename, len(l.Filename))
	}
	if _, p := CheckLetter(LetterFile{Filename: "x.gif", Data: []byte("GIF89a......")}); len(p) != 1 || p[0].Field != "letter" {
		t.Errorf("a GIF: %v", p)
	}
}

func TestFormSessionOpens(t *testing.T) {
	token, _, hash := NewFormToken()
	other, _, _ := NewFormToken()
	started := inputNow
	for _, c := range []struct {
		name  string
		s     FormSession
		token string
		at    time.Time
		opens bool
	}{
		{"fresh", FormSession{TokenHash: hash, StartedAt: started}, token, started.Add(time.Hour), true},
		{"a day old", FormSession{TokenHash: hash, StartedAt: started}, token, started.Add(FormSessionLifetime), true},
		{"older than a day", FormSession{TokenHash: hash, StartedAt: started}, token, started.Add(FormSessionLifetime + time.Second), false},
		{"used", FormSession{TokenHash: hash, StartedAt: started, UsedAt: Ptr(started)}, token, started.Add(time.Hour), false},
		{"another token", FormSession{TokenHash: hash, StartedAt: started}, other, started.Add(time.Hour), false},
	} {
		if got := c.s.Opens(c.token, c.at); got != c.opens {
			t.Errorf("%s: opens %v", c.name, got)
		}
	}
}

func TestCheckRevision(t *testing.T) {
	in := validInput()
	tk := &Ticket{Channel: ChannelPhone, Basis: in.Basis, Applicant: in.Applicant, Form: in.Form}
	same, err := tk.CheckRevision(validInput(), nil, inputNow)
	if err != nil || same.Input.Channel != ChannelPhone || same.Letter != nil || same.Details.Changed == nil || len(same.Details.Changed) != 0 {
		t.Errorf("an unchanged revision: %+v, %v", same, err)
	}
	changed := validInput()
	changed.Channel = ChannelSIBATIK
	changed.Form.Purpose = "Flood early warning"
	changed.Applicant.Phone = "+62 22 420 3457"
	rev, err := tk.CheckRevision(changed, &LetterFile{Filename: "surat-ttd.png", Data: pngLetter(t)}, inputNow)
	if err != nil {
		t.Fatal(err)
	}
	if rev.Input.Channel != ChannelPhone || rev.Letter == nil || rev.Letter.Filename != "surat-ttd.png" ||
		!slices.Equal(rev.Details.Changed, []string{"applicant", "form", "letter"}) || rev.Details.Letter != rev.Letter {
		t.Errorf("revision %+v, details %+v", rev, rev.Details)
	}
	bad := validInput()
	bad.Form.Purpose = ""
	_, err = tk.CheckRevision(bad, &LetterFile{Data: []byte("nonsense")}, inputNow)
	if invalidField(err) != "input.form.purpose" || !strings.Contains(err.Error(), "2 problems") {
		t.Errorf("a revision with two problems: %v", err)
	}
}
