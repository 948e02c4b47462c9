package mkg

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// The rules of the actions on a ticket besides its transitions (ticket.go):
// who acts, what each action's input must be and what its event records.
// Submission and revision are in ticketsubmit.go, fulfilment in
// ticketfulfil.go. The store applies them inside the action's transaction,
// after the transition is allowed and before anything changes.

// Check refuses a staff role the caller's account does not hold: the schema
// checks roles too, but the store is the last line. The applicant (who
// proves the ticket with its token) passes.
func (c TicketCaller) Check() error {
	if c.Role == ActorApplicant {
		return nil
	}
	if c.Account == nil || c.Account.Status != AccountActive || !c.Account.HasRole(Role(c.Role)) {
		return Errorf(EFORBIDDEN, "acting as %s needs an active account with that role", strings.ToLower(string(c.Role)))
	}
	return nil
}

// Submitter is who submits a ticket when p calls: the service desk (an
// active account with that role), recording a ticket that came by another
// channel; anyone else, signed in or not, is the applicant.
func Submitter(p *Principal) TicketCaller {
	if !p.Anonymous() && p.Account.Status == AccountActive && p.Account.HasRole(RoleServiceDesk) {
		return TicketCaller{Role: ActorServiceDesk, Account: p.Account}
	}
	return TicketCaller{Role: ActorApplicant}
}

// StaffCan lists what p's staff roles allow on a ticket in state s, each
// action once, in the order of the transition table; nothing for an
// anonymous caller or an account that is not active.
func StaffCan(p *Principal, s TicketState) []TicketAction {
	out := []TicketAction{}
	if p.Anonymous() || p.Account.Status != AccountActive {
		return out
	}
	for _, r := range p.Account.Roles {
		for _, a := range AllowedActions(s, TicketActor(r)) {
			if !slices.Contains(out, a) {
				out = append(out, a)
			}
		}
	}
	return out
}

// CheckDecision refuses a review decision other than FORWARD and RETURN
// (checked before the transition, which the decision names).
func (r Review) CheckDecision() error {
	if r.Decision != ActForward && r.Decision != ActReturn {
		return Invalid("decision", "a review decision is FORWARD or RETURN, not %q", r.Decision)
	}
	return nil
}

// Check applies the rules of a review: a known decision, every checklist
// item naming what was checked, a forwarded ticket's checklist answered
// (at least one item, every one satisfied: a ticket that does not conform
// is returned, SOP step 2), and a returned ticket saying what the
// applicant must fix. It returns the review with its note and fixes
// trimmed, blank fixes dropped.
func (r Review) Check() (Review, error) {
	if err := r.CheckDecision(); err != nil {
		return r, err
	}
	for i, c := range r.Checklist {
		if strings.TrimSpace(c.Item) == "" {
			return r, Invalid(fmt.Sprintf("checklist[%d].item", i), "every checklist item names what was checked")
		}
		if r.Decision == ActForward && !c.OK {
			return r, Invalid(fmt.Sprintf("checklist[%d].ok", i),
				"%q is not satisfied: a request that does not conform is returned (RETURN) with what to fix, not forwarded", c.Item)
		}
	}
	if r.Decision == ActForward && len(r.Checklist) == 0 {
		return r, Invalid("checklist", "forwarding needs the completeness checklist answered: list what was checked (the letter, the basis, the applicant, the form), each ok")
	}
	r.Note = strings.TrimSpace(r.Note)
	r.Fixes = cleanFixes(r.Fixes)
	if r.Decision == ActReturn && len(r.Fixes) == 0 {
		return r, Invalid("fixes", "a returned ticket says what the applicant must fix: give at least one fix")
	}
	return r, nil
}

func cleanFixes(fixes []string) []string {
	var out []string
	for _, f := range fixes {
		if f = strings.TrimSpace(f); f != "" {
			out = append(out, f)
		}
	}
	return out
}

// Details is what a checked review's event records: what to fix, or whom
// the ticket was forwarded to.
func (r Review) Details() EventDetails {
	if r.Decision == ActReturn {
		return ReturnDetails{Fixes: r.Fixes}
	}
	return ForwardDetails{AssignedTo: r.AssignTo}
}

