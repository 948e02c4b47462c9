package main

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/bmkg/mkggraph/graphiql/graphiqltest"
	"github.com/bmkg/mkggraph/internal/testenv"
)

// TestFeedReachesEveryClient is issue 13's whole path on one PostgreSQL
// database and one Redis: a feed served by a local test server, polled by
// instance A, brings in a new earthquake, which reaches a WebSocket client
// and an SSE client on each of the two instances, a GraphiQL subscription
// in Chromium on instance B, and a partner's webhook receiver. How long
// each took from the poller's start is logged (the latency targets are
// measured by bench/live, not asserted here).
func TestFeedReachesEveryClient(t *testing.T) {
	if _, err := graphiqltest.FindChromium(); err != nil {
		testenv.Missing(t, err.Error())
		return
	}
	redisURL, prefix := testenv.RedisURL(t)
	up := autogempaServer(t)

	cfgA := testConfig(t, "postgres")
	cfgA.demoFiles = func(name string) bool { return strings.HasPrefix(name, "stations/") && coreDemo(name) }
	cfgA.RedisURL, cfgA.RedisPrefix = redisURL, prefix
	withFeed(t, cfgA, up.URL+"/autogempa.json")
	cfgA.Webhooks.AllowHTTP, cfgA.Webhooks.AllowPrivate = "true", "true"
	cfgA.Webhooks.SecretKey = strings.Repeat("k", 32)
	a, srvA := startApp(t, cfgA)
	cfgB := *cfgA
	cfgB.DemoData, cfgB.Feeds.File = "false", ""
	b, srvB := startApp(t, &cfgB)
	c := &callers{}
	if err := c.setUp(a); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	webhooksStopped := a.RunWebhooks(ctx)
	defer func() { cancel(); <-webhooksStopped }()

	// The clients, all subscribed before the feed is polled.
	receiver := newReceiver(t, func(int) int { return http.StatusOK })
	register(t, srvA.URL, c.full, quakeDocument, receiver.URL)
	var sockets []*wsClient
	var streams []*sseClient
	for _, base := range []string{srvA.URL, srvB.URL} {
		ws, err := dialLive(t, base, map[string]any{"Authorization": "Bearer " + c.full}, nil)
		if err != nil {
			t.Fatal(err)
		}
		ws.expect("connection_ack")
		ws.subscribe("1", quakeSubscription, nil)
		sockets = append(sockets, ws)
		_, sse := openEvents(t, base, c.full, quakeSubscription, nil)
		streams = append(streams, sse)
	}
	waitSubscribers(t, a, 2)
	waitSubscribers(t, b, 2)

	bctx, bcancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer bcancel()
	browser, err := graphiqltest.Launch(bctx, offline)
	if err != nil {
		t.Fatal(err)
	}
	defer browser.Close()
	page, err := graphiqltest.Open(bctx, browser, srvB.URL+"/graphiql/")
	if err != nil {
		t.Fatal(err)
	}
	defer page.Close()
	if err := page.SetEditorText(bctx, graphiqltest.QueryEditor, `subscription Quakes { earthquakeReported { change earthquake { magnitude region } } }`); err != nil {
		t.Fatal(err)
	}
	if err := page.SetToolText(bctx, "Headers", `{"Authorization": "Bearer `+c.full+`"}`); err != nil {
		t.Fatal(err)
	}
	if err := page.Click(bctx, ".graphiql-execute-button"); err != nil {
		t.Fatal(err)
	}
	if !haveSubscribers(b, 3) {
		t.Fatalf("%d subscribers on instance B, want 3: GraphiQL's subscription is not among them\n%s",
			b.Events.Subscribers(), page.Describe())
	}
	time.Sleep(300 * time.Millisecond) // the Redis relays' SUBSCRIBE

	// The feed is polled once; every client must get the new event.
	start := time.Now()
	feedsStopped := make(chan struct{})
	go func() { a.Feeds.Run(ctx); close(feedsStopped) }()
	defer func() { cancel(); <-feedsStopped }()
	var mu sync.Mutex
	took := map[string]time.Duration{}
	arrived := func(who string) {
		mu.Lock()
		took[who] = time.Since(start)
		mu.Unlock()
	}
	var wg sync.WaitGroup
	// (The goroutines report with t.Errorf only: t.Fatal must not be
	// called outside the test's goroutine.)
	for i, ws := range sockets {
		wg.Go(func() {
			m, err := ws.next(10 * time.Second)
			if err != nil || m.Type != "next" || !strings.Contains(string(m.Payload), `"magnitude":4.5`) ||
				!strings.Contains(string(m.Payload), `"change":"INSERTED"`) {
				t.Errorf("WebSocket client on instance %c: %v %s %s", 'A'+i, err, m.Type, m.Payload)
				return
			}
			arrived(fmt.Sprintf("WebSocket on instance %c", 'A'+i))
		})
	}
	for i, sse := range streams {
		wg.Go(func() {
			select {
			case ev := <-sse.events:
				if !strings.HasPrefix(ev, "next: ") || !strings.Contains(ev, `"magnitude":4.5`) {
					t.Errorf("SSE client on instance %c got %q", 'A'+i, ev)
					return
				}
				arrived(fmt.Sprintf("SSE on instance %c", 'A'+i))
			case <-time.After(10 * time.Second):
				t.Errorf("SSE client on instance %c: no event within 10 s", 'A'+i)
			}
		})
	}
	wg.Go(func() {
		shown := `(v => v.includes('"magnitude": 4.5') && v.includes('"change": "INSERTED"'))(` +
			`document.querySelector(".graphiql-response .CodeMirror").CodeMirror.getValue())`
		if err := page.WaitFor(bctx, shown); err != nil {
			t.Errorf("the event did not reach GraphiQL on instance B: %v\n%s", err, page.Describe())
			return
		}
		arrived("GraphiQL on instance B")
	})
	wg.Go(func() {
		deadline := time.Now().Add(10 * time.Second)
		for len(receiver.requests()) == 0 {
			if time.Now().After(deadline) {
				t.Error("the webhook receiver got nothing within 10 s")
				return
			}
			time.Sleep(10 * time.Millisecond)
		}
		if got := receiver.requests()[0]; !strings.Contains(string(got.body), `"magnitude":4.5`) {
			t.Errorf("the webhook receiver got %s", got.body)
		}
		arrived("webhook receiver")
	})
	wg.Wait()
	t.Logf("from the poller's start: %v", took)
	if len(took) != 6 {
		t.Errorf("%d of 6 clients got the earthquake: %v", len(took), took)
	}
	if probs := page.Problems(); len(probs) > 0 {
		t.Errorf("the GraphiQL page reported problems: %v", probs)
	}
}
