package notify

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"runtime/debug"
	"strings"
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
	store  Store
	sender Sender
	log    *slog.Logger
	opts   Options
}

// NewOutbox returns a worker sending store's notifications with sender (a
// LogSender when nil) and logging to log (discarded when nil).
func NewOutbox(store Store, sender Sender, log *slog.Logger, opts Options) *Outbox {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	if sender == nil {
		sender = LogSender{Log: log}
	}
	if opts.Interval <= 0 {
		opts.Interval = 5 * time.Second
	}
	if opts.Batch <= 0 {
		opts.Batch = 20
	}
	if opts.MaxBackoff <= 0 {
		opts.MaxBackoff = time.Hour
	}
	if opts.Lease <= 0 {
		opts.Lease = 10 * time.Minute
	}
	if opts.GiveUpAfter <= 0 {
		opts.GiveUpAfter = 3
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	return &Outbox{store: store, sender: sender, log: log, opts: opts}
}

// Run delivers notifications every Interval until ctx is done. A full batch
// is followed at once by the next, so that a backlog drains without
// waiting for the ticks.
func (o *Outbox) Run(ctx context.Context) {
	t := time.NewTicker(o.opts.Interval)
	defer t.Stop()
	for {
		for ctx.Err() == nil {
			sent, failed, err := o.Flush(ctx)
			if err != nil || sent+failed < o.opts.Batch {
				break
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// Flush sends one batch of due notifications now, oldest first, and
// returns how many were sent and how many failed (and were rescheduled).
// err reports the store's failures, already logged; it does not stop the
// batch. When ctx is done Flush stops before the next message.
func (o *Outbox) Flush(ctx context.Context) (sent, failed int, err error) {
	now := o.opts.Now()
	due, err := o.store.ClaimNotifications(ctx, now, now.Add(o.opts.Lease), o.opts.Batch)
	if err != nil {
		if ctx.Err() == nil {
			o.log.Error("outbox: cannot read pending notifications; trying again on the next poll", "err", err)
		}
		return 0, 0, err
	}
	var errs []error
	for _, n := range due {
		if ctx.Err() != nil {
			break
		}
		ok, rerr := o.deliver(ctx, n)
		if ok {
			sent++
		} else {
			failed++
		}
		errs = append(errs, rerr)
	}
	return sent, failed, errors.Join(errs...)
}

// deliver makes one attempt and records it. ok reports whether Send
// succeeded; err, the store's failure to record the attempt.
func (o *Outbox) deliver(ctx context.Context, n mkg.Notification) (ok bool, err error) {
	sendErr := o.send(ctx, n)
	rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), recordTimeout)
	defer cancel()
	now := o.opts.Now()
	if sendErr == nil {
		if err := o.store.NotificationSent(rctx, n.ID, now); err != nil {
			o.log.Error("outbox: notification sent but not recorded; it will be sent again", "id", n.ID, "ticket", n.TicketID, "err", err)
			return true, err
		}
		o.log.Info("outbox: notification sent", "id", n.ID, "ticket", n.TicketID, "attempt", n.Attempts+1)
		return true, nil
	}
	if IsPermanent(sendErr) && n.Attempts+1 >= o.opts.GiveUpAfter {
		return false, o.giveUp(rctx, n, now, sendErr)
	}
	next := now.Add(o.backoff(n.Attempts))
	o.log.Warn("outbox: notification not sent; will try again", "id", n.ID, "ticket", n.TicketID,
		"attempt", n.Attempts+1, "next", next, "permanent", IsPermanent(sendErr), "err", sendErr)
	if err := o.store.NotificationFailed(rctx, n.ID, now, truncate(sendErr.Error(), maxErrorLen), next); err != nil {
		o.log.Error("outbox: failed attempt not recorded; it will be tried again", "id", n.ID, "ticket", n.TicketID, "err", err)
		return false, err
	}
	return false, nil
}

// giveUp records the last attempt of a notification that failed
// permanently.
func (o *Outbox) giveUp(ctx context.Context, n mkg.Notification, now time.Time, sendErr error) error {
	o.log.Error("outbox: giving up on a notification: the applicant was not told", "id", n.ID, "ticket", n.TicketID,
		"attempts", n.Attempts+1, "err", sendErr)
	if err := o.store.NotificationGaveUp(ctx, n.ID, now, truncate(sendErr.Error(), maxErrorLen)); err != nil {
		o.log.Error("outbox: giving up not recorded; it will be tried again", "id", n.ID, "ticket", n.TicketID, "err", err)
		return err
	}
	return nil
}

// send calls the sender with a time limit, turning a panic into an error so
// that one bad message cannot stop the worker.
func (o *Outbox) send(ctx context.Context, n mkg.Notification) (err error) {
	ctx, cancel := context.WithTimeout(ctx, sendTimeout)
	defer cancel()
	defer func() {
		if r := recover(); r != nil {
			o.log.Error("outbox: sender panicked", "id", n.ID, "panic", r, "stack", string(debug.Stack()))
			err = fmt.Errorf("sender panicked: %v", r)
		}
	}()
	return o.sender.Send(ctx, n.To, n.Subject, n.Body)
}

// backoff is the wait after a notification's attempts-th failed attempt
// (counted from 0): 1 min, doubling, at most MaxBackoff.
func (o *Outbox) backoff(attempts int) time.Duration {
	if attempts < 0 {
		attempts = 0
	}
	if attempts >= 20 { // 2^20 min is two years: beyond any cap, and no overflow
		return o.opts.MaxBackoff
	}
	return min(firstBackoff<<attempts, o.opts.MaxBackoff)
}

// truncate cuts s to at most n bytes without splitting a character.
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return strings.ToValidUTF8(s[:n], "")
}