// ActiveOfficer reports whether a ticket can be assigned to a at now: an
// active, unexpired account with the OFFICER role.
func (a *Account) ActiveOfficer(now time.Time) bool {
	return a != nil && a.HasRole(RoleOfficer) && a.Status == AccountActive && !a.Expired(now)
}

// CheckAssignee refuses to forward a ticket to account id (a; nil when
// there is no such account) unless it is an active officer.
func CheckAssignee(id int64, a *Account, now time.Time) error {
	if !a.ActiveOfficer(now) {
		return Invalid("assignTo", "account %d is not an active officer", id)
	}
	return nil
}

// StartBy is what starting t by officer records: any officer may start a
// forwarded ticket, one assigned to a colleague included, and the event
// names the colleague it was taken over from.
func (t *Ticket) StartBy(officer int64) StartDetails {
	if t.AssignedTo != 0 && t.AssignedTo != officer {
		return StartDetails{TakenOverFrom: t.AssignedTo}
	}
	return StartDetails{}
}

// CheckEscalation returns the details of an escalation to to: APPLICANT
// (the service clock stops until the officer resumes) or INTERNAL (it
// runs).
func CheckEscalation(to string) (EscalateDetails, error) {
	if to != EscalatedToApplicant && to != EscalatedToInternal {
		return EscalateDetails{}, Invalid("to", "a ticket is escalated to APPLICANT or INTERNAL, not %q", to)
	}
	return EscalateDetails{To: to}, nil
}

// CheckRejection returns the reason of a rejection, trimmed: it is
// required, because the applicant is told it.
func CheckRejection(reason string) (string, error) {
	if reason = strings.TrimSpace(reason); reason == "" {
		return "", Invalid("reason", "a rejection gives its reason")
	}
	return reason, nil
}

// A tracking token opens its ticket for 180 days after the submission, and
// no longer than 30 days after the ticket became final (whichever comes
// first): long enough to follow a request and collect its key, not a
// credential that lives forever.
const (
	TokenLifetime      = 180 * 24 * time.Hour
	FinalTokenLifetime = 30 * 24 * time.Hour
)

// TokenExpired reports whether t's tracking token no longer opens it at
// now.
func (t *Ticket) TokenExpired(now time.Time) bool {
	if now.After(t.SubmittedAt.Add(TokenLifetime)) {
		return true
	}
	return t.State.Final() && t.ClosedAt != nil && now.After(t.ClosedAt.Add(FinalTokenLifetime))
}

// CheckKeyWaiting says why t has no key for its applicant to collect: none
// was issued yet, or it was collected already (NOT_FOUND either way); nil
// while the key waits.
func (t *Ticket) CheckKeyWaiting() error {
	switch {
	case t.KeyWaiting:
		return nil
	case t.AccountID == 0:
		return Errorf(ENOTFOUND, "no key has been issued for ticket %s yet", t.Number)
	}
	return Errorf(ENOTFOUND, "the key of ticket %s was collected already; if it is lost, ask the service desk for a new one", t.Number)
}

// Breached reports whether any of t's steps is past its standard at now.
func (t *Ticket) Breached(now time.Time) bool {
	return slices.ContainsFunc(t.Steps, func(s ServiceStep) bool { return s.Breached(now) })
}

// Check refuses a filter naming an unknown state or channel, an
// assignedTo that is neither an account nor -1, or a period that ends
// before it starts.
func (f TicketFilter) Check() error {
	for _, st := range f.Status {
		if !slices.Contains(TicketStates, st) {
			return Invalid("filter.status", "unknown state %q", st)
		}
	}
	if f.AssignedTo < -1 {
		return Invalid("filter.assignedTo", "assignedTo is an officer's account, or -1 for unassigned tickets")
	}
	if f.Channel != "" && !slices.Contains(Channels, f.Channel) {
		return Invalid("filter.channel", "unknown channel %q", f.Channel)
	}
	if f.From != nil && f.To != nil && f.From.After(*f.To) {
		return Invalid("filter.from", "from %s is after to %s", f.From.UTC().Format(time.RFC3339), f.To.UTC().Format(time.RFC3339))
	}
	return nil
}

// CheckStatsPeriod refuses a statistics period that ends before it starts.
func CheckStatsPeriod(from, to time.Time) error {
	if from.After(to) {
		return Invalid("from", "from %s is after to %s", from.UTC().Format(time.RFC3339), to.UTC().Format(time.RFC3339))
	}
	return nil
}
