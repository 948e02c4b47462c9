package notify

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/bmkg/mkggraph/mkg"
)

// memStore is the outbox side of a ticket store, in memory, with the
// contract's semantics: undelivered and due at now, oldest first, limited;
// each recorded attempt counted. failPending/failSent/failFailed make the
// next calls of that method fail.
type memStore struct {
	mu                                sync.Mutex
	notes                             []mkg.Notification
	failPending, failSent, failFailed int
}

var errStoreDown = errors.New("database is down")

func (s *memStore) add(to, subject string, created time.Time) int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	id := int64(len(s.notes) + 1)
	s.notes = append(s.notes, mkg.Notification{ID: id, TicketID: 100 + id, To: to, Subject: subject,
		Body: "Isi pesan " + subject, CreatedAt: created, NextAttempt: created})
	return id
}

func (s *memStore) get(id int64) mkg.Notification {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.notes[id-1]
}

func (s *memStore) ClaimNotifications(ctx context.Context, now, until time.Time, limit int) ([]mkg.Notification, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.failPending > 0 {
		s.failPending--
		return nil, errStoreDown
	}
	var due []mkg.Notification
	for _, n := range s.notes {
		if n.SentAt == nil && n.FailedAt == nil && !n.NextAttempt.After(now) {
			due = append(due, n)
		}
	}
	slices.SortStableFunc(due, func(a, b mkg.Notification) int { return a.CreatedAt.Compare(b.CreatedAt) })
	due = due[:min(limit, len(due))]
	for _, n := range due {
		s.notes[n.ID-1].NextAttempt = until
	}
	return due, nil
}

func (s *memStore) NotificationSent(ctx context.Context, id int64, at time.Time) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.failSent > 0 {
		s.failSent--
		return errStoreDown
	}
	n := &s.notes[id-1]
	n.Attempts++
	n.SentAt = &at
	return nil
}

func (s *memStore) NotificationFailed(ctx context.Context, id int64, at time.Time, msg string, next time.Time) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.failFailed > 0 {
		s.failFailed--
		return errStoreDown
	}
	n := &s.notes[id-1]
	n.Attempts++
	n.LastError, n.NextAttempt = msg, next
	return nil
}

func (s *memStore) NotificationGaveUp(ctx context.Context, id int64, at time.Time, msg string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := &s.notes[id-1]
	n.Attempts++
	n.LastError, n.FailedAt = msg, &at
	return nil
}

// clock is a controllable Options.Now.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }

func (c *clock) Advance(d time.Duration) { c.mu.Lock(); defer c.mu.Unlock(); c.t = c.t.Add(d) }

// flakySender fails its first failures calls, then delivers; it records
// every call with the clock's time.
type flakySender struct {
	mu       sync.Mutex
	clock    func() time.Time
	failures int
	calls    []call
}

type call struct {
	to, subject string
	at          time.Time
	ok          bool
}

func (s *flakySender) Send(ctx context.Context, to, subject, body string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	ok := len(s.calls) >= s.failures
	s.calls = append(s.calls, call{to, subject, s.clock(), ok})
	if !ok {
		return fmt.Errorf("451 4.3.0 try again later (attempt %d)", len(s.calls))
	}
	return nil
}

func (s *flakySender) sent() []call {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.calls)
}

func testLogger(t *testing.T) *slog.Logger {
	return slog.New(slog.NewTextHandler(t.Output(), &slog.HandlerOptions{Level: slog.LevelDebug}))
}

var t0 = time.Date(2025, 3, 10, 8, 0, 0, 0, time.UTC)

func flush(t *testing.T, o *Outbox) (int, int) {
	t.Helper()
	sent, failed, err := o.Flush(t.Context())
	if err != nil {
		t.Fatalf("Flush: %v", err)
	}
	return sent, failed
}

