package httpapi

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/bmkg/mkggraph/graph"
	"github.com/bmkg/mkggraph/internal/requestid"
)

// GraphQL over HTTP as the specification's current draft reads it
// (graphql.github.io/graphql-over-http/draft): the response's media type
// is negotiated from Accept, and the status follows from it.
//
//   - application/graphql-response+json (no Accept, */* and application/*
//     included): a request error (the document does not parse or
//     validate, the operation cannot be chosen, a variable cannot be
//     coerced, a limit refuses it) is 400 and its body has no "data".
//   - application/json: the same errors are 200, as a legacy client
//     expects; "data" is absent too.
//   - Either way a request that is not a well-formed GraphQL-over-HTTP
//     request is 400 BAD_REQUEST (a body that is not JSON, parameters of
//     the wrong type, no query), a POST that is not JSON (or multipart)
//     415 UNSUPPORTED_MEDIA_TYPE, another method 405 METHOD_NOT_ALLOWED
//     (a mutation by GET too, with Allow: POST), an Accept naming neither
//     type 406 NOT_ACCEPTABLE. Every error body is JSON with
//     errors[].extensions.code; none repeats the request.
//
// A JSON array of requests is a batch (Apollo Client's and Relay's
// batching): at most maxBatch operations, run one after the other in one
// turn of the running limit, answered as an array in order, 200 whatever
// each holds (429 when the caller's budget refused them all). The batch
// shares one request's limits (graph.WithBatch).
type overHTTP struct {
	maxBatch int
	meter    meter
}

// The media types of GraphQL responses.
const (
	mediaGraphQLResponse = "application/graphql-response+json"
	mediaJSON            = "application/json"
)

// Codes of requests refused before any GraphQL runs.
const (
	codeBadRequest       = "BAD_REQUEST"
	codeMethodNotAllowed = "METHOD_NOT_ALLOWED"
	codeUnsupportedMedia = "UNSUPPORTED_MEDIA_TYPE"
	codeNotAcceptable    = "NOT_ACCEPTABLE"
	codeBatchTooLarge    = "BATCH_TOO_LARGE"
	codeTooLarge         = "REQUEST_TOO_LARGE"
	codeTooManyRequests  = "TOO_MANY_REQUESTS"
)

var _ graphql.Transport = overHTTP{}

// Supports implements graphql.Transport: it is the last transport and
// answers whatever the others do not, refusals included.
func (overHTTP) Supports(r *http.Request) bool { return r.Header.Get("Upgrade") == "" }

// Do implements graphql.Transport.
func (t overHTTP) Do(w http.ResponseWriter, r *http.Request, exec graphql.GraphExecutor) {
	media, ok := responseMedia(r)
	if !ok {
		writeError(w, r, http.StatusNotAcceptable, codeNotAcceptable,
			"the Accept header names no type this server answers with: "+mediaGraphQLResponse+" or "+mediaJSON)
		return
	}
	switch r.Method {
	case http.MethodGet:
		params, err := paramsFromURL(r.URL.RawQuery)
		if err != nil {
			writeError(w, r, http.StatusBadRequest, codeBadRequest, err.Error())
			return
		}
		resp, status := run(w, r, exec, params, media, true, t.meter)
		writeResponse(w, media, status, resp)
	case http.MethodPost:
		if mt, params, err := mime.ParseMediaType(r.Header.Get("Content-Type")); err != nil || mt != mediaJSON ||
			params["charset"] != "" && !strings.EqualFold(params["charset"], "utf-8") {
			writeError(w, r, http.StatusUnsupportedMediaType, codeUnsupportedMedia,
				"send the request as application/json (UTF-8), or as multipart/form-data with files; by GET, as URL parameters")
			return
		}
		t.post(w, r, exec, media)
	default:
		w.Header().Set("Allow", "GET, POST, OPTIONS")
		writeError(w, r, http.StatusMethodNotAllowed, codeMethodNotAllowed, "GraphQL requests are sent by POST, or by GET for queries")
	}
}

func (t overHTTP) post(w http.ResponseWriter, r *http.Request, exec graphql.GraphExecutor, media string) {
	var body bytes.Buffer
	if r.Body != nil {
		if _, err := body.ReadFrom(r.Body); err != nil { // bounded by limitBody
			writeError(w, r, http.StatusBadRequest, codeBadRequest, "could not read the request body")
			return
		}
	}
	raw := bytes.TrimSpace(body.Bytes())
	if len(raw) > 0 && raw[0] == '[' {
		t.batch(w, r, exec, raw, media)
		return
	}
	params, err := paramsFromJSON(raw)
	if err != nil {
		writeError(w, r, http.StatusBadRequest, codeBadRequest, err.Error())
		return
	}
	resp, status := run(w, r, exec, params, media, false, t.meter)
	writeResponse(w, media, status, resp)
}

