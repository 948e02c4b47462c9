package feeds_test

import (
	"context"
	"database/sql"
	"net"
	neturl "net/url"
	"sync/atomic"
	"testing"
	"time"

	_ "github.com/lib/pq"

	"github.com/bmkg/mkggraph/feeds"
	"github.com/bmkg/mkggraph/ingest"
	"github.com/bmkg/mkggraph/internal/testenv"
	"github.com/bmkg/mkggraph/mkg"
	"github.com/bmkg/mkggraph/sqlstore"
)

const leaseCheck = 200 * time.Millisecond

func tryLease(s *sqlstore.Store) func(ctx context.Context) (feeds.Lease, error) {
	return func(ctx context.Context) (feeds.Lease, error) {
		l, err := s.TryPollerLease(ctx, leaseCheck)
		if l == nil {
			return nil, err
		}
		return l, nil
	}
}

func terminate(t *testing.T, url string, pid int) {
	t.Helper()
	db, err := sql.Open("postgres", url)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var ok bool
	if err := db.QueryRow(`SELECT pg_terminate_backend($1)`, pid).Scan(&ok); err != nil || !ok {
		t.Fatalf("terminate backend %d: %v %v", pid, ok, err)
	}
}

// TestPollerLeaseFailover: two instances on one PostgreSQL schema; one
// holds the lease, the other cannot take it; when the holder's session is
// killed the holder learns it lost the lease and the other takes it.
func TestPollerLeaseFailover(t *testing.T) {
	url := testenv.PostgresURL(t)
	a, b := openStore(t, url), openStore(t, url)
	ctx := context.Background()
	la, err := a.TryPollerLease(ctx, leaseCheck)
	if err != nil || la == nil {
		t.Fatalf("first instance: %v, %v", la, err)
	}
	defer la.Release()
	if lb, err := b.TryPollerLease(ctx, leaseCheck); err != nil || lb != nil {
		t.Fatalf("second instance took a held lease: %v, %v", lb, err)
	}
	killed := time.Now()
	terminate(t, url, la.BackendPID())
	select {
	case <-la.Lost():
	case <-time.After(5 * leaseCheck):
		t.Fatal("the holder did not learn its session was killed")
	}
	lb, err := b.TryPollerLease(ctx, leaseCheck)
	if err != nil || lb == nil {
		t.Fatalf("second instance could not take the freed lease: %v", err)
	}
	t.Logf("taken over %v after the holder's session was killed", time.Since(killed))
	// A released lease is free at once.
	lb.Release()
	lc, err := a.TryPollerLease(ctx, leaseCheck)
	if err != nil || lc == nil {
		t.Fatalf("after release: %v", err)
	}
	lc.Release()
}

// countingIngester is the real ingest path, counting the files it gets.
type countingIngester struct {
	*ingest.Ingester
	files atomic.Int64
}

func (c *countingIngester) File(ctx context.Context, name string, data []byte, opt ingest.Options) (*ingest.Summary, error) {
	c.files.Add(1)
	return c.Ingester.File(ctx, name, data, opt)
}

// TestOneInstancePolls: two pollers run on one PostgreSQL schema; only one
// polls; when it dies (its context ends and its session is killed), the
// other takes over within a bounded time.
func TestOneInstancePolls(t *testing.T) {
	url := testenv.PostgresURL(t)
	a, b := openStore(t, url), openStore(t, url)
	up := newUpstream(t, sample(t, "bmkg-autogempa-20211005-dompu.json"))
	up.serve(sample(t, "bmkg-autogempa-20211005-dompu.json"), false)
	on := true
	if _, err := a.CreateFeed(context.Background(), mkg.Actor{Label: "test"}, mkg.FeedInput{Name: "auto", Kind: mkg.FeedHTTP, URL: up.URL + "/autogempa.json",
		Interval: mkg.MinFeedInterval, Enabled: &on}); err != nil {
		t.Fatal(err)
	}
	start := func(s *sqlstore.Store) (*countingIngester, context.CancelFunc, chan struct{}) {
		in := &countingIngester{Ingester: ingest.New(s, quiet)}
		p := feeds.New(s, in, quiet, feeds.Options{TryLease: tryLease(s), LeaseRetry: leaseCheck, AllowPrivate: true,
			Reload: 100 * time.Millisecond, Timeout: time.Second})
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan struct{})
		go func() { p.Run(ctx); close(done) }()
		return in, cancel, done
	}
	// Each poll gets a 200 with the same body: the requests count polls,
	// the body hash keeps them from being ingested again.
	ia, cancelA, doneA := start(a)
	defer func() { cancelA(); <-doneA }()
	waitFor(t, 5*time.Second, func() bool { return up.requests.Load() >= 1 })
	ib, cancelB, doneB := start(b)
	defer func() { cancelB(); <-doneB }()
	// Over two more intervals, one instance polls: two or three requests
	// (one or two on a loaded machine; two pollers would make four).
	before := up.requests.Load()
	time.Sleep(2*mkg.MinFeedInterval + 500*time.Millisecond)
	if n := up.requests.Load() - before; n < 1 || n > 3 {
		t.Fatalf("%d requests in two intervals, want at most 3 (one poller)", n)
	}
	if ia.files.Load() != 1 || ib.files.Load() != 0 {
		t.Fatalf("files ingested: leader %d, standby %d; want 1 and 0", ia.files.Load(), ib.files.Load())
	}
	// The leader dies: its process ends, and with it its session.
	pid := leaseHolder(t, url)
	terminate(t, url, pid)
	cancelA()
	<-doneA
	died := time.Now()
	before = up.requests.Load()
	waitFor(t, mkg.MinFeedInterval+2*time.Second, func() bool { return up.requests.Load() > before })
	t.Logf("the standby polled %v after the leader died", time.Since(died))
}

