// Command live measures subscriptions against running MKG Graph instances
// (issue 13's targets): from an ingest's commit to each subscriber's
// receipt, with subscribers spread over the instances, and the memory of
// one instance holding idle WebSocket subscribers.
//
// Latency: it opens -subscribers WebSocket subscriptions to
// earthquakeReported, spread round-robin over -urls, then ingests -events
// new earthquakes one by one (every -every) through the ingest path
// (sqlstore + the Redis relay, as `mkggraph ingest` does, with DATABASE_URL
// and REDIS_URL / MKG_REDIS_PREFIX as the servers have them), and measures
// receipt time minus the event's storedAt (one machine, one clock). It
// prints p50, p99 and max over every (event, subscriber), and how many
// deliveries were missing.
//
// Memory: with -idle, it opens -subscribers subscriptions and holds them
// idle; with -pid it prints the server's resident memory before and after.
// With -latency, it times -query (one request after the other) for that
// long before the subscriptions are opened and again while they are held.
//
// Webhooks: with -webhooks N and -key (an account's API key), it registers
// a webhook calling a receiver it serves on -receiver, ingests N
// earthquakes and measures receipt time minus storedAt at the receiver
// (the server started with -webhooks-allow-http true
// -webhooks-allow-private true).
//
//	go run ./bench/live -urls http://127.0.0.1:8080,http://127.0.0.1:8081 -subscribers 1000 -events 50
//	go run ./bench/live -urls http://127.0.0.1:8080 -subscribers 5000 -idle -pid $(pgrep -f 'mkggraph$') -latency 10s
//	go run ./bench/live -urls http://127.0.0.1:8080 -webhooks 100 -key mkg_…
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"log"
	"log/slog"
	"os"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/coder/websocket"

	"github.com/bmkg/mkggraph/ingest"
	"github.com/bmkg/mkggraph/inmem"
	"github.com/bmkg/mkggraph/redis"
	"github.com/bmkg/mkggraph/sqlstore"
)

func main() {
	urls := flag.String("urls", "http://127.0.0.1:8080", "comma-separated base URLs of the instances")
	subscribers := flag.Int("subscribers", 100, "WebSocket subscriptions, spread over the instances")
	events := flag.Int("events", 20, "earthquakes to ingest")
	every := flag.Duration("every", 200*time.Millisecond, "pause between ingests")
	idle := flag.Bool("idle", false, "only hold the subscriptions idle (memory)")
	pid := flag.Int("pid", 0, "server process whose resident memory to report")
	hold := flag.Duration("hold", 10*time.Second, "how long -idle holds the subscriptions")
	latency := flag.Duration("latency", 0, "with -idle: how long to time -query before the subscriptions open and while they are held")
	query := flag.String("query", "{ latestEarthquake { id eventId originTime latitude longitude depth magnitude region tsunamiPotential } }", "the query -latency times")
	hooks := flag.Int("webhooks", 0, "measure a webhook's delivery of this many earthquakes instead (needs -key)")
	key := flag.String("key", "", "API key that registers the webhook")
	receiver := flag.String("receiver", "127.0.0.1:0", "address the webhook receiver listens on")
	flag.Parse()
	log.SetFlags(0)
	if *hooks > 0 {
		webhookLatency(context.Background(), strings.Split(*urls, ",")[0], *key, *receiver, *hooks, *every)
		return
	}
	before := rss(*pid)
	timeQueries := func(when string) {
		if *latency <= 0 {
			return
		}
		got, err := queryLatency(strings.Split(*urls, ",")[0], *query, *latency)
		if err != nil {
			log.Fatal(err)
		}
		fmt.Printf("%s: %s\n", when, got)
	}
	timeQueries("query latency without subscribers")
	var recv sync.Map // event minute → []time.Duration
	bases := strings.Split(*urls, ",")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var ready sync.WaitGroup
	for i := range *subscribers {
		ready.Add(1)
		go subscribe(ctx, bases[i%len(bases)], &ready, &recv)
		if i%100 == 99 {
			time.Sleep(50 * time.Millisecond) // do not trip the listen backlog
		}
	}
	ready.Wait()
	log.Printf("%d subscriptions open", *subscribers)
	if *idle {
		time.Sleep(*hold)
		timeQueries(fmt.Sprintf("query latency with %d idle subscribers", *subscribers))
		log.Printf("server RSS: %s before, %s with %d idle subscribers", before, rss(*pid), *subscribers)
		return
	}
	time.Sleep(time.Second) // every instance's bus has its subscribers
	in := ingester()
	base := eventsStart(*events)
	for n := range *events {
		ingestOne(ctx, in, quake(base, n))
		time.Sleep(*every)
	}
	time.Sleep(2 * time.Second)
	var all []time.Duration
	recv.Range(func(_, v any) bool { all = append(all, *(v.(*[]time.Duration))...); return true })
	slices.Sort(all)
	want := *events * *subscribers
	if len(all) == 0 {
		log.Fatalf("nothing received of %d deliveries", want)
	}
	pct := func(p float64) time.Duration { return all[min(len(all)-1, int(p*float64(len(all))))] }
	fmt.Printf("commit-to-receipt over %d instance(s), %d subscribers, %d events: p50 %v, p99 %v, max %v; %d of %d deliveries missing\n",
		len(bases), *subscribers, *events, pct(0.5), pct(0.99), all[len(all)-1], want-len(all), want)
}

