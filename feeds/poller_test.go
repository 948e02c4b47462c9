package feeds_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"database/sql"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/bmkg/mkggraph/feeds"
	"github.com/bmkg/mkggraph/ingest"
	"github.com/bmkg/mkggraph/internal/testenv"
	"github.com/bmkg/mkggraph/mkg"
	"github.com/bmkg/mkggraph/sqlstore"
)

var quiet = slog.New(slog.DiscardHandler)

// forEachStore runs fn on a fresh SQLite store and a fresh PostgreSQL
// schema.
func forEachStore(t *testing.T, fn func(t *testing.T, s *sqlstore.Store)) {
	t.Run("sqlite", func(t *testing.T) { fn(t, openStore(t, "sqlite:"+filepath.Join(t.TempDir(), "feeds.db"))) })
	t.Run("postgres", func(t *testing.T) { fn(t, openStore(t, testenv.PostgresURL(t))) })
}

func openStore(t *testing.T, url string) *sqlstore.Store {
	t.Helper()
	s, err := sqlstore.Open(context.Background(), url, sqlstore.Options{Logger: quiet})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func sample(t *testing.T, name string) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("..", "format", "bmkgquake", "testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// upstream is a real HTTP server standing for an agency's feed: it serves
// body with an ETag (answering 304 to a matching If-None-Match) unless
// told to misbehave, and counts the requests it gets.
type upstream struct {
	*httptest.Server
	mu       sync.Mutex
	body     []byte
	etags    bool
	handler  http.HandlerFunc // replaces the normal answer when set
	requests atomic.Int64
	lastINM  atomic.Value
}

func newUpstream(t *testing.T, body []byte) *upstream {
	u := &upstream{body: body, etags: true}
	u.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		u.requests.Add(1)
		u.lastINM.Store(r.Header.Get("If-None-Match"))
		u.mu.Lock()
		body, etags, h := u.body, u.etags, u.handler
		u.mu.Unlock()
		if h != nil {
			h(w, r)
			return
		}
		if etags {
			tag := fmt.Sprintf(`"%x"`, sha256.Sum256(body))
			if r.Header.Get("If-None-Match") == tag {
				w.WriteHeader(http.StatusNotModified)
				return
			}
			w.Header().Set("ETag", tag)
		}
		w.Header().Set("Content-Type", "application/json")
		w.Write(body)
	}))
	t.Cleanup(u.Close)
	return u
}

func (u *upstream) serve(body []byte, etags bool) {
	u.mu.Lock()
	u.body, u.etags, u.handler = body, etags, nil
	u.mu.Unlock()
}

func (u *upstream) misbehave(h http.HandlerFunc) {
	u.mu.Lock()
	u.handler = h
	u.mu.Unlock()
}

type harness struct {
	store  *sqlstore.Store
	poller *feeds.Poller
	clock  *clock
}

type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.now }
func (c *clock) advance(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}

func newHarness(t *testing.T, s *sqlstore.Store, opt feeds.Options) *harness {
	c := &clock{now: time.Now().UTC()}
	if opt.Now == nil {
		opt.Now = c.Now
	}
	opt.Jitter = func() float64 { return 0.5 }
	if opt.Timeout == 0 {
		opt.Timeout = 2 * time.Second
	}
	return &harness{store: s, poller: feeds.New(s, ingest.New(s, quiet), quiet, opt), clock: c}
}

func (h *harness) add(t *testing.T, name, url, format string) {
	t.Helper()
	on := true
	in := mkg.FeedInput{Name: name, Kind: mkg.FeedHTTP, URL: url, Format: format, Interval: 30 * time.Second, Enabled: &on}
	if err := in.Validate("input", ingest.FormatNames()); err != nil {
		t.Fatal(err)
	}
	if _, err := h.store.CreateFeed(context.Background(), mkg.Actor{Label: "test"}, in); err != nil {
		t.Fatal(err)
	}
}

