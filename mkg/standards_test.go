package mkg

import (
	"reflect"
	"testing"
	"time"
)

// copySteps copies steps deeply, so that a change made through a pointer
// shows in a comparison.
func copySteps(steps []ServiceStep) []ServiceStep {
	if steps == nil {
		return nil
	}
	out := make([]ServiceStep, len(steps))
	for i, s := range steps {
		if s.FinishedAt != nil {
			s.FinishedAt = Ptr(*s.FinishedAt)
		}
		if s.PausedAt != nil {
			s.PausedAt = Ptr(*s.PausedAt)
		}
		out[i] = s
	}
	return out
}

// stepLife applies actions to a ticket's steps as the store would, checking
// every time that the steps it was given are left as they were.
type stepLife struct {
	t           *testing.T
	steps       []ServiceStep
	formStarted *time.Time
}

func (l *stepLife) do(action TicketAction, escalatedTo string, at time.Time) {
	l.t.Helper()
	before := copySteps(l.steps)
	next := AdvanceSteps(l.steps, action, escalatedTo, at, l.formStarted, DefaultStandards)
	if !reflect.DeepEqual(l.steps, before) {
		l.t.Fatalf("%s changed the steps it was given:\n%+v\nwere\n%+v", action, l.steps, before)
	}
	if len(l.steps) > 0 && len(next) > 0 && &l.steps[0] == &next[0] {
		l.t.Fatalf("%s returned the slice it was given", action)
	}
	l.steps = next
}

type stepWant struct {
	working  time.Duration
	breached bool
}

func (l *stepLife) check(when string, now time.Time, want ...stepWant) {
	l.t.Helper()
	if len(l.steps) != len(want) {
		l.t.Fatalf("%s: %d steps, want %d: %+v", when, len(l.steps), len(want), l.steps)
	}
	for i, s := range l.steps {
		if got := s.WorkingTime(now); got != want[i].working {
			l.t.Errorf("%s: %s round %d worked %v, want %v", when, s.Kind, s.Round, got, want[i].working)
		}
		if got := s.Breached(now); got != want[i].breached {
			l.t.Errorf("%s: %s round %d breached %v, want %v", when, s.Kind, s.Round, got, want[i].breached)
		}
	}
}

// TestTicketLife follows one ticket through the SOP under a fake clock:
// the form started 10 minutes before submission, a 20-minute review that
// returns it, a revision two hours later that is the applicant's time, a
// 5-minute second review, and 50 minutes of an officer's work around a
// 3-hour wait on the applicant.
func TestTicketLife(t *testing.T) {
	const m = time.Minute
	t0 := time.Date(2026, 3, 2, 9, 0, 0, 0, wib)
	formStarted := t0.Add(-10 * m)
	l := &stepLife{t: t, formStarted: &formStarted}

	l.do(ActSubmit, "", t0)
	l.check("submitted", t0.Add(10*m), stepWant{10 * m, false}, stepWant{10 * m, false})
	l.check("review late", t0.Add(16*m), stepWant{10 * m, false}, stepWant{16 * m, true})

	l.do(ActReturn, "", t0.Add(20*m))
	l.check("returned", t0.Add(2*time.Hour), stepWant{10 * m, false}, stepWant{20 * m, true})

	l.do(ActRevise, "", t0.Add(140*m))
	l.do(ActForward, "", t0.Add(145*m))
	f := t0.Add(145 * m)
	l.check("forwarded", f, stepWant{10 * m, false}, stepWant{20 * m, true}, stepWant{5 * m, false},
		stepWant{0, false})

	before := copySteps(l.steps)
	l.do(ActStart, "", f.Add(5*m))
	if !reflect.DeepEqual(l.steps, before) {
		t.Errorf("START_FULFILMENT changed the steps: %+v", l.steps)
	}

	l.do(ActEscalate, "APPLICANT", f.Add(20*m))
	fl := func() ServiceStep { return l.steps[len(l.steps)-1] }
	l.check("waiting on the applicant", f.Add(2*time.Hour), stepWant{10 * m, false}, stepWant{20 * m, true},
		stepWant{5 * m, false}, stepWant{20 * m, false})
	if got, want := fl().EffectiveDue(f.Add(2*time.Hour)), f.Add(160*m); !got.Equal(want) {
		t.Errorf("due while paused %v, want %v", got, want)
	}

	l.do(ActResume, "", f.Add(200*m))
	l.do(ActFulfil, "", f.Add(220*m))
	l.do(ActClose, "", f.Add(230*m))
	l.check("closed", f.Add(10*time.Hour), stepWant{10 * m, false}, stepWant{20 * m, true},
		stepWant{5 * m, false}, stepWant{50 * m, false})

	want := []ServiceStep{
		{Kind: StepApplicant, Round: 1, StartedAt: formStarted, DueAt: t0.Add(5 * m), FinishedAt: Ptr(t0)},
		{Kind: StepReview, Round: 1, StartedAt: t0, DueAt: t0.Add(15 * m), FinishedAt: Ptr(t0.Add(20 * m))},
		{Kind: StepReview, Round: 2, StartedAt: t0.Add(140 * m), DueAt: t0.Add(155 * m), FinishedAt: Ptr(f)},
		{Kind: StepFulfilment, Round: 1, StartedAt: f, DueAt: f.Add(4 * time.Hour), FinishedAt: Ptr(f.Add(230 * m)),
			Paused: 3 * time.Hour},
	}
	if !reflect.DeepEqual(l.steps, want) {
		t.Errorf("steps\n%+v\nwant\n%+v", l.steps, want)
	}
	if got := fl().EffectiveDue(f.Add(10 * time.Hour)); !got.Equal(f.Add(4 * time.Hour)) {
		t.Errorf("due after the pause %v, want forward + 4h", got)
	}
}

