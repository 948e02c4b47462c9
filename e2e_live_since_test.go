package main

import (
	"context"
	"encoding/json"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/bmkg/mkggraph/mkg"
)

// openLive dials a WebSocket with init as connection_init and waits for
// the server's ack.
func openLive(t *testing.T, base string, init map[string]any) *wsClient {
	t.Helper()
	ws, err := dialLive(t, base, init, nil)
	if err != nil {
		t.Fatal(err)
	}
	ws.expect("connection_ack")
	return ws
}

// quakeEvent is an earthquakeReported message as sinceSubscription asks it.
type quakeEvent struct {
	Change     string    `json:"change"`
	StoredAt   time.Time `json:"storedAt"`
	Earthquake struct {
		Magnitude float64 `json:"magnitude"`
	} `json:"earthquake"`
}

const sinceSubscription = `subscription($f: EarthquakeWatchFilter, $since: DateTime) {
	earthquakeReported(filter: $f, since: $since) { change storedAt earthquake { magnitude } } }`

func (w *wsClient) quake() quakeEvent {
	w.t.Helper()
	m := w.expect("next")
	var p struct {
		Data   struct{ EarthquakeReported quakeEvent } `json:"data"`
		Errors []any                                   `json:"errors"`
	}
	if err := json.Unmarshal(m.Payload, &p); err != nil || len(p.Errors) > 0 {
		w.t.Fatalf("next: %s (%v)", m.Payload, err)
	}
	return p.Data.EarthquakeReported
}

// TestSubscriptionSince: a client that reconnects with the storedAt of
// the last event it received first gets what was stored or revised after
// it (through its filter, oldest first, a revision as UPDATED), then live
// events, none twice: a live event for a version already replayed is
// dropped. A since too far back, or one that would replay more than the
// maximum, is refused with BAD_USER_INPUT naming since.
func TestSubscriptionSince(t *testing.T) {
	for _, backend := range []string{"sqlite", "postgres"} {
		t.Run(backend, func(t *testing.T) {
			cfg := testConfig(t, backend)
			cfg.CatchUp.Max = 3
			a, srv := startApp(t, cfg)
			first := openLive(t, srv.URL, nil)
			first.subscribe("1", sinceSubscription, nil)
			waitSubscribers(t, a, 1)
			ingestQuake(t, a, 1, 5.0)
			last := first.quake()
			if last.Change != "INSERTED" || last.Earthquake.Magnitude != 5.0 {
				t.Fatalf("live: %+v", last)
			}
			first.conn.CloseNow()

			// While the client is away: a new event, one below its filter,
			// a revision of the one it has.
			ingestQuake(t, a, 2, 6.0)
			ingestQuake(t, a, 3, 4.0)
			ingestQuake(t, a, 1, 5.5)

			ws := openLive(t, srv.URL, nil)
			ws.subscribe("1", sinceSubscription, map[string]any{"f": map[string]any{"minMagnitude": 4.5},
				"since": last.StoredAt.Format(time.RFC3339Nano)})
			got := []quakeEvent{ws.quake(), ws.quake()}
			if got[0].Change != "INSERTED" || got[0].Earthquake.Magnitude != 6.0 ||
				got[1].Change != "UPDATED" || got[1].Earthquake.Magnitude != 5.5 || !got[1].StoredAt.After(got[0].StoredAt) {
				t.Fatalf("caught up with %+v; want the 6.0 inserted, then the 5.0 revised to 5.5", got)
			}

			// The seam: a live event for the version just replayed (as one
			// heard while the store was read) is not sent again; the next
			// event is.
			waitSubscribers(t, a, 1)
			qs, err := a.Store.EarthquakesStoredSince(context.Background(), mkg.EarthquakeFilter{MinMagnitude: mkg.Ptr(4.5)}, got[0].StoredAt, 10)
			if err != nil || len(qs) != 1 {
				t.Fatalf("the revised event: %v %v", qs, err)
			}
			q := qs[0]
			if err := a.Events.Publish(context.Background(), mkg.Event{Kind: mkg.EventEarthquake, At: time.Now(),
				Earthquake: &mkg.EarthquakeChange{ID: q.ID, Revision: true, Magnitude: q.Magnitude, Latitude: q.Latitude, Longitude: q.Longitude}}); err != nil {
				t.Fatal(err)
			}
			ingestQuake(t, a, 4, 6.5)
			if ev := ws.quake(); ev.Change != "INSERTED" || ev.Earthquake.Magnitude != 6.5 {
				t.Fatalf("after the seam: %+v, want the 6.5 (the replayed 5.5 dropped)", ev)
			}

			// Over server-sent events alike: the three stored since.
			_, sse := openEvents(t, srv.URL, "", sinceSubscription, map[string]any{"f": map[string]any{"minMagnitude": 4.5},
				"since": last.StoredAt.Format(time.RFC3339Nano)})
			for _, want := range []string{`"change":"INSERTED","storedAt":"[^"]*","earthquake":{"magnitude":6}`,
				`"change":"UPDATED","storedAt":"[^"]*","earthquake":{"magnitude":5.5}`,
				`"change":"INSERTED","storedAt":"[^"]*","earthquake":{"magnitude":6.5}`} {
				if ev := sse.expect(t, "next: "); !regexp.MustCompile(want).MatchString(ev) {
					t.Errorf("event stream: %s, want %s", ev, want)
				}
			}

			// Bounds: more than 3 events after since (4, whatever the
			// filter passes … here none filtered), and more than a day ago.
			for id, since := range map[string]time.Time{
				"2": last.StoredAt.Add(-time.Microsecond),
				"3": time.Now().Add(-25 * time.Hour),
			} {
				ws.subscribe(id, sinceSubscription, map[string]any{"since": since.Format(time.RFC3339Nano)})
				m := ws.expect("next")
				if !strings.Contains(string(m.Payload), `"BAD_USER_INPUT"`) || !strings.Contains(string(m.Payload), `"field":"since"`) {
					t.Errorf("since %s: %s, want BAD_USER_INPUT naming since", since, m.Payload)
				}
				if m := ws.expect("complete"); m.ID != id {
					t.Errorf("complete for %s, want %s", m.ID, id)
				}
			}
		})
	}
}

