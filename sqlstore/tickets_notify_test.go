package sqlstore

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/bmkg/mkggraph/mkg"
)

func TestTicketOutbox(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		f := newTicketFixture(t, s)
		first, _ := f.submit(t, nil)
		f.advance(time.Second)
		second, _ := f.submit(t, func(in *mkg.TicketInput) { in.Applicant.Email = "budi@example.net" })
		now := f.advance(time.Second)

		ns, err := s.PendingNotifications(ctx, now, 1)
		if err != nil || len(ns) != 1 || ns[0].TicketID != first.ID || ns[0].To != "siti@example.org" || ns[0].Attempts != 0 {
			t.Fatalf("oldest pending: %+v, %v", ns, err)
		}
		one := ns[0].ID
		if err := s.NotificationFailed(ctx, one, now, "421 try again later", now.Add(time.Minute)); err != nil {
			t.Fatal(err)
		}
		ns, _ = s.PendingNotifications(ctx, now, 10)
		if len(ns) != 1 || ns[0].TicketID != second.ID || ns[0].To != "budi@example.net" {
			t.Errorf("pending after a failure: %+v; want only the second", ns)
		}
		two := ns[0].ID
		if err := s.NotificationSent(ctx, two, now); err != nil {
			t.Fatal(err)
		}
		later := now.Add(time.Minute)
		ns, _ = s.PendingNotifications(ctx, later, 10)
		if len(ns) != 1 || ns[0].ID != one || ns[0].Attempts != 1 || ns[0].LastError != "421 try again later" || !ns[0].NextAttempt.Equal(later) {
			t.Errorf("pending a minute later: %+v", ns)
		}
		// A notification sent already stays sent, at its first time.
		if err := s.NotificationSent(ctx, two, later); err != nil {
			t.Error(err)
		}
		if err := s.NotificationFailed(ctx, two, later, "late failure", later); err != nil {
			t.Error(err)
		}
		var sentAt dbNullTime
		var attempts int
		if err := s.db.QueryRowContext(ctx, s.rebind(`SELECT sent_at, attempts FROM notifications WHERE id = ?`), two).Scan(&sentAt, &attempts); err != nil {
			t.Fatal(err)
		}
		if sentAt.Time == nil || !sentAt.Time.Equal(now) || attempts != 1 {
			t.Errorf("sent notification: sent at %v after %d attempts", sentAt.Time, attempts)
		}
		wantNotFound(t, "sent: unknown id", s.NotificationSent(ctx, 999999, now))
		wantNotFound(t, "failed: unknown id", s.NotificationFailed(ctx, 999999, now, "x", now))
		if ns, err := s.PendingNotifications(ctx, later, 0); err != nil || len(ns) != 0 {
			t.Errorf("limit 0: %v, %v", ns, err)
		}
	})
}

// The messages say what happened and what to do next.
func TestTicketMessages(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		f := newTicketFixture(t, s)
		tk, token := f.submit(t, nil)
		f.ok(s.Review(ctx, f.desk, tk.ID, mkg.Review{Decision: mkg.ActReturn, Fixes: []string{"attach the signed letter"}}))
		f.ok(s.Revise(ctx, token, sampleInput(), nil))
		f.ok(s.Review(ctx, f.desk, tk.ID, mkg.Review{Decision: mkg.ActForward, Checklist: checked}))
		f.ok(s.Start(ctx, f.officer, tk.ID))
		f.ok(s.Escalate(ctx, f.officer, tk.ID, "APPLICANT", "which stations do you need?"))
		f.ok(s.Resume(ctx, f.officer, tk.ID, ""))
		f.ok(s.Fulfil(ctx, f.officer, tk.ID, fulfilment()))
		f.ok(s.CloseTicket(ctx, f.officer, tk.ID, ""))
		ns, err := s.PendingNotifications(ctx, s.now(), 100)
		if err != nil {
			t.Fatal(err)
		}
		want := []struct{ subject, body string }{
			{"Request received", "Keep the tracking token"},
			{"Request returned for correction", "- attach the signed letter"},
			{"Correction received", "will be checked again"},
			{"Request forwarded", "service standard: 1 hour"},
			{"Request in progress", "Nothing is needed from you"},
			{"More information needed", "which stations do you need?"},
			{"Request resumed", "has resumed"},
			{"API account created", "not granted: RADAR_VOLUME (radar volumes go to research partners only)"},
			{"Request closed", "has not been collected yet"},
		}
		if len(ns) != len(want) {
			t.Fatalf("%d notifications, want %d", len(ns), len(want))
		}
		for i, w := range want {
			n := ns[i]
			if !strings.HasPrefix(n.Subject, "["+tk.Number+"] ") || !strings.Contains(n.Subject, w.subject) || !strings.Contains(n.Body, w.body) ||
				!strings.Contains(n.Body, "Yth. Siti Rahma") {
				t.Errorf("notification %d: %q\n%s\nwant %q and %q", i, n.Subject, n.Body, w.subject, w.body)
			}
		}
		checkNotifications(t, s, tk, len(want), token)
	})
}

func TestTicketEventsAreImmutable(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		f := newTicketFixture(t, s)
		tk, _ := f.submit(t, nil)
		if _, err := s.db.ExecContext(ctx, s.rebind(`UPDATE ticket_events SET note = 'rewritten' WHERE ticket_id = ?`), tk.ID); err == nil {
			t.Error("an event was changed")
		}
		if _, err := s.db.ExecContext(ctx, s.rebind(`DELETE FROM ticket_events WHERE ticket_id = ?`), tk.ID); err == nil {
			t.Error("an event was deleted")
		}
		if events, _ := s.EventsOfTickets(ctx, []int64{tk.ID}); len(events[0]) != 1 || events[0][0].Note != "" {
			t.Errorf("events after the attempts: %+v", events[0])
		}
	})
}