func TestOutboxRetriesWithGrowingBackoffUntilSent(t *testing.T) {
	clk := &clock{t: t0}
	store := &memStore{}
	id := store.add("dede@example.id", "Tiket diterima", t0)
	sender := &flakySender{clock: clk.Now, failures: 4}
	o := NewOutbox(store, sender, testLogger(t), Options{Now: clk.Now, MaxBackoff: 5 * time.Minute})

	// Failures at t0, +1 min, +2 min after that, +4, then the cap of 5.
	waits := []time.Duration{time.Minute, 2 * time.Minute, 4 * time.Minute, 5 * time.Minute}
	for i, wait := range waits {
		if sent, failed := flush(t, o); sent != 0 || failed != 1 {
			t.Fatalf("attempt %d: sent %d, failed %d; want one failure", i+1, sent, failed)
		}
		n := store.get(id)
		if n.Attempts != i+1 || !n.NextAttempt.Equal(clk.Now().Add(wait)) || n.SentAt != nil {
			t.Fatalf("after attempt %d: attempts %d, next %v, sent %v; want %d, now+%v, unsent",
				i+1, n.Attempts, n.NextAttempt, n.SentAt, i+1, wait)
		}
		if !strings.Contains(n.LastError, "451 4.3.0") {
			t.Errorf("last error %q does not carry the sender's error", n.LastError)
		}
		// Not due a moment before its time: nothing is sent.
		clk.Advance(wait - time.Second)
		if sent, failed := flush(t, o); sent+failed != 0 {
			t.Fatalf("attempt %d: a notification was retried %v early", i+1, time.Second)
		}
		clk.Advance(time.Second)
	}
	sendTime := clk.Now()
	if sent, failed := flush(t, o); sent != 1 || failed != 0 {
		t.Fatalf("last attempt: sent %d, failed %d; want one sent", sent, failed)
	}
	n := store.get(id)
	if n.SentAt == nil || !n.SentAt.Equal(sendTime) || n.Attempts != 5 {
		t.Fatalf("after success: sent at %v, attempts %d; want %v, 5", n.SentAt, n.Attempts, sendTime)
	}
	clk.Advance(24 * time.Hour)
	if sent, failed := flush(t, o); sent+failed != 0 {
		t.Fatal("a delivered notification was sent again")
	}
	calls := sender.sent()
	if len(calls) != 5 || !calls[4].ok || !calls[4].at.Equal(sendTime) {
		t.Fatalf("sender calls %+v; want four failures then one success at %v", calls, sendTime)
	}
}

func TestOutboxBackoff(t *testing.T) {
	o := NewOutbox(&memStore{}, nil, nil, Options{})
	for attempts, want := range map[int]time.Duration{
		0: time.Minute, 1: 2 * time.Minute, 2: 4 * time.Minute, 5: 32 * time.Minute,
		6: time.Hour, 19: time.Hour, 20: time.Hour, 1000: time.Hour,
	} {
		if got := o.backoff(attempts); got != want {
			t.Errorf("backoff after %d attempts = %v; want %v", attempts, got, want)
		}
	}
}

func TestOutboxSendsOldestFirstInBatches(t *testing.T) {
	clk := &clock{t: t0}
	store := &memStore{}
	for i, minutes := range []int{5, 1, 4, 2, 3} {
		store.add(fmt.Sprintf("a%d@example.id", i), fmt.Sprintf("m%d", minutes), t0.Add(-time.Duration(minutes)*time.Minute))
	}
	sender := &flakySender{clock: clk.Now}
	o := NewOutbox(store, sender, testLogger(t), Options{Now: clk.Now, Batch: 2})
	for _, want := range []int{2, 2, 1, 0} {
		if sent, _ := flush(t, o); sent != want {
			t.Fatalf("sent %d; want %d", sent, want)
		}
	}
	var order []string
	for _, c := range sender.sent() {
		order = append(order, c.subject)
	}
	if want := []string{"m5", "m4", "m3", "m2", "m1"}; !slices.Equal(order, want) {
		t.Fatalf("sent in order %v; want oldest first %v", order, want)
	}
}

type panicSender struct{ victim string }

func (s panicSender) Send(ctx context.Context, to, subject, body string) error {
	if to == s.victim {
		panic("nil map in template")
	}
	return nil
}

