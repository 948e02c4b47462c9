package mkg

import (
	"context"
	"errors"
	"testing"
	"time"
)

// TestBudgetState: the window described is the one with least left; a
// refusal names the window that refused, when it ends, and whether the
// cost could ever fit.
func TestBudgetState(t *testing.T) {
	b := Budget{PerMinute: 100, PerDay: 1000}
	now := time.Date(2026, 3, 2, 23, 59, 45, 0, time.UTC)
	minuteEnd, dayEnd := time.Date(2026, 3, 3, 0, 0, 0, 0, time.UTC), time.Date(2026, 3, 3, 0, 0, 0, 0, time.UTC)
	at := time.Date(2026, 3, 2, 10, 0, 15, 0, time.UTC)
	for _, c := range []struct {
		name    string
		now     time.Time
		used    QuotaUsage
		cost    int64
		allowed bool
		want    QuotaState
	}{
		{"minute binds", at, QuotaUsage{Minute: 30, Day: 30}, 30, true,
			QuotaState{Allowed: true, Requested: 30, Window: "minute", Limit: 100, Used: 30, Remaining: 70, ResetAt: at.Truncate(time.Minute).Add(time.Minute)}},
		{"day binds", at, QuotaUsage{Minute: 30, Day: 950}, 30, true,
			QuotaState{Allowed: true, Requested: 30, Window: "day", Limit: 1000, Used: 950, Remaining: 50, ResetAt: dayEnd}},
		{"minute refuses", now, QuotaUsage{Minute: 90, Day: 90}, 20, false,
			QuotaState{Requested: 20, Window: "minute", Limit: 100, Used: 90, Remaining: 10, ResetAt: minuteEnd, RetryAfter: 15 * time.Second}},
		{"day refuses", at, QuotaUsage{Minute: 0, Day: 990}, 20, false,
			QuotaState{Requested: 20, Window: "day", Limit: 1000, Used: 990, Remaining: 10, ResetAt: dayEnd, RetryAfter: dayEnd.Sub(at)}},
		{"never fits", at, QuotaUsage{}, 101, false,
			QuotaState{Requested: 101, Window: "minute", Limit: 100, Remaining: 100, ResetAt: at.Truncate(time.Minute).Add(time.Minute), RetryAfter: 45 * time.Second, NeverFits: true}},
	} {
		if ok := b.Admits(c.used, c.cost); ok != c.allowed {
			t.Errorf("%s: Admits = %v", c.name, ok)
		}
		if got := b.State(c.used, c.cost, c.allowed, c.now); got != c.want {
			t.Errorf("%s:\n got %+v\nwant %+v", c.name, got, c.want)
		}
	}
	if !b.Admits(QuotaUsage{Minute: 500, Day: 5000}, 0) {
		t.Error("a cost of 0 was refused over budget: rateLimit must always answer")
	}
}

// TestLeaseSize: a lease is the cost when little is left (a small budget
// is charged exactly), a fraction of what is left in the tighter window
// when more is, at most LeaseMultiple times the cost, and nothing when the
// cost does not fit.
func TestLeaseSize(t *testing.T) {
	big := Budget{PerMinute: 100_000, PerDay: 2_000_000}
	for _, c := range []struct {
		name string
		b    Budget
		used QuotaUsage
		cost int64
		want int64
	}{
		{"a small budget: the cost", Budget{PerMinute: 100, PerDay: 100}, QuotaUsage{}, 10, 10},
		{"a small day, cost 1: the cost", Budget{PerMinute: 500_000, PerDay: 100}, QuotaUsage{}, 1, 1},
		{"127 left, cost 1: the cost", big, QuotaUsage{Minute: 99_873, Day: 99_873}, 1, 1},
		{"128 left, cost 1: four", big, QuotaUsage{Minute: 99_872, Day: 99_872}, 1, 4},
		{"much left: the multiple of the cost", big, QuotaUsage{}, 3, 3 * LeaseMultiple},
		{"a fraction of what is left", big, QuotaUsage{Minute: 96_800, Day: 96_800}, 3, 3200 / LeaseFraction},
		{"the tighter window is the day", big, QuotaUsage{Minute: 0, Day: 1_996_800}, 3, 3200 / LeaseFraction},
		{"the fraction covers fewer than LeaseMinimum: the cost", big, QuotaUsage{Minute: 99_700, Day: 99_700}, 3, 3},
		{"little left: the cost", big, QuotaUsage{Minute: 99_990, Day: 99_990}, 3, 3},
		{"exactly what is left", big, QuotaUsage{Minute: 99_997, Day: 99_997}, 3, 3},
		{"does not fit: nothing", big, QuotaUsage{Minute: 99_998, Day: 99_998}, 3, 0},
		{"the day refuses: nothing", big, QuotaUsage{Minute: 0, Day: 2_000_000}, 1, 0},
		{"a cost of 0 takes nothing", big, QuotaUsage{}, 0, 0},
		{"a cost larger than the fraction: the cost", big, QuotaUsage{}, 50_000, 50_000},
	} {
		if got := c.b.LeaseSize(c.used, c.cost); got != c.want {
			t.Errorf("%s: LeaseSize(%+v, %d) = %d; want %d", c.name, c.used, c.cost, got, c.want)
		}
	}
}

