package inmem

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/bmkg/mkggraph/mkg"
)

type failingRelay struct{ sent int }

func (f *failingRelay) Send(context.Context, mkg.Event) error {
	f.sent++
	return errors.New("relay down")
}
func (f *failingRelay) Receive(ctx context.Context, _ func(mkg.Event)) { <-ctx.Done() }

// TestBusDeliversLocallyFirst: every local subscriber gets a published
// event even when the relay fails (the error says only that), an
// unsubscribed one no longer does, and the copies share one Load.
func TestBusDeliversLocallyFirst(t *testing.T) {
	relay := &failingRelay{}
	b := NewBus(relay, nil)
	var got [2][]mkg.Event
	stop0 := b.Subscribe(func(ev mkg.Event) { got[0] = append(got[0], ev) })
	b.Subscribe(func(ev mkg.Event) { got[1] = append(got[1], ev) })
	ev := mkg.Event{Kind: mkg.EventEarthquake, At: time.Now(), Earthquake: &mkg.EarthquakeChange{ID: 7}}
	if err := b.Publish(context.Background(), ev); err == nil || relay.sent != 1 {
		t.Fatalf("publish with a failing relay: %v, sent %d", err, relay.sent)
	}
	if len(got[0]) != 1 || len(got[1]) != 1 {
		t.Fatalf("local deliveries: %d %d", len(got[0]), len(got[1]))
	}
	loads := 0
	for _, g := range got {
		v, _ := g[0].Load(func() (any, error) { loads++; return "record", nil })
		if v != "record" {
			t.Fatalf("load: %v", v)
		}
	}
	if loads != 1 {
		t.Fatalf("the record was read %d times for two subscribers, want once", loads)
	}
	stop0()
	b.Publish(context.Background(), ev)
	if len(got[0]) != 1 || len(got[1]) != 2 || b.Subscribers() != 1 {
		t.Fatalf("after unsubscribing: %d %d, %d subscribers", len(got[0]), len(got[1]), b.Subscribers())
	}
}