func TestOutboxSurvivesPanickingSender(t *testing.T) {
	clk := &clock{t: t0}
	store := &memStore{}
	a := store.add("a@example.id", "a", t0.Add(-2*time.Minute))
	b := store.add("bad@example.id", "b", t0.Add(-time.Minute))
	c := store.add("c@example.id", "c", t0)
	o := NewOutbox(store, panicSender{victim: "bad@example.id"}, testLogger(t), Options{Now: clk.Now})
	if sent, failed := flush(t, o); sent != 2 || failed != 1 {
		t.Fatalf("sent %d, failed %d; want 2 and 1", sent, failed)
	}
	if store.get(a).SentAt == nil || store.get(c).SentAt == nil {
		t.Error("the messages around the panic were not sent")
	}
	n := store.get(b)
	if n.SentAt != nil || n.Attempts != 1 || !strings.Contains(n.LastError, "panicked: nil map in template") {
		t.Errorf("panicking message: %+v; want a recorded failure naming the panic", n)
	}
	if !n.NextAttempt.Equal(t0.Add(time.Minute)) {
		t.Errorf("panicking message due again at %v; want %v", n.NextAttempt, t0.Add(time.Minute))
	}
}

func TestOutboxStoreErrors(t *testing.T) {
	clk := &clock{t: t0}
	store := &memStore{}
	id := store.add("dede@example.id", "Tiket diterima", t0)
	sender := &flakySender{clock: clk.Now, failures: 1}
	o := NewOutbox(store, sender, testLogger(t), Options{Now: clk.Now})

	store.failPending = 1
	if _, _, err := o.Flush(t.Context()); !errors.Is(err, errStoreDown) {
		t.Fatalf("Flush with the store down: %v; want the store's error", err)
	}
	if len(sender.sent()) != 0 {
		t.Fatal("sent without reading the outbox")
	}

	// The failure cannot be recorded: the message stays claimed until the
	// lease ends (as if this worker had died), then it is tried again.
	store.failFailed = 1
	if sent, failed, err := o.Flush(t.Context()); failed != 1 || sent != 0 || !errors.Is(err, errStoreDown) {
		t.Fatalf("Flush = %d, %d, %v; want one failure and the store's error", sent, failed, err)
	}
	if sent, failed := flush(t, o); sent+failed != 0 {
		t.Fatalf("within the lease: %d sent, %d failed; want the claimed message left alone", sent, failed)
	}
	clk.Advance(10 * time.Minute)
	// Sent, but not recorded: at least once means it goes again.
	store.failSent = 1
	if sent, _, err := o.Flush(t.Context()); sent != 1 || !errors.Is(err, errStoreDown) {
		t.Fatalf("Flush = %d sent, %v; want one sent and the store's error", sent, err)
	}
	clk.Advance(10 * time.Minute)
	if sent, _ := flush(t, o); sent != 1 {
		t.Fatalf("sent %d; want the unrecorded message sent again after the lease", sent)
	}
	if n := store.get(id); n.SentAt == nil {
		t.Fatal("not marked sent")
	}
	if calls := sender.sent(); len(calls) != 3 || calls[0].ok || !calls[1].ok || !calls[2].ok {
		t.Fatalf("sender calls %+v; want a failure, then the same message delivered twice", calls)
	}
}

// cancellingSender delivers, and the worker is told to stop meanwhile.
type cancellingSender struct{ cancel context.CancelFunc }

func (s cancellingSender) Send(ctx context.Context, to, subject, body string) error {
	s.cancel()
	return nil
}

func TestOutboxRecordsDeliveryWhileStopping(t *testing.T) {
	store := &memStore{}
	a := store.add("a@example.id", "a", t0)
	b := store.add("b@example.id", "b", t0.Add(time.Second))
	ctx, cancel := context.WithCancel(t.Context())
	o := NewOutbox(store, cancellingSender{cancel}, testLogger(t), Options{Now: func() time.Time { return t0.Add(time.Minute) }})
	sent, failed, err := o.Flush(ctx)
	if sent != 1 || failed != 0 || err != nil {
		t.Fatalf("Flush = %d, %d, %v; want the first sent, then a stop", sent, failed, err)
	}
	if store.get(a).SentAt == nil {
		t.Error("a message delivered while stopping was not recorded: it would be sent twice")
	}
	if store.get(b).Attempts != 0 {
		t.Error("a message was attempted after the stop")
	}
}

