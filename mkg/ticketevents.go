package mkg

import (
	"context"
	"time"
)

// PublishingTickets is a TicketStore that tells a bus of every action
// that changed a request, after it committed (the store applies an action
// and its audit event in one transaction; the bus hears of it once the
// method returns). A publish that fails to reach other instances is not
// the action's failure: the action is done.
type PublishingTickets struct {
	TicketStore
	Bus EventPublisher
	Now func() time.Time
}

// after returns what publishes an action's result and passes it on.
func (p PublishingTickets) after(ctx context.Context) func(*Ticket, error) (*Ticket, error) {
	return func(t *Ticket, err error) (*Ticket, error) { return p.publish(ctx, t, err) }
}

func (p PublishingTickets) publish(ctx context.Context, t *Ticket, err error) (*Ticket, error) {
	if err != nil || t == nil || p.Bus == nil {
		return t, err
	}
	now := time.Now
	if p.Now != nil {
		now = p.Now
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), time.Second)
	defer cancel()
	p.Bus.Publish(ctx, Event{Kind: EventTicket, At: now().UTC(), Ticket: &TicketChanged{ID: t.ID, State: t.State, AssignedTo: t.AssignedTo}})
	return t, nil
}

func (p PublishingTickets) Submit(ctx context.Context, by TicketCaller, s Submission) (*Ticket, string, error) {
	t, token, err := p.TicketStore.Submit(ctx, by, s)
	t, err = p.after(ctx)(t, err)
	return t, token, err
}

func (p PublishingTickets) Review(ctx context.Context, by TicketCaller, id int64, r Review) (*Ticket, error) {
	return p.after(ctx)(p.TicketStore.Review(ctx, by, id, r))
}

func (p PublishingTickets) Revise(ctx context.Context, token string, in TicketInput, letter *LetterFile) (*Ticket, error) {
	return p.after(ctx)(p.TicketStore.Revise(ctx, token, in, letter))
}

func (p PublishingTickets) Start(ctx context.Context, by TicketCaller, id int64) (*Ticket, error) {
	return p.after(ctx)(p.TicketStore.Start(ctx, by, id))
}

func (p PublishingTickets) Escalate(ctx context.Context, by TicketCaller, id int64, to, note string) (*Ticket, error) {
	return p.after(ctx)(p.TicketStore.Escalate(ctx, by, id, to, note))
}

func (p PublishingTickets) Resume(ctx context.Context, by TicketCaller, id int64, note string) (*Ticket, error) {
	return p.after(ctx)(p.TicketStore.Resume(ctx, by, id, note))
}

func (p PublishingTickets) Fulfil(ctx context.Context, by TicketCaller, id int64, f Fulfilment) (*Ticket, error) {
	return p.after(ctx)(p.TicketStore.Fulfil(ctx, by, id, f))
}

func (p PublishingTickets) CloseTicket(ctx context.Context, by TicketCaller, id int64, note string) (*Ticket, error) {
	return p.after(ctx)(p.TicketStore.CloseTicket(ctx, by, id, note))
}

func (p PublishingTickets) Reject(ctx context.Context, by TicketCaller, id int64, reason string) (*Ticket, error) {
	return p.after(ctx)(p.TicketStore.Reject(ctx, by, id, reason))
}

func (p PublishingTickets) Withdraw(ctx context.Context, token, reason string) (*Ticket, error) {
	return p.after(ctx)(p.TicketStore.Withdraw(ctx, token, reason))
}