// forwarded returns the steps of a ticket submitted at t0 (no form) and
// forwarded 5 minutes later.
func forwarded(t0 time.Time) []ServiceStep {
	steps := AdvanceSteps(nil, ActSubmit, "", t0, nil, DefaultStandards)
	return AdvanceSteps(steps, ActForward, "", t0.Add(5*time.Minute), nil, DefaultStandards)
}

func TestEscalationAndEndings(t *testing.T) {
	const m = time.Minute
	t0 := time.Date(2026, 3, 2, 9, 0, 0, 0, wib)
	f := t0.Add(5 * m)
	last := func(s []ServiceStep) ServiceStep { return s[len(s)-1] }

	if s := AdvanceSteps(nil, ActSubmit, "", t0, nil, DefaultStandards); len(s) != 1 || s[0].Kind != StepReview {
		t.Errorf("submission without a form session: %+v, want the review only", s)
	}
	late := t0.Add(time.Minute)
	if s := AdvanceSteps(nil, ActSubmit, "", t0, &late, DefaultStandards); !s[0].StartedAt.Equal(t0) ||
		s[0].WorkingTime(t0) != 0 {
		t.Errorf("a form started after submission: %+v, want it counted from submission", s[0])
	}

	internal := AdvanceSteps(forwarded(t0), ActEscalate, "INTERNAL", f.Add(10*m), nil, DefaultStandards)
	if s := last(internal); s.PausedAt != nil || s.WorkingTime(f.Add(70*m)) != 70*m || !s.Breached(f.Add(70*m)) {
		t.Errorf("INTERNAL escalation: %+v; want the clock running", s)
	}

	paused := AdvanceSteps(forwarded(t0), ActEscalate, "APPLICANT", f.Add(10*m), nil, DefaultStandards)
	fulfilled := AdvanceSteps(paused, ActFulfil, "", f.Add(70*m), nil, DefaultStandards)
	if s := last(fulfilled); s.PausedAt != nil || s.Paused != time.Hour || !s.DueAt.Equal(f.Add(2*time.Hour)) ||
		s.FinishedAt != nil {
		t.Errorf("FULFIL while paused: %+v; want unpaused, due moved by the hour, still running", s)
	}

	lateThenPaused := AdvanceSteps(forwarded(t0), ActEscalate, "APPLICANT", f.Add(80*m), nil, DefaultStandards)
	if s := last(lateThenPaused); !s.Breached(f.Add(5*time.Hour)) || s.WorkingTime(f.Add(5*time.Hour)) != 80*m {
		t.Errorf("a step paused after its standard: %+v; want it still breached", s)
	}

	onTime := AdvanceSteps(nil, ActSubmit, "", t0, nil, DefaultStandards)
	onTime = AdvanceSteps(onTime, ActReturn, "", t0.Add(15*m), nil, DefaultStandards)
	if onTime[0].Breached(t0.Add(time.Hour)) {
		t.Error("a review of exactly 15 minutes is within the standard")
	}

	withdrawn := AdvanceSteps(paused, ActWithdraw, "", f.Add(5*time.Hour), nil, DefaultStandards)
	if s := last(withdrawn); !s.Cancelled || s.FinishedAt == nil || s.PausedAt != nil || s.Paused != 290*m ||
		s.Breached(f.Add(6*time.Hour)) {
		t.Errorf("withdrawal while paused: %+v; want finished, unpaused, cancelled, not breached", s)
	}
	slow := AdvanceSteps(nil, ActSubmit, "", t0, nil, DefaultStandards)
	slow = AdvanceSteps(slow, ActWithdraw, "", t0.Add(2*time.Hour), nil, DefaultStandards)
	if !slow[0].Cancelled || slow[0].Breached(t0.Add(3*time.Hour)) {
		t.Errorf("withdrawal during the review: %+v; want cancelled, not counted as breached", slow[0])
	}

	rejected := AdvanceSteps(forwarded(t0), ActReject, "", f.Add(90*m), nil, DefaultStandards)
	if s := last(rejected); s.Cancelled || s.FinishedAt == nil || !s.Breached(f.Add(90*m)) {
		t.Errorf("rejection: %+v; want finished by the officer, judged (and breached at 90 min)", s)
	}
	if rejected[0].FinishedAt == nil || !rejected[0].FinishedAt.Equal(f) {
		t.Errorf("rejection changed the finished review: %+v", rejected[0])
	}
}

