package sqlstore

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/bmkg/mkggraph/mkg"
)

// ticketAction does one action to a ticket as the role whose action it is.
type ticketAction struct {
	by func(f *ticketFixture) mkg.TicketCaller
	do func(ctx context.Context, f *ticketFixture, id int64, token string) (*mkg.Ticket, error)
}

var (
	byDesk      = func(f *ticketFixture) mkg.TicketCaller { return f.desk }
	byOfficer   = func(f *ticketFixture) mkg.TicketCaller { return f.officer }
	byApplicant = func(*ticketFixture) mkg.TicketCaller { return applicant }
)

var ticketActions = map[mkg.TicketAction]ticketAction{
	mkg.ActForward: {byDesk, func(ctx context.Context, f *ticketFixture, id int64, _ string) (*mkg.Ticket, error) {
		return f.s.Review(ctx, f.desk, id, mkg.Review{Decision: mkg.ActForward, Checklist: checked})
	}},
	mkg.ActReturn: {byDesk, func(ctx context.Context, f *ticketFixture, id int64, _ string) (*mkg.Ticket, error) {
		return f.s.Review(ctx, f.desk, id, mkg.Review{Decision: mkg.ActReturn, Fixes: []string{"sign the letter"}})
	}},
	mkg.ActRevise: {byApplicant, func(ctx context.Context, f *ticketFixture, _ int64, token string) (*mkg.Ticket, error) {
		return f.s.Revise(ctx, token, sampleInput(), nil)
	}},
	mkg.ActStart: {byOfficer, func(ctx context.Context, f *ticketFixture, id int64, _ string) (*mkg.Ticket, error) {
		return f.s.Start(ctx, f.officer, id)
	}},
	mkg.ActEscalate: {byOfficer, func(ctx context.Context, f *ticketFixture, id int64, _ string) (*mkg.Ticket, error) {
		return f.s.Escalate(ctx, f.officer, id, "INTERNAL", "asking the radar division")
	}},
	mkg.ActResume: {byOfficer, func(ctx context.Context, f *ticketFixture, id int64, _ string) (*mkg.Ticket, error) {
		return f.s.Resume(ctx, f.officer, id, "")
	}},
	mkg.ActFulfil: {byOfficer, func(ctx context.Context, f *ticketFixture, id int64, _ string) (*mkg.Ticket, error) {
		return f.s.Fulfil(ctx, f.officer, id, fulfilment())
	}},
	mkg.ActClose: {byOfficer, func(ctx context.Context, f *ticketFixture, id int64, _ string) (*mkg.Ticket, error) {
		return f.s.CloseTicket(ctx, f.officer, id, "")
	}},
	mkg.ActReject: {byOfficer, func(ctx context.Context, f *ticketFixture, id int64, _ string) (*mkg.Ticket, error) {
		return f.s.Reject(ctx, f.officer, id, "out of scope")
	}},
	mkg.ActWithdraw: {byApplicant, func(ctx context.Context, f *ticketFixture, _ int64, token string) (*mkg.Ticket, error) {
		return f.s.Withdraw(ctx, token, "")
	}},
}

// pathTo lists the actions that bring a new ticket to each state.
var pathTo = map[mkg.TicketState][]mkg.TicketAction{
	mkg.TicketSubmitted:    nil,
	mkg.TicketReturned:     {mkg.ActReturn},
	mkg.TicketForwarded:    {mkg.ActForward},
	mkg.TicketInFulfilment: {mkg.ActForward, mkg.ActStart},
	mkg.TicketEscalated:    {mkg.ActForward, mkg.ActStart, mkg.ActEscalate},
	mkg.TicketFulfilled:    {mkg.ActForward, mkg.ActStart, mkg.ActFulfil},
	mkg.TicketClosed:       {mkg.ActForward, mkg.ActStart, mkg.ActFulfil, mkg.ActClose},
	mkg.TicketRejected:     {mkg.ActForward, mkg.ActReject},
	mkg.TicketWithdrawn:    {mkg.ActWithdraw},
}

// ticketIn returns a new ticket brought to state, and its token.
func (f *ticketFixture) ticketIn(t *testing.T, state mkg.TicketState) (*mkg.Ticket, string) {
	t.Helper()
	tk, token := f.submit(t, nil)
	for _, a := range pathTo[state] {
		tk = f.ok(ticketActions[a].do(context.Background(), f, tk.ID, token))
	}
	wantState(t, "path", tk, state)
	return tk, token
}

