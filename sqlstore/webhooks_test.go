package sqlstore

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/bmkg/mkggraph/mkg"
)

// TestWebhooksStore: the webhook outbox on both databases: an event is
// queued once per webhook, at most maxPending wait, a claim leases what it
// returns, a paused webhook's deliveries wait, failures pause a webhook at
// the threshold with the reason, a success clears them, old deliveries
// are pruned, and a webhook's deletion takes its deliveries.
func TestWebhooksStore(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		acct, err := s.CreateAccount(ctx, feedActor, mkg.AccountInput{Organisation: "P", ContactName: "C", ContactEmail: "c@example.org",
			Application: mkg.ClientApplication{Name: "app"}})
		if err != nil {
			t.Fatal(err)
		}
		t0 := time.Date(2026, 12, 6, 10, 0, 0, 0, time.UTC)
		w, err := s.CreateWebhook(ctx, acct.ID, "subscription { x }", "https://203.0.113.1/", "plain:s", t0)
		if err != nil || w.Paused || w.AccountID != acct.ID {
			t.Fatalf("create: %+v %v", w, err)
		}
		for i := 1; i < mkg.MaxWebhooksPerAccount; i++ {
			if _, err := s.CreateWebhook(ctx, acct.ID, "subscription { x }", "https://203.0.113.1/", "plain:s", t0); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := s.CreateWebhook(ctx, acct.ID, "subscription { x }", "https://203.0.113.1/", "plain:s", t0); mkg.ErrorCode(err) != mkg.ECONFLICT {
			t.Fatalf("one webhook too many: %v", err)
		}

		for i, key := range []string{"a", "a", "b", "c", "d"} {
			added, err := s.EnqueueWebhookDelivery(ctx, w.ID, key, fmt.Sprintf(`{"n":%d}`, i), t0, 3)
			if want := i == 0 || i == 2 || i == 3; err != nil || added != want {
				t.Fatalf("enqueue %d (%s) = %v, %v; want %v", i, key, added, err, want)
			}
		}
		js, err := s.ClaimWebhookDeliveries(ctx, t0, t0.Add(time.Minute), 2)
		if err != nil || len(js) != 2 || js[0].Payload != `{"n":0}` || js[0].CallbackURL != "https://203.0.113.1/" || js[0].Secret != "plain:s" {
			t.Fatalf("claim: %+v %v", js, err)
		}
		if again, _ := s.ClaimWebhookDeliveries(ctx, t0, t0.Add(time.Minute), 10); len(again) != 1 || again[0].ID == js[0].ID || again[0].ID == js[1].ID {
			t.Fatalf("a claimed delivery was claimed again: %+v", again)
		}
		if err := s.WebhookDelivered(ctx, js[0], t0, 204); err != nil {
			t.Fatal(err)
		}
		for i := range 3 {
			if err := s.WebhookDeliveryFailed(ctx, js[1], t0, 500, "HTTP 500", t0.Add(time.Second), 3); err != nil {
				t.Fatal(err)
			}
			w, _ = s.Webhook(ctx, w.ID)
			if w.Paused != (i == 2) || w.Failures != i+1 {
				t.Fatalf("after %d failures: %+v", i+1, w)
			}
		}
		if w.PausedReason != "paused after 3 failed deliveries in a row; the last: HTTP 500" || w.LastError != "HTTP 500" {
			t.Errorf("paused: %+v", w)
		}
		if js, _ := s.ClaimWebhookDeliveries(ctx, t0.Add(time.Hour), t0.Add(2*time.Hour), 10); len(js) != 0 {
			t.Fatalf("a paused webhook's deliveries were claimed: %+v", js)
		}
		if w, err = s.SetWebhookPaused(ctx, w.ID, false, "", t0); err != nil || w.Paused || w.Failures != 0 || w.PausedReason != "" {
			t.Fatalf("resume: %+v %v", w, err)
		}
		js, _ = s.ClaimWebhookDeliveries(ctx, t0.Add(time.Hour), t0.Add(2*time.Hour), 10)
		if len(js) != 2 {
			t.Fatalf("after resuming: %+v", js)
		}
		if err := s.WebhookDeliveryFailed(ctx, js[0], t0, 0, "timed out", t0.Add(time.Second), 3); err != nil {
			t.Fatal(err)
		}
		if err := s.WebhookDelivered(ctx, js[1], t0.Add(time.Hour), 200); err != nil {
			t.Fatal(err)
		}
		if w, _ = s.Webhook(ctx, w.ID); w.Failures != 0 || w.LastError != "" {
			t.Errorf("a success did not clear the failures: %+v", w)
		}
		ds, err := s.WebhookDeliveries(ctx, w.ID, 0, 2)
		if err != nil || len(ds) != 2 || ds[0].ID < ds[1].ID {
			t.Fatalf("history: %+v %v", ds, err)
		}
		if older, _ := s.WebhookDeliveries(ctx, w.ID, ds[1].ID, 10); len(older) != 1 || older[0].DeliveredAt == nil || older[0].LastStatus != 204 {
			t.Fatalf("history's next page: %+v", older)
		}
		if n, err := s.PruneWebhookDeliveries(ctx, t0.Add(time.Minute)); err != nil || n != 1 {
			t.Fatalf("prune = %d, %v; want the one delivered before", n, err)
		}
		if err := s.DeleteWebhook(ctx, w.ID); err != nil {
			t.Fatal(err)
		}
		if ds, _ := s.WebhookDeliveries(ctx, w.ID, 0, 10); len(ds) != 0 {
			t.Errorf("deleted webhook's deliveries: %+v", ds)
		}
		if _, err := s.Webhook(ctx, w.ID); mkg.ErrorCode(err) != mkg.ENOTFOUND {
			t.Errorf("deleted: %v", err)
		}
		if err := s.DeleteWebhook(ctx, w.ID); mkg.ErrorCode(err) != mkg.ENOTFOUND {
			t.Errorf("deleted twice: %v", err)
		}
		if ws, err := s.Webhooks(ctx, acct.ID, 0, 5); err != nil || len(ws) != 5 {
			t.Errorf("list: %d %v", len(ws), err)
		}
	})
}