// batch runs a JSON array of requests in order and answers an array.
func (t overHTTP) batch(w http.ResponseWriter, r *http.Request, exec graphql.GraphExecutor, raw []byte, media string) {
	var items []json.RawMessage
	if err := json.Unmarshal(raw, &items); err != nil {
		writeError(w, r, http.StatusBadRequest, codeBadRequest, jsonProblem(err))
		return
	}
	switch {
	case len(items) == 0:
		writeError(w, r, http.StatusBadRequest, codeBadRequest, "the batch is empty")
		return
	case len(items) > t.maxBatch:
		writeError(w, r, http.StatusBadRequest, codeBatchTooLarge,
			fmt.Sprintf("the batch holds %d operations; the limit is %d", len(items), t.maxBatch))
		return
	}
	all := make([]*graphql.RawParams, len(items))
	for i, item := range items {
		p, err := paramsFromJSON(item)
		if err != nil {
			writeError(w, r, http.StatusBadRequest, codeBadRequest, fmt.Sprintf("batch[%d]: %s", i, err))
			return
		}
		all[i] = p
	}
	r = r.WithContext(graph.WithBatch(r.Context()))
	out := make([]wireResponse, len(all))
	limited := 0
	for i, p := range all {
		resp, status := run(w, r, exec, p, media, false, t.meter)
		if status == http.StatusTooManyRequests {
			limited++
		}
		out[i] = wire(resp)
	}
	// Each operation is charged on its own: those past the budget are
	// refused RATE_LIMITED in their place, and the batch is 429 when none
	// ran (Retry-After is set from the last refusal either way).
	status := http.StatusOK
	if limited == len(all) {
		status = http.StatusTooManyRequests
	}
	w.Header().Set("Content-Type", media+"; charset=utf-8")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(out)
}

// run executes one request and says with which status to answer it.
// The operation's charge goes into the response and the headers (m).
func run(w http.ResponseWriter, r *http.Request, exec graphql.GraphExecutor, params *graphql.RawParams, media string, get bool, m meter) (*graphql.Response, int) {
	resp, status := execute(w, r, exec, params, media, get)
	return resp, m.settle(w, r, resp, status)
}

func execute(w http.ResponseWriter, r *http.Request, exec graphql.GraphExecutor, params *graphql.RawParams, media string, get bool) (*graphql.Response, int) {
	ctx := r.Context()
	params.Headers = r.Header
	params.ReadTime = graphql.TraceTiming{Start: graphql.Now(), End: graphql.Now()}
	rc, gerr := exec.CreateOperationContext(ctx, params)
	if gerr != nil {
		return exec.DispatchError(graphql.WithOperationContext(ctx, rc), gerr), requestErrorStatus(media)
	}
	if get && rc.Operation != nil && rc.Operation.Operation != ast.Query {
		w.Header().Set("Allow", "POST")
		return &graphql.Response{Errors: gqlerror.List{codedError(codeMethodNotAllowed,
			"a "+string(rc.Operation.Operation)+" is sent by POST; GET runs queries only")}}, http.StatusMethodNotAllowed
	}
	responses, ctx := exec.DispatchOperation(ctx, rc)
	resp := responses(ctx)
	if resp == nil {
		// The executor runs nothing for a request whose context ended
		// before it began (its time limit spent waiting, or the client
		// gone): answered as any request past its time.
		resp = &graphql.Response{Errors: gqlerror.List{codedError("TIMEOUT", "the request was cancelled or took too long")}}
	}
	if len(resp.Data) == 0 && media == mediaGraphQLResponse {
		return resp, http.StatusBadRequest // a request error raised as it ran: no data
	}
	return resp, http.StatusOK
}

// requestErrorStatus is the status of a GraphQL request error (before
// execution) in a response of the given media type.
func requestErrorStatus(media string) int {
	if media == mediaJSON {
		return http.StatusOK
	}
	return http.StatusBadRequest
}

