package httpapi

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"strconv"

	"github.com/bmkg/mkggraph/internal/telemetry"
	"github.com/bmkg/mkggraph/mkg"
)

// Authenticator resolves the caller of a request from its Authorization
// header (authn.Authenticator): a refused key is an *mkg.Error coded
// UNAUTHENTICATED, a throttled client mkg.ErrTooManyFailures, either
// possibly wrapped.
type Authenticator interface {
	Authenticate(ctx context.Context, header, client string) (*mkg.Principal, error)
}

// withPrincipal puts the caller in the request context. A key that is not a
// valid, current key is refused with 401 before any GraphQL runs (never
// downgraded to anonymous); a client that keeps sending bad keys gets 429.
func (s *Server) withPrincipal(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p, err := s.Auth.Authenticate(r.Context(), r.Header.Get("Authorization"), s.clientIP(r))
		var refused *mkg.Error
		refuse := func(status int, msg, code string) {
			if rec := telemetry.From(r.Context()); rec != nil {
				rec.ErrorCode = code // the metrics' code label: one of these three
			}
			writeError(w, r, status, code, msg)
		}
		switch {
		case errors.Is(err, mkg.ErrTooManyFailures):
			w.Header().Set("Retry-After", strconv.Itoa(60))
			refuse(http.StatusTooManyRequests, mkg.ErrTooManyFailures.Error(), "TOO_MANY_REQUESTS")
			return
		case errors.As(err, &refused) && refused.Code == mkg.EUNAUTHENTICATED:
			w.Header().Set("WWW-Authenticate", `Bearer realm="MKG Graph", error="invalid_token"`)
			refuse(http.StatusUnauthorized, refused.Message, mkg.EUNAUTHENTICATED)
			return
		case err != nil:
			s.outage.Log(r.Context(), slog.LevelError, "authentication: "+mkg.ErrorCode(err), "authentication failed", slog.Any("err", err))
			w.Header().Set("Retry-After", strconv.Itoa(retryAfter))
			refuse(http.StatusServiceUnavailable, "authentication is unavailable; try again shortly", mkg.EUNAVAILABLE)
			return
		}
		if info := logInfoFrom(r.Context()); info != nil && !p.Anonymous() {
			info.account, info.key = p.Account.ID, p.KeyPrefix
		}
		next.ServeHTTP(w, r.WithContext(mkg.WithPrincipal(r.Context(), p)))
	})
}
