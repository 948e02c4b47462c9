package mkg

import (
	"slices"
	"strings"
	"time"
)

// The API-access request ticket of SOP/009/KPJ/IV/2024: the applicant
// submits a request letter and the service form; the service desk checks it
// and returns it for correction or forwards it to a functional officer; the
// officer creates the account (coordinating or escalating where needed) and
// closes the ticket.

// TicketState is where a ticket stands.
type TicketState string

const (
	TicketSubmitted    TicketState = "SUBMITTED"     // waiting for the service desk's review (step 2)
	TicketReturned     TicketState = "RETURNED"      // sent back to the applicant to correct (clock paused)
	TicketForwarded    TicketState = "FORWARDED"     // with an officer, or queued for one (step 3)
	TicketInFulfilment TicketState = "IN_FULFILMENT" // an officer is working on it
	TicketEscalated    TicketState = "ESCALATED"     // waiting on the applicant (clock paused) or on colleagues
	TicketFulfilled    TicketState = "FULFILLED"     // account created, key waiting for the applicant; to be closed
	TicketClosed       TicketState = "CLOSED"        // done
	TicketRejected     TicketState = "REJECTED"      // refused by the officer; final
	TicketWithdrawn    TicketState = "WITHDRAWN"     // withdrawn by the applicant; final
)

// TicketStates lists every state.
var TicketStates = []TicketState{TicketSubmitted, TicketReturned, TicketForwarded, TicketInFulfilment, TicketEscalated,
	TicketFulfilled, TicketClosed, TicketRejected, TicketWithdrawn}

// Final reports whether no action can follow.
func (s TicketState) Final() bool {
	return s == TicketClosed || s == TicketRejected || s == TicketWithdrawn
}

// TicketAction is something done to a ticket.
type TicketAction string

const (
	ActSubmit   TicketAction = "SUBMIT"
	ActForward  TicketAction = "FORWARD" // review decision
	ActReturn   TicketAction = "RETURN"  // review decision
	ActRevise   TicketAction = "REVISE"  // applicant corrects a returned ticket
	ActStart    TicketAction = "START_FULFILMENT"
	ActEscalate TicketAction = "ESCALATE"
	ActResume   TicketAction = "RESUME_FULFILMENT"
	ActFulfil   TicketAction = "FULFIL"
	ActClose    TicketAction = "CLOSE"
	ActReject   TicketAction = "REJECT"
	ActWithdraw TicketAction = "WITHDRAW"
)

// TicketActions lists every action.
var TicketActions = []TicketAction{ActSubmit, ActForward, ActReturn, ActRevise, ActStart, ActEscalate, ActResume,
	ActFulfil, ActClose, ActReject, ActWithdraw}

// TicketActor is who acts on a ticket: the applicant (through the ticket's
// tracking token), or a staff role.
type TicketActor string

const (
	ActorApplicant   TicketActor = "APPLICANT"
	ActorServiceDesk TicketActor = TicketActor(RoleServiceDesk)
	ActorOfficer     TicketActor = TicketActor(RoleOfficer)
	ActorAdmin       TicketActor = TicketActor(RoleAdmin)
)

// TicketActors lists every kind of actor.
var TicketActors = []TicketActor{ActorApplicant, ActorServiceDesk, ActorOfficer, ActorAdmin}

// transition is one row of the SOP's transition table.
type transition struct {
	from   []TicketState
	action TicketAction
	by     []TicketActor
	to     TicketState
}