// leaseHolder returns the PostgreSQL backend holding an advisory lock in
// the database (the test's schema is the only poller there).
func leaseHolder(t *testing.T, url string) int {
	t.Helper()
	db, err := sql.Open("postgres", url)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var pid int
	err = db.QueryRow(`SELECT l.pid FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
		WHERE l.locktype = 'advisory' AND l.granted AND a.datname = current_database()
		AND l.objid = (hashtext(current_schema() || '.mkg-feed-poller')::bigint & 4294967295)::oid`).Scan(&pid)
	if err != nil {
		t.Fatalf("lease holder: %v", err)
	}
	return pid
}

func waitFor(t *testing.T, d time.Duration, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(d)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("not within %v", d)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// freezer is a TCP proxy in front of PostgreSQL that can stop forwarding
// while keeping the connections open: a holder cut off by the network, or
// hung, whose TCP connection never closes.
type freezer struct {
	ln     net.Listener
	target string
	frozen atomic.Bool
}

func newFreezer(t *testing.T, target string) *freezer {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	f := &freezer{ln: ln, target: target}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go f.serve(c)
		}
	}()
	return f
}

func (f *freezer) serve(c net.Conn) {
	defer c.Close()
	up, err := net.Dial("tcp", f.target)
	if err != nil {
		return
	}
	defer up.Close()
	pump := func(dst, src net.Conn) {
		buf := make([]byte, 32<<10)
		for {
			n, err := src.Read(buf)
			for f.frozen.Load() {
				time.Sleep(50 * time.Millisecond) // hold the bytes: nothing passes, nothing closes
			}
			if n > 0 {
				if _, err := dst.Write(buf[:n]); err != nil {
					return
				}
			}
			if err != nil {
				return
			}
		}
	}
	go pump(up, c)
	pump(c, up)
}

// TestPollerLeaseFailoverWhenHolderIsCutOff: the holder's connection stops
// passing anything but stays open (no RST, no FIN). The holder notices its
// check failing and stops; PostgreSQL ends the silent session after its
// idle_session_timeout, and the other instance takes the lease.
func TestPollerLeaseFailoverWhenHolderIsCutOff(t *testing.T) {
	direct := testenv.PostgresURL(t)
	u, err := neturl.Parse(direct)
	if err != nil {
		t.Fatal(err)
	}
	fr := newFreezer(t, u.Host)
	viaProxy := *u
	viaProxy.Host = fr.ln.Addr().String()
	a, b := openStore(t, viaProxy.String()), openStore(t, direct)
	ctx := context.Background()
	const check = 500 * time.Millisecond
	la, err := a.TryPollerLease(ctx, check)
	if err != nil || la == nil {
		t.Fatalf("first instance: %v, %v", la, err)
	}
	defer la.Release()
	fr.frozen.Store(true)
	cut := time.Now()
	select {
	case <-la.Lost():
	case <-time.After(4 * check):
		t.Fatal("the cut-off holder did not notice")
	}
	var lb *sqlstore.PollerLease
	waitFor(t, 10*time.Second, func() bool {
		lb, err = b.TryPollerLease(ctx, check)
		return err == nil && lb != nil
	})
	defer lb.Release()
	t.Logf("the holder noticed and the other instance took over %v after the cut (idle_session_timeout 5 s)", time.Since(cut))
}
