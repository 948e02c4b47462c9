package httpapi_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// The accept headers of the edge table: what each makes the response's
// media type (empty: 406).
var accepts = []struct{ header, media string }{
	{"", "application/graphql-response+json"}, // the specification's default since 2025
	{"application/json", "application/json"},
	{"application/graphql-response+json", "application/graphql-response+json"},
	{"application/graphql-response+json, application/json;q=0.9", "application/graphql-response+json"},
	{"application/json, application/graphql-response+json;q=0.5", "application/json"},
	{"*/*", "application/graphql-response+json"}, // curl, fetch
	{"text/html", ""},
}

// failure kinds: the request, and what each media type answers.
type edgeCase struct {
	name        string
	method      string
	contentType string
	body        string // POST body, or the GET query string
	// status with application/json and with application/graphql-response+json
	jsonStatus, grjStatus int
	code                  string // errors[0].extensions.code; "" = no error
	data                  bool   // the response has "data"
	batch                 int    // > 0: an array of that many responses
}

const secret = "SECRET-MARKER-0123456789"

var edgeCases = []edgeCase{
	{"query", "POST", "application/json", `{"query":"{ __typename }"}`, 200, 200, "", true, 0},
	{"query, charset", "POST", "application/json; charset=utf-8", `{"query":"{ __typename }"}`, 200, 200, "", true, 0},
	{"query by GET", "GET", "", "query=" + url.QueryEscape("{ __typename }"), 200, 200, "", true, 0},
	{"document does not parse", "POST", "application/json", `{"query":"{"}`, 200, 400, "GRAPHQL_PARSE_FAILED", false, 0},
	{"document does not validate", "POST", "application/json", `{"query":"{ nope }"}`, 200, 400, "GRAPHQL_VALIDATION_FAILED", false, 0},
	{"document does not validate (GET)", "GET", "", "query=" + url.QueryEscape("{ nope }"), 200, 400, "GRAPHQL_VALIDATION_FAILED", false, 0},
	{"variable cannot be coerced", "POST", "application/json",
		`{"query":"query($n: Int) { stations(first: $n) { totalCount } }","variables":{"n":"many"}}`, 200, 400, "GRAPHQL_VALIDATION_FAILED", false, 0},
	{"operation cannot be chosen", "POST", "application/json", `{"query":"query A { __typename } query B { __typename }"}`, 200, 400, "GRAPHQL_VALIDATION_FAILED", false, 0},
	{"operation name unknown", "POST", "application/json", `{"query":"query A { __typename }","operationName":"C"}`, 200, 400, "GRAPHQL_VALIDATION_FAILED", false, 0},
	{"too deep", "POST", "application/json", `{"query":"{ stations { edges { node { observations { edges { node { station { observations { edges { node { station { observations { edges { node { id } } } } } } } } } } } } } } }"}`,
		200, 400, "DEPTH_LIMIT_EXCEEDED", false, 0},
	{"no query", "POST", "application/json", `{"variables":{}}`, 400, 400, "BAD_REQUEST", false, 0},
	{"query null", "POST", "application/json", `{"query":null}`, 400, 400, "BAD_REQUEST", false, 0},
	{"no query (GET)", "GET", "", "", 400, 400, "BAD_REQUEST", false, 0},
	{"malformed JSON", "POST", "application/json", `{"query":"{ __typename ` + secret + `"`, 400, 400, "BAD_REQUEST", false, 0},
	{"not JSON", "POST", "application/json", `NONSENSE` + secret, 400, 400, "BAD_REQUEST", false, 0},
	{"query not a string", "POST", "application/json", `{"query":["` + secret + `"]}`, 400, 400, "BAD_REQUEST", false, 0},
	{"variables not an object", "POST", "application/json", `{"query":"query Q($i: Int) { __typename }","variables":[7]}`, 400, 400, "BAD_REQUEST", false, 0},
	{"variables not JSON (GET)", "GET", "", "query=" + url.QueryEscape("{ __typename }") + "&variables=" + secret, 400, 400, "BAD_REQUEST", false, 0},
	{"a JSON string body", "POST", "application/json", `"` + secret + `"`, 400, 400, "BAD_REQUEST", false, 0},
	{"text/plain", "POST", "text/plain", `{"query":"{ __typename }"}`, 415, 415, "UNSUPPORTED_MEDIA_TYPE", false, 0},
	{"form encoded", "POST", "application/x-www-form-urlencoded", `query=%7B__typename%7D`, 415, 415, "UNSUPPORTED_MEDIA_TYPE", false, 0},
	{"no Content-Type", "POST", "", `{"query":"{ __typename }"}`, 415, 415, "UNSUPPORTED_MEDIA_TYPE", false, 0},
	{"another charset", "POST", "application/json; charset=latin1", `{"query":"{ __typename }"}`, 415, 415, "UNSUPPORTED_MEDIA_TYPE", false, 0},
	{"PUT", "PUT", "application/json", `{"query":"{ __typename }"}`, 405, 405, "METHOD_NOT_ALLOWED", false, 0},
	{"DELETE", "DELETE", "", "", 405, 405, "METHOD_NOT_ALLOWED", false, 0},
	{"mutation by GET", "GET", "", "query=" + url.QueryEscape(`mutation { startAccessRequestForm { __typename } }`), 405, 405, "METHOD_NOT_ALLOWED", false, 0},
	{"bad key", "POST", "application/json", `{"query":"{ __typename }"}`, 401, 401, "UNAUTHENTICATED", false, 0},
	{"body too large", "POST", "application/json", `{"query":"{ __typename }","variables":{"pad":"` + strings.Repeat("x", 1<<20) + `"}}`, 413, 413, "REQUEST_TOO_LARGE", false, 0},
	{"batch", "POST", "application/json", `[{"query":"{ __typename }"},{"query":"{ nope }"}]`, 200, 200, "", false, 2},
	{"batch empty", "POST", "application/json", `[]`, 400, 400, "BAD_REQUEST", false, 0},
	{"batch too large", "POST", "application/json", `[` + strings.Repeat(`{"query":"{ __typename }"},`, 10) + `{"query":"{ __typename }"}]`, 400, 400, "BATCH_TOO_LARGE", false, 0},
	{"batch with a malformed element", "POST", "application/json", `[{"query":"{ __typename }"},{"query":7}]`, 400, 400, "BAD_REQUEST", false, 0},
}