func (h *harness) poll(t *testing.T, name string) *mkg.Feed {
	t.Helper()
	if err := h.poller.Poll(context.Background(), name); err != nil {
		t.Fatal(err)
	}
	f, err := h.store.Feed(context.Background(), name)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func (h *harness) quakes(t *testing.T) int {
	t.Helper()
	n, err := h.store.CountEarthquakes(context.Background(), mkg.EarthquakeFilter{})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// writes counts the statements that change something while fn runs.
func writes(s *sqlstore.Store, fn func()) []string {
	var mu sync.Mutex
	var w []string
	stop := s.Trace(func(q string, _ []any) {
		head := strings.ToUpper(strings.TrimSpace(q))
		for _, verb := range []string{"INSERT", "UPDATE", "DELETE", "UPSERT", "COPY"} {
			if strings.HasPrefix(head, verb) || strings.Contains(head, "\n"+verb) {
				mu.Lock()
				w = append(w, q)
				mu.Unlock()
			}
		}
	})
	defer stop()
	fn()
	return w
}

// TestUnchangedFeedWritesNothing: the first poll ingests the real
// gempaterkini.json; the next, with the source unchanged, costs one
// conditional request (answered 304) and no database write; a source that
// ignores validators and sends the same body again writes nothing either.
func TestUnchangedFeedWritesNothing(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *sqlstore.Store) {
		up := newUpstream(t, sample(t, "bmkg-gempaterkini-20230712.json"))
		h := newHarness(t, s, feeds.Options{AllowPrivate: true})
		h.add(t, "terkini", up.URL+"/DataMKG/TEWS/gempaterkini.json", "bmkg-infogempa")
		f := h.poll(t, "terkini")
		if f.State.LastError != "" || f.State.LastRun.Inserted != 15 || f.State.Totals.Inserted != 15 || f.State.ETag == "" || f.State.BodyHash == "" {
			t.Fatalf("first poll: state %+v", f.State)
		}
		if n := h.quakes(t); n != 15 {
			t.Fatalf("%d earthquakes stored, want 15", n)
		}
		before := *f
		h.clock.advance(31 * time.Second)
		reqs := up.requests.Load()
		stmts := s.Statements()
		w := writes(s, func() {
			if err := h.poller.Poll(context.Background(), "terkini"); err != nil {
				t.Fatal(err)
			}
		})
		// One statement: the read of the feed (its validators, its state).
		if got := s.Statements() - stmts; got != 1 {
			t.Errorf("unchanged poll sent %d statements, want 1 (the feed's read)", got)
		}
		if got := up.requests.Load() - reqs; got != 1 {
			t.Errorf("unchanged poll made %d requests, want 1", got)
		}
		if inm := up.lastINM.Load(); inm != before.State.ETag {
			t.Errorf("If-None-Match %q, want the stored ETag %q", inm, before.State.ETag)
		}
		if len(w) > 0 {
			t.Errorf("unchanged poll (304) wrote: %v", w)
		}
		after, _ := s.Feed(context.Background(), "terkini")
		if !reflect.DeepEqual(before, *after) {
			t.Errorf("the feed row changed:\n%+v\n%+v", before, *after)
		}

		up.serve(sample(t, "bmkg-gempaterkini-20230712.json"), false) // no validators: 200 and the same body
		h.clock.advance(31 * time.Second)
		reqs = up.requests.Load()
		w = writes(s, func() { h.poll(t, "terkini") })
		if got := up.requests.Load() - reqs; got != 1 {
			t.Errorf("same-body poll made %d requests, want 1", got)
		}
		// The ETag the source no longer sends is the one write: the stored
		// validators must not be sent to a source that dropped them.
		if len(w) != 1 || !strings.Contains(w[0], "UPDATE feeds") {
			t.Errorf("same-body poll wrote %v, want only the feed's validators", w)
		}
		h.clock.advance(31 * time.Second)
		w = writes(s, func() { h.poll(t, "terkini") })
		if len(w) > 0 {
			t.Errorf("second same-body poll wrote: %v", w)
		}
		if n := h.quakes(t); n != 15 {
			t.Fatalf("%d earthquakes stored, want 15", n)
		}
	})
}

// TestRevisedEventUpdatesItsRecord: autogempa.json revised upstream (a new
// magnitude) updates the stored event, not a second one.
func TestRevisedEventUpdatesItsRecord(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *sqlstore.Store) {
		orig := sample(t, "bmkg-autogempa-20211005-dompu.json")
		up := newUpstream(t, orig)
		h := newHarness(t, s, feeds.Options{AllowPrivate: true})
		h.add(t, "auto", up.URL+"/autogempa.json", "bmkg-infogempa")
		if f := h.poll(t, "auto"); f.State.LastRun.Inserted != 1 {
			t.Fatalf("first poll: %+v", f.State)
		}
		revised := bytes.Replace(orig, []byte(`"Magnitude": "4.5"`), []byte(`"Magnitude": "4.7"`), 1)
		if bytes.Equal(revised, orig) {
			t.Fatal("the sample's magnitude was not found to revise")
		}
		up.serve(revised, true)
		h.clock.advance(31 * time.Second)
		f := h.poll(t, "auto")
		if f.State.LastRun != (mkg.FeedCounts{Updated: 1}) || f.State.Totals.Inserted != 1 || f.State.Totals.Updated != 1 {
			t.Fatalf("revision: last run %+v, totals %+v", f.State.LastRun, f.State.Totals)
		}
		q, err := s.LatestEarthquake(context.Background())
		if err != nil || q.Magnitude == nil || *q.Magnitude != 4.7 || h.quakes(t) != 1 {
			t.Fatalf("after the revision: %+v, %v, %d events", q, err, h.quakes(t))
		}
	})
}

