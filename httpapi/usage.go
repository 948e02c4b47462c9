package httpapi

import (
	"errors"
	"mime"
	"net/http"
	"strconv"
	"time"

	"github.com/bmkg/mkggraph/export"
	"github.com/bmkg/mkggraph/graph"
	"github.com/bmkg/mkggraph/graph/model"
	"github.com/bmkg/mkggraph/mkg"
)

// withUsage counts each GraphQL request of an account in its usage, once
// it is answered: its cost and the rows it returned by dataset, from the
// request's bill (an answer from memory counts what it used when it ran).
// Anonymous requests are not counted: usage is per account.
func (s *Server) withUsage(next http.Handler) http.Handler {
	if s.Usage == nil {
		return next
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		next.ServeHTTP(w, r)
		p := mkg.PrincipalFrom(r.Context())
		if p.Anonymous() {
			return
		}
		cost, rows := graph.BillFrom(r.Context()).Used()
		s.Usage.Add(mkg.RequestUsage(p.Account.ID, time.Now(), cost, rows))
	})
}

// usageCSV serves GET /usage.csv?from=…&to=…[&account=…]: usage lines as
// CSV, the same as the GraphQL usage fields. A partner gets its own; an
// admin any account's (account, a global id) or, without it, every
// account's. from and to are days (YYYY-MM-DD) or times (RFC 3339).
func (s *Server) usageCSV(w http.ResponseWriter, r *http.Request) {
	p := mkg.PrincipalFrom(r.Context())
	if p.Anonymous() {
		w.Header().Set("WWW-Authenticate", `Bearer realm="MKG Graph"`)
		writeJSON(w, http.StatusUnauthorized, gqlErrorBody("usage is an account's: send your API key as Authorization: Bearer <key>", mkg.EUNAUTHENTICATED, ""))
		return
	}
	q := r.URL.Query()
	var when [2]time.Time
	for i, name := range []string{"from", "to"} {
		t, err := usageTime(q.Get(name))
		if err != nil {
			writeJSON(w, http.StatusBadRequest, fieldError(name+" must be a day (YYYY-MM-DD) or an RFC 3339 time", mkg.EINVALID, name))
			return
		}
		when[i] = t
	}
	account := p.Account.ID
	if a := q.Get("account"); a != "" {
		if err := p.RequireRole(mkg.RoleAdmin); err != nil {
			writeJSON(w, http.StatusForbidden, gqlErrorBody("only admins read another account's usage", mkg.EFORBIDDEN, ""))
			return
		}
		n, err := model.ParseTypedID(a, model.TypeAccount)
		if err != nil {
			writeJSON(w, http.StatusBadRequest, fieldError("account must be an account's id", mkg.EINVALID, "account"))
			return
		}
		account = n
	} else if p.RequireRole(mkg.RoleAdmin) == nil {
		account = 0 // every account's
	}
	f := mkg.UsageFilter{AccountID: account, From: when[0], To: when[1]}
	page, err := s.UsageData.UsagePage(r.Context(), f, mkg.Page{Limit: usagePageSize})
	if err != nil {
		s.usageError(w, r, err)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/csv; charset=utf-8")
	h.Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{
		"filename": "usage-" + when[0].Format(time.DateOnly) + "-" + when[1].Format(time.DateOnly) + ".csv"}))
	h.Set("Cache-Control", "private, no-store")
	accountID := func(id int64) string { return model.NodeID(model.TypeAccount, id) }
	if err := export.WriteUsage(r.Context(), w, s.UsageData, f, page, accountID); err != nil {
		// The header is out: the file ends short, and the log says why.
		s.Log.ErrorContext(r.Context(), "usage export", "err", err)
	}
}

// usagePageSize is how many lines of usage the CSV reads per statement
// (export.WriteUsage reads the pages after the first alike).
const usagePageSize = mkg.MaxPageSize

// usageError answers a usage read that failed before anything was written.
func (s *Server) usageError(w http.ResponseWriter, r *http.Request, err error) {
	var e *mkg.Error
	switch {
	case errors.As(err, &e) && e.Code == mkg.EINVALID:
		writeJSON(w, http.StatusBadRequest, fieldError(e.Message, mkg.EINVALID, e.Field))
	case mkg.ErrorCode(err) == mkg.EUNAVAILABLE:
		w.Header().Set("Retry-After", strconv.Itoa(retryAfter))
		writeJSON(w, http.StatusServiceUnavailable, gqlErrorBody("the database is unavailable; try again shortly", mkg.EUNAVAILABLE, ""))
	default:
		s.Log.ErrorContext(r.Context(), "usage export", "err", err)
		writeJSON(w, http.StatusInternalServerError, gqlErrorBody("internal error", mkg.EINTERNAL, ""))
	}
}

// usageTime reads a day or an RFC 3339 time.
func usageTime(v string) (time.Time, error) {
	if t, err := time.Parse(time.DateOnly, v); err == nil {
		return t, nil
	}
	return time.Parse(time.RFC3339, v)
}

// fieldError is an error body naming the parameter at fault.
func fieldError(msg, code, field string) map[string]any {
	body := gqlErrorBody(msg, code, "")
	body["errors"].([]map[string]any)[0]["extensions"].(map[string]any)["field"] = field
	return body
}
