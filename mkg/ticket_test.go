package mkg

import (
	"slices"
	"strings"
	"testing"
)

// sop is SOP/009/KPJ/IV/2024 written out by hand, independently of the
// package's own table: every action allowed in a state, who may take it
// (A applicant, D service desk, O functional officer; administrators manage
// accounts, not tickets) and the state it leads to. Anything not listed is
// not allowed in that state.
var sop = []sopRow{
	// Step 1: the applicant submits through SiBaTIK, or the service desk
	// records a ticket that came by WhatsApp, phone, letter or e-mail.
	{NoState, ActSubmit, "AD", TicketSubmitted},
	// Step 2: the service desk forwards a conforming ticket or returns it.
	{TicketSubmitted, ActForward, "D", TicketForwarded},
	{TicketSubmitted, ActReturn, "D", TicketReturned},
	{TicketSubmitted, ActWithdraw, "A", TicketWithdrawn},
	{TicketReturned, ActRevise, "A", TicketSubmitted},
	{TicketReturned, ActWithdraw, "A", TicketWithdrawn},
	// Step 3: the officer follows up, escalates where needed, creates the
	// account and closes the ticket; the officer may also refuse it.
	{TicketForwarded, ActStart, "O", TicketInFulfilment},
	{TicketForwarded, ActReject, "O", TicketRejected},
	{TicketForwarded, ActWithdraw, "A", TicketWithdrawn},
	{TicketInFulfilment, ActEscalate, "O", TicketEscalated},
	{TicketInFulfilment, ActFulfil, "O", TicketFulfilled},
	{TicketInFulfilment, ActReject, "O", TicketRejected},
	{TicketInFulfilment, ActWithdraw, "A", TicketWithdrawn},
	{TicketEscalated, ActResume, "O", TicketInFulfilment},
	{TicketEscalated, ActFulfil, "O", TicketFulfilled},
	{TicketEscalated, ActReject, "O", TicketRejected},
	{TicketEscalated, ActWithdraw, "A", TicketWithdrawn},
	// Once the account exists the applicant can no longer withdraw.
	{TicketFulfilled, ActClose, "O", TicketClosed},
	// CLOSED, REJECTED and WITHDRAWN are final: nothing follows.
}

type sopRow struct {
	from   TicketState
	action TicketAction
	by     string
	to     TicketState
}

var actorLetter = map[TicketActor]string{ActorApplicant: "A", ActorServiceDesk: "D", ActorOfficer: "O", ActorAdmin: "M"}

func allStates() []TicketState { return append([]TicketState{NoState}, TicketStates...) }

// wantAllowed is what AllowedActions should answer. It answers for an
// existing ticket (a UI's viewerCan); submitting creates a ticket and is not
// offered on one, so NoState offers nothing.
func wantAllowed(s TicketState, actor TicketActor) []string {
	var out []string
	for _, r := range sop {
		if r.from == s && s != NoState && strings.Contains(r.by, actorLetter[actor]) {
			out = append(out, string(r.action))
		}
	}
	return out
}

func TestTransitionEveryCombination(t *testing.T) {
	if len(TicketStates) != 9 || len(TicketActions) != 11 || len(TicketActors) != 4 {
		t.Fatalf("the vocabulary changed (%d states, %d actions, %d actors): update the SOP table",
			len(TicketStates), len(TicketActions), len(TicketActors))
	}
	for _, from := range allStates() {
		for _, action := range TicketActions {
			row := slices.IndexFunc(sop, func(r sopRow) bool { return r.from == from && r.action == action })
			for _, actor := range TicketActors {
				to, err := Transition(from, action, actor)
				name := string(from) + "/" + string(action) + "/" + string(actor)
				switch {
				case row < 0:
					checkTransitionError(t, name, err, ECONFLICT, from, actor)
				case !strings.Contains(sop[row].by, actorLetter[actor]):
					checkTransitionError(t, name, err, EFORBIDDEN, from, actor)
				case err != nil || to != sop[row].to:
					t.Errorf("%s: %q, %v; want %s", name, to, err, sop[row].to)
				}
				if err != nil && to != "" {
					t.Errorf("%s: state %q beside an error", name, to)
				}
			}
		}
	}
}

func checkTransitionError(t *testing.T, name string, err error, code string, from TicketState, actor TicketActor) {
	t.Helper()
	e, ok := err.(*Error)
	if !ok || e.Code != code {
		t.Errorf("%s: %v; want %s", name, err, code)
		return
	}
	if e.Extra["state"] != string(from) {
		t.Errorf("%s: extensions state %v, want %q", name, e.Extra["state"], from)
	}
	got, _ := e.Extra["allowedActions"].([]string)
	if want := wantAllowed(from, actor); !sameSet(got, want) {
		t.Errorf("%s: extensions allowedActions %v, want %v", name, got, want)
	}
}

func TestAllowedActionsEveryStateAndActor(t *testing.T) {
	for _, s := range allStates() {
		for _, actor := range TicketActors {
			got := actionNames(AllowedActions(s, actor))
			if want := wantAllowed(s, actor); !sameSet(got, want) {
				t.Errorf("AllowedActions(%q, %s) = %v, want %v", s, actor, got, want)
			}
			if s.Final() && len(got) > 0 {
				t.Errorf("final state %s offers %v", s, got)
			}
		}
	}
	// Administrators manage accounts, not tickets.
	for _, s := range allStates() {
		if a := AllowedActions(s, ActorAdmin); len(a) > 0 {
			t.Errorf("admin may %v on a %s ticket", a, s)
		}
	}
}

func sameSet(a, b []string) bool {
	a, b = slices.Clone(a), slices.Clone(b)
	slices.Sort(a)
	slices.Sort(b)
	return slices.Equal(a, b)
}

func TestTransitionMessagesNameWhatIsAllowed(t *testing.T) {
	for _, c := range []struct {
		from   TicketState
		action TicketAction
		actor  TicketActor
		want   string
	}{
		{TicketReturned, ActForward, ActorServiceDesk,
			"FORWARD is not allowed while the ticket is RETURNED; allowed now: REVISE (applicant), WITHDRAW (applicant) (nothing by service desk)"},
		{TicketForwarded, ActClose, ActorOfficer,
			"CLOSE is not allowed while the ticket is FORWARDED; allowed now: START_FULFILMENT (officer), REJECT (officer), WITHDRAW (applicant)"},
		{TicketClosed, ActWithdraw, ActorApplicant, "WITHDRAW is not allowed while the ticket is CLOSED; the ticket is final"},
		{TicketSubmitted, ActForward, ActorOfficer, "FORWARD is done by service desk, not officer"},
	} {
		_, err := Transition(c.from, c.action, c.actor)
		if e, ok := err.(*Error); !ok || e.Message != c.want {
			t.Errorf("%s/%s/%s: %v\n want %s", c.from, c.action, c.actor, err, c.want)
		}
	}
}
