package authn

import (
	"context"
	"net"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/bmkg/mkggraph/cache"
	"github.com/bmkg/mkggraph/inmem"
	"github.com/bmkg/mkggraph/internal/testenv"
	"github.com/bmkg/mkggraph/mkg"
	"github.com/bmkg/mkggraph/redis"
	"github.com/bmkg/mkggraph/sqlstore"
)

func TestLimiterCounts(t *testing.T) {
	ctx := context.Background()
	l := NewLimiter(3, 200*time.Millisecond, nil, quiet)
	for i := range 3 {
		if l.Blocked(ctx, "10.0.0.1", "") {
			t.Fatal("blocked too early")
		}
		if over := l.Fail(ctx, "10.0.0.1", "mkg_0000000"+strconv.Itoa(i)); over {
			t.Fatalf("failure %d counted as over the limit", i+1)
		}
	}
	if !l.Blocked(ctx, "10.0.0.1", "") || !l.Fail(ctx, "10.0.0.1", "") {
		t.Error("not blocked after 3 failures")
	}
	if l.Blocked(ctx, "10.0.0.2", "mkg_00000000") {
		t.Error("another client is blocked")
	}
	// One prefix guessed from many addresses.
	for i := range 3 {
		l.Fail(ctx, "192.0.2."+strconv.Itoa(i), "mkg_aaaaaaaa")
	}
	if !l.Blocked(ctx, "192.0.2.99", "mkg_aaaaaaaa") || l.Blocked(ctx, "192.0.2.99", "mkg_bbbbbbbb") {
		t.Error("the prefix guessed 3 times is not blocked, or another one is")
	}
	// IPv6 clients are counted by their /64.
	for i := range 3 {
		l.Fail(ctx, "2001:db8:1:2::"+strconv.Itoa(i+1), "")
	}
	if !l.Blocked(ctx, "2001:db8:1:2:ffff::1", "") || l.Blocked(ctx, "2001:db8:1:3::1", "") {
		t.Error("IPv6: the /64 is not blocked, or its neighbour is")
	}
	time.Sleep(250 * time.Millisecond)
	if l.Blocked(ctx, "10.0.0.1", "mkg_aaaaaaaa") {
		t.Error("still blocked after the window")
	}
}

// world is a store with one partner key, and authenticators on it.
type world struct {
	store *sqlstore.Store
	key   string // a valid key
}

func newWorld(t *testing.T) *world {
	t.Helper()
	ctx := context.Background()
	s, err := sqlstore.Open(ctx, "sqlite:"+filepath.Join(t.TempDir(), "a.db"), sqlstore.Options{Logger: quiet})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	acct, err := s.CreateAccount(ctx, mkg.Actor{Label: "test"}, mkg.AccountInput{Organisation: "Campus", ContactName: "C",
		ContactEmail: "c@example.org", Application: mkg.ClientApplication{Name: "a"}})
	if err != nil {
		t.Fatal(err)
	}
	key, _, err := s.IssueKey(ctx, mkg.Actor{Label: "test"}, acct.ID, "", nil)
	if err != nil {
		t.Fatal(err)
	}
	return &world{store: s, key: key}
}

// authenticator is one server instance: its own in-process cache, and the
// given limiter.
func (w *world) authenticator(l *Limiter) *Authenticator {
	return NewAuthenticator(w.store, cache.NewResilient(inmem.NewCache(0), "memory", quiet), quiet, nil).WithLimiter(l)
}

func badKey() string { k, _, _ := mkg.NewAPIKey(); return k }

// flood sends n fresh bad keys from client and returns the last error.
func flood(a *Authenticator, client string, n int) error {
	var err error
	for range n {
		_, err = a.Authenticate(context.Background(), "Bearer "+badKey(), client)
	}
	return err
}

// TestValidKeyBehindAThrottledAddress: once a NAT address has sent 20 bad
// keys its bad keys get 429, and cost no lookup each, but a valid key from
// the same address still authenticates, cached or not.
func TestValidKeyBehindAThrottledAddress(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	a := w.authenticator(NewLimiter(20, time.Minute, nil, quiet))
	if err := flood(a, "203.0.113.7", 20); mkg.ErrorCode(err) != mkg.EUNAUTHENTICATED {
		t.Fatalf("20th bad key: %v, want UNAUTHENTICATED", err)
	}
	before := w.store.Statements()
	if err := flood(a, "203.0.113.7", 40); err != mkg.ErrTooManyFailures {
		t.Fatalf("bad keys after the 20th: %v, want mkg.ErrTooManyFailures", err)
	}
	// Each costs the access-version read every request makes; the key
	// index is read once.
	if n := w.store.Statements() - before; n > 41 {
		t.Errorf("40 bad keys from a throttled address cost %d statements, want at most 41", n)
	}
	// The valid key, never seen by this instance: it passes.
	p, err := a.Authenticate(ctx, "Bearer "+w.key, "203.0.113.7")
	if err != nil || p.Anonymous() {
		t.Fatalf("valid key behind the throttled address: %v", err)
	}
	if _, err := a.Authenticate(ctx, "Bearer "+w.key, "203.0.113.7"); err != nil {
		t.Fatalf("valid key again: %v", err)
	}
	// A key issued after the index was read passes too (the index follows
	// the access version).
	acct, _ := w.store.CreateAccount(ctx, mkg.Actor{Label: "test"}, mkg.AccountInput{Organisation: "New", ContactName: "C",
		ContactEmail: "c@example.org", Application: mkg.ClientApplication{Name: "a"}})
	fresh, _, _ := w.store.IssueKey(ctx, mkg.Actor{Label: "test"}, acct.ID, "", nil)
	if _, err := a.Authenticate(ctx, "Bearer "+fresh, "203.0.113.7"); err != nil {
		t.Fatalf("key issued during the block: %v", err)
	}
	// Another address is not throttled.
	if _, err := a.Authenticate(ctx, "Bearer "+badKey(), "198.51.100.1"); mkg.ErrorCode(err) != mkg.EUNAUTHENTICATED {
		t.Errorf("bad key from another address: %v, want UNAUTHENTICATED", err)
	}
}

