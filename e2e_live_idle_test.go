package main

import (
	"context"
	"encoding/json"
	"runtime"
	"testing"
	"time"

	"github.com/coder/websocket"

	"github.com/bmkg/mkggraph/graph"
	"github.com/bmkg/mkggraph/ingest"
)

// TestSubscriptionKeepAlive: the server pings every -live-keepalive; a
// client that answers stays connected, one that never answers is cut off
// within two intervals of the unanswered ping (the pings come from a timer
// per connection, not from a goroutine each).
func TestSubscriptionKeepAlive(t *testing.T) {
	cfg := testConfig(t, "sqlite")
	cfg.Live.KeepAlive = 300 * time.Millisecond
	a, srv := startApp(t, cfg)

	// A client that answers (next pongs each ping) is still served after
	// several intervals.
	answers, err := dialLive(t, srv.URL, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	answers.expect("connection_ack")
	answers.subscribe("1", quakeSubscription, nil)
	waitSubscribers(t, a, 1)
	ingested := make(chan error, 1)
	time.AfterFunc(2*time.Second, func() {
		_, err := a.Ingest.File(context.Background(), "autogempa-1.json", autogempa(1, 5.1), ingest.Options{})
		ingested <- err
	})
	m, err := answers.next(10 * time.Second)
	if err != nil || m.Type != "next" {
		t.Fatalf("the client answering pings, after two seconds of them: %+v %v", m, err)
	}
	if err := <-ingested; err != nil {
		t.Fatal(err)
	}

	// One that reads but never pongs is cut off.
	silent, err := dialLive(t, srv.URL, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	pings, closed := 0, make(chan error, 1)
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		for {
			_, b, err := silent.conn.Read(ctx)
			if err != nil {
				closed <- err
				return
			}
			var m wsMessage
			if json.Unmarshal(b, &m) == nil && m.Type == "ping" {
				pings++
			}
		}
	}()
	select {
	case err := <-closed:
		if pings == 0 {
			t.Fatalf("the silent client was cut off before any ping: %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("a client that never answers a ping was not cut off within 5 s (keep-alive 300 ms)")
	}
}

// TestIdleSubscriptionsHoldNoGoroutine: an idle subscription holds no
// goroutine of ours: each connection with one subscription costs the
// connection's reader and the two gqlgen keeps per subscription (its
// closeOnCancel and its subscription loop), nothing per subscriber
// between events; and they are all gone when the clients leave.
func TestIdleSubscriptionsHoldNoGoroutine(t *testing.T) {
	cfg := testConfig(t, "sqlite")
	a, srv := startApp(t, cfg)
	const n = 40
	// The goroutines of the connections and requests: without the element
	// workers waiting for work (graph/elements.go), which come and go with
	// the lists other tests marshalled.
	goroutines := func() int { return runtime.NumGoroutine() - graph.IdleElementWorkers() }
	settle := func() int {
		var last int
		for range 50 { // the runtime's count settles once goroutines that end have ended
			runtime.GC()
			time.Sleep(20 * time.Millisecond)
			if g := goroutines(); g == last {
				return g
			}
			last = goroutines()
		}
		return last
	}
	before := settle()
	var clients []*wsClient
	for range n {
		ws, err := dialLive(t, srv.URL, nil, nil)
		if err != nil {
			t.Fatal(err)
		}
		ws.expect("connection_ack")
		ws.subscribe("1", quakeSubscription, nil)
		clients = append(clients, ws)
	}
	waitSubscribers(t, a, n)
	per := float64(settle()-before) / n
	t.Logf("%.2f goroutines per idle subscriber", per)
	// 3 on the server; the test's own clients hold none between reads.
	if per > 3.2 {
		t.Fatalf("%.2f goroutines per idle subscriber, want 3 (the reader, gqlgen's two)", per)
	}
	// They still receive.
	ingestQuake(t, a, 2, 5.2)
	for _, ws := range clients {
		ws.expect("next")
	}
	for _, ws := range clients {
		ws.conn.Close(websocket.StatusNormalClosure, "")
	}
	deadline := time.Now().Add(10 * time.Second)
	for a.Events.Subscribers() > 0 || a.API.LiveConnections() > 0 {
		if time.Now().After(deadline) {
			t.Fatalf("%d subscribers, %d connections left after every client closed", a.Events.Subscribers(), a.API.LiveConnections())
		}
		time.Sleep(20 * time.Millisecond)
	}
	if left := settle() - before; left > n/10 {
		t.Fatalf("%d goroutines more than before the %d clients came, after they left", left, n)
	}
}
