package httpapi

import (
	"net/http"
	"time"

	"github.com/bmkg/mkggraph/graph"
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
