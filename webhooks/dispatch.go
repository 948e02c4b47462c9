package webhooks

import (
	"context"
	"time"

	"github.com/bmkg/mkggraph/mkg"
)

// The dispatcher's bounds.
const (
	// eventBuffer is how many events may wait for the dispatcher; past it
	// an event is dropped for the webhooks (logged), never slowing the bus.
	eventBuffer = 1024
	// reload is how often the active webhooks are read again (another
	// instance's changes take effect within it; this one's at once).
	reload = 5 * time.Second
	// prune is how often delivered deliveries older than
	// mkg.WebhookHistory are deleted.
	prune = time.Hour
)

// Dispatch runs every active webhook's document for each event of bus and
// queues the results, until ctx ends. Every instance runs it: an event is
// heard by each, and queued once per webhook (its key). The account's
// rights are read for each event: a webhook of an account revoked or
// suspended queues nothing.
func (s *Service) Dispatch(ctx context.Context, bus mkg.EventBus) {
	in := make(chan mkg.Event, eventBuffer)
	cancel := bus.Subscribe(func(ev mkg.Event) {
		select {
		case in <- ev:
		default:
			s.log.Warn("webhooks: an event was dropped: the dispatcher is behind", "kind", ev.Kind)
		}
	})
	defer cancel()
	var hooks []*mkg.Webhook
	var readAt time.Time
	pruning := time.NewTicker(prune)
	defer pruning.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-pruning.C:
			s.prune(ctx)
		case <-s.changed:
			readAt = time.Time{}
		case ev := <-in:
			if time.Since(readAt) > reload {
				var err error
				if hooks, err = s.store.ActiveWebhooks(ctx); err != nil {
					s.log.Error("webhooks: cannot read the webhooks; the event is not delivered to them", "err", err)
					continue
				}
				readAt = time.Now()
			}
			for _, w := range hooks {
				s.enqueue(ctx, w, ev)
			}
		}
	}
}

// enqueue runs w's document for ev and queues its message, if any.
func (s *Service) enqueue(ctx context.Context, w *mkg.Webhook, ev mkg.Event) {
	ctx, cancel := context.WithTimeout(ctx, runTimeout)
	defer cancel()
	p, err := s.accounts.PrincipalOfAccount(ctx, w.AccountID)
	if code := mkg.ErrorCode(err); code == mkg.EUNAUTHENTICATED || code == mkg.EFORBIDDEN {
		return // revoked, suspended, expired: nothing
	} else if err != nil {
		s.log.Error("webhooks: cannot read an account's rights; the event is not delivered", "webhook", w.ID, "err", err)
		return
	}
	resp, g := s.run(ctx, p, w.Document, &ev)
	if g.failed() || resp == nil {
		return
	}
	body, err := payload(resp)
	if err != nil {
		s.log.Error("webhooks: cannot encode a message", "webhook", w.ID, "err", err)
		return
	}
	// Not added: queued already by another instance (the usual case with
	// several), or too many are waiting.
	added, err := s.store.EnqueueWebhookDelivery(ctx, w.ID, ev.Key(), body, s.opts.Now(), mkg.MaxPendingDeliveries)
	if err != nil {
		s.log.Error("webhooks: cannot queue a delivery; it is lost", "webhook", w.ID, "err", err)
	} else if added {
		signal(s.queued) // sent now, not at the worker's next tick
	}
}

// prune deletes the history past mkg.WebhookHistory.
func (s *Service) prune(ctx context.Context) {
	ctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	n, err := s.store.PruneWebhookDeliveries(ctx, s.opts.Now().Add(-mkg.WebhookHistory))
	if err != nil {
		s.log.Warn("webhooks: cannot delete old deliveries; trying again later", "err", err)
	} else if n > 0 {
		s.log.Info("webhooks: old deliveries deleted", "deleted", n)
	}
}