// TestBudgetValidate: budgets out of range, or per minute above per day,
// are refused naming the field.
func TestBudgetValidate(t *testing.T) {
	for _, c := range []struct {
		b     AccountBudget
		field string
	}{
		{AccountBudget{}, ""},
		{AccountBudget{PerMinute: Ptr(int64(1)), PerDay: Ptr(int64(MaxBudgetPerDay))}, ""},
		{AccountBudget{PerMinute: Ptr(int64(0))}, "perMinute"},
		{AccountBudget{PerMinute: Ptr(int64(MaxBudgetPerMinute + 1))}, "perMinute"},
		{AccountBudget{PerDay: Ptr(int64(-1))}, "perDay"},
		{AccountBudget{PerMinute: Ptr(int64(60)), PerDay: Ptr(int64(59))}, "perMinute"},
	} {
		err := c.b.Validate()
		var e *Error
		if c.field == "" && err != nil || c.field != "" && (!errors.As(err, &e) || e.Code != EINVALID || e.Field != c.field) {
			t.Errorf("%+v: %v; want field %q", c.b, err, c.field)
		}
	}
	if err := (Budget{PerMinute: 10, PerDay: 5}).Validate("x."); err == nil {
		t.Error("a default budget with more per minute than per day was accepted")
	}
}

func TestDailyBudgetFor(t *testing.T) {
	if DailyBudgetFor(nil) != nil || DailyBudgetFor(Ptr(0)) != nil {
		t.Error("no calls announced gave a budget")
	}
	if got := DailyBudgetFor(Ptr(2000)); got == nil || *got != 2000*DailyBudgetPerCall {
		t.Errorf("2000 calls a day: %v", got)
	}
	if got := DailyBudgetFor(Ptr(MaxCallsPerDay)); *got > MaxBudgetPerDay || *got < MaxCallsPerDay {
		t.Errorf("the most calls a day: %d; want within 1 point a call and the cap %d", *got, MaxBudgetPerDay)
	}
	if got := DailyBudgetFor(Ptr(MaxBudgetPerDay)); *got != MaxBudgetPerDay {
		t.Errorf("more calls than the cap allows: %d; want the cap %d", *got, MaxBudgetPerDay)
	}
}

// fixedQuotas answers Spend with what the rule decides over a usage that
// does not move: enough to test the policy's choice of subject and budget.
type fixedQuotas struct{ subjects []string }

func (f *fixedQuotas) Spend(_ context.Context, subject string, b Budget, cost int64, _ time.Time) (QuotaUsage, bool, error) {
	f.subjects = append(f.subjects, subject)
	return QuotaUsage{}, b.Admits(QuotaUsage{}, cost), nil
}

// TestQuotaPolicySubjects: accounts spend their own budget (or the
// default), anonymous callers their address's (IPv6 by /64).
func TestQuotaPolicySubjects(t *testing.T) {
	store := &fixedQuotas{}
	p := &QuotaPolicy{Store: store, Accounts: Budget{PerMinute: 50, PerDay: 500}, Anonymous: Budget{PerMinute: 5, PerDay: 50},
		Now: time.Now}
	own := &Account{ID: 7, Budget: AccountBudget{PerDay: Ptr(int64(900))}}
	ctx := context.Background()
	for _, c := range []struct {
		caller  *Principal
		client  string
		cost    int64
		allowed bool
		budget  Budget
	}{
		{NewPrincipal(own, 1, "mkg_x", nil, time.Now()), "192.0.2.1", 50, true, Budget{PerMinute: 50, PerDay: 900}},
		{NewPrincipal(&Account{ID: 8}, 1, "mkg_y", nil, time.Now()), "192.0.2.1", 51, false, Budget{PerMinute: 50, PerDay: 500}},
		{nil, "2001:db8::1", 6, false, Budget{PerMinute: 5, PerDay: 50}},
		{nil, "::ffff:192.0.2.9", 5, true, Budget{PerMinute: 5, PerDay: 50}},
	} {
		s, err := p.Charge(ctx, c.caller, c.client, c.cost)
		if err != nil || s.Allowed != c.allowed || p.Budget(c.caller) != c.budget {
			t.Errorf("charge %d for %v at %s: %+v, %v; budget %+v", c.cost, c.caller.Anonymous(), c.client, s, err, p.Budget(c.caller))
		}
	}
	want := []string{"acct:7", "acct:8", "addr:2001:db8::/64", "addr:192.0.2.9"}
	for i, s := range want {
		if store.subjects[i] != s {
			t.Errorf("subject %d = %q; want %q", i, store.subjects[i], s)
		}
	}
}
