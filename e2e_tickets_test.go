package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"image"
	"image/png"
	"io"
	"mime/multipart"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/bmkg/mkggraph/mkg"
)

// fakeClock is the controllable clock the store, the authenticator and the
// outbox read in these tests.
type fakeClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *fakeClock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.now }

func (c *fakeClock) Advance(d time.Duration) { c.mu.Lock(); c.now = c.now.Add(d); c.mu.Unlock() }

// letterPNG is a real (tiny) PNG, like a scanned letter.
func letterPNG(t *testing.T) []byte {
	var b bytes.Buffer
	if err := png.Encode(&b, image.NewGray(image.Rect(0, 0, 8, 8))); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// upload sends a GraphQL multipart request (the multipart request
// specification) with one file bound to the variable "letter".
func upload(t *testing.T, base, key, query string, vars map[string]any, filename string, file []byte) *gqlResponse {
	t.Helper()
	vars["letter"] = nil
	ops, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	w.WriteField("operations", string(ops))
	w.WriteField("map", `{"0": ["variables.letter"]}`)
	part, _ := w.CreateFormFile("0", filename)
	part.Write(file)
	w.Close()
	req, _ := http.NewRequest(http.MethodPost, base+"/graphql", &body)
	req.Header.Set("Content-Type", w.FormDataContentType())
	if key != "" {
		req.Header.Set("Authorization", "Bearer "+key)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	return decode(t, resp)
}

const submitMutation = `mutation($input: AccessRequestInput!, $letter: Upload!, $key: String, $session: String) {
	submitAccessRequest(input: $input, letter: $letter, idempotencyKey: $key, formSession: $session) {
		trackingToken request { number state viewerCan letter { contentType size } }
	}
}`

func requestInput(channel string) map[string]any {
	return map[string]any{
		"channel": channel,
		"basis":   map[string]any{"kind": "OFFICIAL_LETTER", "number": "123/UI/2026", "date": "2026-11-01T00:00:00Z"},
		"applicant": map[string]any{"name": "Dr. Sari Wulandari", "organisation": "Universitas Indonesia", "position": "Lektor",
			"email": "sari@ui.ac.id", "phone": "+62 21 786 3450"},
		"form": map[string]any{"purpose": "Flood early-warning research", "datasets": []string{"SYNOP_L1", "SYNOP_L2", "LIGHTNING"},
			"application": map[string]any{"name": "Banjir EWS", "platform": "server", "callsPerDay": 2000, "sourceAddresses": []string{"152.118.24.0/24"}}},
	}
}

type ticketWorld struct {
	srv                  string
	clock                *fakeClock
	app                  *app
	desk, officer, admin string
	officerID            string
}

func newTicketWorld(t *testing.T, backend string) *ticketWorld {
	t.Helper()
	clock := &fakeClock{now: time.Now().UTC().Truncate(time.Second)}
	cfg := testConfig(t, backend)
	cfg.clock = clock.Now
	a, srv := startApp(t, cfg)
	w := &ticketWorld{srv: srv.URL, clock: clock, app: a}
	ctx := context.Background()
	staffKey := func(org string, role mkg.Role) (string, int64) {
		acct, err := a.Store.CreateAccount(ctx, testActor, mkg.AccountInput{Organisation: org, ContactName: org, ContactEmail: "staff@bmkg.go.id",
			Application: mkg.ClientApplication{Name: "service"}, Roles: []mkg.Role{role}})
		if err != nil {
			t.Fatal(err)
		}
		key, _, err := a.Store.IssueKey(ctx, testActor, acct.ID, "", nil)
		if err != nil {
			t.Fatal(err)
		}
		return key, acct.ID
	}
	var officerID int64
	w.desk, _ = staffKey("Service desk", mkg.RoleServiceDesk)
	w.officer, officerID = staffKey("Functional officer", mkg.RoleOfficer)
	w.admin, _ = staffKey("Administration", mkg.RoleAdmin)
	w.officerID = nodeID("Account", officerID)
	return w
}

func (w *ticketWorld) do(t *testing.T, key, q string, vars map[string]any) map[string]any {
	t.Helper()
	return mustData(t, postAs(t, w.srv, key, q, vars))
}

func (w *ticketWorld) ticketID(t *testing.T, number string) string {
	t.Helper()
	d := w.do(t, w.desk, `{ accessRequests(first: 100) { edges { node { id number } } } }`, nil)
	for _, e := range dig(d, "accessRequests", "edges").([]any) {
		if dig(e, "node", "number") == number {
			return dig(e, "node", "id").(string)
		}
	}
	t.Fatalf("ticket %s not in the queue", number)
	return ""
}

// TestAccessRequestLifecycle walks the SOP end to end over HTTP: submit →
// return → revise → forward → escalate → fulfil (the new key then reads a
// restricted field) → close, with the service standards measured on a
// controllable clock.
func TestAccessRequestLifecycle(t *testing.T) {
	for _, backend := range []string{"sqlite", "postgres"} {
		t.Run(backend, func(t *testing.T) {
			w := newTicketWorld(t, backend)
			start := w.clock.Now()
			session := dig(w.do(t, "", `mutation { startAccessRequestForm { token startedAt } }`, nil), "startAccessRequestForm", "token").(string)
			w.clock.Advance(10 * time.Minute)
			vars := map[string]any{"input": requestInput("SIBATIK"), "key": "retry-key-0123456789abcdef", "session": session}
			r := upload(t, w.srv, "", submitMutation, vars, "surat.png", letterPNG(t))
			d := mustData(t, r)
			token := dig(d, "submitAccessRequest", "trackingToken").(string)
			number := dig(d, "submitAccessRequest", "request", "number").(string)
			if !strings.HasPrefix(number, "API-") || dig(d, "submitAccessRequest", "request", "letter", "contentType") != "image/png" {
				t.Fatalf("submitted: %v", d)
			}
			// A retried submission (same idempotency key) is the same ticket, same token.
			vars2 := map[string]any{"input": requestInput("SIBATIK"), "key": "retry-key-0123456789abcdef"}
			d2 := mustData(t, upload(t, w.srv, "", submitMutation, vars2, "surat.png", letterPNG(t)))
			if dig(d2, "submitAccessRequest", "request", "number") != number || dig(d2, "submitAccessRequest", "trackingToken") != token {
				t.Errorf("retry made another ticket or token: %v", d2)
			}
			id := w.ticketID(t, number)
			tracked := `query($t: String!) { accessRequestByToken(token: $t) { number state fixes viewerCan keyAvailable
				events { action actor note } steps { kind round breached workingSeconds } } }`

			// The service desk returns it after 20 minutes (late: standard 15).
			w.clock.Advance(20 * time.Minute)
			d = w.do(t, w.desk, `mutation($id: ID!) { reviewAccessRequest(id: $id, decision: RETURN,
				checklist: [{item: "request letter signed", ok: false, note: "no signature"}, {item: "form complete", ok: true}],
				fixes: ["sign the request letter"], note: "please sign") { state viewerCan } }`, map[string]any{"id": id})
			if dig(d, "reviewAccessRequest", "state") != "RETURNED" {
				t.Fatalf("return: %v", d)
			}
			d = w.do(t, "", tracked, map[string]any{"t": token})
			if fmt.Sprint(dig(d, "accessRequestByToken", "fixes")) != "[sign the request letter]" || fmt.Sprint(dig(d, "accessRequestByToken", "viewerCan")) != "[REVISE WITHDRAW]" {
				t.Errorf("applicant's view of the returned ticket: %v", d)
			}
			// Two hours later the applicant revises: the desk's clock was stopped meanwhile.
			w.clock.Advance(2 * time.Hour)
			rv := upload(t, w.srv, "", `mutation($t: String!, $input: AccessRequestInput!, $letter: Upload) {
				reviseAccessRequest(token: $t, input: $input, letter: $letter) { state } }`,
				map[string]any{"t": token, "input": requestInput("SIBATIK")}, "surat-ttd.png", letterPNG(t))
			if dig(mustData(t, rv), "reviseAccessRequest", "state") != "SUBMITTED" {
				t.Fatalf("revise: %s", rv.Raw)
			}
			// Forwarded to the officer 5 minutes later (on time).
			w.clock.Advance(5 * time.Minute)
			// The desk picks the officer from the list of active officers.
			officers := fmt.Sprint(dig(w.do(t, w.desk, `{ officers { id name roles } }`, nil), "officers"))
			if !strings.Contains(officers, "id:"+w.officerID+" name:Functional officer roles:[OFFICER]") || strings.Contains(officers, "SERVICE_DESK") {
				t.Errorf("officers as the desk sees them: %s", officers)
			}
			d = w.do(t, w.desk, `mutation($id: ID!, $o: ID!) { reviewAccessRequest(id: $id, decision: FORWARD, assignTo: $o,
				checklist: [{item: "request letter signed", ok: true}]) { state assignee { id name } } }`, map[string]any{"id": id, "o": w.officerID})
			if dig(d, "reviewAccessRequest", "assignee", "id") != w.officerID {
				t.Errorf("forwarded: %v, want assigned to %s", d, w.officerID)
			}
			// An action the state does not allow names the state and the allowed actions.
			r = postAs(t, w.srv, w.officer, `mutation($id: ID!) { closeAccessRequest(id: $id) { state } }`, map[string]any{"id": id})
			if r.code(0) != "CONFLICT" || r.Errors[0].Extensions["state"] != "FORWARDED" || !strings.Contains(fmt.Sprint(r.Errors[0].Extensions["allowedActions"]), "START_FULFILMENT") {
				t.Errorf("close on a forwarded ticket: %s", r.Raw)
			}
			w.clock.Advance(10 * time.Minute)
			w.do(t, w.officer, `mutation($id: ID!) { startFulfilment(id: $id) { state } }`, map[string]any{"id": id})
			w.clock.Advance(10 * time.Minute)
			w.do(t, w.officer, `mutation($id: ID!) { escalateAccessRequest(id: $id, to: APPLICANT, note: "which IP range?") { state } }`, map[string]any{"id": id})
			w.clock.Advance(3 * time.Hour) // waiting on the applicant: not the officer's time
			w.do(t, w.officer, `mutation($id: ID!) { resumeFulfilment(id: $id, note: "answered by phone") { state } }`, map[string]any{"id": id})
			w.clock.Advance(20 * time.Minute)
			d = w.do(t, w.officer, `mutation($id: ID!) { fulfilAccessRequest(id: $id, grants: [{dataset: "SYNOP_L1"}, {dataset: "SYNOP_L2"}],
				omitted: [{dataset: "LIGHTNING", reason: "not covered by the letter"}]) { state account { organisation grants { dataset } } } }`, map[string]any{"id": id})
			if dig(d, "fulfilAccessRequest", "state") != "FULFILLED" || dig(d, "fulfilAccessRequest", "account", "organisation") != "Universitas Indonesia" {
				t.Fatalf("fulfil: %v", d)
			}
			// The applicant collects the key once; it reads Level 1 SYNOP.
			d = w.do(t, "", `mutation($t: String!) { collectApiKey(token: $t) { key prefix } }`, map[string]any{"t": token})
			key := dig(d, "collectApiKey", "key").(string)
			if r := postAs(t, w.srv, "", `mutation($t: String!) { collectApiKey(token: $t) { key } }`, map[string]any{"t": token}); r.code(0) != "NOT_FOUND" {
				t.Errorf("second collection: %s", r.Raw)
			}
			raw := postAs(t, w.srv, key, `{ stationByWmo(wmoIndex: "15015") { latestObservation { raw { text } } } }`, nil)
			if len(raw.Errors) > 0 || !strings.Contains(raw.Raw, "15015 02999") {
				t.Errorf("the new key cannot read SYNOP_L1: %s", raw.Raw)
			}
			// Its daily budget follows from the form's 2,000 calls a day.
			if d := w.do(t, key, `{ rateLimit { perDay } }`, nil); dig(d, "rateLimit", "perDay") != float64(2000*mkg.DailyBudgetPerCall) {
				t.Errorf("the new account's daily budget: %v; want %d", d, 2000*mkg.DailyBudgetPerCall)
			}
			if r := postAs(t, w.srv, key, `{ viewer { rights { dataset allowed } } }`, nil); strings.Contains(r.Raw, `"dataset":"LIGHTNING","allowed":true`) {
				t.Errorf("an omitted dataset was granted")
			}
			w.clock.Advance(10 * time.Minute)
			w.do(t, w.officer, `mutation($id: ID!) { closeAccessRequest(id: $id, note: "done") { state closedAt } }`, map[string]any{"id": id})

			// The record: events and service standards.
			d = w.do(t, w.desk, `query($id: ID!) { accessRequest(id: $id) { state breached viewerCan
				steps { kind round breached workingSeconds finishedAt } events { action from to actor checklist { item ok } } } }`, map[string]any{"id": id})
			steps := dig(d, "accessRequest", "steps").([]any)
			want := []struct {
				kind     string
				round    int
				seconds  int
				breached bool
			}{
				{"APPLICANT_SUBMISSION", 1, 600, false},
				{"SERVICE_DESK_REVIEW", 1, 1200, true},
				{"SERVICE_DESK_REVIEW", 2, 300, false},
				{"OFFICER_FULFILMENT", 1, 3000, false}, // 50 minutes of work, 3 hours of waiting on the applicant excluded
			}
			if len(steps) != len(want) {
				t.Fatalf("steps = %v", steps)
			}
			for i, s := range want {
				got := steps[i].(map[string]any)
				if got["kind"] != s.kind || got["round"] != float64(s.round) || got["workingSeconds"] != float64(s.seconds) || got["breached"] != s.breached {
					t.Errorf("step %d = %v, want %+v", i, got, s)
				}
			}
			events := fmt.Sprint(dig(d, "accessRequest", "events"))
			for _, a := range []string{"SUBMIT", "RETURN", "REVISE", "FORWARD", "START_FULFILMENT", "ESCALATE", "RESUME_FULFILMENT", "FULFIL", "CLOSE"} {
				if !strings.Contains(events, "action:"+a+" ") {
					t.Errorf("events lack %s: %s", a, events)
				}
			}
			if dig(d, "accessRequest", "state") != "CLOSED" || dig(d, "accessRequest", "breached") != true {
				t.Errorf("closed ticket: %v", d)
			}
			stats := w.do(t, w.desk, `query($f: DateTime!, $t: DateTime!) { accessRequestStats(from: $f, to: $t) {
				byState { state count } steps { kind finished medianSeconds p90Seconds breached breachRate } } }`,
				map[string]any{"f": start.Format(time.RFC3339), "t": w.clock.Now().Format(time.RFC3339)})
			for _, s := range dig(stats, "accessRequestStats", "steps").([]any) {
				m := s.(map[string]any)
				if m["kind"] == "SERVICE_DESK_REVIEW" && (m["finished"] != float64(2) || m["medianSeconds"] != float64(750) ||
					m["p90Seconds"] != float64(1200) || m["breached"] != float64(1) || m["breachRate"] != 0.5) {
					t.Errorf("review stats: %v (want 2 runs, median 750 s, p90 1200 s, 1 breached of 2)", m)
				}
			}
			// Every change was queued to the applicant and is delivered.
			if sent, failed, err := w.app.Outbox.Flush(context.Background()); err != nil || failed != 0 || sent < 9 {
				t.Errorf("outbox: sent %d failed %d err %v; want every action's notification", sent, failed, err)
			}
		})
	}
}

// TestAccessRequestRejectWithdraw: the officer's refusal and the
// applicant's withdrawal, and what each side may do afterwards.
func TestAccessRequestRejectWithdraw(t *testing.T) {
	for _, backend := range []string{"sqlite", "postgres"} {
		t.Run(backend, func(t *testing.T) {
			w := newTicketWorld(t, backend)
			submit := func(key string) (string, string) {
				d := mustData(t, upload(t, w.srv, "", submitMutation, map[string]any{"input": requestInput("SIBATIK"), "key": key}, "surat.png", letterPNG(t)))
				number := dig(d, "submitAccessRequest", "request", "number").(string)
				return dig(d, "submitAccessRequest", "trackingToken").(string), w.ticketID(t, number)
			}
			_, id := submit("reject-path-key-000000001")
			// Forwarding needs the completeness checklist answered, every item satisfied.
			for checklist, field := range map[string]string{`[]`: "checklist", `[{item: "letter signed", ok: false}]`: "checklist[0].ok"} {
				r := postAs(t, w.srv, w.desk, `mutation($id: ID!) { reviewAccessRequest(id: $id, decision: FORWARD, checklist: `+checklist+`) { state } }`, map[string]any{"id": id})
				if r.code(0) != "BAD_USER_INPUT" || r.Errors[0].Extensions["field"] != field {
					t.Errorf("forward with checklist %s: %s; want BAD_USER_INPUT on %s", checklist, r.Raw, field)
				}
			}
			w.do(t, w.desk, `mutation($id: ID!) { reviewAccessRequest(id: $id, decision: FORWARD, checklist: [{item: "letter signed", ok: true}]) { state } }`, map[string]any{"id": id})
			if r := postAs(t, w.srv, w.officer, `mutation($id: ID!) { rejectAccessRequest(id: $id, reason: "") { state } }`, map[string]any{"id": id}); r.code(0) != "BAD_USER_INPUT" {
				t.Errorf("reject without reason: %s", r.Raw)
			}
			d := w.do(t, w.officer, `mutation($id: ID!) { rejectAccessRequest(id: $id, reason: "no cooperation basis") { state viewerCan } }`, map[string]any{"id": id})
			if dig(d, "rejectAccessRequest", "state") != "REJECTED" || len(dig(d, "rejectAccessRequest", "viewerCan").([]any)) != 0 {
				t.Errorf("reject: %v", d)
			}
			token, id2 := submit("withdraw-path-key-00000001")
			d = w.do(t, "", `mutation($t: String!) { withdrawAccessRequest(token: $t, reason: "applied twice") { state viewerCan } }`, map[string]any{"t": token})
			if dig(d, "withdrawAccessRequest", "state") != "WITHDRAWN" {
				t.Errorf("withdraw: %v", d)
			}
			r := postAs(t, w.srv, w.desk, `mutation($id: ID!) { reviewAccessRequest(id: $id, decision: FORWARD, checklist: [{item: "letter signed", ok: true}]) { state } }`, map[string]any{"id": id2})
			if r.code(0) != "CONFLICT" || r.Errors[0].Extensions["state"] != "WITHDRAWN" {
				t.Errorf("review after withdrawal: %s", r.Raw)
			}
			// A wrong token and a token of no ticket get the same answer.
			wrong := token[:len(token)-4] + "AAAA"
			for _, tok := range []string{wrong, "trk_00000000_" + strings.Repeat("A", 43), "nonsense"} {
				r := postAs(t, w.srv, "", `query($t: String!) { accessRequestByToken(token: $t) { state } }`, map[string]any{"t": tok})
				if r.code(0) != "NOT_FOUND" || r.Errors[0].Message != "ticket not found" && !strings.Contains(r.Errors[0].Message, "not found") {
					t.Errorf("token %q: %s", tok, r.Raw)
				}
			}
		})
	}
}

// TestAccessRequestBadInput: every missing or invalid field at once, bad
// and oversized letters refused, nothing stored.
func TestAccessRequestBadInput(t *testing.T) {
	w := newTicketWorld(t, "sqlite")
	count := func() float64 {
		return dig(w.do(t, w.desk, `{ accessRequests { totalCount } }`, nil), "accessRequests", "totalCount").(float64)
	}
	before := count()
	bad := map[string]any{"channel": "SIBATIK", "basis": map[string]any{"kind": "COOPERATION_AGREEMENT", "number": ""},
		"applicant": map[string]any{"name": "", "organisation": "UI", "email": "not-an-email"},
		"form":      map[string]any{"purpose": "", "datasets": []string{"SYNOP_L9"}, "application": map[string]any{"name": ""}}}
	r := upload(t, w.srv, "", submitMutation, map[string]any{"input": bad, "key": "short"}, "x.gif", []byte("GIF89a......"))
	if r.code(0) != "BAD_USER_INPUT" {
		t.Fatalf("bad submission: %s", r.Raw)
	}
	fields := fmt.Sprint(r.Errors[0].Extensions["fields"])
	for _, f := range []string{"input.basis.number", "input.basis.validUntil", "input.applicant.name", "input.applicant.email",
		"input.form.purpose", "input.form.datasets[0]", "input.form.application.name", "letter", "idempotencyKey"} {
		if !strings.Contains(fields, "field:"+f+" ") {
			t.Errorf("problems do not list %s: %s", f, fields)
		}
	}
	big := append([]byte{}, letterPNG(t)...)
	big = append(big, make([]byte, 12<<20)...)
	r = upload(t, w.srv, "", submitMutation, map[string]any{"input": requestInput("SIBATIK"), "key": "oversized-letter-000001"}, "big.png", big)
	if r.Status != http.StatusRequestEntityTooLarge && r.code(0) != "BAD_USER_INPUT" {
		t.Errorf("12 MB letter: %d %.300s", r.Status, r.Raw)
	}
	if r := upload(t, w.srv, "", submitMutation, map[string]any{"input": requestInput("WHATSAPP"), "key": "channel-check-0000001"}, "s.png", letterPNG(t)); r.code(0) != "BAD_USER_INPUT" {
		t.Errorf("self-service on another channel: %s", r.Raw)
	}
	if after := count(); after != before {
		t.Errorf("refused submissions stored %v tickets", after-before)
	}
	// The service desk records a request that came by WhatsApp.
	d := mustData(t, upload(t, w.srv, w.desk, submitMutation, map[string]any{"input": requestInput("WHATSAPP")}, "foto.png", letterPNG(t)))
	if dig(d, "submitAccessRequest", "trackingToken") == "" {
		t.Errorf("desk submission: %v", d)
	}
}

// TestAccessRequestRace: many concurrent reviews of one ticket over HTTP;
// exactly one wins.
func TestAccessRequestRace(t *testing.T) {
	for _, backend := range []string{"sqlite", "postgres"} {
		t.Run(backend, func(t *testing.T) {
			w := newTicketWorld(t, backend)
			d := mustData(t, upload(t, w.srv, "", submitMutation, map[string]any{"input": requestInput("SIBATIK"), "key": "race-key-0000000000001"}, "s.png", letterPNG(t)))
			id := w.ticketID(t, dig(d, "submitAccessRequest", "request", "number").(string))
			var wg sync.WaitGroup
			results := make(chan *gqlResponse, 16)
			for i := range 16 {
				wg.Add(1)
				go func() {
					defer wg.Done()
					decision := "FORWARD"
					if i%2 == 1 {
						decision = "RETURN"
					}
					results <- postAs(t, w.srv, w.desk, `mutation($id: ID!, $d: ReviewDecision!) { reviewAccessRequest(id: $id, decision: $d, checklist: [{item: "letter signed", ok: true}], fixes: ["x"]) { state } }`,
						map[string]any{"id": id, "d": decision})
				}()
			}
			wg.Wait()
			close(results)
			wins, conflicts := 0, 0
			for r := range results {
				switch {
				case len(r.Errors) == 0:
					wins++
				case r.code(0) == "CONFLICT":
					conflicts++
				default:
					t.Errorf("unexpected: %s", r.Raw)
				}
			}
			if wins != 1 || conflicts != 15 {
				t.Errorf("%d won, %d conflicted; want exactly one winner", wins, conflicts)
			}
		})
	}
}

// TestLetterDownload: staff download the letter; others cannot tell it exists.
func TestLetterDownload(t *testing.T) {
	w := newTicketWorld(t, "sqlite")
	file := letterPNG(t)
	d := mustData(t, upload(t, w.srv, "", submitMutation, map[string]any{"input": requestInput("SIBATIK"), "key": "letter-key-0000000001"}, "surat.png", file))
	id := w.ticketID(t, dig(d, "submitAccessRequest", "request", "number").(string))
	letter := dig(w.do(t, w.desk, `query($id: ID!) { accessRequest(id: $id) { letter { url fileName filename } } }`, map[string]any{"id": id}), "accessRequest", "letter").(map[string]any)
	url := letter["url"].(string)
	// fileName as Download.fileName; filename kept, deprecated, for the
	// clients that use it.
	if letter["fileName"] != "surat.png" || letter["filename"] != "surat.png" {
		t.Errorf("letter names: %v", letter)
	}
	fields := dig(w.do(t, w.desk, `{ __type(name: "RequestLetter") { fields(includeDeprecated: true) { name isDeprecated } } }`, nil), "__type", "fields")
	if s := fmt.Sprint(fields); !strings.Contains(s, "isDeprecated:true name:filename") || !strings.Contains(s, "isDeprecated:false name:fileName") {
		t.Errorf("RequestLetter fields: %s", s)
	}
	get := func(key, path string) (int, []byte) {
		req, _ := http.NewRequest(http.MethodGet, w.srv+path, nil)
		if key != "" {
			req.Header.Set("Authorization", "Bearer "+key)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, b
	}
	if code, body := get(w.officer, url); code != 200 || !bytes.Equal(body, file) {
		t.Errorf("officer download: %d, %d bytes", code, len(body))
	}
	if code, body := get("", url); code != http.StatusUnauthorized || !strings.Contains(string(body), `"code":"UNAUTHENTICATED"`) {
		t.Errorf("anonymous download: %d %s; want 401 UNAUTHENTICATED", code, body)
	}
	c := &callers{}
	if err := c.setUp(w.app); err != nil {
		t.Fatal(err)
	}
	existing, _ := get(c.full, url)
	missing, _ := get(c.full, "/access-requests/999999/letter")
	if existing != http.StatusNotFound || missing != http.StatusNotFound {
		t.Errorf("partner: existing %d, missing %d; want the same 404", existing, missing)
	}
}
