package sqlstore

import (
	"context"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/bmkg/mkggraph/mkg"
)

// ticketIDs lists the ids of every ticket the filter selects, read in
// pages of size, and checks CountTickets agrees.
func ticketIDs(t *testing.T, s *Store, f mkg.TicketFilter, size int) []int64 {
	t.Helper()
	ctx := context.Background()
	var ids []int64
	p := mkg.Page{Limit: size}
	for range 100 {
		page, err := s.Tickets(ctx, f, p)
		if err != nil {
			t.Fatal(err)
		}
		for i, tk := range page.Tickets {
			ids = append(ids, tk.ID)
			c, err := mkg.DecodeCursor(page.Cursors[i].Encode(), mkg.OrderTickets)
			if err != nil || c.ID != tk.ID {
				t.Fatalf("cursor %+v of ticket %d: %v", page.Cursors[i], tk.ID, err)
			}
		}
		if !page.HasNextPage {
			break
		}
		p.After = &page.Cursors[len(page.Cursors)-1]
	}
	if n, err := s.CountTickets(ctx, f); err != nil || n != len(ids) {
		t.Errorf("CountTickets(%+v) = %d, %v; the list has %d", f, n, err, len(ids))
	}
	return ids
}

func TestTicketQueue(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		f := newTicketFixture(t, s)
		var all []int64
		for i := range 6 {
			if i%2 == 0 {
				f.advance(time.Minute) // pairs submitted at the same time: the id breaks the tie
			}
			tk, _ := f.submit(t, nil)
			all = append(all, tk.ID)
		}
		t0 := f.advance(0)
		mail := sampleInput()
		mail.Channel = mkg.ChannelEmail
		byMail, _, err := s.Submit(ctx, f.desk, mkg.Submission{Input: mail, Letter: mkg.LetterFile{Data: pdfLetter}})
		if err != nil {
			t.Fatal(err)
		}
		all = append(all, byMail.ID)
		// Reviewed out of order: the queue keeps submission order.
		f.ok(s.Review(ctx, f.desk, all[3], mkg.Review{Decision: mkg.ActForward, Checklist: checked, AssignTo: f.officer.Account.ID}))
		f.ok(s.Review(ctx, f.desk, all[1], mkg.Review{Decision: mkg.ActForward, Checklist: checked}))
		f.ok(s.Review(ctx, f.desk, all[0], mkg.Review{Decision: mkg.ActReturn, Fixes: []string{"sign"}}))

		for _, size := range []int{1, 2, 3, 50} {
			if got := ticketIDs(t, s, mkg.TicketFilter{}, size); !slices.Equal(got, all) {
				t.Errorf("pages of %d: %v, want %v", size, got, all)
			}
		}
		for _, c := range []struct {
			what string
			f    mkg.TicketFilter
			want []int64
		}{
			{"forwarded", mkg.TicketFilter{Status: []mkg.TicketState{mkg.TicketForwarded}}, []int64{all[1], all[3]}},
			{"submitted or returned", mkg.TicketFilter{Status: []mkg.TicketState{mkg.TicketSubmitted, mkg.TicketReturned}},
				[]int64{all[0], all[2], all[4], all[5], all[6]}},
			{"assigned", mkg.TicketFilter{AssignedTo: f.officer.Account.ID}, []int64{all[3]}},
			{"forwarded, unassigned", mkg.TicketFilter{Status: []mkg.TicketState{mkg.TicketForwarded}, AssignedTo: -1}, []int64{all[1]}},
			{"by e-mail", mkg.TicketFilter{Channel: mkg.ChannelEmail}, []int64{all[6]}},
			{"by number", mkg.TicketFilter{Number: byMail.Number}, []int64{all[6]}},
			{"no such number", mkg.TicketFilter{Number: "API-1999-000001"}, nil},
			{"from the last minute", mkg.TicketFilter{From: &t0}, []int64{all[4], all[5], all[6]}},
			{"before the last minute", mkg.TicketFilter{To: &t0}, all[:4]},
		} {
			if got := ticketIDs(t, s, c.f, 2); !slices.Equal(got, c.want) {
				t.Errorf("%s: %v, want %v", c.what, got, c.want)
			}
		}
		for _, c := range []struct {
			f     mkg.TicketFilter
			field string
		}{
			{mkg.TicketFilter{Status: []mkg.TicketState{"LOST"}}, "filter.status"},
			{mkg.TicketFilter{AssignedTo: -2}, "filter.assignedTo"},
			{mkg.TicketFilter{Channel: "FAX"}, "filter.channel"},
			{mkg.TicketFilter{From: &t0, To: mkg.Ptr(t0.Add(-time.Hour))}, "filter.from"},
		} {
			_, err := s.Tickets(ctx, c.f, mkg.Page{Limit: 10})
			wantInvalid(t, "filter", err, c.field)
			_, err = s.CountTickets(ctx, c.f)
			wantInvalid(t, "count filter", err, c.field)
		}
		_, err = s.Tickets(ctx, mkg.TicketFilter{}, mkg.Page{Limit: 10, After: &mkg.Cursor{Order: mkg.OrderAccounts, Value: "x", ID: 1}})
		wantInvalid(t, "a cursor of another list", err, "after")
	})
}

