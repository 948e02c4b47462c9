package notify

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"runtime/debug"
	"strings"
	"time"
)

// Queue is a durable outbox a Worker drains: the ticket e-mails
// (mkg.TicketStore's notifications) and the webhook deliveries
// (mkg.WebhookStore) are two.
type Queue[J any] interface {
	// Claim returns up to limit undelivered jobs due at now, oldest first,
	// and makes them due again only at until, so that no other worker
	// takes them meanwhile; concurrent claims never return the same job.
	Claim(ctx context.Context, now, until time.Time, limit int) ([]J, error)
	// Delivered records a delivered job; it is not returned again.
	Delivered(ctx context.Context, job J, at time.Time) error
	// Failed records a failed attempt and its error; the job is due again
	// at next.
	Failed(ctx context.Context, job J, at time.Time, err string, next time.Time) error
	// GaveUp records a last failed attempt and its error; the job is not
	// returned again.
	GaveUp(ctx context.Context, job J, at time.Time, err string) error
}

// Job is what a Worker is told of each job: the attempts made before this
// one, and what identifies it in the log.
type Job struct {
	Attempts int
	Log      []any // slog key-value pairs
}

// WorkerOptions tune a Worker; zero values take the defaults.
type WorkerOptions struct {
	Options
	// Noun names a job in the log ("notification", "webhook delivery").
	Noun string
	// FirstBackoff is the wait after a first failed attempt, doubled after
	// each further one up to MaxBackoff; default 1 min.
	FirstBackoff time.Duration
	// Jitter, when set, returns a number in [0,1): each wait is stretched
	// by up to half again that much, so that receivers failing together
	// are not retried together. Nil: no jitter.
	Jitter func() float64
	// SendTimeout bounds one attempt; default 2 min.
	SendTimeout time.Duration
	// Wake, when set, makes Run poll at once, without waiting for the
	// tick: the queue's writer on this instance says a job was added.
	Wake <-chan struct{}
}

// Worker delivers a Queue's due jobs with send, recording each attempt.
// It is the loop of the Outbox (see there for the guarantees): claims with
// a lease, at-least-once delivery, exponential backoff, giving up on
// permanent failures after GiveUpAfter attempts.
type Worker[J any] struct {
	queue Queue[J]
	send  func(ctx context.Context, job J) error
	about func(J) Job
	log   *slog.Logger
	opts  WorkerOptions
}

// NewWorker returns a worker delivering queue's jobs with send; about
// tells it each job's attempts and log attributes; log may be nil.
func NewWorker[J any](queue Queue[J], send func(context.Context, J) error, about func(J) Job, log *slog.Logger, opts WorkerOptions) *Worker[J] {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	o := &opts.Options
	o.Interval = cmpOr(o.Interval, 5*time.Second)
	o.Batch = cmpOr(o.Batch, 20)
	o.MaxBackoff = cmpOr(o.MaxBackoff, time.Hour)
	o.Lease = cmpOr(o.Lease, 10*time.Minute)
	o.GiveUpAfter = cmpOr(o.GiveUpAfter, 3)
	if o.Now == nil {
		o.Now = time.Now
	}
	opts.Noun = cmpOr(opts.Noun, "job")
	opts.FirstBackoff = cmpOr(opts.FirstBackoff, firstBackoff)
	opts.SendTimeout = cmpOr(opts.SendTimeout, sendTimeout)
	return &Worker[J]{queue: queue, send: send, about: about, log: log, opts: opts}
}

func cmpOr[T int | time.Duration | string](v, def T) T {
	if v <= *new(T) {
		return def
	}
	return v
}

