package inmem

import (
	"context"
	"log/slog"
	"sync"

	"github.com/bmkg/mkggraph/mkg"
)

// Bus is the in-process mkg.EventBus: Publish calls every subscriber of
// this process at once, and hands the event to the relay (Redis pub/sub,
// when configured) for the other processes; what the relay receives from
// them is delivered here the same way. Without a relay it is the whole
// bus of a single instance.
type Bus struct {
	relay mkg.EventRelay // nil: this process alone
	log   *slog.Logger

	mu   sync.RWMutex
	next int
	subs map[int]func(mkg.Event)
}

var _ mkg.EventBus = (*Bus)(nil)

// NewBus returns a bus; relay may be nil. With a relay, call Run to
// receive the other processes' events.
func NewBus(relay mkg.EventRelay, log *slog.Logger) *Bus {
	if log == nil {
		log = slog.Default()
	}
	return &Bus{relay: relay, log: log, subs: map[int]func(mkg.Event){}}
}

// Run receives the events other processes publish through the relay until
// ctx ends (nothing to do without a relay).
func (b *Bus) Run(ctx context.Context) {
	if b.relay == nil {
		return
	}
	b.relay.Receive(ctx, b.deliver)
}

// Publish implements mkg.EventBus: local subscribers first, so that they
// are told even when the relay is down.
func (b *Bus) Publish(ctx context.Context, ev mkg.Event) error {
	b.deliver(ev)
	if b.relay == nil {
		return nil
	}
	return b.relay.Send(ctx, ev)
}

// Subscribe implements mkg.EventBus.
func (b *Bus) Subscribe(deliver func(mkg.Event)) func() {
	b.mu.Lock()
	id := b.next
	b.next++
	b.subs[id] = deliver
	b.mu.Unlock()
	return func() {
		b.mu.Lock()
		delete(b.subs, id)
		b.mu.Unlock()
	}
}

// Subscribers returns how many subscribers the process has.
func (b *Bus) Subscribers() int {
	b.mu.RLock()
	defer b.mu.RUnlock()
	return len(b.subs)
}

func (b *Bus) deliver(ev mkg.Event) {
	ev = ev.Shared()
	b.mu.RLock()
	defer b.mu.RUnlock()
	for _, d := range b.subs {
		d(ev)
	}
}
