package mkg

import (
	"encoding/json"
	"fmt"
	"slices"
	"time"
)

// TicketEvent is one action on a ticket, immutable.
type TicketEvent struct {
	ID        int64
	TicketID  int64
	At        time.Time
	Actor     string // who, as the audit log names people
	ActorRole TicketActor
	Action    TicketAction
	From      TicketState
	To        TicketState
	Note      string
	Checklist []ChecklistItem
	Details   EventDetails // the type that goes with Action (see DecodeEventDetails); nil when there is nothing to show
}

// EventDetails are the facts an action records besides its note and
// checklist: one type per action (NoDetails for the actions that record
// none), stored as JSON. The JSON names are the ones stored since the first
// events: renaming a tag loses what older events recorded.
type EventDetails interface{ eventDetails() }

// SubmitDetails: how a ticket came in.
type SubmitDetails struct {
	Channel       Channel    `json:"channel"`
	Letter        Letter     `json:"letter"`
	FormStartedAt *time.Time `json:"formStartedAt"` // when the applicant started the form in the system
}

// ForwardDetails: whom the service desk forwarded the ticket to.
type ForwardDetails struct {
	AssignedTo int64 `json:"assignedTo,omitempty"` // the officer's account; 0 queues it for any officer
}

// ReturnDetails: what the applicant must fix.
type ReturnDetails struct {
	Fixes []string `json:"fixes"`
}

// ReviseDetails: what the applicant's revision changed.
type ReviseDetails struct {
	Changed []string `json:"changed"`          // basis, applicant, form, letter: in that order
	Letter  *Letter  `json:"letter,omitempty"` // the new letter, when one was sent
}

// StartDetails: whose ticket an officer took over by starting it.
type StartDetails struct {
	TakenOverFrom int64 `json:"takenOverFrom,omitempty"` // the officer it was assigned to; 0 when it was the starter's or nobody's
}

// EscalateDetails: whom the ticket waits on.
type EscalateDetails struct {
	To string `json:"to"` // EscalatedToApplicant or EscalatedToInternal
}

// FulfilDetails: the account created, what it was granted and what not,
// and why.
type FulfilDetails struct {
	AccountID  int64            `json:"accountId,omitempty"`
	Grants     []ApprovedGrant  `json:"grants"`
	Omitted    []OmittedDataset `json:"omitted"`
	ValidUntil *time.Time       `json:"validUntil,omitempty"` // the account's validity end
	KeyPrefix  string           `json:"keyPrefix,omitempty"`  // of the key issued
}

// NoDetails: the action records nothing beyond its note (resume, close,
// reject, withdraw).
type NoDetails struct{}

func (SubmitDetails) eventDetails()   {}
func (ForwardDetails) eventDetails()  {}
func (ReturnDetails) eventDetails()   {}
func (ReviseDetails) eventDetails()   {}
func (StartDetails) eventDetails()    {}
func (EscalateDetails) eventDetails() {}
func (FulfilDetails) eventDetails()   {}
func (NoDetails) eventDetails()       {}

// DecodeEventDetails reads the stored details of an event of action. Keys a
// type does not know are ignored (none are stored today).
func DecodeEventDetails(action TicketAction, data []byte) (EventDetails, error) {
	switch action {
	case ActSubmit:
		return decodeDetails[SubmitDetails](data)
	case ActForward:
		return decodeDetails[ForwardDetails](data)
	case ActReturn:
		return decodeDetails[ReturnDetails](data)
	case ActRevise:
		return decodeDetails[ReviseDetails](data)
	case ActStart:
		return decodeDetails[StartDetails](data)
	case ActEscalate:
		return decodeDetails[EscalateDetails](data)
	case ActFulfil:
		return decodeDetails[FulfilDetails](data)
	case ActResume, ActClose, ActReject, ActWithdraw:
		return decodeDetails[NoDetails](data)
	}
	return nil, fmt.Errorf("ticket event details: unknown action %q", action)
}

func decodeDetails[T EventDetails](data []byte) (EventDetails, error) {
	var d T
	if err := json.Unmarshal(data, &d); err != nil {
		return nil, fmt.Errorf("ticket event details: %w", err)
	}
	return d, nil
}

// The targets of an escalation.
const (
	EscalatedToApplicant = string(ActorApplicant) // the service clock stops until the officer resumes
	EscalatedToInternal  = "INTERNAL"             // colleagues inside the agency; the clock runs
)

// ApplicantView is an event as the applicant may see it: staff are named by
// role, an internal escalation carries no note, the checklist is shown with
// a return only, and the details are limited to what concerns the applicant
// (what to fix, whom an escalation waits on, what was granted and what not,
// and why).
func ApplicantView(e TicketEvent) TicketEvent {
	v := TicketEvent{ID: e.ID, TicketID: e.TicketID, At: e.At, ActorRole: e.ActorRole, Action: e.Action, From: e.From, To: e.To,
		Actor: actorName(e.ActorRole), Note: e.Note}
	switch d := e.Details.(type) {
	case ReturnDetails:
		v.Details, v.Checklist = d, e.Checklist
	case EscalateDetails:
		v.Details = d
		if d.To != EscalatedToApplicant {
			v.Note = ""
		}
	case FulfilDetails:
		v.Details = FulfilDetails{Grants: d.Grants, Omitted: d.Omitted}
	}
	return v
}

// LatestFixes is what the applicant must fix while the ticket is returned:
// the fixes of the latest return; none in any other state.
func LatestFixes(state TicketState, events []TicketEvent) []string {
	if state != TicketReturned {
		return []string{}
	}
	for _, e := range slices.Backward(events) {
		if d, ok := e.Details.(ReturnDetails); ok {
			return append([]string{}, d.Fixes...)
		}
	}
	return []string{}
}
