package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"slices"
	"sync"
	"time"
)

// webhookDocument is what the benchmark's webhook subscribes to.
const webhookDocument = `subscription { earthquakeReported { storedAt earthquake { originTime } } }`

// webhookLatency registers a webhook with key on base (the server must
// allow http and loopback callbacks: -webhooks-allow-http true
// -webhooks-allow-private true), calling a receiver it serves on listen;
// ingests events earthquakes one by one, every apart, through the ingest
// path; and reports receipt time minus each event's storedAt.
func webhookLatency(ctx context.Context, base, key, listen string, events int, every time.Duration) {
	ln, err := net.Listen("tcp", listen)
	if err != nil {
		log.Fatal(err)
	}
	var mu sync.Mutex
	var took []time.Duration
	seen := map[string]bool{} // a retried delivery is counted once
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		at := time.Now()
		b, _ := io.ReadAll(r.Body)
		var m struct {
			Data struct {
				EarthquakeReported struct {
					StoredAt   time.Time
					Earthquake struct{ OriginTime time.Time }
				}
			}
		}
		if json.Unmarshal(b, &m) == nil {
			ev := m.Data.EarthquakeReported
			mu.Lock()
			if id := ev.Earthquake.OriginTime.String(); !seen[id] {
				seen[id] = true
				took = append(took, at.Sub(ev.StoredAt))
			}
			mu.Unlock()
		}
		w.WriteHeader(http.StatusNoContent)
	})}
	go srv.Serve(ln)
	defer srv.Close()

	register := map[string]any{"query": `mutation($d: String!, $u: String!) { createWebhook(document: $d, callbackUrl: $u) { webhook { id status } } }`,
		"variables": map[string]any{"d": webhookDocument, "u": "http://" + ln.Addr().String() + "/hook"}}
	body, _ := json.Marshal(register)
	req, _ := http.NewRequestWithContext(ctx, http.MethodPost, base+"/graphql", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+key)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		log.Fatal(err)
	}
	answer, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if !bytes.Contains(answer, []byte(`"ACTIVE"`)) {
		log.Fatalf("createWebhook: %s", answer)
	}
	in := ingester()
	start := eventsStart(events)
	for n := range events {
		ingestOne(ctx, in, quake(start, n))
		time.Sleep(every)
	}
	time.Sleep(3 * time.Second)
	mu.Lock()
	defer mu.Unlock()
	if len(took) == 0 {
		log.Fatalf("no webhook delivery of %d events", events)
	}
	slices.Sort(took)
	pct := func(p float64) time.Duration { return took[min(len(took)-1, int(p*float64(len(took))))] }
	fmt.Printf("commit-to-webhook-receipt, %d events: p50 %v, p99 %v, max %v; %d of %d deliveries missing\n",
		events, pct(0.5), pct(0.99), took[len(took)-1], events-len(took), events)
}
