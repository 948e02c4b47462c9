package main

import (
	"context"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/bmkg/mkggraph/graphiql/graphiqltest"
	"github.com/bmkg/mkggraph/internal/testenv"
)

// graphiqlQuakes numbers the earthquakes TestGraphiQLSubscription ingests
// (41, 42 …, numbers no other test uses): the apps are shared, so another
// run (-count) needs another earthquake.
var graphiqlQuakes atomic.Int32

// TestGraphiQLSubscription: in headless Chromium, a subscription run from
// the server's GraphiQL opens a WebSocket with the key of the headers
// editor in its connection_init (a wrong key is refused, so the key does
// travel), then shows an earthquake ingested while it runs.
func TestGraphiQLSubscription(t *testing.T) {
	if _, err := graphiqltest.FindChromium(); err != nil {
		testenv.Missing(t, err.Error())
	}
	forEachBackendAs(t, func(t *testing.T, a *app, srv *httptest.Server, c *callers) {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		defer cancel()
		b, err := graphiqltest.Launch(ctx, offline)
		if err != nil {
			t.Fatal(err)
		}
		defer b.Close()
		p, err := graphiqltest.Open(ctx, b, srv.URL+"/graphiql/")
		if err != nil {
			t.Fatal(err)
		}
		defer p.Close()
		const doc = `subscription Quakes { earthquakeReported(filter: {minMagnitude: 5}) { change storedAt earthquake { magnitude region } } }`
		if err := p.SetEditorText(ctx, graphiqltest.QueryEditor, doc); err != nil {
			t.Fatal(err)
		}

		// A wrong key: the connection is refused, and the pane says why.
		if err := p.SetToolText(ctx, "Headers", `{"Authorization": "Bearer mkg_wrongwrongwrong"}`); err != nil {
			t.Fatal(err)
		}
		res, err := p.Run(ctx)
		if err != nil || !strings.Contains(res, "4401") {
			t.Fatalf("a subscription with a wrong key was not refused with 4401: %v\n%s", err, p.Describe())
		}

		// The right key: the subscription waits, then shows the event.
		if err := p.SetToolText(ctx, "Headers", `{"Authorization": "Bearer `+c.full+`"}`); err != nil {
			t.Fatal(err)
		}
		if err := p.Click(ctx, ".graphiql-execute-button"); err != nil {
			t.Fatal(err)
		}
		if !haveSubscribers(a, 1) {
			t.Fatalf("GraphiQL's subscription did not reach the server\n%s", p.Describe())
		}
		ingestQuake(t, a, 40+int(graphiqlQuakes.Add(1)), 6.4)
		shown := `(v => v.includes('"magnitude": 6.4') && v.includes('"change": "INSERTED"'))(` +
			`document.querySelector(".graphiql-response .CodeMirror").CodeMirror.getValue())`
		if err := p.WaitFor(ctx, shown); err != nil {
			t.Fatalf("the event did not reach the page: %v\nproblems: %v\n%s", err, p.Problems(), p.Describe())
		}
		// Stopping it (the same button) ends the server's subscription.
		if err := p.Click(ctx, ".graphiql-execute-button"); err != nil {
			t.Fatal(err)
		}
		for deadline := time.Now().Add(10 * time.Second); a.Events.Subscribers() > 0; time.Sleep(20 * time.Millisecond) {
			if time.Now().After(deadline) {
				t.Fatalf("%d subscribers left after GraphiQL stopped its subscription\n%s", a.Events.Subscribers(), p.Describe())
			}
		}
		if probs := p.Problems(); len(probs) > 0 {
			t.Errorf("the page reported problems: %v", probs)
		}
		onlyServer(t, p, srv.URL)
	})
}