// TestBadUpstreams: a 500, a hang, garbage, an HTML error page, a body cut
// short, a file cut short and a body that never ends are each recorded as
// the feed's error with the reason, store nothing, back the feed off, and
// leave another feed polled meanwhile unaffected.
func TestBadUpstreams(t *testing.T) {
	garbage := bytes.Repeat([]byte{0x00, 0x9f, 0x42, 0x17}, 400)
	terkini := func(t *testing.T) []byte { return sample(t, "bmkg-gempaterkini-20230712.json") }
	cases := []struct {
		name   string
		answer func(t *testing.T) http.HandlerFunc
		reason string
	}{
		{"500", func(*testing.T) http.HandlerFunc {
			return func(w http.ResponseWriter, r *http.Request) { http.Error(w, "boom", http.StatusInternalServerError) }
		}, "HTTP 500"},
		{"hang", func(*testing.T) http.HandlerFunc {
			return func(w http.ResponseWriter, r *http.Request) {
				select {
				case <-r.Context().Done():
				case <-time.After(5 * time.Second):
				}
			}
		}, "timeout"},
		{"garbage", func(*testing.T) http.HandlerFunc {
			return func(w http.ResponseWriter, r *http.Request) { w.Write(garbage) }
		}, "not in a recognised format"},
		{"html", func(*testing.T) http.HandlerFunc {
			return func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "text/html")
				w.Write([]byte("<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head><body><h1>Bad Gateway</h1></body></html>"))
			}
		}, "HTML page"},
		{"truncated-transfer", func(t *testing.T) http.HandlerFunc {
			body := terkini(t)
			return func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Length", fmt.Sprint(len(body)))
				w.Write(body[:len(body)/2])
			}
		}, "truncated"},
		{"truncated-file", func(t *testing.T) http.HandlerFunc {
			body := terkini(t)
			return func(w http.ResponseWriter, r *http.Request) { w.Write(body[:len(body)*2/3]) }
		}, "bmkg-infogempa"},
		{"endless", func(*testing.T) http.HandlerFunc {
			return func(w http.ResponseWriter, r *http.Request) {
				chunk := bytes.Repeat([]byte(`{"Infogempa":`), 1024)
				for r.Context().Err() == nil {
					if _, err := w.Write(chunk); err != nil {
						return
					}
				}
			}
		}, "past the limit"},
	}
	forEachStore(t, func(t *testing.T, s *sqlstore.Store) {
		good := newUpstream(t, sample(t, "bmkg-gempadirasakan-20251224.json"))
		h := newHarness(t, s, feeds.Options{AllowPrivate: true, Timeout: 500 * time.Millisecond, MaxBytes: 1 << 20})
		h.add(t, "good", good.URL+"/gempadirasakan.json", "bmkg-infogempa")
		for _, c := range cases {
			bad := newUpstream(t, []byte("x"))
			bad.misbehave(c.answer(t))
			h.add(t, c.name, bad.URL+"/gempaterkini.json", "bmkg-infogempa")
			var wg sync.WaitGroup
			wg.Add(1)
			go func() { defer wg.Done(); h.poll(t, "good") }()
			start := h.clock.Now()
			f := h.poll(t, c.name)
			wg.Wait()
			t.Logf("%s: %s", c.name, f.State.LastError)
			if !strings.Contains(f.State.LastError, c.reason) {
				t.Errorf("%s: last error %q, want it to say %q", c.name, f.State.LastError, c.reason)
			}
			if f.State.Failures != 1 || f.State.LastErrorAt == nil || f.State.LastSuccessAt != nil || f.State.Totals != (mkg.FeedCounts{}) {
				t.Errorf("%s: state %+v", c.name, f.State)
			}
			if f.State.NextRunAt == nil || f.State.NextRunAt.Sub(start) < 44*time.Second {
				t.Errorf("%s: next run %v, want backed off past the 30 s interval", c.name, f.State.NextRunAt)
			}
			g, _ := s.Feed(context.Background(), "good")
			if g.State.LastError != "" || g.State.Totals.Inserted != 15 {
				t.Errorf("%s: the good feed was affected: %+v", c.name, g.State)
			}
			if n := h.quakes(t); n != 15 {
				t.Errorf("%s: %d earthquakes, want only the good feed's 15", c.name, n)
			}
		}
		// A second failure doubles the wait; a success clears the error.
		bad := newUpstream(t, []byte("x"))
		bad.misbehave(cases[0].answer(t))
		h.add(t, "flaky", bad.URL+"/autogempa.json", "")
		h.poll(t, "flaky")
		h.clock.advance(time.Minute)
		at := h.clock.Now()
		f := h.poll(t, "flaky")
		// failures 2: wait = 30 s × 4 = 2 min, with jitter 0.5: 1.5 min.
		if f.State.Failures != 2 || !f.State.NextRunAt.Equal(at.Add(90*time.Second).Truncate(time.Microsecond)) {
			t.Errorf("second failure: failures %d, next %v (from %v)", f.State.Failures, f.State.NextRunAt, at)
		}
		bad.serve(sample(t, "bmkg-autogempa-20211005-dompu.json"), true)
		f = h.poll(t, "flaky")
		if f.State.Failures != 0 || f.State.LastError != "" || f.State.LastSuccessAt == nil || f.State.LastErrorAt == nil {
			t.Errorf("recovery: %+v", f.State)
		}
	})
}

