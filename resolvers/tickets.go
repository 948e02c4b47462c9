package resolvers

import (
	"cmp"
	"context"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/99designs/gqlgen/graphql"

	"github.com/bmkg/mkggraph/dataloaders"
	"github.com/bmkg/mkggraph/graph/model"
	"github.com/bmkg/mkggraph/mkg"
)

// staff is the caller acting in a staff role (the schema's @hasRole has
// checked they hold it).
func staff(ctx context.Context, role mkg.TicketActor) mkg.TicketCaller {
	return mkg.TicketCaller{Role: role, Account: mkg.PrincipalFrom(ctx).Account}
}

func letterOf(t *mkg.Ticket) *model.RequestLetter {
	if t.Letter == nil {
		return nil
	}
	return &model.RequestLetter{Letter: *t.Letter, URL: fmt.Sprintf("/access-requests/%d/letter", t.ID)}
}

// readUpload reads an uploaded letter, refusing one over the limit before
// reading more than the limit.
func readUpload(u graphql.Upload) ([]byte, error) {
	if u.Size > mkg.MaxLetterBytes {
		return nil, mkg.Invalid("letter", "the letter is %d bytes; at most %d are accepted", u.Size, mkg.MaxLetterBytes)
	}
	data, err := io.ReadAll(io.LimitReader(u.File, mkg.MaxLetterBytes+1))
	if err != nil {
		return nil, mkg.Invalid("letter", "the letter could not be read")
	}
	if len(data) > mkg.MaxLetterBytes {
		return nil, mkg.Invalid("letter", "the letter is larger than %d bytes", mkg.MaxLetterBytes)
	}
	return data, nil
}

func ticketInput(in model.AccessRequestInput) (mkg.TicketInput, error) {
	out := mkg.TicketInput{Channel: in.Channel}
	if b := in.Basis; b != nil {
		out.Basis = mkg.Basis{Kind: b.Kind, Number: b.Number, Date: b.Date, ValidFrom: b.ValidFrom, ValidUntil: b.ValidUntil}
	}
	if a := in.Applicant; a != nil {
		out.Applicant = mkg.Applicant{Name: a.Name, Organisation: a.Organisation, Position: deref(a.Position), Email: a.Email, Phone: deref(a.Phone)}
	}
	if f := in.Form; f != nil {
		out.Form = mkg.ServiceForm{Purpose: f.Purpose, RequestedFrom: f.RequestedFrom, RequestedUntil: f.RequestedUntil}
		// Dataset names are checked with every other field (Problems), so
		// that all mistakes are reported together.
		for _, d := range f.Datasets {
			out.Form.Datasets = append(out.Form.Datasets, mkg.Dataset(strings.TrimSpace(d)))
		}
		if a := f.Application; a != nil {
			out.Form.Application = mkg.ClientApplication{Name: a.Name, Description: deref(a.Description), Platform: deref(a.Platform),
				CallbackURL: deref(a.CallbackURL), SourceAddress: a.SourceAddresses, CallsPerDay: a.CallsPerDay}
		}
	}
	return out, nil
}

func ticketFilter(in *model.AccessRequestFilter) (mkg.TicketFilter, error) {
	var f mkg.TicketFilter
	if in == nil {
		return f, nil
	}
	f.Status, f.Breached, f.From, f.To = in.Status, in.Breached, in.From, in.To
	f.NotificationFailed = in.NotificationFailed
	if in.Channel != nil {
		f.Channel = *in.Channel
	}
	if in.Number != nil {
		f.Number = strings.TrimSpace(*in.Number)
	}
	if in.AssignedTo != nil {
		n, err := model.ParseTypedID(*in.AssignedTo, model.TypeAccount)
		if err != nil {
			return f, mkg.Invalid("filter.assignedTo", "%q is not an account ID", *in.AssignedTo)
		}
		f.AssignedTo = n
	}
	if in.Unassigned != nil && *in.Unassigned {
		if f.AssignedTo != 0 {
			return f, mkg.Invalid("filter.unassigned", "unassigned and assignedTo exclude each other")
		}
		f.AssignedTo = -1
	}
	return f, nil
}

func ticketConnection(page *mkg.TicketPage, f mkg.TicketFilter, after *string) *model.AccessRequestConnection {
	c := &model.AccessRequestConnection{Filter: f}
	c.Edges, c.PageInfo = edges(len(page.Tickets), func(i int) mkg.Cursor { return page.Cursors[i] }, page.HasNextPage, after,
		func(i int, cursor string) *model.AccessRequestEdge {
			return &model.AccessRequestEdge{Cursor: cursor, Node: page.Tickets[i]}
		})
	return c
}

// ticketEvents returns a ticket's events; for the applicant, as the
// applicant may see them (mkg.ApplicantView).
func ticketEvents(ctx context.Context, id int64, forApplicant bool) ([]*mkg.TicketEvent, error) {
	events, err := dataloaders.For(ctx).TicketEvents.Load(ctx, id)
	if err != nil {
		return nil, err
	}
	out := make([]*mkg.TicketEvent, len(events))
	for i := range events {
		e := events[i]
		if forApplicant {
			e = mkg.ApplicantView(e)
		}
		out[i] = &e
	}
	return out, nil
}

// activeOfficers lists the accounts a ticket can be assigned to: active,
// unexpired, with the OFFICER role; by organisation and name.
func activeOfficers(ctx context.Context, store mkg.AccessStore) ([]*mkg.Account, error) {
	f := mkg.AccountFilter{Status: []mkg.AccountStatus{mkg.AccountActive}, Role: mkg.RoleOfficer}
	now := mkg.PrincipalFrom(ctx).Now()
	out := []*mkg.Account{}
	p := mkg.Page{Limit: mkg.MaxPageSize}
	for {
		page, err := store.Accounts(ctx, f, p)
		if err != nil {
			return nil, err
		}
		for _, a := range page.Accounts {
			if a.ActiveOfficer(now) {
				out = append(out, a)
			}
		}
		if !page.HasNextPage || len(page.Cursors) == 0 {
			break
		}
		p.After = &page.Cursors[len(page.Cursors)-1]
	}
	slices.SortStableFunc(out, func(a, b *mkg.Account) int {
		return cmp.Or(strings.Compare(a.Organisation, b.Organisation), strings.Compare(a.ContactName, b.ContactName))
	})
	return out, nil
}