// Every action not allowed in a state is CONFLICT naming the state and the
// actions allowed there, and changes nothing.
func TestTicketDisallowedActions(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		f := newTicketFixture(t, s)
		for _, state := range mkg.TicketStates {
			tk, token := f.ticketIn(t, state)
			for _, action := range mkg.TicketActions {
				a, ok := ticketActions[action]
				if !ok {
					continue // SUBMIT creates tickets
				}
				by := a.by(f)
				allowed := mkg.AllowedActions(state, by.Role)
				if slices.Contains(allowed, action) {
					continue
				}
				_, err := a.do(ctx, f, tk.ID, token)
				var e *mkg.Error
				if !asError(err, &e) || e.Code != mkg.ECONFLICT {
					t.Errorf("%s on %s: got %v, want CONFLICT", action, state, err)
					continue
				}
				names := []string{}
				for _, x := range allowed {
					names = append(names, string(x))
				}
				if e.Extra["state"] != string(state) || !slices.Equal(e.Extra["allowedActions"].([]string), names) {
					t.Errorf("%s on %s: extensions %v, want state %s and allowedActions %v", action, state, e.Extra, state, names)
				}
			}
			after := f.ok(s.TicketByToken(ctx, token))
			events, _ := s.EventsOfTickets(ctx, []int64{tk.ID})
			if after.Version != tk.Version || after.State != state || len(events[0]) != len(pathTo[state])+1 {
				t.Errorf("refused actions changed the %s ticket: version %d→%d, %d events", state, tk.Version, after.Version, len(events[0]))
			}
		}
	})
}

// Actions by the wrong role are FORBIDDEN, and so is a role the caller's
// account does not hold.
func TestTicketForbidden(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		f := newTicketFixture(t, s)
		tk, _ := f.submit(t, nil)
		_, err := s.Review(ctx, f.officer, tk.ID, mkg.Review{Decision: mkg.ActForward, Checklist: checked})
		wantCode(t, "officer reviewing", err, mkg.EFORBIDDEN)
		_, err = s.Review(ctx, mkg.TicketCaller{Role: mkg.ActorServiceDesk, Account: f.officer.Account}, tk.ID, mkg.Review{Decision: mkg.ActForward, Checklist: checked})
		wantCode(t, "officer posing as the service desk", err, mkg.EFORBIDDEN)
		_, err = s.Review(ctx, mkg.TicketCaller{Role: mkg.ActorServiceDesk}, tk.ID, mkg.Review{Decision: mkg.ActForward, Checklist: checked})
		wantCode(t, "service desk without an account", err, mkg.EFORBIDDEN)
		f.ok(s.Review(ctx, f.desk, tk.ID, mkg.Review{Decision: mkg.ActForward, Checklist: checked}))
		_, err = s.Start(ctx, f.desk, tk.ID)
		wantCode(t, "service desk starting", err, mkg.EFORBIDDEN)
		admin := staffCaller(t, s, "Admin", mkg.RoleAdmin)
		_, _, err = s.Submit(ctx, admin, mkg.Submission{Input: sampleInput(), Letter: mkg.LetterFile{Data: pdfLetter}})
		wantCode(t, "admin submitting", err, mkg.EFORBIDDEN)
		_, err = s.Start(ctx, f.officer, 999999)
		wantNotFound(t, "starting a missing ticket", err)
	})
}

