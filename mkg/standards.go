package mkg

import (
	"slices"
	"time"
)

// The service-standard clock. Each step of the SOP that has a standard time
// is a ServiceStep: it starts, is due a standard later, stops the clock while
// the ticket waits on the applicant, and finishes. The clock measures the
// agency's own work only: the applicant's correction after a return and the
// applicant's answer to an escalation are not counted against the service.

// AdvanceSteps returns a ticket's steps after action, done at at. The input
// is not changed: the result is a new slice, and a step that changes is
// replaced by a changed copy. escalatedTo matters for ActEscalate only
// (APPLICANT stops the clock, INTERNAL does not); formStartedAt for ActSubmit
// only (the applicant's own step, when the form was started in the system).
//
// A step ended by ActWithdraw is marked Cancelled: the service did not get to
// complete it, so it is left out of durations and breaches (see ComputeStats).
func AdvanceSteps(steps []ServiceStep, action TicketAction, escalatedTo string, at time.Time,
	formStartedAt *time.Time, std Standards) []ServiceStep {
	out := slices.Clone(steps)
	switch action {
	case ActSubmit:
		if formStartedAt != nil {
			out = append(out, applicantStep(*formStartedAt, at, std))
		}
		out = startStep(out, StepReview, at, std.Review)
	case ActForward:
		finishStep(out, StepReview, at, false)
		out = startStep(out, StepFulfilment, at, std.Fulfilment)
	case ActReturn:
		finishStep(out, StepReview, at, false)
	case ActRevise:
		out = startStep(out, StepReview, at, std.Review)
	case ActEscalate:
		if escalatedTo == string(ActorApplicant) {
			if i := runningStep(out, StepFulfilment); i >= 0 && out[i].PausedAt == nil {
				out[i].PausedAt = &at
			}
		}
	case ActResume, ActFulfil:
		if i := runningStep(out, StepFulfilment); i >= 0 {
			out[i] = out[i].unpaused(at)
		}
	case ActClose:
		finishStep(out, StepFulfilment, at, false)
	case ActReject:
		finishStep(out, "", at, false)
	case ActWithdraw:
		finishStep(out, "", at, true)
	}
	return out
}

// applicantStep is the applicant's finished step 1. A form start after the
// submission (clock skew between machines) counts as started at submission.
func applicantStep(started, submitted time.Time, std Standards) ServiceStep {
	if started.After(submitted) {
		started = submitted
	}
	return ServiceStep{Kind: StepApplicant, Round: 1, StartedAt: started, DueAt: started.Add(std.Applicant),
		FinishedAt: &submitted}
}

// startStep appends the next round of kind, starting at at.
func startStep(steps []ServiceStep, kind StepKind, at time.Time, standard time.Duration) []ServiceStep {
	round := 1
	for _, s := range steps {
		if s.Kind == kind && s.Round >= round {
			round = s.Round + 1
		}
	}
	return append(steps, ServiceStep{Kind: kind, Round: round, StartedAt: at, DueAt: at.Add(standard)})
}

// runningStep returns the index of the last unfinished step of kind (of any
// kind when kind is ""), or -1.
func runningStep(steps []ServiceStep, kind StepKind) int {
	for i := len(steps) - 1; i >= 0; i-- {
		if steps[i].FinishedAt == nil && (kind == "" || steps[i].Kind == kind) {
			return i
		}
	}
	return -1
}

// finishStep ends the running step of kind (any kind for ""), unpausing it
// first, in place: steps is already the caller's copy.
func finishStep(steps []ServiceStep, kind StepKind, at time.Time, cancelled bool) {
	if i := runningStep(steps, kind); i >= 0 {
		s := steps[i].unpaused(at)
		s.FinishedAt = &at
		s.Cancelled = cancelled
		steps[i] = s
	}
}

// unpaused returns the step with a pause in progress ended at at: the pause
// is added to Paused and the due time moves by it.
func (s ServiceStep) unpaused(at time.Time) ServiceStep {
	if s.PausedAt == nil {
		return s
	}
	if d := at.Sub(*s.PausedAt); d > 0 {
		s.Paused += d
		s.DueAt = s.DueAt.Add(d)
	}
	s.PausedAt = nil
	return s
}

// end is when the step's clock is read: its finish, or now while it runs.
func (s ServiceStep) end(now time.Time) time.Time {
	if s.FinishedAt != nil {
		return *s.FinishedAt
	}
	return now
}

// WorkingTime is the time the step has taken at now: from its start to its
// finish (to now while it runs), minus its pauses, the one in progress
// included.
func (s ServiceStep) WorkingTime(now time.Time) time.Duration {
	end := s.end(now)
	d := end.Sub(s.StartedAt) - s.Paused
	if s.PausedAt != nil && end.After(*s.PausedAt) {
		d -= end.Sub(*s.PausedAt)
	}
	return max(d, 0)
}

// Standard is the working time the step is allowed: its due time minus its
// start, less the pauses that moved the due time.
func (s ServiceStep) Standard() time.Duration {
	return s.DueAt.Sub(s.StartedAt) - s.Paused
}

// Breached reports whether the step's working time is beyond its standard at
// now; a finished step is judged at its finish. A paused step does not
// become breached while paused (its clock is stopped), but one that was
// already past its standard when paused stays breached. A cancelled step is
// never breached: the service did not get to complete it.
func (s ServiceStep) Breached(now time.Time) bool {
	return !s.Cancelled && s.WorkingTime(now) > s.Standard()
}