func TestTicketReadsCostFixedStatements(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		f := newTicketFixture(t, s)
		var ids []int64
		for range 5 {
			tk, _ := f.submit(t, nil)
			f.ok(s.Review(ctx, f.desk, tk.ID, mkg.Review{Decision: mkg.ActForward, Checklist: checked}))
			ids = append(ids, tk.ID)
		}
		slices.Reverse(ids)
		ids = append(ids, 999999)
		count := func(what string, fn func() error) {
			t.Helper()
			before := s.Statements()
			if err := fn(); err != nil {
				t.Fatal(err)
			}
			if n := s.Statements() - before; n != 1 {
				t.Errorf("%s ran %d statements, want 1", what, n)
			}
		}
		count("TicketsByID", func() error {
			ts, err := s.TicketsByID(ctx, ids)
			for i, tk := range ts {
				if (tk == nil) != (i == len(ids)-1) || (tk != nil && (tk.ID != ids[i] || tk.Letter == nil || len(tk.Steps) != 2)) {
					t.Errorf("TicketsByID[%d] = %+v, want ticket %d", i, tk, ids[i])
				}
			}
			return err
		})
		count("EventsOfTickets", func() error {
			evs, err := s.EventsOfTickets(ctx, ids)
			for i, es := range evs {
				if want := 2 * min(1, len(ids)-1-i); len(es) != want || (want > 0 && es[0].TicketID != ids[i]) {
					t.Errorf("events of %d: %d, want %d", ids[i], len(es), want)
				}
			}
			return err
		})
		count("Stats", func() error {
			st, err := s.Stats(ctx, f.advance(0).Add(-time.Hour), f.advance(0))
			if err == nil && st.ByState[mkg.TicketForwarded] != 5 {
				t.Errorf("stats by state %v", st.ByState)
			}
			return err
		})
		count("Tickets", func() error {
			_, err := s.Tickets(ctx, mkg.TicketFilter{Breached: mkg.Ptr(false)}, mkg.Page{Limit: 3})
			return err
		})
		count("CountTickets", func() error { _, err := s.CountTickets(ctx, mkg.TicketFilter{Breached: mkg.Ptr(true)}); return err })
		if ts, err := s.TicketsByID(ctx, nil); err != nil || len(ts) != 0 {
			t.Errorf("TicketsByID(nil) = %v, %v", ts, err)
		}
	})
}

