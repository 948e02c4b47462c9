package main

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// TestBatchOverHTTP: a batch (a JSON array of requests, as Apollo Client's
// BatchHttpLink sends) against the demo server, on both databases: answered
// in order, each element as it would be alone; an identical batch again is
// answered from the response cache; a field error in one element leaves
// the others whole.
func TestBatchOverHTTP(t *testing.T) {
	forEachBackend(t, func(t *testing.T, a *app, srv *httptest.Server) {
		batch := `[{"query":"{ latestEarthquake { magnitude region } }"},` +
			`{"query":"query($n: Int) { stations(first: $n) { edges { node { name } } } }","variables":{"n":2}},` +
			`{"query":"{ stationByWmo(wmoIndex: \"15015\") { latestObservation { observedAt } } }"}]`
		send := func(want int) (*http.Response, []map[string]any) {
			req, _ := http.NewRequest(http.MethodPost, srv.URL+"/graphql", strings.NewReader(batch))
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("Accept", "application/graphql-response+json, application/json;q=0.9")
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			raw, _ := io.ReadAll(resp.Body)
			var out []map[string]any
			if err := json.Unmarshal(raw, &out); err != nil || resp.StatusCode != http.StatusOK || len(out) != want {
				t.Fatalf("batch: %d %s", resp.StatusCode, raw)
			}
			return resp, out
		}
		_, out := send(3)
		if dig(out[0]["data"].(map[string]any), "latestEarthquake", "magnitude") == nil {
			t.Errorf("batch[0]: %v", out[0])
		}
		if edges := dig(out[1]["data"].(map[string]any), "stations", "edges").([]any); len(edges) != 2 {
			t.Errorf("batch[1]: %v", out[1])
		}
		// Anonymous: the observation is denied, as it would be alone, with
		// the easiest way in (any account: SYNOP_L2 is REGISTERED).
		errs, _ := out[2]["errors"].([]any)
		if len(errs) == 0 || out[2]["data"] == nil {
			t.Fatalf("batch[2]: %v, want the denied field null with its error", out[2])
		}
		e := errs[0].(map[string]any)
		if ext := e["extensions"].(map[string]any); ext["dataset"] != "SYNOP_L2" || ext["anyOf"] == nil ||
			strings.Contains(e["message"].(string), "granted") {
			t.Errorf("anonymous denial: %v", e)
		}

		// Without the denied element the batch is complete, and stored.
		batch = batch[:strings.LastIndex(batch, `,{"query":"{ stationByWmo`)] + "]"
		first, _ := send(2)
		again, out := send(2)
		if len(out) != 2 || first.Header.Get("X-Cache") != "miss" || again.Header.Get("X-Cache") != "hit" {
			t.Errorf("identical batches: X-Cache %q then %q (%d responses), want miss then hit",
				first.Header.Get("X-Cache"), again.Header.Get("X-Cache"), len(out))
		}
		if ct := again.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/graphql-response+json") {
			t.Errorf("Content-Type %q", ct)
		}
	})
}