// TestGuessingOnePrefix: secrets guessed for one known prefix from many
// addresses are throttled by the prefix; the prefix's own key still works.
func TestGuessingOnePrefix(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	a := w.authenticator(NewLimiter(20, time.Minute, nil, quiet))
	prefix, _ := mkg.KeyPrefix(w.key)
	guess := func(i int) error {
		g := []byte(badKey())
		copy(g, prefix)
		_, err := a.Authenticate(ctx, "Bearer "+string(g), "198.51.100."+strconv.Itoa(i))
		return err
	}
	for i := range 20 {
		if err := guess(i); mkg.ErrorCode(err) != mkg.EUNAUTHENTICATED {
			t.Fatalf("guess %d: %v", i+1, err)
		}
	}
	if err := guess(100); err != mkg.ErrTooManyFailures {
		t.Errorf("21st guess of one prefix from a new address: %v, want mkg.ErrTooManyFailures", err)
	}
	if _, err := a.Authenticate(ctx, "Bearer "+w.key, "198.51.100.200"); err != nil {
		t.Errorf("the prefix's own key: %v", err)
	}
}

// TestLimitsSharedThroughRedis: two instances count bad keys together.
func TestLimitsSharedThroughRedis(t *testing.T) {
	url, prefix := testenv.RedisURL(t)
	w := newWorld(t)
	instance := func() *Authenticator {
		rc, err := redis.New(url, prefix, quiet)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { rc.Close() })
		return w.authenticator(NewLimiter(20, time.Minute, rc, quiet))
	}
	a, b := instance(), instance()
	flood(a, "203.0.113.9", 10)
	if err := flood(b, "203.0.113.9", 10); mkg.ErrorCode(err) != mkg.EUNAUTHENTICATED {
		t.Fatalf("20th bad key overall: %v", err)
	}
	for name, inst := range map[string]*Authenticator{"a": a, "b": b} {
		if err := flood(inst, "203.0.113.9", 1); err != mkg.ErrTooManyFailures {
			t.Errorf("instance %s after 20 bad keys on both: %v, want mkg.ErrTooManyFailures", name, err)
		}
		if _, err := inst.Authenticate(context.Background(), "Bearer "+w.key, "203.0.113.9"); err != nil {
			t.Errorf("instance %s, valid key: %v", name, err)
		}
	}
}

// TestLimitsWithRedisDown: when Redis dies the limiter counts in-process:
// no client gets an error for it, and a bad key does not wait on Redis.
func TestLimitsWithRedisDown(t *testing.T) {
	bin, err := exec.LookPath("redis-server")
	if err != nil {
		testenv.Missing(t, "redis-server not installed")
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := strconv.Itoa(ln.Addr().(*net.TCPAddr).Port)
	ln.Close()
	srv := exec.Command(bin, "--port", port, "--bind", "127.0.0.1", "--save", "", "--appendonly", "no")
	if err := srv.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Process.Kill(); srv.Wait() })
	rc, err := redis.New("redis://127.0.0.1:"+port+"/0", "t:", quiet)
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	for i := 0; rc.Ping(context.Background()) != nil; i++ { // New does not wait for the server
		if i == 100 {
			t.Fatal("redis-server does not answer")
		}
		time.Sleep(50 * time.Millisecond)
	}
	w := newWorld(t)
	a := w.authenticator(NewLimiter(20, time.Minute, rc, quiet))
	flood(a, "203.0.113.10", 5) // counted in Redis
	srv.Process.Kill()
	srv.Wait()

	start := time.Now()
	if err := flood(a, "203.0.113.10", 20); mkg.ErrorCode(err) != mkg.EUNAUTHENTICATED {
		t.Fatalf("bad keys with Redis down: %v, want UNAUTHENTICATED (counted afresh in-process)", err)
	}
	if err := flood(a, "203.0.113.10", 1); err != mkg.ErrTooManyFailures {
		t.Errorf("21st bad key counted in-process: %v, want mkg.ErrTooManyFailures", err)
	}
	if _, err := a.Authenticate(context.Background(), "Bearer "+w.key, "203.0.113.10"); err != nil {
		t.Errorf("valid key with Redis down: %v", err)
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("22 authentications with Redis down took %v: the limiter waits on Redis", d)
	}
}
