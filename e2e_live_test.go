package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"

	"github.com/bmkg/mkggraph/ingest"
	"github.com/bmkg/mkggraph/internal/testenv"
	"github.com/bmkg/mkggraph/internal/testsvc"
	"github.com/bmkg/mkggraph/mkg"
)

// autogempa is a BMKG autogempa file of one event, n minutes into
// 2026-01-01 (so each n is a new event).
func autogempa(n int, magnitude float64) []byte {
	t := time.Date(2026, 1, 1, 0, n, 0, 0, time.UTC)
	return fmt.Appendf(nil, `{"Infogempa":{"gempa":{"Tanggal":"01 Jan 2026","Jam":"07:%02d:00 WIB","DateTime":"%s",
"Coordinates":"-8.15,118.10","Lintang":"8.15 LS","Bujur":"118.10 BT","Magnitude":"%.1f","Kedalaman":"20 km",
"Wilayah":"Pusat gempa di darat dekat Dompu","Potensi":"Tidak berpotensi tsunami","Dirasakan":"","Shakemap":""}}}`,
		n%60, t.Format(time.RFC3339), magnitude)
}

func ingestQuake(t *testing.T, a *app, n int, magnitude float64) {
	t.Helper()
	s, err := a.Ingest.File(context.Background(), fmt.Sprintf("autogempa-%d.json", n), autogempa(n, magnitude), ingest.Options{})
	if err != nil || s.Inserted+s.Updated != 1 {
		t.Fatalf("ingest: %+v %v", s, err)
	}
}

// wsClient is a graphql-transport-ws client.
type wsClient struct {
	t    *testing.T
	conn *websocket.Conn
}

func dialLive(t *testing.T, base string, init map[string]any, header http.Header) (*wsClient, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	c, _, err := websocket.Dial(ctx, "ws"+strings.TrimPrefix(base, "http")+"/graphql",
		&websocket.DialOptions{Subprotocols: []string{"graphql-transport-ws"}, HTTPHeader: header})
	if err != nil {
		return nil, err
	}
	t.Cleanup(func() { c.CloseNow() })
	w := &wsClient{t: t, conn: c}
	w.send(map[string]any{"type": "connection_init", "payload": init})
	return w, nil
}

func (w *wsClient) send(msg map[string]any) {
	b, _ := json.Marshal(msg)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := w.conn.Write(ctx, websocket.MessageText, b); err != nil {
		w.t.Fatalf("ws write: %v", err)
	}
}

type wsMessage struct {
	Type    string          `json:"type"`
	ID      string          `json:"id"`
	Payload json.RawMessage `json:"payload"`
}

// next reads the next message other than a ping or a pong; err is the
// connection's end (a close status and reason).
func (w *wsClient) next(within time.Duration) (wsMessage, error) {
	ctx, cancel := context.WithTimeout(context.Background(), within)
	defer cancel()
	for {
		_, b, err := w.conn.Read(ctx)
		if err != nil {
			return wsMessage{}, err
		}
		var m wsMessage
		if err := json.Unmarshal(b, &m); err != nil {
			w.t.Fatalf("ws message %s: %v", b, err)
		}
		switch m.Type {
		case "ping":
			w.send(map[string]any{"type": "pong"})
		case "pong":
		default:
			return m, nil
		}
	}
}

func (w *wsClient) expect(typ string) wsMessage {
	w.t.Helper()
	m, err := w.next(10 * time.Second)
	if err != nil {
		w.t.Fatalf("waiting for %s: %v", typ, err)
	}
	if m.Type != typ {
		w.t.Fatalf("got %s %s, want %s", m.Type, m.Payload, typ)
	}
	return m
}

func (w *wsClient) subscribe(id, query string, vars map[string]any) {
	w.send(map[string]any{"type": "subscribe", "id": id, "payload": map[string]any{"query": query, "variables": vars}})
}

const quakeSubscription = `subscription($f: EarthquakeWatchFilter) { earthquakeReported(filter: $f) { change storedAt earthquake { magnitude region } } }`

