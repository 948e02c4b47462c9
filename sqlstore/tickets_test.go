package sqlstore

import (
	"context"
	"crypto/rand"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/bmkg/mkggraph/mkg"
)

// The ticket store's contract suite: the life of a ticket here; rejection
// and withdrawal in tickets_paths_test.go, submission and tokens in
// tickets_submit_test.go, refused actions and bad input in
// tickets_conflict_test.go, races in tickets_race_test.go, service
// standards and queues in tickets_queue_test.go, messages and the outbox
// in tickets_notify_test.go.

var applicant = mkg.TicketCaller{Role: mkg.ActorApplicant}

// ticketFixture is a store on a fake clock with a service desk member and
// two officers.
type ticketFixture struct {
	t                       *testing.T
	s                       *Store
	advance                 func(time.Duration) time.Time
	desk, officer, officer2 mkg.TicketCaller
}

func newTicketFixture(t *testing.T, s *Store) *ticketFixture {
	t.Helper()
	f := &ticketFixture{t: t, s: s, advance: clock(s)}
	f.desk = staffCaller(t, s, "Dewi Lestari", mkg.RoleServiceDesk)
	f.officer = staffCaller(t, s, "Budi Santoso", mkg.RoleOfficer)
	f.officer2 = staffCaller(t, s, "Agus Wibowo", mkg.RoleOfficer)
	return f
}

func staffCaller(t *testing.T, s *Store, name string, role mkg.Role) mkg.TicketCaller {
	t.Helper()
	in := partner("BMKG Pusdatin")
	in.ContactName, in.Roles = name, []mkg.Role{role}
	return mkg.TicketCaller{Role: mkg.TicketActor(role), Account: mustCreate(t, s, in)}
}

// sampleInput is a complete self-service request for three datasets.
func sampleInput() mkg.TicketInput {
	date := time.Date(2026, 2, 20, 0, 0, 0, 0, time.UTC)
	until := time.Date(2027, 12, 31, 0, 0, 0, 0, time.UTC)
	return mkg.TicketInput{
		Channel: mkg.ChannelSIBATIK,
		Basis:   mkg.Basis{Kind: mkg.BasisOfficialLetter, Number: "B-123/BPBD/II/2026", Date: &date, ValidUntil: &until},
		Applicant: mkg.Applicant{Name: "Siti Rahma", Organisation: "BPBD DKI Jakarta", Position: "Kepala Pusdatin",
			Email: "siti@example.org", Phone: "+62 21 424 6321"},
		Form: mkg.ServiceForm{Purpose: "Flood early warning for Jakarta",
			Datasets:    []mkg.Dataset{mkg.DatasetSynopL1, mkg.DatasetLightning, mkg.DatasetRadarVolume},
			Application: mkg.ClientApplication{Name: "Jakarta Flood EWS", Platform: "web", SourceAddress: []string{"203.0.113.0/24"}}},
	}
}

var pdfLetter = []byte("%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n")

func pngLetter() []byte {
	b := []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR")
	b = append(b, make([]byte, 13+4)...)
	return append(b, "\x00\x00\x00\x00IEND\xae\x42\x60\x82"...)
}

func idempotencyKey() string { return "idem-" + rand.Text() }

// submit files sampleInput (changed by edit) as a self-service applicant.
func (f *ticketFixture) submit(t *testing.T, edit func(*mkg.TicketInput)) (*mkg.Ticket, string) {
	t.Helper()
	in := sampleInput()
	if edit != nil {
		edit(&in)
	}
	tk, token, err := f.s.Submit(context.Background(), applicant, mkg.Submission{Input: in,
		Letter: mkg.LetterFile{Filename: "surat-permohonan.pdf", Data: pdfLetter}, IdempotencyKey: idempotencyKey()})
	if err != nil {
		t.Fatal(err)
	}
	return tk, token
}

// ok fails the test on err and returns the ticket.
func (f *ticketFixture) ok(tk *mkg.Ticket, err error) *mkg.Ticket {
	f.t.Helper()
	if err != nil {
		f.t.Fatal(err)
	}
	return tk
}

func wantState(t *testing.T, what string, tk *mkg.Ticket, state mkg.TicketState) {
	t.Helper()
	if tk.State != state {
		t.Errorf("%s: state %s, want %s", what, tk.State, state)
	}
}

func wantCode(t *testing.T, what string, err error, code string) {
	t.Helper()
	if mkg.ErrorCode(err) != code {
		t.Errorf("%s: got %v, want %s", what, err, code)
	}
}

