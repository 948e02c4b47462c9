package mkg

import (
	"context"
	"time"
)

// Standards are the SOP's service standards: how long each step may take.
type Standards struct {
	Applicant  time.Duration // filling in the form, where started in the system (15 min)
	Review     time.Duration // the service desk's check (15 min)
	Fulfilment time.Duration // the officer's work, forward to close (1 h)
}

// DefaultStandards are the SOP's figures.
var DefaultStandards = Standards{Applicant: 15 * time.Minute, Review: 15 * time.Minute, Fulfilment: time.Hour}

// TicketCaller is who acts on a ticket: a staff member (Account, with the
// role they act in) or the applicant (Token, the ticket's tracking token).
type TicketCaller struct {
	Role    TicketActor
	Account *Account
	Token   string
}

// Label names the caller in events.
func (c TicketCaller) Label() string {
	if c.Account != nil {
		return c.Account.Organisation + " / " + c.Account.ContactName
	}
	return "applicant"
}

// LetterFile is an uploaded request letter: its name as sent and its bytes
// (already size-checked by the transport).
type LetterFile struct {
	Filename string
	Data     []byte
}

// Submission is a new ticket.
type Submission struct {
	Input          TicketInput
	Letter         LetterFile
	IdempotencyKey string // required for self-service; a retry with the same key and request returns the same ticket
	FormSession    string // the token of the form session, when the applicant started the form in the system
}

// Review is the service desk's decision on a submitted ticket.
type Review struct {
	Decision  TicketAction // ActForward or ActReturn
	Checklist []ChecklistItem
	Note      string
	Fixes     []string // what the applicant must fix (required with ActReturn)
	AssignTo  int64    // officer account for ActForward; 0 queues it for any officer
}

// ApprovedGrant is a dataset the officer grants on fulfilment.
type ApprovedGrant struct {
	Dataset   Dataset    `json:"dataset"`
	ExpiresAt *time.Time `json:"expiresAt"`
}

// OmittedDataset is a requested dataset the officer does not grant, and why.
type OmittedDataset struct {
	Dataset Dataset `json:"dataset"`
	Reason  string  `json:"reason"`
}

// Fulfilment is what the officer approves.
type Fulfilment struct {
	Grants     []ApprovedGrant
	Omitted    []OmittedDataset // every requested dataset not granted must be here, with a reason
	ValidUntil *time.Time       // the account's validity end (e.g. the agreement's); defaults to the basis' validity end
	Note       string
}

// TicketFilter selects tickets for the service desk's queues.
type TicketFilter struct {
	Status   []TicketState // any of these states
	Breached *bool         // tickets with (not) any breached step
	// NotificationFailed: tickets with (not) a notification the outbox
	// gave up on.
	NotificationFailed *bool
	AssignedTo         int64 // officer account id; -1 = unassigned
	Channel            Channel
	Number             string     // the ticket number, exactly
	From, To           *time.Time // submission time: From inclusive, To exclusive
}

// OrderTickets is the ordering of ticket lists: oldest submission first
// (the queue order).
const OrderTickets = "tickets"

// TicketPage is a page of tickets.
type TicketPage struct {
	Tickets     []*Ticket
	Cursors     []Cursor
	HasNextPage bool
}

// StepStats are one step's figures over a period.
type StepStats struct {
	Kind       StepKind
	Finished   int
	Median     time.Duration // of the working time (pauses excluded), finished runs
	P90        time.Duration
	Breached   int // runs that went past their due time, finished or not
	Running    int
	BreachRate float64 // Breached / (Finished + running ones already breached)
}

// TicketStats are the figures of tickets submitted in a period.
type TicketStats struct {
	From, To time.Time
	ByState  map[TicketState]int
	Steps    []StepStats
}

// Notification is a message to an applicant, kept in the outbox until
// delivered.
type Notification struct {
	ID          int64
	TicketID    int64
	To          string // e-mail address
	Subject     string
	Body        string
	CreatedAt   time.Time
	Attempts    int
	NextAttempt time.Time
	SentAt      *time.Time
	LastError   string
	// FailedAt is when the outbox gave up (a permanent failure, such as
	// the mail server refusing the address, after a few tries): the
	// applicant was not told.
	FailedAt *time.Time
}

// NotificationState is where a notification stands.
type NotificationState string

// Notification states.
const (
	NotificationPending NotificationState = "PENDING" // not delivered yet; tried again later
	NotificationSent    NotificationState = "SENT"
	NotificationFailed  NotificationState = "FAILED" // given up: the applicant was not told
)

