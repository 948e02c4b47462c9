package mkg

import (
	"context"
	"fmt"
	"net/netip"
	"strconv"
	"time"
)

// Quotas bound what a caller may spend over time, in the points of an
// operation's cost (the complexity the server computes before running it:
// one per field, a list's fields times the page size asked for). Each
// account has a budget per minute and per day; anonymous callers have one
// per client address.
//
// The budgets are fixed windows (the current UTC minute and the current
// UTC day), not a leaky bucket: a window's reset time is exact and the
// same on every instance, so X-RateLimit-Reset and Retry-After mean what
// they say; each window is one counter, so a check is one atomic script
// over two keys; and a refused request is refused for a reason the client
// can read (a window that is full until a stated time). The price is the
// known edge of fixed windows: up to twice the per-minute budget across a
// minute's boundary; the daily budget bounds the total whatever happens at
// the edges.
type Budget struct {
	PerMinute int64 `json:"perMinute"`
	PerDay    int64 `json:"perDay"`
}

// The most a budget may allow: more is a typing error, not a budget (and
// GraphQL's Int holds 2^31-1).
const (
	MaxBudgetPerMinute = 100_000_000
	MaxBudgetPerDay    = 2_000_000_000
)

// DailyBudgetPerCall is what a fulfilled access request gives the new
// account per expected call a day (its form's callsPerDay): a call of a
// 20-row page with a few fields costs about 100 points, so the budget
// covers the calls announced at that size.
const DailyBudgetPerCall = 100

// CodeRateLimited is the error code of a request refused because its cost
// would pass the caller's budget (HTTP 429).
const CodeRateLimited = "RATE_LIMITED"

// Validate checks a budget an admin sets; prefix names its fields.
func (b Budget) Validate(prefix string) error {
	switch {
	case b.PerMinute < 1 || b.PerMinute > MaxBudgetPerMinute:
		return Invalid(prefix+"perMinute", "the budget per minute must be between 1 and %d points", MaxBudgetPerMinute)
	case b.PerDay < 1 || b.PerDay > MaxBudgetPerDay:
		return Invalid(prefix+"perDay", "the budget per day must be between 1 and %d points", MaxBudgetPerDay)
	case b.PerMinute > b.PerDay:
		return Invalid(prefix+"perMinute", "the budget per minute (%d) exceeds the budget per day (%d)", b.PerMinute, b.PerDay)
	}
	return nil
}

// DailyBudgetFor is the daily budget of an account created for an access
// request announcing callsPerDay calls (nil: none announced, no budget of
// its own).
func DailyBudgetFor(callsPerDay *int) *int64 {
	if callsPerDay == nil || *callsPerDay < 1 {
		return nil
	}
	return Ptr(min(int64(*callsPerDay)*DailyBudgetPerCall, MaxBudgetPerDay))
}

// AccountBudget is the budget an admin set for one account: a nil field
// takes the server's default for accounts.
type AccountBudget struct {
	PerMinute *int64
	PerDay    *int64
}

// Validate checks a budget an admin sets for an account; the fields are
// named as the setAccountBudget mutation's arguments.
func (a AccountBudget) Validate() error {
	if a.PerMinute != nil && (*a.PerMinute < 1 || *a.PerMinute > MaxBudgetPerMinute) {
		return Invalid("perMinute", "the budget per minute must be between 1 and %d points, or null for the default", MaxBudgetPerMinute)
	}
	if a.PerDay != nil && (*a.PerDay < 1 || *a.PerDay > MaxBudgetPerDay) {
		return Invalid("perDay", "the budget per day must be between 1 and %d points, or null for the default", MaxBudgetPerDay)
	}
	if a.PerMinute != nil && a.PerDay != nil && *a.PerMinute > *a.PerDay {
		return Invalid("perMinute", "the budget per minute (%d) exceeds the budget per day (%d)", *a.PerMinute, *a.PerDay)
	}
	return nil
}

// Over returns the account's budget over the defaults.
func (a AccountBudget) Over(def Budget) Budget {
	if a.PerMinute != nil {
		def.PerMinute = *a.PerMinute
	}
	if a.PerDay != nil {
		def.PerDay = *a.PerDay
	}
	return def
}