// fulfilment grants the sample's SYNOP_L1 and LIGHTNING and omits its
// RADAR_VOLUME.
func fulfilment() mkg.Fulfilment {
	return mkg.Fulfilment{
		Grants:  []mkg.ApprovedGrant{{Dataset: mkg.DatasetSynopL1}, {Dataset: mkg.DatasetLightning}},
		Omitted: []mkg.OmittedDataset{{Dataset: mkg.DatasetRadarVolume, Reason: "radar volumes go to research partners only"}},
		Note:    "account for the flood EWS",
	}
}

func TestTicketLifeCycle(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		f := newTicketFixture(t, s)
		session, started, err := s.StartForm(ctx)
		if err != nil || !strings.HasPrefix(session, "frm_") || !started.Equal(f.advance(0)) {
			t.Fatalf("StartForm = %q, %v, %v", session, started, err)
		}
		submittedAt := f.advance(10 * time.Minute)
		tk, token, err := s.Submit(ctx, applicant, mkg.Submission{Input: sampleInput(), IdempotencyKey: idempotencyKey(),
			Letter: mkg.LetterFile{Filename: `C:\Users\siti\surat-permohonan.pdf`, Data: pdfLetter}, FormSession: session})
		if err != nil {
			t.Fatal(err)
		}
		if _, ok := mkg.TrackingTokenPrefix(token); !ok {
			t.Errorf("tracking token %q is not well formed", token)
		}
		wantState(t, "submitted", tk, mkg.TicketSubmitted)
		if tk.Number != "API-2026-000001" || tk.Version != 1 || !tk.SubmittedAt.Equal(submittedAt) || tk.Channel != mkg.ChannelSIBATIK ||
			tk.FormStartedAt == nil || !tk.FormStartedAt.Equal(started) || tk.Applicant.Email != "siti@example.org" ||
			len(tk.Form.Datasets) != 3 || tk.Basis.ValidUntil == nil {
			t.Errorf("submitted ticket %+v", tk)
		}
		if l := tk.Letter; l == nil || l.Filename != "surat-permohonan.pdf" || l.ContentType != mkg.LetterPDF || l.Size != int64(len(pdfLetter)) {
			t.Errorf("letter %+v", tk.Letter)
		}
		if len(tk.Steps) != 2 || tk.Steps[0].Kind != mkg.StepApplicant || tk.Steps[0].WorkingTime(submittedAt) != 10*time.Minute ||
			tk.Steps[1].Kind != mkg.StepReview || tk.Steps[1].FinishedAt != nil {
			t.Errorf("steps after submission: %+v", tk.Steps)
		}
		if got := f.ok(s.TicketByToken(ctx, token)); got.ID != tk.ID || got.Letter == nil {
			t.Errorf("TicketByToken = %+v", got)
		}

		f.advance(5 * time.Minute)
		checklist := []mkg.ChecklistItem{{Item: "request letter signed", OK: true}, {Item: "application described", OK: false, Note: "no source addresses"}}
		tk = f.ok(s.Review(ctx, f.desk, tk.ID, mkg.Review{Decision: mkg.ActReturn, Checklist: checklist,
			Fixes: []string{"list the servers that will call the API"}, Note: "almost complete"}))
		wantState(t, "returned", tk, mkg.TicketReturned)

		f.advance(time.Hour)
		revised := sampleInput()
		revised.Form.Application.SourceAddress = []string{"203.0.113.10", "198.51.100.0/24"}
		tk = f.ok(s.Revise(ctx, token, revised, &mkg.LetterFile{Filename: "surat.png", Data: pngLetter()}))
		wantState(t, "revised", tk, mkg.TicketSubmitted)
		if tk.Letter == nil || tk.Letter.ContentType != mkg.LetterPNG || len(tk.Form.Application.SourceAddress) != 2 || !tk.SubmittedAt.Equal(submittedAt) {
			t.Errorf("revised ticket %+v, letter %+v", tk, tk.Letter)
		}
		if l, data, err := s.LetterOf(ctx, tk.ID); err != nil || l.ContentType != mkg.LetterPNG || string(data) != string(pngLetter()) {
			t.Errorf("LetterOf = %+v, %d bytes, %v", l, len(data), err)
		}

		f.advance(5 * time.Minute)
		tk = f.ok(s.Review(ctx, f.desk, tk.ID, mkg.Review{Decision: mkg.ActForward, AssignTo: f.officer.Account.ID,
			Checklist: []mkg.ChecklistItem{{Item: "application described", OK: true}}}))
		wantState(t, "forwarded", tk, mkg.TicketForwarded)
		if tk.AssignedTo != f.officer.Account.ID {
			t.Errorf("assigned to %d, want %d", tk.AssignedTo, f.officer.Account.ID)
		}
		f.advance(5 * time.Minute)
		tk = f.ok(s.Start(ctx, f.officer, tk.ID))
		wantState(t, "started", tk, mkg.TicketInFulfilment)
		tk = f.ok(s.Escalate(ctx, f.officer, tk.ID, "APPLICANT", "which stations do you need?"))
		wantState(t, "escalated", tk, mkg.TicketEscalated)
		if tk.EscalatedTo != "APPLICANT" {
			t.Errorf("escalated to %q", tk.EscalatedTo)
		}
		f.advance(2 * time.Hour)
		tk = f.ok(s.Resume(ctx, f.officer, tk.ID, "stations received by phone"))
		wantState(t, "resumed", tk, mkg.TicketInFulfilment)
		if tk.EscalatedTo != "" {
			t.Errorf("still escalated to %q after resuming", tk.EscalatedTo)
		}

		f.advance(10 * time.Minute)
		if _, err := s.CollectKey(ctx, token); mkg.ErrorCode(err) != mkg.ENOTFOUND {
			t.Errorf("CollectKey before fulfilment: %v, want NOT_FOUND", err)
		}
		tk = f.ok(s.Fulfil(ctx, f.officer, tk.ID, fulfilment()))
		wantState(t, "fulfilled", tk, mkg.TicketFulfilled)
		checkTicketAccount(t, s, tk)

		key, err := s.CollectKey(ctx, token)
		if err != nil {
			t.Fatal(err)
		}
		prefix, ok := mkg.KeyPrefix(key)
		cred, err := s.CredentialByPrefix(ctx, prefix)
		if !ok || err != nil || !mkg.KeyMatches(key, cred.Hash) || cred.Account.ID != tk.AccountID {
			t.Fatalf("the collected key does not authenticate: prefix %q, %v, %+v", prefix, err, cred)
		}
		if _, err := s.CollectKey(ctx, token); mkg.ErrorCode(err) != mkg.ENOTFOUND {
			t.Errorf("second CollectKey: %v, want NOT_FOUND", err)
		}
		if e := lastEvent(t, s); e.Action != "key.collect" || e.Details["prefix"] != prefix || e.Details["ticket"] != tk.Number {
			t.Errorf("audit event of the collection: %+v", e)
		}

		closedAt := f.advance(time.Minute)
		tk = f.ok(s.CloseTicket(ctx, f.officer, tk.ID, "done"))
		wantState(t, "closed", tk, mkg.TicketClosed)
		if tk.ClosedAt == nil || !tk.ClosedAt.Equal(closedAt) || tk.Version != 9 {
			t.Errorf("closed ticket: closedAt %v, version %d", tk.ClosedAt, tk.Version)
		}
		for _, st := range tk.Steps {
			if st.FinishedAt == nil {
				t.Errorf("step %s round %d still running on a closed ticket", st.Kind, st.Round)
			}
		}

		checkLifeEvents(t, s, f, tk.ID, checklist)
		checkNotifications(t, s, tk, 9, token, key)
	})
}