// waitSubscribers waits until the app's bus has n subscribers: a
// subscription is registered after its subscribe message is read.
func waitSubscribers(t *testing.T, a *app, n int) {
	t.Helper()
	if !haveSubscribers(a, n) {
		t.Fatalf("%d subscribers, want %d", a.Events.Subscribers(), n)
	}
}

// haveSubscribers waits up to 10 s for a's events to have n subscribers.
func haveSubscribers(a *app, n int) bool {
	for deadline := time.Now().Add(10 * time.Second); a.Events.Subscribers() < n; time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			return false
		}
	}
	return true
}

// sseClient reads a server-sent event stream.
type sseClient struct {
	events chan string // "event: data"
}

func openEvents(t *testing.T, base, key, query string, vars map[string]any) (*http.Response, *sseClient) {
	t.Helper()
	body, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
	req, _ := http.NewRequest(http.MethodPost, base+"/graphql", strings.NewReader(string(body)))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "text/event-stream")
	if key != "" {
		req.Header.Set("Authorization", "Bearer "+key)
	}
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	resp, err := http.DefaultClient.Do(req.WithContext(ctx))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { resp.Body.Close() })
	c := &sseClient{events: make(chan string, 16)}
	go func() {
		defer close(c.events)
		sc := bufio.NewScanner(resp.Body)
		var ev string
		for sc.Scan() {
			line := sc.Text()
			switch {
			case strings.HasPrefix(line, "event: "):
				ev = strings.TrimPrefix(line, "event: ")
			case strings.HasPrefix(line, "data: "):
				c.events <- ev + ": " + strings.TrimPrefix(line, "data: ")
			case line == "" && ev == "complete":
				c.events <- "complete"
			}
		}
	}()
	return resp, c
}

func (c *sseClient) expect(t *testing.T, prefix string) string {
	t.Helper()
	select {
	case ev, ok := <-c.events:
		if !ok {
			t.Fatalf("stream ended, want %q", prefix)
		}
		if !strings.HasPrefix(ev, prefix) {
			t.Fatalf("got %q, want %q…", ev, prefix)
		}
		return ev
	case <-time.After(10 * time.Second):
		t.Fatalf("no event, want %q", prefix)
	}
	return ""
}

// TestSubscriptionsReceiveIngestedEarthquake: a WebSocket client and an
// SSE client, on each database, receive an earthquake ingested during the
// test, filtered by magnitude (a smaller one is not sent); a revision comes
// as UPDATED.
func TestSubscriptionsReceiveIngestedEarthquake(t *testing.T) {
	for _, backend := range []string{"sqlite", "postgres"} {
		t.Run(backend, func(t *testing.T) {
			a, srv := startApp(t, testConfig(t, backend))
			ws, err := dialLive(t, srv.URL, nil, nil)
			if err != nil {
				t.Fatal(err)
			}
			ws.expect("connection_ack")
			ws.subscribe("1", quakeSubscription, map[string]any{"f": map[string]any{"minMagnitude": 5}})
			resp, sse := openEvents(t, srv.URL, "", quakeSubscription, map[string]any{"f": map[string]any{"minMagnitude": 5}})
			if ct := resp.Header.Get("Content-Type"); ct != "text/event-stream" {
				t.Fatalf("SSE content type %q", ct)
			}
			waitSubscribers(t, a, 2)
			ingestQuake(t, a, 1, 4.0) // below the filter
			ingestQuake(t, a, 2, 6.1)
			m := ws.expect("next")
			if !strings.Contains(string(m.Payload), `"magnitude":6.1`) || !strings.Contains(string(m.Payload), `"change":"INSERTED"`) {
				t.Fatalf("ws got %s", m.Payload)
			}
			if ev := sse.expect(t, "next: "); !strings.Contains(ev, `"magnitude":6.1`) {
				t.Fatalf("sse got %s", ev)
			}
			// A revision of the same event: another magnitude at the same time and place.
			ingestQuake(t, a, 2, 6.3)
			m = ws.expect("next")
			if !strings.Contains(string(m.Payload), `"change":"UPDATED"`) || !strings.Contains(string(m.Payload), `"magnitude":6.3`) {
				t.Fatalf("revision: ws got %s", m.Payload)
			}
			sse.expect(t, "next: ")
			// The operators see them: two open, four messages sent; once they
			// end, none open, and the streams never counted as requests.
			admin := serveMetrics(t, a)
			fams := scrape(t, admin)
			if m := series(fams, "mkg_graphql_subscriptions_open", nil); m == nil || m.GetGauge().GetValue() != 2 {
				t.Errorf("open subscriptions: %v, want 2", m)
			}
			if m := series(fams, "mkg_graphql_subscription_events_total", nil); m == nil || m.GetCounter().GetValue() != 4 {
				t.Errorf("subscription messages: %v, want 4", m)
			}
			ws.conn.Close(websocket.StatusNormalClosure, "done")
			resp.Body.Close()
			for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(20 * time.Millisecond) {
				fams = scrape(t, admin)
				if m := series(fams, "mkg_graphql_subscriptions_open", nil); m != nil && m.GetGauge().GetValue() == 0 {
					break
				}
				if time.Now().After(deadline) {
					t.Fatalf("subscriptions still open after their clients left: %v", series(fams, "mkg_graphql_subscriptions_open", nil))
				}
			}
			for _, f := range fams["mkg_http_requests_total"].GetMetric() {
				for _, l := range f.GetLabel() {
					if l.GetName() == "route" && l.GetValue() == "/graphql" {
						t.Errorf("a subscription's stream counted as a request: %v", f)
					}
				}
			}
		})
	}
}