// Steps are timed against the standards on the store's clock, and the
// breach filter sees a running step go late without any action.
func TestTicketServiceStandards(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		f := newTicketFixture(t, s)
		t0 := f.advance(0)
		at := func(d time.Duration) { f.advance(t0.Add(d).Sub(f.advance(0))) }
		a, _ := f.submit(t, nil)
		b, _ := f.submit(t, nil)
		c, _ := f.submit(t, nil)
		breached := func() []int64 { return ticketIDs(t, s, mkg.TicketFilter{Breached: mkg.Ptr(true)}, 10) }
		onTime := func() []int64 { return ticketIDs(t, s, mkg.TicketFilter{Breached: mkg.Ptr(false)}, 10) }

		at(5 * time.Minute)
		f.ok(s.Review(ctx, f.desk, b.ID, mkg.Review{Decision: mkg.ActForward, Checklist: checked}))
		f.ok(s.Review(ctx, f.desk, c.ID, mkg.Review{Decision: mkg.ActForward, Checklist: checked}))
		at(14 * time.Minute)
		if got := breached(); len(got) != 0 {
			t.Errorf("breached at 14 min: %v", got)
		}
		at(16 * time.Minute) // A's review was due at 15 min; nothing happened since
		if got, want := breached(), []int64{a.ID}; !slices.Equal(got, want) {
			t.Errorf("breached at 16 min: %v, want %v", got, want)
		}
		if got, want := onTime(), []int64{b.ID, c.ID}; !slices.Equal(got, want) {
			t.Errorf("on time at 16 min: %v, want %v", got, want)
		}
		a = f.ok(s.Review(ctx, f.desk, a.ID, mkg.Review{Decision: mkg.ActForward, Checklist: checked}))
		if st := a.Steps[0]; st.Kind != mkg.StepReview || st.WorkingTime(s.now()) != 16*time.Minute || !st.Breached(s.now()) ||
			!st.DueAt.Equal(t0.Add(15*time.Minute)) {
			t.Errorf("A's review %+v: want finished late after 16 min", st)
		}
		f.ok(s.Start(ctx, f.officer, b.ID))
		f.ok(s.Start(ctx, f.officer, c.ID))
		at(26 * time.Minute)
		f.ok(s.Escalate(ctx, f.officer, b.ID, "APPLICANT", "which stations?")) // the clock stops at 21 min worked
		f.ok(s.Escalate(ctx, f.officer, c.ID, "INTERNAL", "asking the radar division"))

		at(3*time.Hour + 26*time.Minute)
		if got, want := breached(), []int64{a.ID, c.ID}; !slices.Equal(got, want) {
			t.Errorf("breached after 3 h: %v, want %v (B is paused)", got, want)
		}
		b = f.ok(s.Resume(ctx, f.officer, b.ID, ""))
		if st := b.Steps[1]; st.Paused != 3*time.Hour || !st.DueAt.Equal(t0.Add(5*time.Minute+time.Hour+3*time.Hour)) {
			t.Errorf("B's fulfilment after the pause: %+v", st)
		}
		at(3*time.Hour + 56*time.Minute)
		f.ok(s.Fulfil(ctx, f.officer, b.ID, fulfilment()))
		b = f.ok(s.CloseTicket(ctx, f.officer, b.ID, ""))
		if st := b.Steps[1]; st.WorkingTime(s.now()) != 51*time.Minute || st.Breached(s.now()) {
			t.Errorf("B's fulfilment %+v: want 51 min, on time", st)
		}
		if got, want := onTime(), []int64{b.ID}; !slices.Equal(got, want) {
			t.Errorf("on time at the end: %v, want %v", got, want)
		}

		st, err := s.Stats(ctx, t0.Add(-time.Hour), t0.Add(4*time.Hour))
		if err != nil {
			t.Fatal(err)
		}
		if st.ByState[mkg.TicketForwarded] != 1 || st.ByState[mkg.TicketClosed] != 1 || st.ByState[mkg.TicketEscalated] != 1 {
			t.Errorf("by state %v", st.ByState)
		}
		want := []mkg.StepStats{
			{Kind: mkg.StepApplicant},
			{Kind: mkg.StepReview, Finished: 3, Median: 5 * time.Minute, P90: 16 * time.Minute, Breached: 1, BreachRate: 1.0 / 3},
			{Kind: mkg.StepFulfilment, Finished: 1, Median: 51 * time.Minute, P90: 51 * time.Minute, Breached: 2, Running: 2, BreachRate: 2.0 / 3},
		}
		if !slices.Equal(st.Steps, want) {
			t.Errorf("step stats\n got %+v\nwant %+v", st.Steps, want)
		}
		if _, err := s.Stats(ctx, t0, t0.Add(-time.Second)); mkg.ErrorCode(err) != mkg.EINVALID {
			t.Errorf("Stats with from after to: %v", err)
		}
	})
}

// Options.Standards reach the steps; zero means the SOP's.
func TestTicketStandardsOption(t *testing.T) {
	ctx := context.Background()
	std := mkg.Standards{Applicant: time.Minute, Review: 2 * time.Minute, Fulfilment: 3 * time.Minute}
	s, err := Open(ctx, "sqlite:"+filepath.Join(t.TempDir(), "std.db"), Options{Logger: quiet, Standards: std})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if s.standards != std || newSQLiteStore(t).standards != mkg.DefaultStandards {
		t.Fatalf("standards %+v", s.standards)
	}
	f := newTicketFixture(t, s)
	tk, _ := f.submit(t, nil)
	if st := tk.Steps[0]; st.DueAt.Sub(st.StartedAt) != 2*time.Minute {
		t.Errorf("review step %+v: want due 2 min after its start", st)
	}
}