// QuotaWindow is one fixed window: its key part and its end.
type QuotaWindow struct {
	Key string // "m<unix minute>" or "d<unix day>": names the window's counter
	End time.Time
}

// QuotaWindows returns the minute and the day (UTC) that contain now.
func QuotaWindows(now time.Time) (minute, day QuotaWindow) {
	m := now.Unix() / 60
	d := now.Unix() / 86400
	return QuotaWindow{Key: "m" + strconv.FormatInt(m, 10), End: time.Unix((m+1)*60, 0).UTC()},
		QuotaWindow{Key: "d" + strconv.FormatInt(d, 10), End: time.Unix((d+1)*86400, 0).UTC()}
}

// QuotaUsage is what a subject has spent in the current windows.
type QuotaUsage struct {
	Minute, Day int64
}

// Admits is the rule: a cost is charged only if it fits in both windows
// as they stand. A refused request is charged nothing, so a client that
// keeps retrying never digs itself deeper; a cost of 0 always passes
// and spends nothing.
func (b Budget) Admits(used QuotaUsage, cost int64) bool {
	return cost == 0 || used.Minute+cost <= b.PerMinute && used.Day+cost <= b.PerDay
}

// Quotas keeps what each subject has spent, in the fixed windows of
// QuotaWindows: shared by every instance (Redis), or in-process.
type Quotas interface {
	// Spend charges cost to subject's windows at now when b.Admits it,
	// atomically with that decision, and returns the usage after the
	// charge (refused: as it stands) and whether it was charged. A cost
	// of 0 reads the usage. An error means the store did not answer;
	// nothing was charged.
	//
	// A store shared by instances may charge from leases (LeaseSize):
	// then the usage it returns is the shared counters as this instance
	// last read them less its own unspent lease, which is exactly what
	// was spent when one instance spends, and more when others hold
	// leases too (what is left is never over-stated by what they hold).
	Spend(ctx context.Context, subject string, b Budget, cost int64, now time.Time) (QuotaUsage, bool, error)
}

// Leases: an instance charging every request in the shared store pays a
// round trip per request, which at a few thousand requests a second per
// subject costs more than the request itself. So an instance takes budget
// in chunks (a lease, one round trip each) and spends requests from it
// locally. The shared counters count what was leased, so all instances
// together never take more than the budget; the price is that points one
// instance leased and did not spend are not available to the others until
// the window ends (or the instance gives them back, as it does when it
// next takes a lease). LeaseSize bounds that price.
const (
	// LeaseFraction: a lease is at most this fraction (1/n) of what is
	// left in the tighter window, so instances leasing together hold a
	// small share of what is left.
	LeaseFraction = 32
	// LeaseMultiple: a lease is at most this many times the request's
	// cost: what one instance can hold unspent stays small against any
	// budget a request's cost is small against (for a budget of 100,000
	// points a minute and a cost of 3, the fraction binds first: 3,125).
	// It is this large so that renewals, which requests finding the
	// lease spent wait for, are rare at saturation: one per about a
	// thousand requests (BENCHMARKS.md).
	LeaseMultiple = 1024
	// LeaseMinimum: a lease that would not cover this many requests of
	// the cost is not taken; the cost alone is. So near the end of a
	// budget, and always for a small one (less than LeaseFraction ×
	// LeaseMinimum = 128 points, or that many times the cost), requests
	// are charged one by one, exactly as without leases.
	LeaseMinimum = 4
	// LeaseLife: an instance gives back its lease and takes a new one
	// (reading the shared counters again) at least this often while it
	// spends, so what it reports of others' spending is this fresh.
	LeaseLife = time.Second
)

// LeaseSize is how many points an instance takes from the shared counters
// for a request of cost when they stand at used (after it gave back its
// unspent lease): 0 when b does not admit the cost (refused, nothing
// taken); else 1/LeaseFraction of what is left in the tighter window, at
// most LeaseMultiple times the cost, when that covers LeaseMinimum
// requests of the cost; else the cost alone. The Redis script computes the
// same (redis.TestLeaseSizeInScript).
func (b Budget) LeaseSize(used QuotaUsage, cost int64) int64 {
	if cost <= 0 || !b.Admits(used, cost) {
		return 0
	}
	left := min(b.PerMinute-used.Minute, b.PerDay-used.Day)
	if n := min(left/LeaseFraction, LeaseMultiple*cost); n >= LeaseMinimum*cost {
		return n
	}
	return cost
}