// TestSubscriptionBadFilter: an invalid filter is refused when
// subscribing, with BAD_USER_INPUT naming the argument; so is a document
// over the depth limit, as for queries.
func TestSubscriptionBadFilter(t *testing.T) {
	_, srv := startApp(t, testConfig(t, "sqlite"))
	ws, err := dialLive(t, srv.URL, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	ws.expect("connection_ack")
	ws.subscribe("1", quakeSubscription, map[string]any{"f": map[string]any{"bbox": map[string]any{"south": -95, "west": 90, "north": 6, "east": 142}}})
	m := ws.expect("next")
	if !strings.Contains(string(m.Payload), `"BAD_USER_INPUT"`) || !strings.Contains(string(m.Payload), `"field":"filter.bbox.south"`) {
		t.Fatalf("bad bbox: %s", m.Payload)
	}
	ws.expect("complete")
	ws.subscribe("2", quakeSubscription, map[string]any{"f": map[string]any{"radiusKm": 10}})
	if m := ws.expect("next"); !strings.Contains(string(m.Payload), `"field":"filter.radiusKm"`) {
		t.Fatalf("radius without a point: %s", m.Payload)
	}
	ws.expect("complete")
	deep := `subscription { earthquakeReported { earthquake { nearestStations { station { latestObservation { station {
		latestObservation { station { latestObservation { station { latestObservation { station { name } } } } } } } } } } } } }`
	ws.subscribe("3", deep, nil)
	if m := ws.expect("next"); !strings.Contains(string(m.Payload), `"DEPTH_LIMIT_EXCEEDED"`) {
		t.Fatalf("too deep: %s", m.Payload)
	}
	ws.expect("complete")
}

// TestSubscriptionKeyRevokedMidConnection: a partner subscribed with its
// key; the key is revoked; the next event ends the connection with close
// code 4401 and the reason.
func TestSubscriptionKeyRevokedMidConnection(t *testing.T) {
	a, srv := startApp(t, testConfig(t, "sqlite"))
	key := partnerKey(t, a)
	ws, err := dialLive(t, srv.URL, map[string]any{"Authorization": "Bearer " + key}, nil)
	if err != nil {
		t.Fatal(err)
	}
	ws.expect("connection_ack")
	ws.subscribe("1", quakeSubscription, nil)
	waitSubscribers(t, a, 1)
	ingestQuake(t, a, 3, 5.0)
	ws.expect("next")
	prefix, _ := mkg.KeyPrefix(key)
	cred, err := a.Store.CredentialByPrefix(context.Background(), prefix)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.Store.RevokeKey(context.Background(), testActor, cred.Key.ID, "leaked"); err != nil {
		t.Fatal(err)
	}
	// A change is in force on every instance within a second (the access
	// generation's polling); the next event after that ends the connection.
	time.Sleep(1100 * time.Millisecond)
	ingestQuake(t, a, 4, 5.0)
	m, err := ws.next(10 * time.Second)
	if websocket.CloseStatus(err) != 4401 || !strings.Contains(err.Error(), "revoked") {
		t.Fatalf("after revocation: %v %s %s, want close 4401 saying revoked", err, m.Type, m.Payload)
	}
}

// TestSubscriptionGrantWithdrawn: a partner granted LIGHTNING receives
// strikes; once the grant is withdrawn, the next batch's strikes are
// FORBIDDEN (the subscription goes on).
func TestSubscriptionGrantWithdrawn(t *testing.T) {
	a, srv := startApp(t, testConfig(t, "sqlite"))
	key := partnerKey(t, a)
	prefix, _ := mkg.KeyPrefix(key)
	cred, err := a.Store.CredentialByPrefix(context.Background(), prefix)
	if err != nil {
		t.Fatal(err)
	}
	acct := cred.Account.ID
	if _, err := a.Store.AddGrant(context.Background(), testActor, acct, mkg.DatasetLightning, nil); err != nil {
		t.Fatal(err)
	}
	ws, err := dialLive(t, srv.URL, map[string]any{"authorization": "Bearer " + key}, nil)
	if err != nil {
		t.Fatal(err)
	}
	ws.expect("connection_ack")
	ws.subscribe("1", `subscription { lightningStrikes(bbox: {south: -11, west: 94, north: 6, east: 142}) { count strikes { latitude longitude } } }`, nil)
	waitSubscribers(t, a, 1)
	strike := func(ms int64) {
		err := a.Events.Publish(context.Background(), mkg.Event{Kind: mkg.EventLightning, At: time.Now(),
			Strikes: []mkg.Strike{{Time: time.UnixMilli(ms), Latitude: -6.2, Longitude: 106.8, Network: "test"}}})
		if err != nil {
			t.Fatal(err)
		}
	}
	strike(1)
	if m := ws.expect("next"); !strings.Contains(string(m.Payload), `"latitude":-6.2`) {
		t.Fatalf("granted: %s", m.Payload)
	}
	if _, err := a.Store.RemoveGrant(context.Background(), testActor, acct, mkg.DatasetLightning); err != nil {
		t.Fatal(err)
	}
	strike(2)
	m := ws.expect("next")
	if !strings.Contains(string(m.Payload), `"FORBIDDEN"`) || !strings.Contains(string(m.Payload), `"strikes":null`) {
		t.Fatalf("grant withdrawn: %s", m.Payload)
	}
}

// TestSubscriptionSlowConsumer: a client that does not read is cut off
// (close 1008, slow consumer) while a client that reads keeps receiving
// every event.
func TestSubscriptionSlowConsumer(t *testing.T) {
	cfg := testConfig(t, "sqlite")
	cfg.Live.Buffer = 16
	a, srv := startApp(t, cfg)
	fast, err := dialLive(t, srv.URL, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	fast.expect("connection_ack")
	// The slow client's socket takes in little: the server's writes to it
	// block after a few messages.
	tiny := &http.Client{Transport: &http.Transport{DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
		c, err := (&net.Dialer{}).DialContext(ctx, network, addr)
		if tc, ok := c.(*net.TCPConn); ok {
			tc.SetReadBuffer(2048)
		}
		return c, err
	}}}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	sc, _, err := websocket.Dial(ctx, "ws"+strings.TrimPrefix(srv.URL, "http")+"/graphql",
		&websocket.DialOptions{Subprotocols: []string{"graphql-transport-ws"}, HTTPClient: tiny})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sc.CloseNow() })
	slow := &wsClient{t: t, conn: sc}
	slow.send(map[string]any{"type": "connection_init"})
	slow.expect("connection_ack")
	// Large messages (a hundred stations each) fill the slow client's
	// socket buffers quickly.
	const big = `subscription { earthquakeReported { earthquake { nearestStations(first: 50) { distanceKm station { id name wmoIndex region country identifiers { scheme value } } } } } }`
	fast.subscribe("1", quakeSubscription, nil)
	slow.subscribe("1", big, nil)
	waitSubscribers(t, a, 2)
	done := make(chan struct{})
	go func() {
		defer close(done)
		for i := range 1000 {
			m := 5.0
			a.Events.Publish(context.Background(), mkg.Event{Kind: mkg.EventEarthquake, At: time.Now(),
				Earthquake: &mkg.EarthquakeChange{ID: int64(i%20 + 1), Magnitude: &m}})
			time.Sleep(3 * time.Millisecond) // a pace the reading client keeps up with, even under -race
		}
	}()
	<-done
	// The fast client reads every event the store has (the demo's ids exist).
	got := 0
	for got < 100 {
		m, err := fast.next(10 * time.Second)
		if err != nil {
			t.Fatalf("fast client after %d events: %v", got, err)
		}
		if m.Type == "next" {
			got++
		}
	}
	// The slow client, which read nothing, was ended as a slow consumer.
	deadline := time.Now().Add(20 * time.Second)
	for {
		_, err := slow.next(time.Until(deadline))
		if err != nil {
			if websocket.CloseStatus(err) != 1008 || !strings.Contains(err.Error(), "slow consumer") {
				t.Fatalf("slow client: %v, want close 1008 slow consumer", err)
			}
			break
		}
	}
}