// Hand-made runs for ComputeStats.
func done(kind StepKind, start time.Time, took time.Duration) ServiceStep {
	return ServiceStep{Kind: kind, Round: 1, StartedAt: start, DueAt: start.Add(standardOf(kind)),
		FinishedAt: Ptr(start.Add(took))}
}

func standardOf(kind StepKind) time.Duration {
	switch kind {
	case StepApplicant:
		return DefaultStandards.Applicant
	case StepReview:
		return DefaultStandards.Review
	}
	return DefaultStandards.Fulfilment
}

func TestComputeStats(t *testing.T) {
	const m = time.Minute
	now := time.Date(2026, 3, 9, 12, 0, 0, 0, wib)
	from, to := now.Add(-7*24*time.Hour), now
	at := now.Add(-3 * 24 * time.Hour)
	ticket := func(s TicketState, steps ...ServiceStep) *Ticket {
		return &Ticket{State: s, SubmittedAt: at, Steps: steps}
	}
	running := func(kind StepKind, start time.Time) ServiceStep {
		return ServiceStep{Kind: kind, Round: 2, StartedAt: start, DueAt: start.Add(standardOf(kind))}
	}
	pausedRun := running(StepFulfilment, now.Add(-5*time.Hour))
	pausedRun.PausedAt = Ptr(now.Add(-280 * m)) // 20 minutes of work, then waiting on the applicant
	cancelled := done(StepReview, at, time.Hour)
	cancelled.Cancelled = true
	outside := ticket(TicketClosed, done(StepReview, at, 3*time.Hour))
	outside.SubmittedAt = from.Add(-time.Second)

	tickets := []*Ticket{
		ticket(TicketClosed, done(StepApplicant, at, 10*m), done(StepReview, at, 5*m), done(StepFulfilment, at, 50*m)),
		ticket(TicketClosed, done(StepApplicant, at, 25*m), done(StepReview, at, 10*m), done(StepFulfilment, at, 70*m)),
		ticket(TicketRejected, done(StepReview, at, 20*m), done(StepFulfilment, at, 30*m)),
		ticket(TicketClosed, done(StepReview, at, 30*m), done(StepFulfilment, at, 2*time.Hour)),
		ticket(TicketSubmitted, done(StepReview, at, 40*m), running(StepReview, now.Add(-30*m))),
		ticket(TicketSubmitted, running(StepReview, now.Add(-5*m))),
		ticket(TicketWithdrawn, cancelled),
		ticket(TicketEscalated, done(StepReview, at, 15*m), pausedRun),
		outside,
		nil,
	}
	st := ComputeStats(tickets, from, to, now)

	wantStates := map[TicketState]int{TicketSubmitted: 2, TicketReturned: 0, TicketForwarded: 0, TicketInFulfilment: 0,
		TicketEscalated: 1, TicketFulfilled: 0, TicketClosed: 3, TicketRejected: 1, TicketWithdrawn: 1}
	if !reflect.DeepEqual(st.ByState, wantStates) {
		t.Errorf("ByState %v, want %v", st.ByState, wantStates)
	}
	// Worked by hand (median: the middle value, or the mean of the two
	// middle ones; p90 by nearest rank: the ceil(0.9·n)-th smallest):
	// applicant 10, 25 → median 17.5, p90 2nd (25); one breach of two.
	// review 5, 10, 15, 20, 30, 40 → median (15+20)/2, p90 6th (40);
	// breaches 20, 30, 40 and the running 30-minute one: 4 of 6 + 1.
	// fulfilment 30, 50, 70, 120 → median (50+70)/2, p90 4th (120); 2 of 4;
	// the paused run (20 minutes of work) is running, not breached.
	want := []StepStats{
		{Kind: StepApplicant, Finished: 2, Median: 17*m + 30*time.Second, P90: 25 * m, Breached: 1, BreachRate: 0.5},
		{Kind: StepReview, Finished: 6, Median: 17*m + 30*time.Second, P90: 40 * m, Breached: 4, Running: 2, BreachRate: 4.0 / 7},
		{Kind: StepFulfilment, Finished: 4, Median: 60 * m, P90: 2 * time.Hour, Breached: 2, Running: 1, BreachRate: 0.5},
	}
	if !reflect.DeepEqual(st.Steps, want) {
		t.Errorf("Steps\n%+v\nwant\n%+v", st.Steps, want)
	}
	if !st.From.Equal(from) || !st.To.Equal(to) {
		t.Errorf("period %v–%v", st.From, st.To)
	}
}