// TestEdgeTable: the whole edge as a table, method × content type × accept
// header × kind of failure → status, media type and body shape: a JSON
// GraphQL response whose every error has extensions.code, "data" absent on
// request errors, never the request echoed, never a Go type name.
func TestEdgeTable(t *testing.T) {
	srv := server(t)
	for _, c := range edgeCases {
		for _, a := range accepts {
			t.Run(c.name+"/"+a.header, func(t *testing.T) {
				target := srv.URL + "/graphql"
				var body io.Reader
				if c.method == "GET" {
					target += "?" + c.body
				} else if c.body != "" {
					body = strings.NewReader(c.body)
				}
				req, _ := http.NewRequest(c.method, target, body)
				if c.contentType != "" {
					req.Header.Set("Content-Type", c.contentType)
				}
				if a.header != "" {
					req.Header.Set("Accept", a.header)
				}
				if c.name == "bad key" {
					req.Header.Set("Authorization", "Bearer mkg_00000000_nothing")
				}
				resp, err := http.DefaultClient.Do(req)
				if err != nil {
					t.Fatal(err)
				}
				raw, _ := io.ReadAll(resp.Body)
				resp.Body.Close()
				checkEdge(t, c, a.media, resp, raw)
			})
		}
	}
}

func checkEdge(t *testing.T, c edgeCase, media string, resp *http.Response, raw []byte) {
	t.Helper()
	wantStatus := c.grjStatus
	if media == "application/json" {
		wantStatus = c.jsonStatus
	}
	// A bad key and a body over the limit are refused before the media
	// type is looked at; everything else is 406 when Accept allows
	// neither type.
	if media == "" && c.code != "UNAUTHENTICATED" && c.code != "REQUEST_TOO_LARGE" {
		wantStatus = http.StatusNotAcceptable
	}
	if resp.StatusCode != wantStatus {
		t.Fatalf("status %d, want %d: %s", resp.StatusCode, wantStatus, clip(raw))
	}
	wantMedia := media
	if wantMedia == "" {
		wantMedia = "application/json"
	}
	if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, wantMedia) {
		t.Errorf("Content-Type %q, want %s", ct, wantMedia)
	}
	for _, leak := range []string{secret, "map[", "interface {", "graphql.", "RawParams", "json:", "Go value"} {
		if strings.Contains(string(raw), leak) {
			t.Errorf("the body holds %q: %s", leak, clip(raw))
		}
	}
	if resp.StatusCode == http.StatusMethodNotAllowed && resp.Header.Get("Allow") == "" {
		t.Errorf("405 without Allow")
	}
	if c.batch > 0 && resp.StatusCode == http.StatusOK {
		var out []map[string]any
		if err := json.Unmarshal(raw, &out); err != nil || len(out) != c.batch {
			t.Fatalf("batch: want an array of %d responses: %s", c.batch, clip(raw))
		}
		if _, ok := out[0]["data"]; !ok {
			t.Errorf("batch[0] has no data: %s", clip(raw))
		}
		if _, ok := out[1]["data"]; ok || code(out[1]) != "GRAPHQL_VALIDATION_FAILED" {
			t.Errorf("batch[1] should be a request error without data: %s", clip(raw))
		}
		return
	}
	var out map[string]any
	if err := json.Unmarshal(raw, &out); err != nil {
		t.Fatalf("body is not a JSON object: %s", clip(raw))
	}
	wantCode := c.code
	if resp.StatusCode == http.StatusNotAcceptable {
		wantCode = "NOT_ACCEPTABLE"
	}
	if got := code(out); got != wantCode {
		t.Errorf("code %q, want %q: %s", got, wantCode, clip(raw))
	}
	if errs, _ := out["errors"].([]any); len(errs) > 0 {
		for _, e := range errs {
			if ext, _ := e.(map[string]any)["extensions"].(map[string]any); ext["code"] == nil {
				t.Errorf("an error without extensions.code: %s", clip(raw))
			}
		}
	}
	if _, has := out["data"]; has != (c.data && wantCode == "") {
		t.Errorf("data present: %v, want %v: %s", has, c.data && wantCode == "", clip(raw))
	}
}