// TestSubscriptionLimits: subscriptions per connection and connections per
// address are bounded; a browser from an origin not allowed cannot open a
// WebSocket.
func TestSubscriptionLimits(t *testing.T) {
	cfg := testConfig(t, "sqlite")
	cfg.Live.PerConnection = 1
	cfg.Live.PerAddress = 2
	cfg.CORSOrigins = "https://dashboard.example.org"
	a, srv := startApp(t, cfg)
	ws, err := dialLive(t, srv.URL, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	ws.expect("connection_ack")
	ws.subscribe("1", quakeSubscription, nil)
	waitSubscribers(t, a, 1)
	ws.subscribe("2", quakeSubscription, nil)
	if m := ws.expect("next"); !strings.Contains(string(m.Payload), "at most 1 subscriptions per connection") {
		t.Fatalf("second subscription: %s", m.Payload)
	}
	second, err := dialLive(t, srv.URL, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	second.expect("connection_ack")
	third, err := dialLive(t, srv.URL, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := third.next(5 * time.Second); websocket.CloseStatus(err) != 4429 {
		t.Fatalf("third connection from one address: %v, want close 4429", err)
	}
	if _, err := dialLive(t, srv.URL, nil, http.Header{"Origin": {"https://evil.example"}}); err == nil {
		t.Fatal("a WebSocket from an origin not allowed was accepted")
	}
	// Refusals name their cause, with their own status.
	handshake := http.Header{"Connection": {"Upgrade"}, "Upgrade": {"websocket"},
		"Sec-Websocket-Version": {"13"}, "Sec-Websocket-Key": {"dGhlIHNhbXBsZSBub25jZQ=="}}
	for _, c := range []struct {
		name, method string
		change       func(h http.Header)
		status       int
		says         string
	}{
		{"origin not allowed", "GET", func(h http.Header) { h.Set("Origin", "https://evil.example") }, 403, "origin is not allowed"},
		{"not a GET", "POST", func(http.Header) {}, 400, "handshake is a GET"},
		{"no Connection: Upgrade", "GET", func(h http.Header) { h.Set("Connection", "keep-alive") }, 400, "Connection: Upgrade"},
		{"old version", "GET", func(h http.Header) { h.Set("Sec-Websocket-Version", "8") }, 400, "version 13"},
		{"no key", "GET", func(h http.Header) { h.Del("Sec-Websocket-Key") }, 400, "Sec-WebSocket-Key"},
	} {
		req, _ := http.NewRequest(c.method, srv.URL+"/graphql", nil)
		req.Header = handshake.Clone()
		c.change(req.Header)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != c.status || !strings.Contains(string(body), c.says) {
			t.Errorf("%s: %d %s, want %d saying %q", c.name, resp.StatusCode, body, c.status, c.says)
		}
	}
}

// TestSubscriptionShutdown: at shutdown, live clients are told to
// reconnect (close 1012), and the server stops within its timeout.
func TestSubscriptionShutdown(t *testing.T) {
	a, srv := startApp(t, testConfig(t, "sqlite"))
	ws, err := dialLive(t, srv.URL, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	ws.expect("connection_ack")
	ws.subscribe("1", quakeSubscription, nil)
	waitSubscribers(t, a, 1)
	a.API.Shutdown()
	if _, err := ws.next(5 * time.Second); websocket.CloseStatus(err) != 1012 {
		t.Fatalf("at shutdown: %v, want close 1012", err)
	}
}

// TestSubscriptionsAcrossInstances: two instances share PostgreSQL and
// Redis; an earthquake ingested through one reaches a subscriber of each,
// and so does one from a separate ingest process (a bus of its own that
// only publishes).
func TestSubscriptionsAcrossInstances(t *testing.T) {
	redisURL, prefix := testenv.RedisURL(t)
	cfg := testConfig(t, "postgres")
	cfg.RedisURL, cfg.RedisPrefix = redisURL, prefix
	a, srvA := startApp(t, cfg)
	cfgB := *cfg
	cfgB.DemoData = "false"
	b, srvB := startApp(t, &cfgB)
	var clients []*wsClient
	for _, base := range []string{srvA.URL, srvB.URL} {
		ws, err := dialLive(t, base, nil, nil)
		if err != nil {
			t.Fatal(err)
		}
		ws.expect("connection_ack")
		ws.subscribe("1", quakeSubscription, nil)
		clients = append(clients, ws)
	}
	waitSubscribers(t, a, 1)
	waitSubscribers(t, b, 1)
	time.Sleep(300 * time.Millisecond) // the relays' SUBSCRIBE
	ingestQuake(t, a, 10, 5.2)
	for i, ws := range clients {
		if m := ws.expect("next"); !strings.Contains(string(m.Payload), `"magnitude":5.2`) {
			t.Fatalf("instance %d: %s", i, m.Payload)
		}
	}
	bus, closeBus := publishOnly(cfg, slog.New(slog.DiscardHandler))
	defer closeBus()
	store, err := openStore(context.Background(), cfg, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	sep := ingest.New(store, nil).WithEvents(bus)
	if _, err := sep.File(context.Background(), "q.json", autogempa(11, 5.4), ingest.Options{}); err != nil {
		t.Fatal(err)
	}
	for i, ws := range clients {
		if m := ws.expect("next"); !strings.Contains(string(m.Payload), `"magnitude":5.4`) {
			t.Fatalf("instance %d, separate ingest: %s", i, m.Payload)
		}
	}
}

// TestSubscriptionsWhileRedisIsDead: with its Redis killed, an instance's
// own subscribers still get what it ingests, the ingest does not hang, and
// when Redis returns the other instance hears events again.
func TestSubscriptionsWhileRedisIsDead(t *testing.T) {
	rs := testsvc.Redis(t)
	cfg := testConfig(t, "postgres")
	cfg.RedisURL, cfg.RedisPrefix = rs.RedisURL(0), "dead:"
	a, srvA := startApp(t, cfg)
	cfgB := *cfg
	cfgB.DemoData = "false"
	b, srvB := startApp(t, &cfgB)
	wsA, err := dialLive(t, srvA.URL, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	wsA.expect("connection_ack")
	wsA.subscribe("1", quakeSubscription, nil)
	wsB, err := dialLive(t, srvB.URL, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	wsB.expect("connection_ack")
	wsB.subscribe("1", quakeSubscription, nil)
	waitSubscribers(t, a, 1)
	waitSubscribers(t, b, 1)
	rs.Kill()
	start := time.Now()
	ingestQuake(t, a, 20, 5.1)
	if d := time.Since(start); d > 3*time.Second {
		t.Fatalf("ingest took %v with Redis dead", d)
	}
	if m := wsA.expect("next"); !strings.Contains(string(m.Payload), `"magnitude":5.1`) {
		t.Fatalf("own instance: %s", m.Payload)
	}
	rs.Restart()
	// The other instance resumes once its relay has subscribed again
	// (it retries every 300 ms).
	time.Sleep(2 * time.Second)
	ingestQuake(t, a, 21, 5.3)
	wsA.expect("next")
	if m := wsB.expect("next"); !strings.Contains(string(m.Payload), `"magnitude":5.3`) {
		t.Fatalf("other instance after Redis returned: %s", m.Payload)
	}
}

// TestObservationReceived: a partner with SYNOP_L2 but not SYNOP_L1,
// watching two stations, receives the reports ingested during the test
// for those stations only, with the decoded values and the raw report
// FORBIDDEN, as a query would show them.
func TestObservationReceived(t *testing.T) {
	cfg := testConfig(t, "sqlite")
	cfg.demoFiles = func(name string) bool { return strings.HasPrefix(name, "stations/") && coreDemo(name) }
	a, srv := startApp(t, cfg)
	key := partnerKey(t, a)
	ws, err := dialLive(t, srv.URL, map[string]any{"headers": map[string]any{"Authorization": "Bearer " + key}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	ws.expect("connection_ack")
	ws.subscribe("1", `subscription { observationReceived(filter: {wmoIndexes: ["15015", "15090"]}) {
		change observation { stationIndex decoded { airTemperature } raw { text } } } }`, nil)
	waitSubscribers(t, a, 1)
	ingestSynop(t, a)
	seen := map[string]bool{}
	for range 2 {
		m := ws.expect("next")
		p := observationMessage(t, m)
		o := p.Data.ObservationReceived.Observation
		if o.Decoded == nil || o.Decoded.AirTemperature == nil || o.Raw != nil || len(p.Errors) != 1 ||
			p.Errors[0].Extensions["code"] != "FORBIDDEN" || p.Data.ObservationReceived.Change != "INSERTED" {
			t.Fatalf("report: %s", m.Payload)
		}
		seen[o.StationIndex] = true
	}
	if !seen["15015"] || !seen["15090"] {
		t.Fatalf("stations seen: %v", seen)
	}
	if m, err := ws.next(500 * time.Millisecond); err == nil {
		t.Fatalf("a report of another station was sent: %s", m.Payload)
	}
}

// ingestSynop ingests a Romanian SYNOP bulletin (reports of 15015, 15090 …).
func ingestSynop(t *testing.T, a *app) {
	t.Helper()
	const name = "demo/samples/synop/A_SMRO01YRBK211200_C_EDZW_20220321120500_12524785.txt"
	data, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.Ingest.File(context.Background(), name, data, ingest.Options{}); err != nil {
		t.Fatal(err)
	}
}

// observationMsg is an observationReceived message as the tests ask it.
type observationMsg struct {
	Data struct {
		ObservationReceived struct {
			Change      string
			StoredAt    time.Time
			Observation struct {
				StationIndex string
				Decoded      *struct{ AirTemperature *float64 }
				Raw          any
			}
		}
	}
	Errors []struct{ Extensions map[string]any }
}

func observationMessage(t *testing.T, m wsMessage) observationMsg {
	t.Helper()
	var p observationMsg
	if err := json.Unmarshal(m.Payload, &p); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestTicketSubscriptions: the service desk watching the SUBMITTED queue
// hears of a new request, an officer watching requests queued for any
// officer hears it forwarded, and the applicant following the request by
// its token hears each change; a partner without a staff role is refused,
// and a wrong token is NOT_FOUND.
func TestTicketSubscriptions(t *testing.T) {
	w := newTicketWorld(t, "sqlite")
	open := func(key, query string, vars map[string]any) *wsClient {
		t.Helper()
		init := map[string]any{}
		if key != "" {
			init["Authorization"] = "Bearer " + key
		}
		ws, err := dialLive(t, w.srv, init, nil)
		if err != nil {
			t.Fatal(err)
		}
		ws.expect("connection_ack")
		ws.subscribe("1", query, vars)
		return ws
	}
	desk := open(w.desk, `subscription { accessRequestChanged(filter: {status: [SUBMITTED]}) { state request { number } } }`, nil)
	officer := open(w.officer, `subscription { accessRequestChanged(filter: {unassigned: true, status: [FORWARDED]}) { state request { number } } }`, nil)
	partner := open(partnerKey(t, w.app), `subscription { accessRequestChanged { state } }`, nil)
	if m := partner.expect("next"); !strings.Contains(string(m.Payload), `"FORBIDDEN"`) {
		t.Fatalf("a partner watching the queue: %s", m.Payload)
	}
	anon := open("", `subscription($t: String!) { accessRequestByTokenChanged(token: $t) { state } }`, map[string]any{"t": "trk_00000000_" + strings.Repeat("A", 43)})
	if m := anon.expect("next"); !strings.Contains(string(m.Payload), `"NOT_FOUND"`) {
		t.Fatalf("a wrong token: %s", m.Payload)
	}
	waitSubscribers(t, w.app, 2)
	d := mustData(t, upload(t, w.srv, "", submitMutation, map[string]any{"input": requestInput("SIBATIK"), "key": "live-subscription-key-0001"}, "surat.png", letterPNG(t)))
	token := dig(d, "submitAccessRequest", "trackingToken").(string)
	number := dig(d, "submitAccessRequest", "request", "number").(string)
	if m := desk.expect("next"); !strings.Contains(string(m.Payload), `"state":"SUBMITTED"`) || !strings.Contains(string(m.Payload), number) {
		t.Fatalf("desk: %s", m.Payload)
	}
	applicant := open("", `subscription($t: String!) { accessRequestByTokenChanged(token: $t) { state request { number state } } }`, map[string]any{"t": token})
	waitSubscribers(t, w.app, 3)
	id := w.ticketID(t, number)
	w.do(t, w.desk, `mutation($id: ID!) { reviewAccessRequest(id: $id, decision: FORWARD, checklist: [{item: "letter signed", ok: true}]) { state } }`, map[string]any{"id": id})
	if m := officer.expect("next"); !strings.Contains(string(m.Payload), `"state":"FORWARDED"`) {
		t.Fatalf("officer: %s", m.Payload)
	}
	if m := applicant.expect("next"); !strings.Contains(string(m.Payload), `"state":"FORWARDED"`) || !strings.Contains(string(m.Payload), number) {
		t.Fatalf("applicant: %s", m.Payload)
	}
}

// TestEventStreamRevocationAndTurns: an event stream does not hold one of
// -max-running-requests' turns (a query runs beside it with a single
// turn), and when its key is revoked the next event ends the stream with
// a last `end` event saying why.
func TestEventStreamRevocationAndTurns(t *testing.T) {
	cfg := testConfig(t, "sqlite")
	cfg.Limits.MaxRunning = 1
	a, srv := startApp(t, cfg)
	key := partnerKey(t, a)
	_, sse := openEvents(t, srv.URL, key, quakeSubscription, nil)
	waitSubscribers(t, a, 1)
	if r := postAs(t, srv.URL, key, `{ latestEarthquake { magnitude } }`, nil); r.Status != http.StatusOK || len(r.Errors) > 0 {
		t.Fatalf("a query beside an open stream, with one turn: %d %s", r.Status, r.Raw)
	}
	ingestQuake(t, a, 30, 5.0)
	sse.expect(t, "next: ")
	prefix, _ := mkg.KeyPrefix(key)
	cred, err := a.Store.CredentialByPrefix(context.Background(), prefix)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.Store.RevokeKey(context.Background(), testActor, cred.Key.ID, "leaked"); err != nil {
		t.Fatal(err)
	}
	time.Sleep(1100 * time.Millisecond) // in force everywhere within a second
	ingestQuake(t, a, 31, 5.0)
	if ev := sse.expect(t, "end: "); !strings.Contains(ev, `"code":4401`) || !strings.Contains(ev, "revoked") {
		t.Fatalf("after revocation: %s", ev)
	}
}