// transitions is the SOP as a table. Submission (which creates the ticket)
// is allowed to the applicant (self-service, SiBaTIK) and to the service
// desk (recording a ticket that came by WhatsApp, phone, letter or e-mail).
// Administrators manage accounts, not tickets.
var transitions = []transition{
	{nil, ActSubmit, []TicketActor{ActorApplicant, ActorServiceDesk}, TicketSubmitted},
	{[]TicketState{TicketSubmitted}, ActForward, []TicketActor{ActorServiceDesk}, TicketForwarded},
	{[]TicketState{TicketSubmitted}, ActReturn, []TicketActor{ActorServiceDesk}, TicketReturned},
	{[]TicketState{TicketReturned}, ActRevise, []TicketActor{ActorApplicant}, TicketSubmitted},
	{[]TicketState{TicketForwarded}, ActStart, []TicketActor{ActorOfficer}, TicketInFulfilment},
	{[]TicketState{TicketInFulfilment}, ActEscalate, []TicketActor{ActorOfficer}, TicketEscalated},
	{[]TicketState{TicketEscalated}, ActResume, []TicketActor{ActorOfficer}, TicketInFulfilment},
	{[]TicketState{TicketInFulfilment, TicketEscalated}, ActFulfil, []TicketActor{ActorOfficer}, TicketFulfilled},
	{[]TicketState{TicketFulfilled}, ActClose, []TicketActor{ActorOfficer}, TicketClosed},
	{[]TicketState{TicketForwarded, TicketInFulfilment, TicketEscalated}, ActReject, []TicketActor{ActorOfficer}, TicketRejected},
	{[]TicketState{TicketSubmitted, TicketReturned, TicketForwarded, TicketInFulfilment, TicketEscalated}, ActWithdraw,
		[]TicketActor{ActorApplicant}, TicketWithdrawn},
}

// NoState is the "state" of a ticket that does not exist yet (for ActSubmit).
const NoState TicketState = ""

// Transition returns the state a ticket moves to when actor does action in
// state from. When the action is not allowed in that state the error is
// CONFLICT, naming the state and the actions allowed there to that actor
// (extensions state and allowedActions); when the action exists but is not
// this actor's to take, FORBIDDEN. A request that lost a race against
// another action on the same ticket gets the same CONFLICT, against the
// state the winner left.
func Transition(from TicketState, action TicketAction, actor TicketActor) (TicketState, error) {
	for _, t := range transitions {
		if t.action == action && slices.Contains(t.from, from) || (t.action == action && from == NoState && t.from == nil) {
			if slices.Contains(t.by, actor) {
				return t.to, nil
			}
			return "", &Error{Code: EFORBIDDEN, Message: string(action) + " is done by " + joinActors(t.by) + ", not " + actorName(actor),
				Extra: map[string]any{"state": string(from), "allowedActions": actionNames(AllowedActions(from, actor))}}
		}
	}
	allowed := AllowedActions(from, actor)
	msg := string(action) + " is not allowed while the ticket is " + string(from)
	byAnyone := stateActions(from)
	switch {
	case len(byAnyone) == 0:
		msg += "; the ticket is final"
	case len(allowed) > 0:
		msg += "; allowed now: " + strings.Join(byAnyone, ", ")
	default:
		msg += "; allowed now: " + strings.Join(byAnyone, ", ") + " (nothing by " + actorName(actor) + ")"
	}
	return "", &Error{Code: ECONFLICT, Message: msg,
		Extra: map[string]any{"state": string(from), "allowedActions": actionNames(allowed)}}
}

// stateActions lists the actions allowed in state s with who takes them:
// "REVISE (applicant)".
func stateActions(s TicketState) []string {
	var out []string
	for _, t := range transitions {
		if t.from != nil && slices.Contains(t.from, s) {
			out = append(out, string(t.action)+" ("+joinActors(t.by)+")")
		}
	}
	return out
}

// AllowedActions lists what actor may do to a ticket in state s (what a UI
// offers: viewerCan).
func AllowedActions(s TicketState, actor TicketActor) []TicketAction {
	var out []TicketAction
	for _, t := range transitions {
		if t.from != nil && slices.Contains(t.from, s) && slices.Contains(t.by, actor) {
			out = append(out, t.action)
		}
	}
	return out
}

func actionNames(a []TicketAction) []string {
	out := make([]string, len(a))
	for i, x := range a {
		out[i] = string(x)
	}
	return out
}

func joinActors(a []TicketActor) string {
	out := make([]string, len(a))
	for i, x := range a {
		out[i] = actorName(x)
	}
	return strings.Join(out, " or ")
}

// actorName is the actor as messages name it: "service desk".
func actorName(a TicketActor) string {
	return strings.ReplaceAll(strings.ToLower(string(a)), "_", " ")
}

// Channel is how a ticket reached the agency (the SOP's points of contact).
type Channel string