// TestOutboxClaimsAreExclusive: delivery workers of several instances
// polling one database at once never take the same notification, and a
// claim that is never recorded (its worker died) is taken again after the
// lease.
func TestOutboxClaimsAreExclusive(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		f := newTicketFixture(t, s)
		const tickets = 24
		for range tickets {
			f.submit(t, nil)
		}
		now := f.advance(time.Second)
		pending, err := s.PendingNotifications(ctx, now, 1000)
		if err != nil || len(pending) != tickets {
			t.Fatalf("%d pending, %v; want %d", len(pending), err, tickets)
		}
		lease := now.Add(10 * time.Minute)
		var mu sync.Mutex
		claimed := map[int64]int{}
		var wg sync.WaitGroup
		for range 8 {
			wg.Go(func() {
				for {
					ns, err := s.ClaimNotifications(ctx, now, lease, 2)
					if err != nil {
						t.Error(err)
						return
					}
					if len(ns) == 0 {
						return
					}
					mu.Lock()
					for i, n := range ns {
						claimed[n.ID]++
						if i > 0 && ns[i-1].CreatedAt.After(n.CreatedAt) {
							t.Errorf("claim not oldest first: %v", ns)
						}
					}
					mu.Unlock()
				}
			})
		}
		wg.Wait()
		for _, n := range pending {
			if claimed[n.ID] != 1 {
				t.Errorf("notification %d claimed %d times, want once", n.ID, claimed[n.ID])
			}
		}
		if len(claimed) != tickets {
			t.Errorf("%d notifications claimed, want %d", len(claimed), tickets)
		}
		// Within the lease nothing is due; after it, everything not recorded is.
		if ns, _ := s.ClaimNotifications(ctx, lease.Add(-time.Second), lease.Add(time.Hour), 100); len(ns) != 0 {
			t.Errorf("%d claimed again within the lease", len(ns))
		}
		if err := s.NotificationSent(ctx, pending[0].ID, now); err != nil {
			t.Fatal(err)
		}
		if ns, _ := s.ClaimNotifications(ctx, lease, lease.Add(time.Hour), 100); len(ns) != tickets-1 {
			t.Errorf("after the lease: %d claimed again, want the %d not recorded as sent", len(ns), tickets-1)
		}
	})
}

// TestNotificationGiveUp: a notification given up on is FAILED for good:
// never pending or claimed again, left alone by late records, listed with
// its ticket, and its ticket is found by the notificationFailed filter.
func TestNotificationGiveUp(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		f := newTicketFixture(t, s)
		refused, _ := f.submit(t, func(in *mkg.TicketInput) { in.Applicant.Email = "nobody@example.invalid" })
		fine, _ := f.submit(t, nil)
		now := f.advance(time.Second)
		ns, err := s.PendingNotifications(ctx, now, 10)
		if err != nil || len(ns) != 2 {
			t.Fatalf("pending: %+v, %v", ns, err)
		}
		id := ns[0].ID
		if err := s.NotificationFailed(ctx, id, now, "550 5.1.1 no such user", now); err != nil {
			t.Fatal(err)
		}
		if err := s.NotificationGaveUp(ctx, id, now, "550 5.1.1 no such user"); err != nil {
			t.Fatal(err)
		}
		later := now.Add(time.Hour)
		if ns, _ := s.PendingNotifications(ctx, later, 10); len(ns) != 1 || ns[0].TicketID != fine.ID {
			t.Errorf("pending after giving up: %+v; want only the other ticket's", ns)
		}
		if ns, _ := s.ClaimNotifications(ctx, later, later.Add(time.Minute), 10); len(ns) != 1 || ns[0].TicketID != fine.ID {
			t.Errorf("claimed after giving up: %+v; want only the other ticket's", ns)
		}
		if err := s.NotificationSent(ctx, id, later); err != nil {
			t.Error(err)
		}
		wantNotFound(t, "gave up: unknown id", s.NotificationGaveUp(ctx, 999999, now, "x"))
		lists, err := s.NotificationsOfTickets(ctx, []int64{fine.ID, refused.ID, 999999})
		if err != nil || len(lists) != 3 || len(lists[0]) != 1 || len(lists[1]) != 1 || len(lists[2]) != 0 {
			t.Fatalf("notifications of tickets: %+v, %v", lists, err)
		}
		n := lists[1][0]
		if n.State() != mkg.NotificationFailed || n.Attempts != 2 || n.LastError != "550 5.1.1 no such user" || n.SentAt != nil ||
			n.FailedAt == nil || !n.FailedAt.Equal(now) || n.To != "nobody@example.invalid" {
			t.Errorf("the refused notification: %+v", n)
		}
		if lists[0][0].State() != mkg.NotificationPending {
			t.Errorf("the other: %v", lists[0][0].State())
		}
		yes, no := true, false
		for _, c := range []struct {
			failed *bool
			want   int64
		}{{&yes, refused.ID}, {&no, fine.ID}} {
			page, err := s.Tickets(ctx, mkg.TicketFilter{NotificationFailed: c.failed}, mkg.Page{Limit: 10})
			if err != nil || len(page.Tickets) != 1 || page.Tickets[0].ID != c.want {
				t.Errorf("filter notificationFailed=%v: %+v, %v", *c.failed, page, err)
			}
			if n, err := s.CountTickets(ctx, mkg.TicketFilter{NotificationFailed: c.failed}); err != nil || n != 1 {
				t.Errorf("count notificationFailed=%v: %d, %v", *c.failed, n, err)
			}
		}
	})
}