// paramsFromJSON reads one request object, checking each parameter's type;
// its errors say what is wrong without repeating the body or naming Go
// types.
func paramsFromJSON(raw []byte) (*graphql.RawParams, error) {
	var fields map[string]json.RawMessage
	dec := json.NewDecoder(bytes.NewReader(raw))
	if err := dec.Decode(&fields); err != nil {
		return nil, errors.New(jsonProblem(err))
	}
	if dec.More() {
		return nil, errors.New("the request body holds more than one JSON value")
	}
	if fields == nil {
		return nil, errors.New("the request must be a JSON object with a \"query\" string (or an array of them, a batch)")
	}
	p := &graphql.RawParams{}
	if err := decodeParam(fields, "query", &p.Query, "a string"); err != nil {
		return nil, err
	}
	if err := decodeParam(fields, "operationName", &p.OperationName, "a string"); err != nil {
		return nil, err
	}
	if err := decodeParam(fields, "variables", &p.Variables, "an object"); err != nil {
		return nil, err
	}
	if err := decodeParam(fields, "extensions", &p.Extensions, "an object"); err != nil {
		return nil, err
	}
	var id string
	if err := decodeParam(fields, graph.DocumentIDParam, &id, "a string"); err != nil {
		return nil, err
	}
	withDocumentID(p, id)
	return p, checkQuery(p)
}

// withDocumentID hands a request's documentId (a registered document's id,
// GraphQL-over-HTTP's persisted documents) to the executor, among the
// extensions, where graph.TrustedDocuments reads it.
func withDocumentID(p *graphql.RawParams, id string) {
	if id == "" {
		return
	}
	if p.Extensions == nil {
		p.Extensions = map[string]any{}
	}
	p.Extensions[graph.DocumentIDParam] = id
}

// decodeParam decodes one parameter; null is the same as absent.
func decodeParam(fields map[string]json.RawMessage, name string, into any, want string) error {
	v, ok := fields[name]
	if !ok || string(bytes.TrimSpace(v)) == "null" {
		return nil
	}
	dec := json.NewDecoder(bytes.NewReader(v))
	dec.UseNumber()
	if err := dec.Decode(into); err != nil {
		return fmt.Errorf("%q must be %s", name, want)
	}
	return nil
}

// paramsFromURL reads a GET request's parameters.
func paramsFromURL(rawQuery string) (*graphql.RawParams, error) {
	q, err := url.ParseQuery(rawQuery)
	if err != nil {
		return nil, errors.New("the URL's query string is not valid URL encoding")
	}
	p := &graphql.RawParams{Query: q.Get("query"), OperationName: q.Get("operationName")}
	for _, param := range []struct {
		name string
		into *map[string]any
	}{{"variables", &p.Variables}, {"extensions", &p.Extensions}} {
		v := q.Get(param.name)
		if v == "" {
			continue
		}
		dec := json.NewDecoder(strings.NewReader(v))
		dec.UseNumber()
		if err := dec.Decode(param.into); err != nil || dec.More() {
			return nil, fmt.Errorf("%q must be a JSON object", param.name)
		}
	}
	withDocumentID(p, q.Get(graph.DocumentIDParam))
	return p, checkQuery(p)
}

// checkQuery refuses a request without a document, unless it names a
// persisted or registered one.
func checkQuery(p *graphql.RawParams) error {
	if p.Query == "" && p.Extensions["persistedQuery"] == nil && p.Extensions[graph.DocumentIDParam] == nil {
		return errors.New("the request has no query: send the GraphQL document as \"query\" (or a registered one's \"documentId\")")
	}
	return nil
}

// jsonProblem describes a JSON decoding error in words of the request: the
// position of a syntax error, or what the value should have been.
func jsonProblem(err error) string {
	var syntax *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syntax):
		return "the request body is not valid JSON (at byte " + strconv.FormatInt(syntax.Offset, 10) + ")"
	case errors.As(err, &typ):
		return "the request must be a JSON object with a \"query\" string (or an array of them, a batch)"
	case errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF):
		return "the request body is empty or cut short"
	default:
		return "the request body is not valid JSON"
	}
}

// wireResponse is a GraphQL response as sent: "data" absent when the
// request failed before it ran (gqlgen's Response writes "data": null).
type wireResponse struct {
	Errors     gqlerror.List   `json:"errors,omitempty"`
	Data       json.RawMessage `json:"data,omitempty"`
	Extensions map[string]any  `json:"extensions,omitempty"`
}

