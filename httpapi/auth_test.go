package httpapi_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/bmkg/mkggraph/mkg"
)

// refusing is an authenticator that refuses every key with err, as an
// authenticator that wraps its errors would.
type refusing struct{ err error }

func (r refusing) Authenticate(context.Context, string, string) (*mkg.Principal, error) {
	return nil, r.err
}

// TestWrappedAuthenticationErrors: a refused key and a throttled client are
// recognised through any wrapping (401 with the refusal's message, 429),
// never a panic, and anything else is 503.
func TestWrappedAuthenticationErrors(t *testing.T) {
	unknown := &mkg.Error{Code: mkg.EUNAUTHENTICATED, Message: "unknown API key"}
	for _, c := range []struct {
		name    string
		err     error
		status  int
		code    string
		message string
	}{
		{"refused", unknown, http.StatusUnauthorized, mkg.EUNAUTHENTICATED, "unknown API key"},
		{"refused, wrapped", fmt.Errorf("authenticate: %w", unknown), http.StatusUnauthorized, mkg.EUNAUTHENTICATED, "unknown API key"},
		{"throttled, wrapped", fmt.Errorf("limiter: %w", mkg.ErrTooManyFailures), http.StatusTooManyRequests, "TOO_MANY_REQUESTS", mkg.ErrTooManyFailures.Error()},
		{"store down, wrapped", fmt.Errorf("key lookup: %w", mkg.Unavailable("the database", nil)), http.StatusServiceUnavailable, mkg.EUNAVAILABLE, "authentication is unavailable; try again shortly"},
	} {
		t.Run(c.name, func(t *testing.T) {
			s := newServer(t)
			s.Auth = refusing{c.err}
			srv := httptest.NewServer(s.Handler())
			defer srv.Close()
			req, _ := http.NewRequest(http.MethodPost, srv.URL+"/graphql", strings.NewReader(`{"query":"{ viewer { anonymous } }"}`))
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("Authorization", "Bearer mkg_00000000_x")
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			var body struct {
				Errors []struct {
					Message    string
					Extensions map[string]any
				}
			}
			json.NewDecoder(resp.Body).Decode(&body)
			if resp.StatusCode != c.status || len(body.Errors) != 1 || body.Errors[0].Extensions["code"] != c.code ||
				body.Errors[0].Message != c.message {
				t.Errorf("%d %+v; want %d %s %q", resp.StatusCode, body, c.status, c.code, c.message)
			}
		})
	}
}