// TestPrivateAddressesRefused: without -feeds-allow-private a feed on the
// loopback address is refused at dial time, the request never made.
func TestPrivateAddressesRefused(t *testing.T) {
	s := openStore(t, "sqlite:"+filepath.Join(t.TempDir(), "feeds.db"))
	up := newUpstream(t, sample(t, "bmkg-autogempa-20211005-dompu.json"))
	h := newHarness(t, s, feeds.Options{})
	h.add(t, "local", strings.Replace(up.URL, "127.0.0.1", "localhost", 1)+"/autogempa.json", "")
	f := h.poll(t, "local")
	if !strings.Contains(f.State.LastError, "not a public address") || up.requests.Load() != 0 {
		t.Fatalf("error %q, %d requests", f.State.LastError, up.requests.Load())
	}
}

// TestDatabaseFailureIsRetried: records the database fails to store fail
// the poll, and the same body is ingested on the next poll rather than
// taken as done (SQLite, with a trigger refusing new earthquakes).
func TestDatabaseFailureIsRetried(t *testing.T) {
	path := filepath.Join(t.TempDir(), "feeds.db")
	s := openStore(t, "sqlite:"+path)
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec(`CREATE TRIGGER refuse BEFORE INSERT ON earthquakes BEGIN SELECT RAISE(ABORT, 'disk full'); END`); err != nil {
		t.Fatal(err)
	}
	up := newUpstream(t, sample(t, "bmkg-autogempa-20211005-dompu.json"))
	h := newHarness(t, s, feeds.Options{AllowPrivate: true})
	h.add(t, "auto", up.URL+"/autogempa.json", "")
	f := h.poll(t, "auto")
	if !strings.Contains(f.State.LastError, "database failure") || f.State.BodyHash != "" || f.State.ETag != "" || f.State.Failures != 1 {
		t.Fatalf("with the database failing: %+v", f.State)
	}
	if _, err := db.Exec(`DROP TRIGGER refuse`); err != nil {
		t.Fatal(err)
	}
	h.clock.advance(2 * time.Minute)
	f = h.poll(t, "auto")
	if f.State.LastError != "" || f.State.Totals.Inserted != 1 || h.quakes(t) != 1 {
		t.Fatalf("after the database recovered: %+v", f.State)
	}
}

// TestNoContentIsNothingNew: an FDSN event query matching nothing answers
// 204; the poll succeeds and writes nothing but the feed's first fetch.
func TestNoContentIsNothingNew(t *testing.T) {
	s := openStore(t, "sqlite:"+filepath.Join(t.TempDir(), "feeds.db"))
	up := newUpstream(t, []byte("x"))
	up.misbehave(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusNoContent) })
	h := newHarness(t, s, feeds.Options{AllowPrivate: true})
	h.add(t, "usgs", up.URL+"/fdsnws/event/1/query?format=quakeml", "quakeml")
	f := h.poll(t, "usgs")
	if f.State.LastError != "" || f.State.Failures != 0 || f.State.LastSuccessAt == nil || h.quakes(t) != 0 {
		t.Fatalf("204: %+v", f.State)
	}
	h.clock.advance(time.Minute)
	if w := writes(s, func() { h.poll(t, "usgs") }); len(w) > 0 {
		t.Errorf("a second 204 wrote %v", w)
	}
}