// QuotaState is the outcome of a charge as the client is told it.
type QuotaState struct {
	Allowed   bool
	Requested int64     // the cost asked for
	Limit     int64     // the limit of the window that binds (least remaining)
	Used      int64     // spent in that window
	Remaining int64     // left in that window
	ResetAt   time.Time // when that window ends
	// RetryAfter, when refused, is how long until the refusing window
	// ends; NeverFits says the cost exceeds that window's whole budget,
	// so waiting will not help.
	RetryAfter time.Duration
	NeverFits  bool
	Window     string // "minute" or "day": the window described
}

// State describes the usage after a charge of cost (allowed or not) under
// b at now.
func (b Budget) State(used QuotaUsage, cost int64, allowed bool, now time.Time) QuotaState {
	minute, day := QuotaWindows(now)
	s := QuotaState{Allowed: allowed, Requested: cost, Window: "minute", Limit: b.PerMinute, Used: used.Minute, ResetAt: minute.End}
	if b.PerDay-used.Day < b.PerMinute-used.Minute {
		s.Window, s.Limit, s.Used, s.ResetAt = "day", b.PerDay, used.Day, day.End
	}
	s.Remaining = max(0, s.Limit-s.Used)
	if allowed {
		return s
	}
	// Refused: the day's window when it is the one that refuses (it ends
	// last), else the minute's.
	if used.Day+cost > b.PerDay {
		s.Window, s.Limit, s.Used, s.ResetAt = "day", b.PerDay, used.Day, day.End
		s.NeverFits = cost > b.PerDay
	} else {
		s.Window, s.Limit, s.Used, s.ResetAt = "minute", b.PerMinute, used.Minute, minute.End
		s.NeverFits = cost > b.PerMinute
	}
	s.Remaining = max(0, s.Limit-s.Used)
	s.RetryAfter = s.ResetAt.Sub(now)
	return s
}

// QuotaPolicy charges requests to their caller's budget: an account's own
// (or the default for accounts), or the budget of the client's address for
// anonymous callers.
type QuotaPolicy struct {
	Store     Quotas
	Accounts  Budget // the default of accounts without a budget of their own
	Anonymous Budget // per client address
	Now       func() time.Time
}

// Charge spends cost from the caller's budget, or refuses it (Allowed
// false, nothing spent). client is the client's address as the server
// trusts it (behind trusted proxies, the forwarded one).
func (p *QuotaPolicy) Charge(ctx context.Context, caller *Principal, client string, cost int64) (QuotaState, error) {
	subject, b := p.subject(caller, client)
	now := p.Now()
	used, ok, err := p.Store.Spend(ctx, subject, b, max(0, cost), now)
	if err != nil {
		return QuotaState{}, err
	}
	return b.State(used, cost, ok, now), nil
}

// Budget returns the budget that applies to the caller.
func (p *QuotaPolicy) Budget(caller *Principal) Budget {
	_, b := p.subject(caller, "")
	return b
}

func (p *QuotaPolicy) subject(caller *Principal, client string) (string, Budget) {
	if !caller.Anonymous() {
		return fmt.Sprintf("acct:%d", caller.Account.ID), caller.Account.Budget.Over(p.Accounts)
	}
	return "addr:" + AddressKey(client), p.Anonymous
}

// AddressKey is what a client address is counted by: its IPv4 address, or
// its IPv6 /64 (one subscriber's network: any address in it is theirs to
// use).
func AddressKey(client string) string {
	a, err := netip.ParseAddr(client)
	if err != nil {
		return client
	}
	a = a.Unmap()
	if a.Is6() {
		p, _ := a.Prefix(64)
		return p.String()
	}
	return a.String()
}

type clientKey struct{}

// WithClient returns ctx carrying the client's address (as the server
// trusts it); it is part of the caller, as anonymous budgets are per
// address.
func WithClient(ctx context.Context, addr string) context.Context {
	return context.WithValue(ctx, clientKey{}, addr)
}

// ClientFrom returns the client's address, or "" when unknown.
func ClientFrom(ctx context.Context) string {
	s, _ := ctx.Value(clientKey{}).(string)
	return s
}