func code(resp map[string]any) string {
	errs, _ := resp["errors"].([]any)
	if len(errs) == 0 {
		return ""
	}
	ext, _ := errs[0].(map[string]any)["extensions"].(map[string]any)
	s, _ := ext["code"].(string)
	return s
}

func clip(b []byte) string {
	if len(b) > 300 {
		return string(b[:300]) + "…"
	}
	return string(b)
}

// TestBatchSharesOneRequestsLimits: each operation of a batch passes the
// cost limit alone, but the batch may not cost more than one request: the
// operations past the limit are refused, those before it answered.
func TestBatchSharesOneRequestsLimits(t *testing.T) {
	srv := server(t)
	op := `{"query":"{ a: stations(first: 500) { edges { node { id name wmoIndex elevation latitude longitude } } } b: stations(first: 500) { edges { node { id name wmoIndex elevation latitude longitude } } } }"}`
	post := func(body string) []byte {
		resp, err := http.Post(srv.URL+"/graphql", "application/json", strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		raw, _ := io.ReadAll(resp.Body)
		return raw
	}
	var alone map[string]any
	json.Unmarshal(post(op), &alone)
	if code(alone) != "" {
		t.Fatalf("one operation alone is refused: %v", alone)
	}
	var out []map[string]any
	raw := post("[" + strings.Repeat(op+",", 9) + op + "]")
	if err := json.Unmarshal(raw, &out); err != nil || len(out) != 10 {
		t.Fatalf("batch: %s", clip(raw))
	}
	if code(out[0]) != "" {
		t.Errorf("the first operation of the batch is refused: %v", out[0])
	}
	last := out[9]
	if code(last) != "COMPLEXITY_LIMIT_EXCEEDED" || !strings.Contains(last["errors"].([]any)[0].(map[string]any)["message"].(string), "batch") {
		t.Errorf("the tenth operation: %v, want COMPLEXITY_LIMIT_EXCEEDED for the batch", last)
	}
	if _, has := last["data"]; has {
		t.Errorf("a refused operation has data: %v", last)
	}
}

// TestBadDateTimeNamesTheArgument: a DateTime that is not RFC 3339, or not
// a string, is BAD_USER_INPUT with extensions.field naming the argument
// (the scalar's own check knows no name), and no Go type in the message.
func TestBadDateTimeNamesTheArgument(t *testing.T) {
	srv := server(t)
	for q, field := range map[string]string{
		`{ earthquakes(filter: {from: "yesterday"}) { totalCount } }`:                      "filter.from",
		`{ earthquakes(filter: {from: 5}) { totalCount } }`:                                "filter.from",
		`{ accessRequestStats(from: "x", to: "2027-01-01T00:00:00Z") { steps { kind } } }`: "from",
	} {
		_, out, raw := query(t, srv, q)
		e := out["errors"].([]any)[0].(map[string]any)
		ext := e["extensions"].(map[string]any)
		if ext["code"] != "BAD_USER_INPUT" || ext["field"] != field || strings.Contains(raw, "int64") {
			t.Errorf("%s: %s; want BAD_USER_INPUT naming %s", q, raw, field)
		}
	}
}
