package mkg

import (
	"errors"
	"reflect"
	"slices"
	"testing"
	"time"
)

var ruleNow = time.Date(2026, 3, 2, 2, 0, 0, 0, time.UTC)

// invalidField is the field of a BAD_USER_INPUT error; "" for anything
// else.
func invalidField(err error) string {
	var e *Error
	if errors.As(err, &e) && e.Code == EINVALID {
		return e.Field
	}
	return ""
}

func staffAccount(id int64, status AccountStatus, roles ...Role) *Account {
	return &Account{ID: id, Organisation: "BMKG Pusdatin", ContactName: "Dewi Lestari", Status: status, Roles: roles}
}

func TestTicketCallerCheck(t *testing.T) {
	for _, c := range []struct {
		name   string
		caller TicketCaller
		ok     bool
	}{
		{"applicant", TicketCaller{Role: ActorApplicant}, true},
		{"active desk", TicketCaller{Role: ActorServiceDesk, Account: staffAccount(1, AccountActive, RoleServiceDesk)}, true},
		{"desk role without an account", TicketCaller{Role: ActorServiceDesk}, false},
		{"suspended desk", TicketCaller{Role: ActorServiceDesk, Account: staffAccount(1, AccountSuspended, RoleServiceDesk)}, false},
		{"officer acting as desk", TicketCaller{Role: ActorServiceDesk, Account: staffAccount(1, AccountActive, RoleOfficer)}, false},
	} {
		err := c.caller.Check()
		if (err == nil) != c.ok || (err != nil && ErrorCode(err) != EFORBIDDEN) {
			t.Errorf("%s: %v", c.name, err)
		}
	}
}

func TestSubmitterAndStaffCan(t *testing.T) {
	desk := staffAccount(1, AccountActive, RoleServiceDesk, RoleOfficer)
	p := NewPrincipal(desk, 1, "mkg_00000001", nil, ruleNow)
	if got := Submitter(p); got.Role != ActorServiceDesk || got.Account != desk {
		t.Errorf("desk submits as %+v", got)
	}
	for _, other := range []*Principal{nil, NewPrincipal(nil, 0, "", nil, ruleNow),
		NewPrincipal(staffAccount(2, AccountActive, RoleOfficer), 2, "mkg_00000002", nil, ruleNow),
		NewPrincipal(staffAccount(3, AccountSuspended, RoleServiceDesk), 3, "mkg_00000003", nil, ruleNow)} {
		if got := Submitter(other); got.Role != ActorApplicant || got.Account != nil {
			t.Errorf("%+v submits as %+v, want the applicant", other, got)
		}
	}
	// Both roles' actions, each once.
	if got := StaffCan(p, TicketForwarded); !slices.Equal(got, []TicketAction{ActStart, ActReject}) {
		t.Errorf("desk and officer on a forwarded ticket: %v", got)
	}
	if got := StaffCan(p, TicketSubmitted); !slices.Equal(got, []TicketAction{ActForward, ActReturn}) {
		t.Errorf("desk and officer on a submitted ticket: %v", got)
	}
	suspended := NewPrincipal(staffAccount(3, AccountSuspended, RoleOfficer), 3, "mkg_00000003", nil, ruleNow)
	for _, q := range []*Principal{nil, suspended} {
		if got := StaffCan(q, TicketForwarded); got == nil || len(got) != 0 {
			t.Errorf("%+v can %v; want an empty list", q, got)
		}
	}
}