func TestOutboxRunDrainsAndSurvivesStoreErrors(t *testing.T) {
	store := &memStore{failPending: 2}
	for i := range 7 {
		store.add(fmt.Sprintf("a%d@example.id", i), fmt.Sprint(i), t0.Add(time.Duration(i)*time.Second))
	}
	sender := &flakySender{clock: time.Now}
	o := NewOutbox(store, sender, testLogger(t), Options{Interval: 10 * time.Millisecond, Batch: 3})
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan struct{})
	go func() { o.Run(ctx); close(done) }()
	defer func() { cancel(); <-done }()

	deadline := time.Now().Add(5 * time.Second)
	for len(sender.sent()) < 7 {
		if time.Now().After(deadline) {
			t.Fatalf("after 5 s, %d of 7 sent", len(sender.sent()))
		}
		time.Sleep(5 * time.Millisecond)
	}
	cancel()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("Run did not return after its context was cancelled")
	}
	for i := range int64(7) {
		if store.get(i+1).SentAt == nil {
			t.Errorf("notification %d not marked sent", i+1)
		}
	}
}

func TestLogSender(t *testing.T) {
	var b strings.Builder
	s := LogSender{Log: slog.New(slog.NewTextHandler(&b, nil))}
	if err := s.Send(t.Context(), "dede@example.id", "Tiket diterima", "Nomor tiket 42"); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"level=INFO", "to=dede@example.id", `subject="Tiket diterima"`, `body="Nomor tiket 42"`} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("log %q lacks %q", b.String(), want)
		}
	}
}

func TestNewSender(t *testing.T) {
	if s, err := NewSender("", "noreply@bmkg.go.id", nil); err != nil {
		t.Fatal(err)
	} else if _, ok := s.(LogSender); !ok {
		t.Errorf("no URL gave %T; want LogSender", s)
	}
	if s, err := NewSender("smtps://relay.bmkg.go.id", "noreply@bmkg.go.id", nil); err != nil {
		t.Fatal(err)
	} else if _, ok := s.(*SMTPSender); !ok {
		t.Errorf("smtps URL gave %T; want *SMTPSender", s)
	}
}

// TestOutboxGivesUpOnPermanentFailures: a recipient the relay refuses
// (550) is tried three times, then given up on and never tried again; a
// temporary refusal (450) goes on being retried.
func TestOutboxGivesUpOnPermanentFailures(t *testing.T) {
	for _, c := range []struct {
		reply    string
		giveUp   bool
		attempts int
	}{{"550 5.1.1 no such user", true, 3}, {"450 4.2.0 greylisted", false, 6}} {
		d := startSMTPD(t, &smtpd{Reply: map[string]string{"RCPT": c.reply}})
		clk := &clock{t: t0}
		store := &memStore{}
		id := store.add("nobody@example.id", "Tiket diterima", t0)
		o := NewOutbox(store, newSMTPSender(t, "smtp://"+d.Addr, nil), testLogger(t), Options{Now: clk.Now})
		for range 6 {
			flush(t, o)
			clk.Advance(2 * time.Hour) // past any backoff
		}
		n := store.get(id)
		if n.Attempts != c.attempts || (n.FailedAt != nil) != c.giveUp || n.SentAt != nil || !strings.Contains(n.LastError, c.reply[:3]) {
			t.Errorf("%s: %d attempts, failed at %v, last error %q; want %d attempts, given up %v",
				c.reply, n.Attempts, n.FailedAt, n.LastError, c.attempts, c.giveUp)
		}
		if got := len(d.Sessions(t)); got != c.attempts {
			t.Errorf("%s: the relay was contacted %d times, want %d", c.reply, got, c.attempts)
		}
	}
}
