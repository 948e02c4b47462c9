package notify

import (
	"context"
	"log/slog"
	"time"

	"github.com/bmkg/mkggraph/mkg"
)

// Store is the outbox side of mkg.TicketStore.
type Store interface {
	// ClaimNotifications returns up to limit undelivered notifications due
	// at now, oldest first, and makes them due again only at until, so that
	// no other worker takes them meanwhile; concurrent claims never return
	// the same notification.
	ClaimNotifications(ctx context.Context, now, until time.Time, limit int) ([]mkg.Notification, error)
	// NotificationSent records a delivered notification; it is not returned
	// again.
	NotificationSent(ctx context.Context, id int64, at time.Time) error
	// NotificationFailed records a failed attempt (counted in Attempts) and
	// its error; the notification is due again at next.
	NotificationFailed(ctx context.Context, id int64, at time.Time, err string, next time.Time) error
	// NotificationGaveUp records a last failed attempt and its error; the
	// notification is not returned again.
	NotificationGaveUp(ctx context.Context, id int64, at time.Time, err string) error
}

var _ Store = mkg.TicketStore(nil)

// Options tune an Outbox; zero values take the defaults.
type Options struct {
	Interval   time.Duration    // between polls; default 5 s
	Batch      int              // notifications per poll; default 20
	MaxBackoff time.Duration    // longest wait between attempts; default 1 h
	Lease      time.Duration    // how long a claimed batch is this worker's; default 10 min
	Now        func() time.Time // the clock; default time.Now
	// GiveUpAfter is how many attempts a permanent failure (see Permanent)
	// gets before the outbox gives up; default 3. A few, not one: a relay
	// may answer 5xx for a moment while it is being reconfigured.
	GiveUpAfter int
}

const (
	firstBackoff = time.Minute
	// sendTimeout bounds one Send, so that a hung relay cannot stop the
	// worker (SMTPSender has its own, shorter, limit).
	sendTimeout = 2 * time.Minute
	// recordTimeout bounds recording an attempt, which is done even when
	// the worker is stopping: a message sent but not recorded is sent again.
	recordTimeout = 10 * time.Second
	maxErrorLen   = 1000
)

// Outbox delivers the store's pending notifications through a Sender.
//
// Delivery is at least once. A notification is marked sent only after Send
// succeeded; if the process dies, or the store fails, between the two, it
// is sent again. A failed Send is recorded with its error and tried again
// after 1 min, 2 min, 4 min … (doubling with each failed attempt, at most
// MaxBackoff), for as long as it takes, unless the failure is permanent
// (the relay refused the recipient or the message: see Permanent): then
// the outbox gives up after GiveUpAfter attempts, and the notification is
// FAILED for staff to see that its applicant was not told. Store errors
// are logged and the poll is tried again on the next tick.
//
// Any number of workers may poll one database (one per server instance):
// each batch is claimed for Lease, so a notification is sent by one worker.
// A worker that dies leaves its batch to be taken by another after the
// lease; a batch whose sends outlast the lease (a relay hanging for the
// whole of sendTimeout on several messages) may then be sent twice, which
// at-least-once delivery allows.
type Outbox struct {
	*Worker[mkg.Notification]
}

// NewOutbox returns a worker sending store's notifications with sender (a
// LogSender when nil) and logging to log (discarded when nil).
func NewOutbox(store Store, sender Sender, log *slog.Logger, opts Options) *Outbox {
	if sender == nil {
		sender = LogSender{Log: log}
	}
	send := func(ctx context.Context, n mkg.Notification) error { return sender.Send(ctx, n.To, n.Subject, n.Body) }
	about := func(n mkg.Notification) Job {
		return Job{Attempts: n.Attempts, Log: []any{"id", n.ID, "ticket", n.TicketID}}
	}
	return &Outbox{NewWorker(notifications{store}, send, about, log, WorkerOptions{Options: opts, Noun: "notification"})}
}

// notifications is the Queue of a Store.
type notifications struct{ Store }

func (q notifications) Claim(ctx context.Context, now, until time.Time, limit int) ([]mkg.Notification, error) {
	return q.ClaimNotifications(ctx, now, until, limit)
}

func (q notifications) Delivered(ctx context.Context, n mkg.Notification, at time.Time) error {
	return q.NotificationSent(ctx, n.ID, at)
}

func (q notifications) Failed(ctx context.Context, n mkg.Notification, at time.Time, err string, next time.Time) error {
	return q.NotificationFailed(ctx, n.ID, at, err, next)
}

func (q notifications) GaveUp(ctx context.Context, n mkg.Notification, at time.Time, err string) error {
	return q.NotificationGaveUp(ctx, n.ID, at, err)
}