// EffectiveDue is when the step is due as seen at now: its due time, moved
// by the pause in progress, if any.
func (s ServiceStep) EffectiveDue(now time.Time) time.Time {
	if s.PausedAt != nil && s.FinishedAt == nil && now.After(*s.PausedAt) {
		return s.DueAt.Add(now.Sub(*s.PausedAt))
	}
	return s.DueAt
}

// BreachState is what a ticket's breach is judged by without reading its
// steps: whether a step is breached for good at now, and the earliest due
// time of a running, unpaused step not yet late (such a step is breached
// exactly when a later now passes that time).
func BreachState(steps []ServiceStep, now time.Time) (breached bool, dueAt *time.Time) {
	for _, st := range steps {
		switch {
		case st.Breached(now):
			breached = true
		case st.FinishedAt == nil && st.PausedAt == nil && !st.Cancelled:
			if d := st.EffectiveDue(now); dueAt == nil || d.Before(*dueAt) {
				dueAt = &d
			}
		}
	}
	return breached, dueAt
}

// stepKinds are the steps with a standard, in the SOP's order.
var stepKinds = []StepKind{StepApplicant, StepReview, StepFulfilment}

// ComputeStats returns the figures of the tickets submitted in [from, to]
// (others are ignored), as seen at now. ByState names every state and Steps
// every step kind (applicant, review, fulfilment), zero figures included.
//
// Per step kind: Finished counts finished runs; Median and P90 are of their
// working times, zero without runs: Median the middle value (the mean of
// the two middle ones for an even count), P90 by the nearest-rank method
// (the ceil(0.9·n)-th smallest, so always one of the measured values); Breached counts runs past their standard, finished or still
// running; Running counts unfinished runs; BreachRate is Breached over the
// runs whose outcome is known (the finished ones and the running ones
// already breached), zero when there are none. Runs cancelled by the
// applicant's withdrawal are left out of every figure.
func ComputeStats(tickets []*Ticket, from, to, now time.Time) *TicketStats {
	st := &TicketStats{From: from, To: to, ByState: make(map[TicketState]int, len(TicketStates))}
	for _, s := range TicketStates {
		st.ByState[s] = 0
	}
	runs := map[StepKind][]ServiceStep{}
	for _, t := range tickets {
		if t == nil || t.SubmittedAt.Before(from) || t.SubmittedAt.After(to) {
			continue
		}
		st.ByState[t.State]++
		for _, s := range t.Steps {
			if !s.Cancelled {
				runs[s.Kind] = append(runs[s.Kind], s)
			}
		}
	}
	for _, kind := range stepKinds {
		st.Steps = append(st.Steps, stepStats(kind, runs[kind], now))
	}
	return st
}

// stepStats are the figures of one kind's runs.
func stepStats(kind StepKind, runs []ServiceStep, now time.Time) StepStats {
	ss := StepStats{Kind: kind}
	var took []time.Duration
	runningBreached := 0
	for _, s := range runs {
		breached := s.Breached(now)
		if breached {
			ss.Breached++
		}
		if s.FinishedAt == nil {
			ss.Running++
			if breached {
				runningBreached++
			}
			continue
		}
		ss.Finished++
		took = append(took, s.WorkingTime(now))
	}
	slices.Sort(took)
	ss.Median = median(took)
	ss.P90 = nearestRank(took, 9, 10)
	if n := ss.Finished + runningBreached; n > 0 {
		ss.BreachRate = float64(ss.Breached) / float64(n)
	}
	return ss
}

// median returns the middle of sorted values, the mean of the two middle
// ones for an even count; zero for no values.
func median(sorted []time.Duration) time.Duration {
	n := len(sorted)
	switch {
	case n == 0:
		return 0
	case n%2 == 1:
		return sorted[n/2]
	}
	a, b := sorted[n/2-1], sorted[n/2]
	return a + (b-a)/2
}

// nearestRank returns the num/den-th percentile of sorted values: the
// ceil(num/den·n)-th smallest, computed in integers so that no rounding
// error moves the rank; zero for no values.
func nearestRank(sorted []time.Duration, num, den int) time.Duration {
	n := len(sorted)
	if n == 0 {
		return 0
	}
	rank := (num*n + den - 1) / den
	return sorted[max(rank, 1)-1]
}

// ServiceFigures are the service standards as an operator watches them
// now: the tickets not yet final, per state (every state that is not final
// named, at zero too), and the steps running past their standard, per step
// kind (every kind named).
type ServiceFigures struct {
	Open    map[TicketState]int
	PastDue map[StepKind]int
}

// StepKinds are the steps with a standard, in the SOP's order.
func StepKinds() []StepKind { return slices.Clone(stepKinds) }

// ComputeServiceFigures returns the figures of the open tickets given (final
// ones are ignored), as seen at now. A paused step (the ticket waits on the
// applicant) is past due only if it ran past its standard before it paused.
func ComputeServiceFigures(tickets []*Ticket, now time.Time) ServiceFigures {
	f := ServiceFigures{Open: map[TicketState]int{}, PastDue: map[StepKind]int{}}
	for _, s := range TicketStates {
		if !s.Final() {
			f.Open[s] = 0
		}
	}
	for _, k := range stepKinds {
		f.PastDue[k] = 0
	}
	for _, t := range tickets {
		if t.State.Final() {
			continue
		}
		f.Open[t.State]++
		for _, st := range t.Steps {
			if st.FinishedAt == nil && st.Breached(now) {
				f.PastDue[st.Kind]++
			}
		}
	}
	return f
}
