package resolvers

import (
	"context"

	"github.com/bmkg/mkggraph/graph/model"
	"github.com/bmkg/mkggraph/mkg"
)

// actor is the caller as the audit log records it.
func actor(ctx context.Context) mkg.Actor { return mkg.ActorOf(mkg.PrincipalFrom(ctx)) }

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

func accountInput(in model.AccountInput) (mkg.AccountInput, error) {
	out := mkg.AccountInput{Organisation: in.Organisation, ContactName: in.ContactName, ContactEmail: in.ContactEmail,
		ContactPhone: deref(in.ContactPhone), ValidUntil: in.ValidUntil, Roles: in.Roles}
	if a := in.Application; a != nil {
		out.Application = mkg.ClientApplication{Name: a.Name, Description: deref(a.Description), Platform: deref(a.Platform),
			CallbackURL: deref(a.CallbackURL), SourceAddress: a.SourceAddresses, CallsPerDay: a.CallsPerDay}
	}
	if out.Application.Name == "" {
		return out, mkg.Invalid("input.application.name", "the client application's name is required")
	}
	return out, nil
}

func accountFilter(in *model.AccountFilter) (mkg.AccountFilter, error) {
	var f mkg.AccountFilter
	if in == nil {
		return f, nil
	}
	f.Status, f.Search = in.Status, deref(in.Search)
	if in.Role != nil {
		f.Role = *in.Role
	}
	if in.Dataset != nil {
		d, err := mkg.ParseDataset(*in.Dataset, "filter.dataset")
		if err != nil {
			return f, err
		}
		f.Dataset = d
	}
	return f, nil
}

func auditFilter(in *model.AuditFilter) (mkg.AuditFilter, error) {
	var f mkg.AuditFilter
	if in == nil {
		return f, nil
	}
	f.TargetType, f.TargetID, f.Action, f.From, f.To = deref(in.TargetType), deref(in.TargetID), deref(in.Action), in.From, in.To
	if in.ActorAccountID != nil {
		n, err := model.ParseTypedID(*in.ActorAccountID, model.TypeAccount)
		if err != nil {
			return f, mkg.Invalid("filter.actorAccountId", "%q is not an account ID", *in.ActorAccountID)
		}
		f.ActorID = n
	}
	return f, nil
}

func accountConnection(page *mkg.AccountPage, f mkg.AccountFilter, after *string) *model.AccountConnection {
	c := &model.AccountConnection{Filter: f}
	c.Edges, c.PageInfo = edges(len(page.Accounts), func(i int) mkg.Cursor { return page.Cursors[i] }, page.HasNextPage, after,
		func(i int, cursor string) *model.AccountEdge {
			return &model.AccountEdge{Cursor: cursor, Node: page.Accounts[i]}
		})
	return c
}

func auditConnection(page *mkg.AuditPage, after *string) *model.AuditEventConnection {
	c := &model.AuditEventConnection{}
	c.Edges, c.PageInfo = edges(len(page.Events), func(i int) mkg.Cursor { return page.Cursors[i] }, page.HasNextPage, after,
		func(i int, cursor string) *model.AuditEventEdge {
			return &model.AuditEventEdge{Cursor: cursor, Node: page.Events[i]}
		})
	return c
}

// intOf and int64Of convert a budget between the API's Int and the
// domain's int64.
func intOf(p *int64) *int {
	if p == nil {
		return nil
	}
	return mkg.Ptr(int(*p))
}

func int64Of(p *int) *int64 {
	if p == nil {
		return nil
	}
	return mkg.Ptr(int64(*p))
}