// wire: resp is never nil (run answers every request).
func wire(resp *graphql.Response) wireResponse {
	return wireResponse{Errors: resp.Errors, Data: resp.Data, Extensions: resp.Extensions}
}

func writeResponse(w http.ResponseWriter, media string, status int, resp *graphql.Response) {
	w.Header().Set("Content-Type", media+"; charset=utf-8")
	w.WriteHeader(status)
	w.Write(encodeResponse(resp))
}

// encodeResponse is wire(resp) in JSON, with the data as the executor
// wrote them: valid, compact JSON already, which encoding/json would scan
// and copy again (5 % of the dashboard's CPU). Unlike encoding/json it
// leaves <, > and & in the data's strings as they are, as other GraphQL
// servers do; the media types are JSON, never HTML.
func encodeResponse(resp *graphql.Response) []byte {
	wr := wire(resp)
	errs, err := json.Marshal(wireResponse{Errors: wr.Errors}) // {"errors":[…]}, or {}
	if err != nil {
		errs = []byte(`{}`)
	}
	ext, err := json.Marshal(wireResponse{Extensions: wr.Extensions})
	if err != nil {
		ext = []byte(`{}`)
	}
	out := make([]byte, 0, len(errs)+len(wr.Data)+len(ext)+16)
	out = append(out, '{')
	field := func(parts ...[]byte) { // a member: "name":value
		if len(out) > 1 {
			out = append(out, ',')
		}
		for _, p := range parts {
			out = append(out, p...)
		}
	}
	if len(errs) > 2 {
		field(errs[1 : len(errs)-1]) // {"errors":[…]} without its braces
	}
	if len(wr.Data) > 0 {
		field([]byte(`"data":`), wr.Data)
	}
	if len(ext) > 2 {
		field(ext[1 : len(ext)-1])
	}
	return append(out, '}', '\n')
}

func codedError(code, msg string) *gqlerror.Error {
	return &gqlerror.Error{Message: msg, Extensions: map[string]any{"code": code}}
}

// writeError answers a request refused before any GraphQL ran: a GraphQL
// response without data, in the media type the client accepts
// (application/json when it accepts neither), with the status given.
func writeError(w http.ResponseWriter, r *http.Request, status int, code, msg string) {
	media, ok := responseMedia(r)
	if !ok {
		media = mediaJSON
	}
	h := w.Header()
	h.Set("Content-Type", media+"; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	e := codedError(code, msg)
	if id := requestid.From(r.Context()); id != "" && code == "INTERNAL" {
		e.Extensions["requestId"] = id
	}
	json.NewEncoder(w).Encode(wireResponse{Errors: gqlerror.List{e}})
}

// writeRequestError answers a GraphQL request error found before the
// executor (a limit): 200 in application/json, 400 otherwise.
func writeRequestError(w http.ResponseWriter, r *http.Request, code, msg string) {
	media, ok := responseMedia(r)
	if !ok {
		media = mediaJSON
	}
	writeError(w, r, requestErrorStatus(media), code, msg)
}

// responseMedia picks the response's media type from the request's Accept
// header: of the two this server answers with, the one with the highest
// quality, the first listed on a tie; a wildcard, or no Accept at all,
// means application/graphql-response+json (the specification's default
// since 2025). ok is false when Accept allows neither.
func responseMedia(r *http.Request) (string, bool) {
	accept := r.Header.Values("Accept")
	if len(accept) == 0 {
		return mediaGraphQLResponse, true
	}
	best, bestQ := "", 0.0
	wildQ := -1.0
	explicit := map[string]bool{}
	for _, part := range strings.Split(strings.Join(accept, ","), ",") {
		mt, params, err := mime.ParseMediaType(strings.TrimSpace(part))
		if err != nil {
			continue
		}
		q := 1.0
		if s, ok := params["q"]; ok {
			if q, err = strconv.ParseFloat(s, 64); err != nil {
				continue
			}
		}
		switch mt {
		case mediaGraphQLResponse, mediaJSON:
			explicit[mt] = true
			if q > bestQ {
				best, bestQ = mt, q
			}
		case "*/*", "application/*":
			wildQ = max(wildQ, q)
		}
	}
	if wildQ > bestQ && !explicit[mediaGraphQLResponse] {
		best, bestQ = mediaGraphQLResponse, wildQ
	} else if wildQ > bestQ && !explicit[mediaJSON] {
		best, bestQ = mediaJSON, wildQ
	}
	return best, bestQ > 0
}
