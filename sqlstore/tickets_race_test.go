package sqlstore

import (
	"context"
	"sync"
	"testing"

	"github.com/jmoiron/sqlx"

	"github.com/bmkg/mkggraph/mkg"
)

// race runs n calls of fn at once and counts successes and CONFLICTs;
// anything else fails the test.
func race(t *testing.T, n int, fn func(i int) error) (ok, conflicts int) {
	t.Helper()
	start := make(chan struct{})
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			<-start
			errs[i] = fn(i)
		})
	}
	close(start)
	wg.Wait()
	for _, err := range errs {
		switch mkg.ErrorCode(err) {
		case "":
			ok++
		case mkg.ECONFLICT:
			conflicts++
		default:
			t.Errorf("racing action: %v", err)
		}
	}
	return ok, conflicts
}

// countEvents counts a ticket's events of the given actions.
func countEvents(t *testing.T, s *Store, id int64, actions ...mkg.TicketAction) int {
	t.Helper()
	events, err := s.EventsOfTickets(context.Background(), []int64{id})
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, e := range events[0] {
		for _, a := range actions {
			if e.Action == a {
				n++
			}
		}
	}
	return n
}

// Of concurrent conflicting actions on one ticket exactly one wins; the
// others are told the state it left.
func TestTicketRace(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		f := newTicketFixture(t, s)
		tk, token := f.submit(t, nil)
		const n = 20
		ok, conflicts := race(t, n, func(i int) error {
			r := mkg.Review{Decision: mkg.ActForward, Checklist: checked}
			if i%2 == 1 {
				r = mkg.Review{Decision: mkg.ActReturn, Fixes: []string{"sign the letter"}}
			}
			_, err := s.Review(ctx, f.desk, tk.ID, r)
			return err
		})
		if ok != 1 || conflicts != n-1 {
			t.Fatalf("review race: %d won, %d conflicts; want 1 and %d", ok, conflicts, n-1)
		}
		if got := countEvents(t, s, tk.ID, mkg.ActForward, mkg.ActReturn); got != 1 {
			t.Fatalf("%d review events after the race, want 1", got)
		}
		tk = f.ok(s.TicketByToken(ctx, token))
		if tk.State == mkg.TicketReturned {
			f.ok(s.Revise(ctx, token, sampleInput(), nil))
			tk = f.ok(s.Review(ctx, f.desk, tk.ID, mkg.Review{Decision: mkg.ActForward, Checklist: checked}))
		}
		officers := []mkg.TicketCaller{f.officer, f.officer2}
		ok, conflicts = race(t, n, func(i int) error {
			_, err := s.Start(ctx, officers[i%2], tk.ID)
			return err
		})
		if ok != 1 || conflicts != n-1 {
			t.Fatalf("start race: %d won, %d conflicts; want 1 and %d", ok, conflicts, n-1)
		}
		if got := countEvents(t, s, tk.ID, mkg.ActStart); got != 1 {
			t.Errorf("%d start events after the race, want 1", got)
		}
		after := f.ok(s.TicketByToken(ctx, token))
		if after.State != mkg.TicketInFulfilment || after.Version != tk.Version+1 {
			t.Errorf("after the start race: %s version %d, want IN_FULFILMENT version %d", after.State, after.Version, tk.Version+1)
		}
		// Fulfilment against withdrawal: one account at most.
		accounts, _ := s.CountAccounts(ctx, mkg.AccountFilter{})
		ok, conflicts = race(t, n, func(i int) error {
			var err error
			if i%2 == 0 {
				_, err = s.Fulfil(ctx, f.officer, tk.ID, fulfilment())
			} else {
				_, err = s.Withdraw(ctx, token, "")
			}
			return err
		})
		if ok != 1 || conflicts != n-1 {
			t.Fatalf("fulfil/withdraw race: %d won, %d conflicts", ok, conflicts)
		}
		after = f.ok(s.TicketByToken(ctx, token))
		created, _ := s.CountAccounts(ctx, mkg.AccountFilter{})
		if (after.State == mkg.TicketFulfilled) != (created == accounts+1) || created > accounts+1 {
			t.Errorf("ticket %s, %d accounts created", after.State, created-accounts)
		}
	})
}

// The version guard catches an action decided on a ticket that changed
// since it was read, and answers with the state it is in now.
func TestTicketVersionGuard(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		f := newTicketFixture(t, s)
		stale, _ := f.submit(t, nil)
		f.ok(s.Review(ctx, f.desk, stale.ID, mkg.Review{Decision: mkg.ActForward, Checklist: checked}))
		err := s.tx(ctx, func(q sqlx.ExtContext) error {
			return s.updateTicket(ctx, q, f.desk, stale, mkg.TicketReturned, mkg.ActReturn, stale.Steps,
				&change{}, s.ticketNow())
		})
		var e *mkg.Error
		if !asError(err, &e) || e.Code != mkg.ECONFLICT || e.Extra["state"] != string(mkg.TicketForwarded) {
			t.Errorf("stale update: %v, want CONFLICT naming FORWARDED", err)
		}
	})
}

// Retries racing each other file one ticket and all get its token.
func TestTicketConcurrentRetries(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		newTicketFixture(t, s)
		sub := mkg.Submission{Input: sampleInput(), IdempotencyKey: idempotencyKey(), Letter: mkg.LetterFile{Data: pdfLetter}}
		const n = 10
		ids, tokens := make([]int64, n), make([]string, n)
		ok, _ := race(t, n, func(i int) error {
			tk, token, err := s.Submit(ctx, applicant, sub)
			if err == nil {
				ids[i], tokens[i] = tk.ID, token
			}
			return err
		})
		if ok != n {
			t.Fatalf("%d of %d retries succeeded", ok, n)
		}
		for i := range n {
			if ids[i] != ids[0] || tokens[i] != tokens[0] {
				t.Errorf("retry %d: ticket %d token %q; retry 0: ticket %d token %q", i, ids[i], tokens[i], ids[0], tokens[0])
			}
		}
		if counts := rowCounts(t, s); counts["tickets"] != 1 || counts["ticket_counters"] != 1 || counts["notifications"] != 1 {
			t.Errorf("rows after concurrent retries: %v", counts)
		}
		var last int64
		if err := s.db.GetContext(ctx, &last, `SELECT last FROM ticket_counters`); err != nil || last != 1 {
			t.Errorf("counter at %d (%v): the losers' numbers were not rolled back", last, err)
		}
	})
}