// checkTicketAccount checks the account fulfilment created, its grants,
// and the audit events written in the ticket's transaction.
func checkTicketAccount(t *testing.T, s *Store, tk *mkg.Ticket) {
	t.Helper()
	accts, err := s.AccountsByID(context.Background(), []int64{tk.AccountID})
	if err != nil || accts[0] == nil {
		t.Fatalf("account %d of the ticket: %v", tk.AccountID, err)
	}
	a := accts[0]
	var granted []mkg.Dataset
	for _, g := range a.Grants {
		granted = append(granted, g.Dataset)
	}
	slices.Sort(granted)
	if a.Organisation != "BPBD DKI Jakarta" || a.ContactName != "Siti Rahma" || a.ContactEmail != "siti@example.org" ||
		a.Application.Name != "Jakarta Flood EWS" || a.Status != mkg.AccountActive || a.ValidUntil == nil ||
		!a.ValidUntil.Equal(*tk.Basis.ValidUntil) || !slices.Equal(granted, []mkg.Dataset{mkg.DatasetLightning, mkg.DatasetSynopL1}) {
		t.Errorf("account %+v, grants %v", a, granted)
	}
	page, err := s.AuditEvents(context.Background(), mkg.AuditFilter{TargetID: formatID(a.ID), TargetType: "account"}, mkg.Page{Limit: 10})
	if err != nil {
		t.Fatal(err)
	}
	var actions []string
	for _, e := range page.Events {
		actions = append(actions, e.Action)
		if e.Details["ticket"] != tk.Number || e.Actor != "BMKG Pusdatin / Budi Santoso" {
			t.Errorf("audit event %+v: want the ticket and the officer", e)
		}
	}
	if !slices.Equal(actions, []string{"grant.add", "grant.add", "account.create"}) {
		t.Errorf("audit events of the account: %v", actions)
	}
	keys, _ := s.KeysOfAccounts(context.Background(), []int64{a.ID})
	if len(keys[0]) != 1 || keys[0][0].Label != "ticket "+tk.Number {
		t.Errorf("keys of the account: %+v", keys[0])
	}
}

