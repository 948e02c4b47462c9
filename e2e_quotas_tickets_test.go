package main

import (
	"context"
	"net/http"
	"strconv"
	"testing"

	"github.com/bmkg/mkggraph/internal/testenv"
	"github.com/bmkg/mkggraph/mkg"
)

// TestTicketBudgetAcrossInstances: a partner created through the ticket
// flow (submitted with 1 call a day, forwarded, fulfilled, its key
// collected) gets its daily budget from its form, and two instances on one
// database and one Redis charge it from that one budget: requests
// alternate between them, and once it is spent each instance answers 429
// RATE_LIMITED with Retry-After and the X-RateLimit-* headers.
func TestTicketBudgetAcrossInstances(t *testing.T) {
	for _, backend := range []string{"sqlite", "postgres"} {
		t.Run(backend, func(t *testing.T) {
			redisURL, prefix := testenv.RedisURL(t)
			a, urlA, urlB := quotaInstances(t, backend, redisURL, prefix, testQuota.Anonymous)
			ctx := context.Background()
			staff := func(role mkg.Role) string {
				acct, err := a.Store.CreateAccount(ctx, testActor, mkg.AccountInput{Organisation: string(role), ContactName: "staff",
					ContactEmail: "staff@bmkg.go.id", Application: mkg.ClientApplication{Name: "service"}, Roles: []mkg.Role{role}})
				if err != nil {
					t.Fatal(err)
				}
				key, _, err := a.Store.IssueKey(ctx, testActor, acct.ID, "", nil)
				if err != nil {
					t.Fatal(err)
				}
				return key
			}
			desk, officer := staff(mkg.RoleServiceDesk), staff(mkg.RoleOfficer)
			do := func(url, key, q string, vars map[string]any) map[string]any {
				t.Helper()
				return mustData(t, postAs(t, url, key, q, vars))
			}

			// The applicant announces 1 call a day; the ticket goes from
			// one instance to the other through the SOP.
			input := requestInput("SIBATIK")
			input["form"].(map[string]any)["application"].(map[string]any)["callsPerDay"] = 1
			d := mustData(t, upload(t, urlA, "", submitMutation, map[string]any{"input": input, "key": "two-instances-0123456789"}, "surat.png", letterPNG(t)))
			token := dig(d, "submitAccessRequest", "trackingToken").(string)
			number := dig(d, "submitAccessRequest", "request", "number").(string)
			var id string
			for _, e := range dig(do(urlB, desk, `{ accessRequests(first: 100) { edges { node { id number } } } }`, nil), "accessRequests", "edges").([]any) {
				if dig(e, "node", "number") == number {
					id = dig(e, "node", "id").(string)
				}
			}
			vars := map[string]any{"id": id}
			do(urlB, desk, `mutation($id: ID!) { reviewAccessRequest(id: $id, decision: FORWARD, checklist: [{item: "letter signed", ok: true}]) { state } }`, vars)
			do(urlA, officer, `mutation($id: ID!) { startFulfilment(id: $id) { state } }`, vars)
			d = do(urlB, officer, `mutation($id: ID!) { fulfilAccessRequest(id: $id, grants: [{dataset: "SYNOP_L1"}, {dataset: "SYNOP_L2"}],
				omitted: [{dataset: "LIGHTNING", reason: "not covered by the letter"}]) { state } }`, vars)
			if dig(d, "fulfilAccessRequest", "state") != "FULFILLED" {
				t.Fatalf("fulfil: %v", d)
			}
			key := dig(do(urlA, "", `mutation($t: String!) { collectApiKey(token: $t) { key } }`, map[string]any{"t": token}), "collectApiKey", "key").(string)

			// Both instances tell the budget from the form, spending none.
			perDay := float64(1 * mkg.DailyBudgetPerCall)
			for _, url := range []string{urlA, urlB} {
				if rl := dig(do(url, key, `{ rateLimit { perDay remaining window } }`, nil), "rateLimit"); dig(rl, "perDay") != perDay ||
					dig(rl, "remaining") != perDay || dig(rl, "window") != "day" {
					t.Fatalf("the new account's budget on %s: %v; want %v a day, all of it left", url, rl, perDay)
				}
			}

			spent, cost := 0.0, 0.0
			var last *gqlResponse
			for i := 0; i < 50; i++ {
				url := []string{urlA, urlB}[i%2]
				last = postAs(t, url, key, stationsQuery, nil)
				if last.Status == http.StatusTooManyRequests {
					break
				}
				mustData(t, last)
				cost = costOf(t, last)["requested"].(float64)
				spent += cost
				h := last.Header
				if h.Get("X-RateLimit-Limit") != strconv.Itoa(int(perDay)) || h.Get("X-RateLimit-Remaining") != strconv.Itoa(int(perDay-spent)) ||
					h.Get("X-RateLimit-Used") != strconv.Itoa(int(spent)) || h.Get("X-RateLimit-Reset") == "" {
					t.Fatalf("request %d on %s, %v points spent over two instances: X-RateLimit-* %v", i, url, spent, h)
				}
			}
			if last.Status != http.StatusTooManyRequests || spent+cost <= perDay || spent > perDay || spent < 2*cost {
				t.Fatalf("after %v of %v points (%v a request): %d %s; want 429 once the next would pass the budget", spent, perDay, cost, last.Status, last.Raw)
			}
			// Over budget, whichever instance is asked.
			for _, url := range []string{urlA, urlB} {
				r := postAs(t, url, key, stationsQuery, nil)
				h := r.Header
				if r.Status != http.StatusTooManyRequests || r.code(0) != mkg.CodeRateLimited {
					t.Errorf("over budget on %s: %d %s; want 429 RATE_LIMITED", url, r.Status, r.Raw)
				}
				if s, err := strconv.Atoi(h.Get("Retry-After")); err != nil || s < 1 || s > 86400 {
					t.Errorf("over budget on %s: Retry-After %q; want the seconds to the day's end", url, h.Get("Retry-After"))
				}
				if h.Get("X-RateLimit-Limit") != strconv.Itoa(int(perDay)) || h.Get("X-RateLimit-Used") != strconv.Itoa(int(spent)) ||
					h.Get("X-RateLimit-Remaining") != strconv.Itoa(int(perDay-spent)) || h.Get("X-RateLimit-Reset") == "" {
					t.Errorf("over budget on %s: X-RateLimit-* %v", url, h)
				}
			}
		})
	}
}
