package sqlstore

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/bmkg/mkggraph/mkg"
)

// The two other ends of a ticket: rejected by the officer, withdrawn by the
// applicant.

func TestTicketRejected(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		f := newTicketFixture(t, s)
		tk, token := f.submit(t, nil)
		f.ok(s.Review(ctx, f.desk, tk.ID, mkg.Review{Decision: mkg.ActForward, Checklist: checked}))
		tk = f.ok(s.Start(ctx, f.officer, tk.ID))
		_, err := s.Reject(ctx, f.officer, tk.ID, "  ")
		wantInvalid(t, "reject without a reason", err, "reason")
		at := f.advance(time.Minute)
		tk = f.ok(s.Reject(ctx, f.officer, tk.ID, "the letter is not signed by the head of the agency"))
		wantState(t, "rejected", tk, mkg.TicketRejected)
		if tk.ClosedAt == nil || !tk.ClosedAt.Equal(at) || tk.AccountID != 0 {
			t.Errorf("rejected ticket: closedAt %v, account %d", tk.ClosedAt, tk.AccountID)
		}
		events, _ := s.EventsOfTickets(ctx, []int64{tk.ID})
		if last := events[0][len(events[0])-1]; last.Action != mkg.ActReject || last.Note != "the letter is not signed by the head of the agency" {
			t.Errorf("rejection event %+v", last)
		}
		ns, _ := s.PendingNotifications(ctx, s.now(), 100)
		if last := ns[len(ns)-1]; !strings.Contains(last.Body, "not signed by the head") || !strings.Contains(last.Subject, "rejected") {
			t.Errorf("rejection notice %q: %s", last.Subject, last.Body)
		}
		if _, err := s.CollectKey(ctx, token); mkg.ErrorCode(err) != mkg.ENOTFOUND {
			t.Errorf("CollectKey on a rejected ticket: %v", err)
		}
		checkNotifications(t, s, tk, 4, token)
	})
}

func TestTicketWithdrawn(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		f := newTicketFixture(t, s)
		tk, token := f.submit(t, nil)
		f.ok(s.Review(ctx, f.desk, tk.ID, mkg.Review{Decision: mkg.ActForward, Checklist: checked}))
		f.ok(s.Start(ctx, f.officer, tk.ID))
		f.advance(3 * time.Hour) // the fulfilment step is late by now
		tk = f.ok(s.Withdraw(ctx, token, "we found the data elsewhere"))
		wantState(t, "withdrawn", tk, mkg.TicketWithdrawn)
		last := tk.Steps[len(tk.Steps)-1]
		if last.Kind != mkg.StepFulfilment || !last.Cancelled || last.FinishedAt == nil || last.Breached(s.now()) {
			t.Errorf("the running step was not cancelled: %+v", last)
		}
		if n, _ := s.CountTickets(ctx, mkg.TicketFilter{Breached: mkg.Ptr(true)}); n != 0 {
			t.Errorf("a withdrawn ticket counts as breached")
		}
		_, err := s.Withdraw(ctx, token, "again")
		wantCode(t, "withdrawing twice", err, mkg.ECONFLICT)
		events, _ := s.EventsOfTickets(ctx, []int64{tk.ID})
		if e := events[0][len(events[0])-1]; e.Action != mkg.ActWithdraw || e.Note != "we found the data elsewhere" || e.ActorRole != mkg.ActorApplicant {
			t.Errorf("withdrawal event %+v", e)
		}
		// The token still shows the final ticket for 30 days.
		f.advance(29 * 24 * time.Hour)
		if _, err := s.TicketByToken(ctx, token); err != nil {
			t.Errorf("29 days after withdrawal: %v", err)
		}
		f.advance(2 * 24 * time.Hour)
		_, err = s.TicketByToken(ctx, token)
		wantNotFound(t, "31 days after withdrawal", err)
	})
}