func TestComputeStatsEmpty(t *testing.T) {
	now := time.Now()
	st := ComputeStats(nil, now.Add(-time.Hour), now, now)
	if len(st.ByState) != len(TicketStates) {
		t.Errorf("ByState %v: want every state, at zero", st.ByState)
	}
	for s, n := range st.ByState {
		if n != 0 {
			t.Errorf("ByState[%s] = %d", s, n)
		}
	}
	want := []StepStats{{Kind: StepApplicant}, {Kind: StepReview}, {Kind: StepFulfilment}}
	if !reflect.DeepEqual(st.Steps, want) {
		t.Errorf("Steps %+v, want zero figures for every kind", st.Steps)
	}
}

func TestNearestRank(t *testing.T) {
	ten := make([]time.Duration, 10)
	for i := range ten {
		ten[i] = time.Duration(i + 1)
	}
	for _, c := range []struct {
		values       []time.Duration
		num, den     int
		want         time.Duration
		whatIsTested string
	}{
		{nil, 1, 2, 0, "no values"},
		{ten[:1], 9, 10, 1, "one value is every percentile"},
		{ten, 9, 10, 9, "p90 of 10: the 9th, exactly (no rounding up to the 10th)"},
		{ten[:9], 9, 10, 9, "p90 of 9: ceil(8.1) = 9th"},
		{ten[:3], 1, 2, 2, "50th percentile of 3: ceil(1.5) = 2nd"},
	} {
		if got := nearestRank(c.values, c.num, c.den); got != c.want {
			t.Errorf("%s: %v, want %v", c.whatIsTested, got, c.want)
		}
	}
}

func TestMedian(t *testing.T) {
	for _, c := range []struct {
		values []time.Duration
		want   time.Duration
	}{
		{nil, 0},
		{[]time.Duration{7}, 7},
		{[]time.Duration{1, 2, 9}, 2},
		{[]time.Duration{0, 11 * time.Second}, 5500 * time.Millisecond},
		{[]time.Duration{1, 2, 3, 4}, 2},                 // (2+3)/2 in nanoseconds, rounded down
		{[]time.Duration{1 << 62, 1<<62 + 2}, 1<<62 + 1}, // no overflow
	} {
		if got := median(c.values); got != c.want {
			t.Errorf("median(%v) = %v, want %v", c.values, got, c.want)
		}
	}
}

// TestComputeServiceFigures: open tickets per state (final ones left out),
// and running steps past their standard per step; a paused step is past
// due only if it ran past its standard before its pause, a finished late
// step no longer is.
func TestComputeServiceFigures(t *testing.T) {
	t0 := time.Date(2026, 11, 2, 8, 0, 0, 0, time.UTC)
	std := DefaultStandards
	late := AdvanceSteps(nil, ActSubmit, "", t0, nil, std)                        // review due t0+15m
	onTime := AdvanceSteps(nil, ActSubmit, "", t0.Add(110*time.Minute), nil, std) // due t0+125m
	forwarded := AdvanceSteps(late, ActForward, "", t0.Add(30*time.Minute), nil, std)
	paused := AdvanceSteps(forwarded, ActEscalate, string(ActorApplicant), t0.Add(40*time.Minute), nil, std)
	closed := AdvanceSteps(forwarded, ActClose, "", t0.Add(50*time.Minute), nil, std)
	now := t0.Add(2 * time.Hour)
	f := ComputeServiceFigures([]*Ticket{
		{State: TicketSubmitted, Steps: late},
		{State: TicketSubmitted, Steps: onTime},
		{State: TicketForwarded, Steps: forwarded},
		{State: TicketEscalated, Steps: paused},
		{State: TicketClosed, Steps: closed},
	}, now)
	wantOpen := map[TicketState]int{TicketSubmitted: 2, TicketReturned: 0, TicketForwarded: 1, TicketInFulfilment: 0,
		TicketEscalated: 1, TicketFulfilled: 0}
	if !reflect.DeepEqual(f.Open, wantOpen) {
		t.Errorf("open: %v, want %v", f.Open, wantOpen)
	}
	// Review: the late submitted one (the forwarded one's review finished
	// late, and is no longer running). Fulfilment: the forwarded one (due
	// t0+90m); the paused one ran 10 minutes before its pause.
	wantDue := map[StepKind]int{StepApplicant: 0, StepReview: 1, StepFulfilment: 1}
	if !reflect.DeepEqual(f.PastDue, wantDue) {
		t.Errorf("past due: %v, want %v", f.PastDue, wantDue)
	}
}