func checkLifeEvents(t *testing.T, s *Store, f *ticketFixture, id int64, checklist []mkg.ChecklistItem) {
	t.Helper()
	events, err := s.EventsOfTickets(context.Background(), []int64{id})
	if err != nil {
		t.Fatal(err)
	}
	want := []struct {
		action   mkg.TicketAction
		from, to mkg.TicketState
		by       mkg.TicketCaller
	}{
		{mkg.ActSubmit, mkg.NoState, mkg.TicketSubmitted, applicant},
		{mkg.ActReturn, mkg.TicketSubmitted, mkg.TicketReturned, f.desk},
		{mkg.ActRevise, mkg.TicketReturned, mkg.TicketSubmitted, applicant},
		{mkg.ActForward, mkg.TicketSubmitted, mkg.TicketForwarded, f.desk},
		{mkg.ActStart, mkg.TicketForwarded, mkg.TicketInFulfilment, f.officer},
		{mkg.ActEscalate, mkg.TicketInFulfilment, mkg.TicketEscalated, f.officer},
		{mkg.ActResume, mkg.TicketEscalated, mkg.TicketInFulfilment, f.officer},
		{mkg.ActFulfil, mkg.TicketInFulfilment, mkg.TicketFulfilled, f.officer},
		{mkg.ActClose, mkg.TicketFulfilled, mkg.TicketClosed, f.officer},
	}
	got := events[0]
	if len(got) != len(want) {
		t.Fatalf("%d events, want %d: %+v", len(got), len(want), got)
	}
	for i, w := range want {
		e := got[i]
		var actorID int64
		if w.by.Account != nil {
			actorID = w.by.Account.ID
		}
		if e.Action != w.action || e.From != w.from || e.To != w.to || e.ActorRole != w.by.Role || e.Actor != w.by.Label() ||
			e.TicketID != id || (actorID != 0) != strings.Contains(e.Actor, "/") {
			t.Errorf("event %d = %+v, want %s %s→%s by %s", i, e, w.action, w.from, w.to, w.by.Label())
		}
	}
	ret := got[1]
	if d, _ := ret.Details.(mkg.ReturnDetails); ret.Note != "almost complete" || !slices.Equal(ret.Checklist, checklist) || len(d.Fixes) == 0 {
		t.Errorf("return event %+v", ret)
	}
	if d, _ := got[2].Details.(mkg.ReviseDetails); !slices.Equal(d.Changed, []string{"form", "letter"}) || d.Letter == nil {
		t.Errorf("revision event details %+v: want form and letter changed", got[2].Details)
	}
	if got[5].Note != "which stations do you need?" || got[5].Details != (mkg.EscalateDetails{To: "APPLICANT"}) {
		t.Errorf("escalation event %+v", got[5])
	}
	if d, _ := got[7].Details.(mkg.FulfilDetails); d.KeyPrefix == "" || d.AccountID == 0 || len(d.Grants) != 2 || len(d.Omitted) != 1 {
		t.Errorf("fulfilment event details %+v", got[7].Details)
	}
}

// checkNotifications checks that every action queued one message to the
// applicant, naming the ticket, never carrying a secret.
func checkNotifications(t *testing.T, s *Store, tk *mkg.Ticket, want int, secrets ...string) {
	t.Helper()
	ns, err := s.PendingNotifications(context.Background(), s.now(), 100)
	if err != nil {
		t.Fatal(err)
	}
	var mine []mkg.Notification
	for _, n := range ns {
		if n.TicketID == tk.ID {
			mine = append(mine, n)
		}
	}
	if len(mine) != want {
		t.Errorf("%d notifications for %s, want %d", len(mine), tk.Number, want)
	}
	for _, n := range mine {
		if n.To != tk.Applicant.Email || !strings.Contains(n.Subject, tk.Number) || !strings.Contains(n.Body, tk.Number) ||
			!strings.Contains(n.Body, "Dear "+tk.Applicant.Name) {
			t.Errorf("notification %+v", n)
		}
		for _, secret := range secrets {
			if secret != "" && (strings.Contains(n.Body, secret) || strings.Contains(n.Subject, secret)) {
				t.Errorf("notification %q carries a secret", n.Subject)
			}
		}
	}
}

// checked is a forwarding review's checklist: forwarding needs one, every
// item satisfied.
var checked = []mkg.ChecklistItem{{Item: "request letter signed", OK: true}}