// State says where n stands.
func (n *Notification) State() NotificationState {
	switch {
	case n.SentAt != nil:
		return NotificationSent
	case n.FailedAt != nil:
		return NotificationFailed
	}
	return NotificationPending
}

// TicketStore keeps tickets. Every action runs in one transaction with its
// event, its service-step bookkeeping and its notification to the applicant
// (outbox), and only if the ticket is still in the state (and version) the
// action was decided on: of two concurrent actions exactly one wins, the
// other gets CONFLICT naming the state and the allowed actions. Bad input is
// BAD_USER_INPUT; for the applicant, a wrong or expired token is NOT_FOUND,
// the same as a ticket that does not exist.
type TicketStore interface {
	// StartForm opens a form session for a self-service applicant and
	// returns its token: the applicant's 15 minutes run from here.
	StartForm(ctx context.Context) (token string, startedAt time.Time, err error)
	// Submit records a ticket and returns it with its tracking token (shown
	// once; a retry with the same idempotency key and request returns the
	// same ticket and token). Every missing or invalid field is reported at
	// once (BAD_USER_INPUT with extensions.fields), and nothing is stored.
	Submit(ctx context.Context, by TicketCaller, s Submission) (*Ticket, string, error)
	Review(ctx context.Context, by TicketCaller, id int64, r Review) (*Ticket, error)
	// Revise replaces a returned ticket's input (and letter, if a new one
	// is given) and sends it back to review.
	Revise(ctx context.Context, token string, in TicketInput, letter *LetterFile) (*Ticket, error)
	Start(ctx context.Context, by TicketCaller, id int64) (*Ticket, error)
	Escalate(ctx context.Context, by TicketCaller, id int64, to, note string) (*Ticket, error)
	Resume(ctx context.Context, by TicketCaller, id int64, note string) (*Ticket, error)
	// Fulfil creates the applicant's account with the approved datasets,
	// issues its key and keeps it, encrypted with a key derived from the
	// tracking token (which the server does not store), for the applicant
	// to collect once.
	Fulfil(ctx context.Context, by TicketCaller, id int64, f Fulfilment) (*Ticket, error)
	CloseTicket(ctx context.Context, by TicketCaller, id int64, note string) (*Ticket, error)
	Reject(ctx context.Context, by TicketCaller, id int64, reason string) (*Ticket, error)
	Withdraw(ctx context.Context, token, reason string) (*Ticket, error)

	TicketsByID(ctx context.Context, ids []int64) ([]*Ticket, error)
	// TicketByToken returns the ticket a tracking token belongs to.
	TicketByToken(ctx context.Context, token string) (*Ticket, error)
	// CollectKey returns the API key issued on fulfilment, once: the second
	// call finds nothing (NOT_FOUND).
	CollectKey(ctx context.Context, token string) (string, error)
	Tickets(ctx context.Context, f TicketFilter, p Page) (*TicketPage, error)
	CountTickets(ctx context.Context, f TicketFilter) (int, error)
	EventsOfTickets(ctx context.Context, ids []int64) ([][]TicketEvent, error)
	Stats(ctx context.Context, from, to time.Time) (*TicketStats, error)
	// LetterOf returns a ticket's request letter and its bytes.
	LetterOf(ctx context.Context, id int64) (*Letter, []byte, error)

	// PendingNotifications returns up to limit undelivered notifications
	// due at now, oldest first (never those given up on).
	PendingNotifications(ctx context.Context, now time.Time, limit int) ([]Notification, error)
	// ClaimNotifications is PendingNotifications for a delivery worker: the
	// notifications it returns are due again only at until, so a worker
	// polling the same database meanwhile does not take them; if this one
	// dies before recording an attempt, they are taken again after until.
	// Concurrent claims never return the same notification.
	ClaimNotifications(ctx context.Context, now, until time.Time, limit int) ([]Notification, error)
	// NotificationSent and NotificationFailed record a delivery attempt;
	// both increment Attempts (the outbox's backoff grows with it), and a
	// failed one is due again at next.
	NotificationSent(ctx context.Context, id int64, at time.Time) error
	NotificationFailed(ctx context.Context, id int64, at time.Time, err string, next time.Time) error
	// NotificationGaveUp records a last failed attempt and its error, and
	// gives up: the notification is FAILED and never claimed again. A
	// notification sent already is left alone; an unknown id is NOT_FOUND.
	NotificationGaveUp(ctx context.Context, id int64, at time.Time, err string) error
	// NotificationsOfTickets returns each ticket's notifications, oldest
	// first, in ids order (staff see which applicant was not told).
	NotificationsOfTickets(ctx context.Context, ids []int64) ([][]Notification, error)
}