const (
	ChannelSIBATIK        Channel = "SIBATIK"
	ChannelWhatsApp       Channel = "WHATSAPP"
	ChannelPhone          Channel = "PHONE"
	ChannelOfficialLetter Channel = "OFFICIAL_LETTER"
	ChannelEmail          Channel = "EMAIL"
)

// Channels lists every channel.
var Channels = []Channel{ChannelSIBATIK, ChannelWhatsApp, ChannelPhone, ChannelOfficialLetter, ChannelEmail}

// BasisKind is what an API access is opened on.
type BasisKind string

const (
	BasisAgreement      BasisKind = "COOPERATION_AGREEMENT" // PKS, with its number and validity
	BasisOfficialLetter BasisKind = "OFFICIAL_LETTER"       // request letter, with its number and date
)

// Basis is the ticket's legal basis.
type Basis struct {
	Kind       BasisKind  `json:"kind"`
	Number     string     `json:"number"`
	Date       *time.Time `json:"date,omitempty"`       // letter date, or agreement signing date
	ValidFrom  *time.Time `json:"validFrom,omitempty"`  // agreement validity
	ValidUntil *time.Time `json:"validUntil,omitempty"` // agreement validity end
}

// Applicant is who asks.
type Applicant struct {
	Name         string `json:"name"`
	Organisation string `json:"organisation"`
	Position     string `json:"position,omitempty"`
	Email        string `json:"email"`
	Phone        string `json:"phone,omitempty"`
}

// ServiceForm is the electronic data exchange service form.
type ServiceForm struct {
	Purpose        string            `json:"purpose"`
	Datasets       []Dataset         `json:"datasets"`
	Application    ClientApplication `json:"application"`
	RequestedFrom  *time.Time        `json:"requestedFrom,omitempty"`
	RequestedUntil *time.Time        `json:"requestedUntil,omitempty"`
}

// Letter is the uploaded request letter, checked by content.
type Letter struct {
	Filename    string `json:"filename"`
	ContentType string `json:"contentType"` // application/pdf, image/jpeg or image/png, from the bytes
	Size        int64  `json:"size"`
	SHA256      string `json:"sha256"`
}

// TicketInput is what a submission or revision carries (the letter's
// bytes travel beside it).
type TicketInput struct {
	Channel   Channel
	Basis     Basis
	Applicant Applicant
	Form      ServiceForm
}

// Ticket is an API-access request.
type Ticket struct {
	ID            int64
	Number        string // API-2026-000123
	State         TicketState
	Channel       Channel
	Basis         Basis
	Applicant     Applicant
	Form          ServiceForm
	Letter        *Letter
	AssignedTo    int64      // officer's account id; 0 = queued for any officer
	EscalatedTo   string     // APPLICANT or INTERNAL while escalated
	AccountID     int64      // the account created on fulfilment
	KeyWaiting    bool       // the issued key waits for the applicant to collect it
	Version       int        // increases with every action: the optimistic lock
	FormStartedAt *time.Time // when the applicant started the form in the system (self-service)
	SubmittedAt   time.Time
	UpdatedAt     time.Time
	ClosedAt      *time.Time
	Steps         []ServiceStep
}

// ChecklistItem is one point the service desk checks for completeness and
// conformity.
type ChecklistItem struct {
	Item string `json:"item"`
	OK   bool   `json:"ok"`
	Note string `json:"note,omitempty"`
}

// StepKind is a step of the SOP with a service standard.
type StepKind string

const (
	StepApplicant  StepKind = "APPLICANT_SUBMISSION" // step 1: filling in the form, where started in the system
	StepReview     StepKind = "SERVICE_DESK_REVIEW"  // step 2
	StepFulfilment StepKind = "OFFICER_FULFILMENT"   // step 3
)

// ServiceStep is one run of a step: it starts, is due, may be paused while
// the ticket waits on the applicant (its due time then moves by the pause),
// and finishes.
type ServiceStep struct {
	Kind       StepKind
	Round      int // 1 for the first review, 2 after a revision …
	StartedAt  time.Time
	DueAt      time.Time
	FinishedAt *time.Time
	PausedAt   *time.Time    // set while paused
	Paused     time.Duration // total pause so far
	Cancelled  bool          // ended by the applicant's withdrawal: not the service's to complete, left out of figures
}