// TestObservationReceivedSince: reports stored before the subscription
// are replayed from since, through the station and area filters, under
// the caller's rights (a partner without SYNOP_L1: raw is FORBIDDEN, as
// live), then nothing more.
func TestObservationReceivedSince(t *testing.T) {
	for _, backend := range []string{"sqlite", "postgres"} {
		t.Run(backend, func(t *testing.T) {
			cfg := testConfig(t, backend)
			// The stations, Romania's among them, and no reports.
			cfg.demoFiles = func(name string) bool {
				return strings.HasPrefix(name, "stations/") && coreDemo(name) || name == "synop/romania-station_list.csv"
			}
			a, srv := startApp(t, cfg)
			key := partnerKey(t, a)
			since := time.Now().UTC()
			ingestSynop(t, a)
			ws := openLive(t, srv.URL, map[string]any{"Authorization": "Bearer " + key})
			const doc = `subscription($f: ObservationWatchFilter, $since: DateTime) { observationReceived(filter: $f, since: $since) {
				change storedAt observation { stationIndex decoded { airTemperature } raw { text } } } }`
			for id, tc := range map[string]struct {
				filter   map[string]any
				stations []string
			}{
				"1": {map[string]any{"wmoIndexes": []string{"15015", "15090"}}, []string{"15015", "15090"}},
				// OCNA SUGATAG (47.78 N, 23.93 E) alone.
				"2": {map[string]any{"bbox": map[string]any{"south": 47.5, "west": 23.5, "north": 48, "east": 24.5}}, []string{"15015"}},
			} {
				ws.subscribe(id, doc, map[string]any{"f": tc.filter, "since": since.Format(time.RFC3339Nano)})
				var seen []string
				for range tc.stations {
					m := ws.expect("next")
					p := observationMessage(t, m)
					ev := p.Data.ObservationReceived
					if ev.Change != "INSERTED" || !ev.StoredAt.After(since) || ev.Observation.Decoded == nil || ev.Observation.Raw != nil ||
						len(p.Errors) != 1 || p.Errors[0].Extensions["code"] != "FORBIDDEN" {
						t.Fatalf("subscription %s, replayed: %s", id, m.Payload)
					}
					seen = append(seen, ev.Observation.StationIndex)
				}
				if strings.Join(seen, ",") != strings.Join(tc.stations, ",") {
					t.Errorf("subscription %s replayed %v, want %v", id, seen, tc.stations)
				}
			}
			if m, err := ws.next(500 * time.Millisecond); err == nil {
				t.Fatalf("more than the filters' reports: %s", m.Payload)
			}
		})
	}
}