func TestReviewRules(t *testing.T) {
	if err := (Review{Decision: ActClose}).CheckDecision(); ErrorCode(err) != EINVALID {
		t.Errorf("CLOSE as a decision: %v", err)
	}
	bad := []struct {
		name  string
		r     Review
		field string
	}{
		{"blank checklist item", Review{Decision: ActForward, Checklist: []ChecklistItem{{Item: " ", OK: true}}}, "checklist[0].item"},
		{"forward without a checklist", Review{Decision: ActForward}, "checklist"},
		{"forward with an item not satisfied", Review{Decision: ActForward, Checklist: []ChecklistItem{{Item: "letter", OK: true}, {Item: "signed", OK: false}}}, "checklist[1].ok"},
		{"return without fixes", Review{Decision: ActReturn, Fixes: []string{" ", ""}}, "fixes"},
		{"unknown decision", Review{Decision: ActFulfil}, "decision"},
	}
	for _, c := range bad {
		if _, err := c.r.Check(); invalidField(err) != c.field {
			t.Errorf("%s: %v, want BAD_USER_INPUT on %s", c.name, err, c.field)
		}
	}
	r, err := Review{Decision: ActReturn, Note: " please sign ", Fixes: []string{" sign the letter ", " "}}.Check()
	if err != nil || r.Note != "please sign" || !reflect.DeepEqual(r.Details(), ReturnDetails{Fixes: []string{"sign the letter"}}) {
		t.Errorf("return: %+v, %v", r, err)
	}
	r, err = Review{Decision: ActForward, AssignTo: 4, Fixes: []string{"ignored"}, Checklist: []ChecklistItem{{Item: "letter signed", OK: true}}}.Check()
	if err != nil || r.Details() != (ForwardDetails{AssignedTo: 4}) {
		t.Errorf("forward: %+v, %v", r.Details(), err)
	}
}

func TestAssignee(t *testing.T) {
	expired := staffAccount(5, AccountActive, RoleOfficer)
	expired.ValidUntil = Ptr(ruleNow)
	for _, c := range []struct {
		name string
		a    *Account
		ok   bool
	}{
		{"active officer", staffAccount(4, AccountActive, RoleOfficer), true},
		{"nobody", nil, false},
		{"service desk", staffAccount(4, AccountActive, RoleServiceDesk), false},
		{"suspended officer", staffAccount(4, AccountSuspended, RoleOfficer), false},
		{"expired officer", expired, false},
	} {
		err := CheckAssignee(4, c.a, ruleNow)
		if (err == nil) != c.ok || (err != nil && invalidField(err) != "assignTo") {
			t.Errorf("%s: %v", c.name, err)
		}
	}
}

func TestStartEscalateReject(t *testing.T) {
	for _, c := range []struct {
		assigned, by, want int64
	}{{0, 4, 0}, {4, 4, 0}, {4, 5, 4}} {
		if got := (&Ticket{AssignedTo: c.assigned}).StartBy(c.by); got.TakenOverFrom != c.want {
			t.Errorf("assigned to %d, started by %d: %+v", c.assigned, c.by, got)
		}
	}
	for _, to := range []string{EscalatedToApplicant, EscalatedToInternal} {
		if d, err := CheckEscalation(to); err != nil || d.To != to {
			t.Errorf("escalation to %s: %+v, %v", to, d, err)
		}
	}
	if _, err := CheckEscalation("BOSS"); invalidField(err) != "to" {
		t.Errorf("escalation to BOSS: %v", err)
	}
	if r, err := CheckRejection("  no basis \n"); err != nil || r != "no basis" {
		t.Errorf("rejection: %q, %v", r, err)
	}
	if _, err := CheckRejection(" "); invalidField(err) != "reason" {
		t.Errorf("rejection without reason: %v", err)
	}
}

func TestTokenExpiry(t *testing.T) {
	submitted := ruleNow
	open := &Ticket{State: TicketForwarded, SubmittedAt: submitted}
	closed := &Ticket{State: TicketClosed, SubmittedAt: submitted, ClosedAt: Ptr(submitted.Add(24 * time.Hour))}
	for _, c := range []struct {
		name    string
		t       *Ticket
		at      time.Time
		expired bool
	}{
		{"open, 179 days", open, submitted.Add(179 * 24 * time.Hour), false},
		{"open, just past 180 days", open, submitted.Add(TokenLifetime + time.Second), true},
		{"closed, 30 days after", closed, closed.ClosedAt.Add(FinalTokenLifetime), false},
		{"closed, just past 30 days after", closed, closed.ClosedAt.Add(FinalTokenLifetime + time.Second), true},
	} {
		if got := c.t.TokenExpired(c.at); got != c.expired {
			t.Errorf("%s: expired %v", c.name, got)
		}
	}
}

