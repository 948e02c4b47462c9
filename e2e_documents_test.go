package main

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/url"
	"testing"
)

// sendDocument sends a registered document by its documentId, anonymously,
// by POST or (get) by GET.
func sendDocument(t *testing.T, base, id string, get bool) *gqlResponse {
	t.Helper()
	var resp *http.Response
	var err error
	if get {
		resp, err = http.Get(base + "/graphql?" + url.Values{"documentId": {id}}.Encode())
	} else {
		b, _ := json.Marshal(map[string]any{"documentId": id})
		resp, err = http.Post(base+"/graphql", "application/json", bytes.NewReader(b))
	}
	if err != nil {
		t.Fatal(err)
	}
	return decode(t, resp)
}

// TestTrustedDocuments: admins register documents (validated against the
// schema, each error naming its input); in trusted-documents mode an
// anonymous caller runs them by documentId (POST and GET), by an automatic
// persisted query's hash or by their very text, and nothing else, not even
// a document a partner stored as a persisted query; partners keep sending
// their own; a removed document is refused from then on.
func TestTrustedDocuments(t *testing.T) {
	for _, backend := range []string{"sqlite", "postgres"} {
		t.Run(backend, func(t *testing.T) {
			cfg := testConfig(t, backend)
			cfg.TrustedDocuments = "true"
			a, srv := startApp(t, cfg)
			c := &callers{}
			if err := c.setUp(a); err != nil {
				t.Fatal(err)
			}
			const latest = `{ latestEarthquake { magnitude region } }`
			const register = `mutation($docs: [TrustedDocumentInput!]!) { registerTrustedDocuments(documents: $docs) { id name registeredBy } }`
			docs := map[string]any{"docs": []any{map[string]any{"name": "mobile: latest earthquake", "query": latest}}}

			if r := postAs(t, srv.URL, c.full, register, docs); errorCode(r) != "FORBIDDEN" {
				t.Errorf("a partner registered a document: %s", r.Raw)
			}
			bad := map[string]any{"docs": []any{map[string]any{"name": "ok", "query": latest},
				map[string]any{"name": "typo", "query": `{ latestEarthquake { magnitud } }`}}}
			if r := postAs(t, srv.URL, c.admin, register, bad); errorCode(r) != "BAD_USER_INPUT" || r.Errors[0].Extensions["field"] != "documents[1].query" {
				t.Errorf("a document that does not validate: %s", r.Raw)
			}
			got := mustData(t, postAs(t, srv.URL, c.admin, register, docs))
			id, _ := dig(got, "registerTrustedDocuments", 0, "id").(string)
			if id != "sha256:"+sha256Hex(latest) {
				t.Fatalf("registered: %v", got)
			}

			for _, get := range []bool{false, true} {
				if r := sendDocument(t, srv.URL, id, get); len(r.Errors) > 0 || dig(r.Data, "latestEarthquake", "region") == nil {
					t.Errorf("anonymous, documentId (GET %v): %s", get, r.Raw)
				}
			}
			if r := persisted(t, srv.URL, "", sha256Hex(latest), true); len(r.Errors) > 0 {
				t.Errorf("anonymous, the registered document's hash: %s", r.Raw)
			}
			if r := post(t, srv.URL, latest, nil); len(r.Errors) > 0 {
				t.Errorf("anonymous, the registered document's text: %s", r.Raw)
			}
			own := `{ earthquakes(first: 1) { totalCount } }`
			if r := post(t, srv.URL, own, nil); r.Status != 400 || errorCode(r) != "DOCUMENT_NOT_TRUSTED" || r.Data != nil {
				t.Errorf("anonymous, a document of its own: %d %s", r.Status, r.Raw)
			}
			if r := postAs(t, srv.URL, c.full, own, nil); len(r.Errors) > 0 {
				t.Errorf("a partner's own document: %s", r.Raw)
			}
			// A partner stores a persisted query; anonymous callers still
			// cannot run it by its hash.
			b, _ := json.Marshal(map[string]any{"query": own, "extensions": map[string]any{
				"persistedQuery": map[string]any{"version": 1, "sha256Hash": sha256Hex(own)}}})
			req, _ := http.NewRequest(http.MethodPost, srv.URL+"/graphql", bytes.NewReader(b))
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("Authorization", "Bearer "+c.full)
			if r := decode(t, mustDo(t, req)); len(r.Errors) > 0 {
				t.Fatalf("a partner's persisted query: %s", r.Raw)
			}
			if r := persisted(t, srv.URL, "", sha256Hex(own), false); errorCode(r) != "DOCUMENT_NOT_TRUSTED" {
				t.Errorf("anonymous, a partner's persisted query by hash: %s", r.Raw)
			}

			if r := sendDocument(t, srv.URL, "sha256:"+sha256Hex("{ nothing }"), false); errorCode(r) != "PERSISTED_QUERY_NOT_FOUND" {
				t.Errorf("an unknown documentId: %s", r.Raw)
			}
			if r := sendDocument(t, srv.URL, "latest", false); r.Status != 400 || errorCode(r) != "BAD_REQUEST" {
				t.Errorf("a malformed documentId: %d %s", r.Status, r.Raw)
			}
			listed := mustData(t, postAs(t, srv.URL, c.admin, `{ trustedDocuments { id name query } }`, nil))
			if dig(listed, "trustedDocuments", 0, "query") != latest {
				t.Errorf("trustedDocuments: %v", listed)
			}
			mustData(t, postAs(t, srv.URL, c.admin, `mutation($id: String!) { removeTrustedDocument(id: $id) }`, map[string]any{"id": id}))
			if r := sendDocument(t, srv.URL, id, false); errorCode(r) != "PERSISTED_QUERY_NOT_FOUND" {
				t.Errorf("a removed document: %s", r.Raw)
			}
			if r := post(t, srv.URL, latest, nil); errorCode(r) != "DOCUMENT_NOT_TRUSTED" {
				t.Errorf("a removed document's text: %s", r.Raw)
			}
		})
	}
}

func mustDo(t *testing.T, req *http.Request) *http.Response {
	t.Helper()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	return resp
}
