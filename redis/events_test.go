package redis

import (
	"context"
	"log/slog"
	"testing"
	"time"

	"github.com/bmkg/mkggraph/internal/testenv"
	"github.com/bmkg/mkggraph/internal/testsvc"
	"github.com/bmkg/mkggraph/mkg"
)

func openRelay(t *testing.T, url, prefix string) *Relay {
	t.Helper()
	c, err := New(url, prefix, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	r := NewRelay(c, slog.New(slog.DiscardHandler))
	r.retry = 50 * time.Millisecond
	return r
}

// receive runs r.Receive until the test ends and returns what it delivers.
func receive(t *testing.T, r *Relay) <-chan mkg.Event {
	ctx, cancel := context.WithCancel(context.Background())
	got := make(chan mkg.Event, 16)
	done := make(chan struct{})
	go func() { r.Receive(ctx, func(ev mkg.Event) { got <- ev }); close(done) }()
	t.Cleanup(func() { cancel(); <-done })
	return got
}

func expectEvent(t *testing.T, got <-chan mkg.Event, id int64, within time.Duration) {
	t.Helper()
	select {
	case ev := <-got:
		if ev.Kind != mkg.EventEarthquake || ev.Earthquake == nil || ev.Earthquake.ID != id {
			t.Fatalf("got %+v, want earthquake %d", ev, id)
		}
	case <-time.After(within):
		t.Fatalf("earthquake %d not received within %v", id, within)
	}
}

func quake(id int64) mkg.Event {
	m := 5.5
	return mkg.Event{Kind: mkg.EventEarthquake, At: time.Now(),
		Earthquake: &mkg.EarthquakeChange{ID: id, Magnitude: &m, Latitude: -6, Longitude: 106}}
}

// sendUntil sends ev until it is received (the subscription of a relay
// starts asynchronously, and pub/sub keeps nothing for late subscribers).
func sendUntil(t *testing.T, r *Relay, ev mkg.Event, got <-chan mkg.Event) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) {
		r.Send(context.Background(), ev)
		select {
		case g := <-got:
			if g.Earthquake == nil || g.Earthquake.ID != ev.Earthquake.ID {
				t.Fatalf("got %+v", g)
			}
			return
		case <-time.After(100 * time.Millisecond):
		}
	}
	t.Fatalf("event %d never received", ev.Earthquake.ID)
}

// TestRelayCarriesEventsBetweenProcesses: what one relay sends, another on
// the same Redis and prefix receives, the sender does not receive its own,
// and a relay under another prefix hears nothing.
func TestRelayCarriesEventsBetweenProcesses(t *testing.T) {
	url, prefix := testenv.RedisURL(t)
	a, b, other := openRelay(t, url, prefix), openRelay(t, url, prefix), openRelay(t, url, prefix+"other:")
	gotA, gotB, gotOther := receive(t, a), receive(t, b), receive(t, other)
	sendUntil(t, a, quake(1), gotB)
	if err := a.Send(context.Background(), quake(2)); err != nil {
		t.Fatal(err)
	}
	expectEvent(t, gotB, 2, 2*time.Second)
	select {
	case ev := <-gotA:
		t.Fatalf("the sender received its own event %+v", ev)
	case ev := <-gotOther:
		t.Fatalf("another prefix received %+v", ev)
	case <-time.After(200 * time.Millisecond):
	}
}

// TestRelayThroughRedisFailure: while Redis is dead, Send fails within its
// timeout (no hang); when Redis returns, the receiver subscribes again by
// itself and events flow.
func TestRelayThroughRedisFailure(t *testing.T) {
	srv := testsvc.Redis(t)
	a, b := openRelay(t, srv.RedisURL(0), "t:"), openRelay(t, srv.RedisURL(0), "t:")
	gotB := receive(t, b)
	sendUntil(t, a, quake(1), gotB)
	srv.Kill()
	start := time.Now()
	if err := a.Send(context.Background(), quake(2)); err == nil {
		t.Fatal("Send succeeded with Redis dead")
	}
	if d := time.Since(start); d > time.Second {
		t.Fatalf("Send took %v with Redis dead", d)
	}
	srv.Restart()
	sendUntil(t, a, quake(3), gotB)
}