// Run delivers jobs every Interval, and when woken, until ctx is done. A
// full batch is followed at once by the next, so that a backlog drains
// without waiting for the ticks.
func (w *Worker[J]) Run(ctx context.Context) {
	t := time.NewTicker(w.opts.Interval)
	defer t.Stop()
	for {
		for ctx.Err() == nil {
			sent, failed, err := w.Flush(ctx)
			if err != nil || sent+failed < w.opts.Batch {
				break
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		case <-w.opts.Wake: // nil: never
		}
	}
}

// Flush delivers one batch of due jobs now, oldest first, and returns how
// many were delivered and how many failed (and were rescheduled). err
// reports the queue's failures, already logged; it does not stop the
// batch. When ctx is done Flush stops before the next job.
func (w *Worker[J]) Flush(ctx context.Context) (sent, failed int, err error) {
	now := w.opts.Now()
	due, err := w.queue.Claim(ctx, now, now.Add(w.opts.Lease), w.opts.Batch)
	if err != nil {
		if ctx.Err() == nil {
			w.log.Error("outbox: cannot read pending "+w.opts.Noun+"s; trying again on the next poll", "err", err)
		}
		return 0, 0, err
	}
	var errs []error
	for _, j := range due {
		if ctx.Err() != nil {
			break
		}
		ok, rerr := w.deliver(ctx, j)
		if ok {
			sent++
		} else {
			failed++
		}
		errs = append(errs, rerr)
	}
	return sent, failed, errors.Join(errs...)
}

// deliver makes one attempt and records it. ok reports whether the send
// succeeded; err, the queue's failure to record the attempt.
func (w *Worker[J]) deliver(ctx context.Context, j J) (ok bool, err error) {
	sendErr := w.attempt(ctx, j)
	rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), recordTimeout)
	defer cancel()
	now := w.opts.Now()
	about := w.about(j)
	noun := w.opts.Noun
	if sendErr == nil {
		if err := w.queue.Delivered(rctx, j, now); err != nil {
			w.log.Error("outbox: "+noun+" sent but not recorded; it will be sent again", append(about.Log, "err", err)...)
			return true, err
		}
		w.log.Info("outbox: "+noun+" sent", append(about.Log, "attempt", about.Attempts+1)...)
		return true, nil
	}
	if IsPermanent(sendErr) && about.Attempts+1 >= w.opts.GiveUpAfter {
		w.log.Error("outbox: giving up on a "+noun, append(about.Log, "attempts", about.Attempts+1, "err", sendErr)...)
		if err := w.queue.GaveUp(rctx, j, now, truncate(sendErr.Error(), maxErrorLen)); err != nil {
			w.log.Error("outbox: giving up not recorded; it will be tried again", append(about.Log, "err", err)...)
			return false, err
		}
		return false, nil
	}
	next := now.Add(w.backoff(about.Attempts))
	w.log.Warn("outbox: "+noun+" not sent; will try again", append(about.Log,
		"attempt", about.Attempts+1, "next", next, "permanent", IsPermanent(sendErr), "err", sendErr)...)
	if err := w.queue.Failed(rctx, j, now, truncate(sendErr.Error(), maxErrorLen), next); err != nil {
		w.log.Error("outbox: failed attempt not recorded; it will be tried again", append(about.Log, "err", err)...)
		return false, err
	}
	return false, nil
}

// attempt calls send with a time limit, turning a panic into an error so
// that one bad job cannot stop the worker.
func (w *Worker[J]) attempt(ctx context.Context, j J) (err error) {
	ctx, cancel := context.WithTimeout(ctx, w.opts.SendTimeout)
	defer cancel()
	defer func() {
		if r := recover(); r != nil {
			w.log.Error("outbox: sender panicked", append(w.about(j).Log, "panic", r, "stack", string(debug.Stack()))...)
			err = fmt.Errorf("sender panicked: %v", r)
		}
	}()
	return w.send(ctx, j)
}

// backoff is the wait after a job's attempts-th failed attempt (counted
// from 0): FirstBackoff, doubling, at most MaxBackoff, stretched by the
// jitter.
func (w *Worker[J]) backoff(attempts int) time.Duration {
	d := min(w.opts.FirstBackoff, w.opts.MaxBackoff)
	for i := 0; i < attempts && d < w.opts.MaxBackoff; i++ {
		d = min(2*d, w.opts.MaxBackoff) // no overflow: d is below the cap
	}
	if w.opts.Jitter != nil {
		d += time.Duration(float64(d) / 2 * w.opts.Jitter())
	}
	return d
}

// truncate cuts s to at most n bytes without splitting a character.
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return strings.ToValidUTF8(s[:n], "")
}