// Each action's own input is checked after the transition, before
// anything changes.
func TestTicketActionInput(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		f := newTicketFixture(t, s)
		tk, _ := f.submit(t, nil)
		_, err := s.Review(ctx, f.desk, tk.ID, mkg.Review{Decision: mkg.ActClose})
		wantInvalid(t, "review deciding CLOSE", err, "decision")
		_, err = s.Review(ctx, f.desk, tk.ID, mkg.Review{Decision: mkg.ActReturn, Fixes: []string{" "}})
		wantInvalid(t, "return without fixes", err, "fixes")
		_, err = s.Review(ctx, f.desk, tk.ID, mkg.Review{Decision: mkg.ActForward, Checklist: checked, AssignTo: f.desk.Account.ID})
		wantInvalid(t, "forward to the service desk", err, "assignTo")
		_, err = s.Review(ctx, f.desk, tk.ID, mkg.Review{Decision: mkg.ActForward, Checklist: checked, AssignTo: 999999})
		wantInvalid(t, "forward to nobody", err, "assignTo")
		suspended := staffCaller(t, s, "Cuti", mkg.RoleOfficer)
		if _, err := s.SetAccountStatus(ctx, staff, suspended.Account.ID, mkg.AccountSuspended, "on leave"); err != nil {
			t.Fatal(err)
		}
		_, err = s.Review(ctx, f.desk, tk.ID, mkg.Review{Decision: mkg.ActForward, Checklist: checked, AssignTo: suspended.Account.ID})
		wantInvalid(t, "forward to a suspended officer", err, "assignTo")
		_, err = s.Review(ctx, f.desk, tk.ID, mkg.Review{Decision: mkg.ActForward, Checklist: []mkg.ChecklistItem{{OK: true}}})
		wantInvalid(t, "checklist item without a name", err, "checklist[0].item")

		tk = f.ok(s.Review(ctx, f.desk, tk.ID, mkg.Review{Decision: mkg.ActForward, Checklist: checked, AssignTo: f.officer.Account.ID}))
		if tk.Version != 2 {
			t.Errorf("refused reviews changed the ticket: version %d", tk.Version)
		}
		// Another officer may take the ticket over; the event says so.
		tk = f.ok(s.Start(ctx, f.officer2, tk.ID))
		if tk.AssignedTo != f.officer2.Account.ID {
			t.Errorf("started by officer 2, assigned to %d", tk.AssignedTo)
		}
		events, _ := s.EventsOfTickets(ctx, []int64{tk.ID})
		if e := events[0][2]; e.Details != (mkg.StartDetails{TakenOverFrom: f.officer.Account.ID}) {
			t.Errorf("start event %+v: want the takeover recorded", e)
		}
		_, err = s.Escalate(ctx, f.officer2, tk.ID, "BOSS", "")
		wantInvalid(t, "escalation to BOSS", err, "to")
	})
}

// Fulfilment accounts for every requested dataset, and nothing is created
// when it does not.
func TestTicketFulfilmentInput(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		f := newTicketFixture(t, s)
		tk, _ := f.ticketIn(t, mkg.TicketInFulfilment)
		past := f.advance(0).Add(-time.Hour)
		edits := []struct {
			what, field string
			edit        func(*mkg.Fulfilment)
		}{
			{"grant not requested", "grants", func(x *mkg.Fulfilment) { x.Grants = append(x.Grants, mkg.ApprovedGrant{Dataset: mkg.DatasetClimateL1}) }},
			{"grant twice", "grants", func(x *mkg.Fulfilment) { x.Grants = append(x.Grants, x.Grants[0]) }},
			{"grant expired", "grants", func(x *mkg.Fulfilment) { x.Grants[0].ExpiresAt = &past }},
			{"nothing granted", "grants", func(x *mkg.Fulfilment) {
				x.Omitted = append(x.Omitted, mkg.OmittedDataset{Dataset: mkg.DatasetSynopL1, Reason: "no"},
					mkg.OmittedDataset{Dataset: mkg.DatasetLightning, Reason: "no"})
				x.Grants = nil
			}},
			{"requested neither granted nor omitted", "omitted", func(x *mkg.Fulfilment) { x.Omitted = nil }},
			{"granted and omitted", "omitted", func(x *mkg.Fulfilment) {
				x.Omitted = append(x.Omitted, mkg.OmittedDataset{Dataset: mkg.DatasetSynopL1, Reason: "no"})
			}},
			{"omitted without reason", "omitted", func(x *mkg.Fulfilment) { x.Omitted[0].Reason = " " }},
			{"omitted not requested", "omitted", func(x *mkg.Fulfilment) {
				x.Omitted = append(x.Omitted, mkg.OmittedDataset{Dataset: mkg.DatasetSatellite, Reason: "no"})
			}},
			{"validity in the past", "validUntil", func(x *mkg.Fulfilment) { x.ValidUntil = &past }},
		}
		accounts, _ := s.CountAccounts(ctx, mkg.AccountFilter{})
		for _, e := range edits {
			ff := fulfilment()
			e.edit(&ff)
			_, err := s.Fulfil(ctx, f.officer, tk.ID, ff)
			wantInvalid(t, e.what, err, e.field)
		}
		if n, _ := s.CountAccounts(ctx, mkg.AccountFilter{}); n != accounts {
			t.Errorf("refused fulfilments created %d accounts", n-accounts)
		}
		until := f.advance(0).AddDate(0, 6, 0)
		ff := fulfilment()
		ff.ValidUntil = &until
		tk = f.ok(s.Fulfil(ctx, f.officer, tk.ID, ff))
		accts, _ := s.AccountsByID(ctx, []int64{tk.AccountID})
		if tk.Version != 4 || accts[0] == nil || accts[0].ValidUntil == nil || !accts[0].ValidUntil.Equal(until) {
			t.Errorf("fulfilled ticket version %d, account %+v", tk.Version, accts[0])
		}
	})
}