var mu sync.Mutex

func subscribe(ctx context.Context, base string, ready *sync.WaitGroup, recv *sync.Map) {
	c, _, err := websocket.Dial(ctx, "ws"+strings.TrimPrefix(base, "http")+"/graphql",
		&websocket.DialOptions{Subprotocols: []string{"graphql-transport-ws"}})
	if err != nil {
		log.Fatalf("dial %s: %v", base, err)
	}
	c.SetReadLimit(1 << 20)
	send := func(v any) {
		b, _ := json.Marshal(v)
		c.Write(ctx, websocket.MessageText, b)
	}
	send(map[string]any{"type": "connection_init"})
	send(map[string]any{"type": "subscribe", "id": "1", "payload": map[string]any{
		"query": "subscription { earthquakeReported { storedAt earthquake { originTime } } }"}})
	ready.Done()
	for {
		_, b, err := c.Read(ctx)
		if err != nil {
			return
		}
		at := time.Now()
		var m struct {
			Type    string
			Payload struct {
				Data struct {
					EarthquakeReported struct {
						StoredAt   time.Time
						Earthquake struct{ OriginTime time.Time }
					}
				}
			}
		}
		if json.Unmarshal(b, &m) != nil {
			continue
		}
		switch m.Type {
		case "ping":
			send(map[string]any{"type": "pong"})
		case "next":
			ev := m.Payload.Data.EarthquakeReported
			v, _ := recv.LoadOrStore(ev.Earthquake.OriginTime, &[]time.Duration{})
			mu.Lock()
			*(v.(*[]time.Duration)) = append(*(v.(*[]time.Duration)), at.Sub(ev.StoredAt))
			mu.Unlock()
		}
	}
}

// ingester is the ingest path of `mkggraph ingest`, publishing through
// Redis when REDIS_URL is set.
func ingester() *ingest.Ingester {
	logger := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	store, err := sqlstore.Open(context.Background(), os.Getenv("DATABASE_URL"), sqlstore.Options{Logger: logger})
	if err != nil {
		log.Fatal(err)
	}
	in := ingest.New(store, logger)
	if u := os.Getenv("REDIS_URL"); u != "" {
		prefix := os.Getenv("MKG_REDIS_PREFIX")
		if prefix == "" {
			prefix = "mkg:"
		}
		rc, err := redis.New(u, prefix, logger)
		if err != nil {
			log.Fatal(err)
		}
		in.WithEvents(inmem.NewBus(redis.NewRelay(rc, logger), logger))
	}
	return in
}

// eventsStart is the origin time of the first of n events, a minute apart:
// all in the past (an origin time more than an hour ahead is refused), and
// new to a fresh database (a second run on the same one within the same
// hour meets its events again, which are unchanged and not sent).
func eventsStart(n int) time.Time {
	return time.Now().UTC().Truncate(time.Minute).Add(-time.Duration(n) * time.Minute)
}

// ingestOne stores one event, which must be new.
func ingestOne(ctx context.Context, in *ingest.Ingester, file []byte) {
	s, err := in.File(ctx, "bench.json", file, ingest.Options{})
	if err != nil {
		log.Fatal(err)
	}
	if s.Inserted != 1 {
		log.Fatalf("an event was not inserted (a database used before?): %+v", s)
	}
}

// quake is an autogempa file of a new event, n minutes after base.
func quake(base time.Time, n int) []byte {
	t := base.Add(time.Duration(n) * time.Minute)
	return fmt.Appendf(nil, `{"Infogempa":{"gempa":{"DateTime":"%s","Coordinates":"-8.15,118.10","Lintang":"8.15 LS",
"Bujur":"118.10 BT","Magnitude":"5.0","Kedalaman":"10 km","Wilayah":"bench","Potensi":"","Dirasakan":"","Shakemap":""}}}`,
		t.Format(time.RFC3339))
}

// rss is the resident memory of process pid, from /proc.
func rss(pid int) string {
	if pid == 0 {
		return "?"
	}
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return "?"
	}
	for _, line := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(line, "VmRSS:") {
			return strings.TrimSpace(strings.TrimPrefix(line, "VmRSS:"))
		}
	}
	return "?"
}
