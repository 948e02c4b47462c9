package httpapi

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"strconv"

	"github.com/99designs/gqlgen/graphql"

	"github.com/bmkg/mkggraph/mkg"
)

// retryAfter is what a 503 suggests to wait, in seconds.
const retryAfter = 5

// A GraphQL response that carries no data because a service it needs is
// unavailable is answered 503 with Retry-After, so that load balancers and
// clients retry (GraphQL over HTTP would otherwise say 200). Each response
// is looked at as the executor hands it to the transport (markUnavailable);
// the status is set where the headers are written (withUnavailableStatus).

type unavailableKey struct{}

// withUnavailableStatus answers 503 instead of 200 when the response
// middleware marked the request.
func withUnavailableStatus(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mark := new(bool)
		uw := &unavailableWriter{ResponseWriter: w, mark: mark}
		next.ServeHTTP(uw, r.WithContext(context.WithValue(r.Context(), unavailableKey{}, mark)))
	})
}

type unavailableWriter struct {
	http.ResponseWriter
	mark    *bool
	written bool
}

func (u *unavailableWriter) WriteHeader(code int) {
	if !u.written && *u.mark && code == http.StatusOK {
		u.Header().Set("Retry-After", strconv.Itoa(retryAfter))
		code = http.StatusServiceUnavailable
	}
	u.written = true
	u.ResponseWriter.WriteHeader(code)
}

func (u *unavailableWriter) Write(b []byte) (int, error) {
	if !u.written {
		u.WriteHeader(http.StatusOK)
	}
	return u.ResponseWriter.Write(b)
}

func (u *unavailableWriter) Unwrap() http.ResponseWriter { return u.ResponseWriter }

// unavailableMarking is the executor as the transports call it: each
// response it gives is looked at on its way out (markUnavailable).
type unavailableMarking struct{ graphql.GraphExecutor }

// DispatchOperation implements graphql.GraphExecutor.
func (u unavailableMarking) DispatchOperation(ctx context.Context, op *graphql.OperationContext) (graphql.ResponseHandler, context.Context) {
	next, ctx := u.GraphExecutor.DispatchOperation(ctx, op)
	return func(ctx context.Context) *graphql.Response { return markUnavailable(ctx, next) }, ctx
}

// markUnavailable marks the request when the response carries no data
// because a service it needs is unavailable.
func markUnavailable(ctx context.Context, next graphql.ResponseHandler) *graphql.Response {
	resp := next(ctx)
	if mark, ok := ctx.Value(unavailableKey{}).(*bool); ok && resp != nil && hasUnavailable(resp) && noData(resp.Data) {
		*mark = true
	}
	return resp
}

func hasUnavailable(resp *graphql.Response) bool {
	for _, e := range resp.Errors {
		if e.Extensions["code"] == mkg.EUNAVAILABLE {
			return true
		}
	}
	return false
}

// noData reports whether a response's data is null or every root field in
// it is null.
func noData(data json.RawMessage) bool {
	data = bytes.TrimSpace(data)
	if len(data) == 0 || string(data) == "null" {
		return true
	}
	var fields map[string]json.RawMessage
	if json.Unmarshal(data, &fields) != nil {
		return false
	}
	for _, v := range fields {
		if string(bytes.TrimSpace(v)) != "null" {
			return false
		}
	}
	return true
}