func TestKeyWaiting(t *testing.T) {
	if err := (&Ticket{Number: "API-2026-000001", AccountID: 3, KeyWaiting: true}).CheckKeyWaiting(); err != nil {
		t.Errorf("waiting key: %v", err)
	}
	for _, tk := range []*Ticket{{Number: "API-2026-000001"}, {Number: "API-2026-000001", AccountID: 3}} {
		if err := tk.CheckKeyWaiting(); ErrorCode(err) != ENOTFOUND {
			t.Errorf("%+v: %v, want NOT_FOUND", tk, err)
		}
	}
}

func TestTicketFilterCheck(t *testing.T) {
	from, to := ruleNow, ruleNow.Add(time.Hour)
	if err := (TicketFilter{Status: []TicketState{TicketSubmitted}, AssignedTo: -1, Channel: ChannelEmail, From: &from, To: &to}).Check(); err != nil {
		t.Errorf("valid filter: %v", err)
	}
	for _, c := range []struct {
		f     TicketFilter
		field string
	}{
		{TicketFilter{Status: []TicketState{"OPEN"}}, "filter.status"},
		{TicketFilter{AssignedTo: -2}, "filter.assignedTo"},
		{TicketFilter{Channel: "FAX"}, "filter.channel"},
		{TicketFilter{From: &to, To: &from}, "filter.from"},
	} {
		if err := c.f.Check(); invalidField(err) != c.field {
			t.Errorf("%+v: %v, want BAD_USER_INPUT on %s", c.f, err, c.field)
		}
	}
	if err := CheckStatsPeriod(to, from); invalidField(err) != "from" {
		t.Errorf("stats period backwards: %v", err)
	}
	if err := CheckStatsPeriod(from, from); err != nil {
		t.Errorf("stats period of an instant: %v", err)
	}
}

func TestBreach(t *testing.T) {
	t0 := ruleNow
	late := ServiceStep{Kind: StepReview, StartedAt: t0, DueAt: t0.Add(15 * time.Minute), FinishedAt: Ptr(t0.Add(20 * time.Minute))}
	running := ServiceStep{Kind: StepFulfilment, StartedAt: t0.Add(20 * time.Minute), DueAt: t0.Add(80 * time.Minute)}
	paused := running
	paused.PausedAt = Ptr(t0.Add(30 * time.Minute))
	now := t0.Add(40 * time.Minute)
	if b, due := BreachState([]ServiceStep{late, running}, now); !b || due == nil || !due.Equal(running.DueAt) {
		t.Errorf("late review, fulfilment running: %v, %v", b, due)
	}
	if b, due := BreachState([]ServiceStep{paused}, now); b || due != nil {
		t.Errorf("paused fulfilment: %v, %v; a paused step has no due time to watch", b, due)
	}
	if (&Ticket{Steps: []ServiceStep{running}}).Breached(now) || !(&Ticket{Steps: []ServiceStep{running, late}}).Breached(now) {
		t.Error("Ticket.Breached disagrees with its steps")
	}
	cancelled := late
	cancelled.Cancelled = true
	if (&Ticket{Steps: []ServiceStep{cancelled}}).Breached(now) {
		t.Error("a cancelled step counts as breached")
	}
}

func TestTicketYear(t *testing.T) {
	// 17:00 UTC on New Year's Eve is already the new year in Jakarta.
	if y := TicketYear(time.Date(2026, 12, 31, 17, 0, 0, 0, time.UTC)); y != 2027 {
		t.Errorf("year %d, want 2027", y)
	}
	if y := TicketYear(time.Date(2026, 12, 31, 16, 59, 59, 0, time.UTC)); y != 2026 {
		t.Errorf("year %d, want 2026", y)
	}
}

func TestAPIKeyActive(t *testing.T) {
	for _, c := range []struct {
		name   string
		key    APIKey
		active bool
	}{
		{"open-ended", APIKey{}, true},
		{"expiring later", APIKey{ExpiresAt: Ptr(ruleNow.Add(time.Second))}, true},
		{"expiring now", APIKey{ExpiresAt: Ptr(ruleNow)}, false},
		{"revoked", APIKey{RevokedAt: Ptr(ruleNow.Add(-time.Hour))}, false},
	} {
		if got := c.key.Active(ruleNow); got != c.active {
			t.Errorf("%s: active %v", c.name, got)
		}
	}
}
