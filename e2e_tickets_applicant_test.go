package main

import (
	"encoding/json"
	"slices"
	"testing"
	"time"
)

// TestApplicantSeesFulfilment follows a ticket to fulfilment over HTTP and
// reads it back as the applicant, with the tracking token: the fulfilment
// event lists exactly the datasets granted (with their expiry) and the ones
// not granted with the officer's reasons, and nothing staff-only (the
// account, the key's prefix).
func TestApplicantSeesFulfilment(t *testing.T) {
	for _, backend := range []string{"sqlite", "postgres"} {
		t.Run(backend, func(t *testing.T) {
			w := newTicketWorld(t, backend)
			d := mustData(t, upload(t, w.srv, "", submitMutation, map[string]any{"input": requestInput("SIBATIK"),
				"key": "applicant-view-key-000001"}, "surat.png", letterPNG(t)))
			token := dig(d, "submitAccessRequest", "trackingToken").(string)
			id := w.ticketID(t, dig(d, "submitAccessRequest", "request", "number").(string))
			w.do(t, w.desk, `mutation($id: ID!, $o: ID!) { reviewAccessRequest(id: $id, decision: FORWARD, assignTo: $o,
				checklist: [{item: "request letter signed", ok: true}]) { state } }`, map[string]any{"id": id, "o": w.officerID})
			w.do(t, w.officer, `mutation($id: ID!) { startFulfilment(id: $id) { state } }`, map[string]any{"id": id})
			expires := w.clock.Now().Add(365 * 24 * time.Hour).UTC()
			d = w.do(t, w.officer, `mutation($id: ID!, $exp: DateTime!) { fulfilAccessRequest(id: $id,
				grants: [{dataset: "SYNOP_L1", expiresAt: $exp}, {dataset: "SYNOP_L2"}],
				omitted: [{dataset: "LIGHTNING", reason: "  not covered by the letter "}]) { state } }`,
				map[string]any{"id": id, "exp": expires.Format(time.RFC3339)})
			if dig(d, "fulfilAccessRequest", "state") != "FULFILLED" {
				t.Fatalf("fulfil: %v", d)
			}

			d = w.do(t, "", `query($t: String!) { accessRequestByToken(token: $t) { state events { action details } } }`,
				map[string]any{"t": token})
			var details string
			for _, e := range dig(d, "accessRequestByToken", "events").([]any) {
				if dig(e, "action") == "FULFIL" {
					details = dig(e, "details").(string)
				}
			}
			var got struct {
				Grants []struct {
					Dataset   string     `json:"dataset"`
					ExpiresAt *time.Time `json:"expiresAt"`
				} `json:"grants"`
				Omitted []struct {
					Dataset string `json:"dataset"`
					Reason  string `json:"reason"`
				} `json:"omitted"`
			}
			if err := json.Unmarshal([]byte(details), &got); err != nil {
				t.Fatalf("the applicant's fulfilment event: %q: %v", details, err)
			}
			var keys map[string]json.RawMessage
			json.Unmarshal([]byte(details), &keys)
			if len(keys) != 2 {
				t.Errorf("the applicant's fulfilment details %s: want grants and omitted only", details)
			}
			var granted []string
			for _, g := range got.Grants {
				granted = append(granted, g.Dataset)
			}
			if !slices.Equal(granted, []string{"SYNOP_L1", "SYNOP_L2"}) {
				t.Errorf("the applicant sees %v granted (details %s); want SYNOP_L1 and SYNOP_L2", granted, details)
			}
			if len(got.Grants) == 2 && (got.Grants[0].ExpiresAt == nil || !got.Grants[0].ExpiresAt.Equal(expires) || got.Grants[1].ExpiresAt != nil) {
				t.Errorf("grant expiry as the applicant sees it: %s; want SYNOP_L1 until %s, SYNOP_L2 open-ended", details, expires.Format(time.RFC3339))
			}
			if len(got.Omitted) != 1 || got.Omitted[0].Dataset != "LIGHTNING" || got.Omitted[0].Reason != "not covered by the letter" {
				t.Errorf("the applicant sees omitted %+v (details %s); want LIGHTNING, not covered by the letter", got.Omitted, details)
			}
		})
	}
}
