package webhooks

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/bmkg/mkggraph/dataloaders"
	"github.com/bmkg/mkggraph/mkg"
)

// runTimeout bounds one document's run for one event.
const runTimeout = 10 * time.Second

// session is a webhook's mkg.EventSession: its subscription is run for
// one event (none: a dry run) under the account's current rights.
type session struct {
	refresh   func(ctx context.Context) (*mkg.Principal, error)
	principal *mkg.LivePrincipal
	loaders   *dataloaders.Live
	ev        mkg.Event
	hasEvent  bool
	started   bool
}

var _ mkg.EventSession = (*session)(nil)

func (s *session) Refresh(ctx context.Context) error {
	p, err := s.refresh(ctx)
	if err != nil {
		return err
	}
	s.principal.Set(p)
	s.loaders.Renew()
	return nil
}

func (s *session) Start() (func(), error) {
	s.started = true
	return func() {}, nil
}

func (s *session) End(mkg.SessionEnd, string) {}

func (s *session) Event() (mkg.Event, bool) { return s.ev, s.hasEvent }

// run executes document for ev (nil: a dry run) as p's account, returning
// the event's message (nil: the document did not select the event) and
// the document's errors as the executor gave them, if it refused it.
func (s *Service) run(ctx context.Context, p *mkg.Principal, document string, ev *mkg.Event) (*graphql.Response, gqlErrors) {
	ss := &session{principal: mkg.NewLivePrincipal(p), loaders: dataloaders.NewLive(s.loaders, dataloaders.Options{}),
		refresh: func(ctx context.Context) (*mkg.Principal, error) {
			if ev == nil {
				return p, nil
			}
			return s.accounts.PrincipalOfAccount(ctx, p.Account.ID)
		}}
	if ev != nil {
		ss.ev, ss.hasEvent = *ev, true
	}
	ctx = mkg.WithSession(ctx, ss)
	ctx = mkg.WithLivePrincipal(ctx, ss.principal)
	ctx = dataloaders.WithLive(ctx, ss.loaders)
	ctx = graphql.StartOperationTrace(ctx)
	now := time.Now()
	params := &graphql.RawParams{Query: document, ReadTime: graphql.TraceTiming{Start: now, End: now}}
	oc, errs := s.Exec.CreateOperationContext(ctx, params)
	if errs != nil {
		return nil, gqlErrors{errs: errs}
	}
	if oc.Operation == nil || oc.Operation.Operation != ast.Subscription {
		return nil, gqlErrors{notSubscription: true}
	}
	responses, ctx := s.Exec.DispatchOperation(ctx, oc)
	resp := responses(ctx)
	if !ss.started { // refused at subscribe (a filter, a role): its errors
		if resp == nil {
			return nil, gqlErrors{refused: true}
		}
		return nil, gqlErrors{errs: resp.Errors, refused: true}
	}
	return resp, gqlErrors{}
}

// gqlErrors is why a document was not run.
type gqlErrors struct {
	errs            []*gqlerror.Error
	notSubscription bool
	refused         bool
}

func (g gqlErrors) failed() bool { return g.errs != nil || g.notSubscription || g.refused }

// checkDocument runs document once without an event, as p: what a
// subscription is refused for at its start (syntax, validation, depth,
// cost, a filter, the caller's role) is BAD_USER_INPUT on "document"
// here, with the first reason.
func (s *Service) checkDocument(ctx context.Context, p *mkg.Principal, document string) error {
	if len(document) > mkg.MaxWebhookDocument {
		return mkg.Invalid("document", "the document is longer than %d bytes", mkg.MaxWebhookDocument)
	}
	ctx, cancel := context.WithTimeout(ctx, runTimeout)
	defer cancel()
	_, g := s.run(ctx, p, document, nil)
	switch {
	case g.notSubscription:
		return mkg.Invalid("document", "the document must be one subscription operation (subscription { … })")
	case len(g.errs) > 0:
		e := g.errs[0]
		msg := e.Message
		if f, ok := e.Extensions["field"].(string); ok && f != "" {
			msg = f + ": " + msg
		}
		err := mkg.Invalid("document", "%s", msg)
		if code, ok := e.Extensions["code"].(string); ok && code != "" {
			err.Extra = map[string]any{"reason": code}
		}
		return err
	case g.refused:
		return mkg.Invalid("document", "the subscription was refused")
	}
	return nil
}

// payload is what is POSTed for a response: the GraphQL response, as a
// subscription's message.
func payload(resp *graphql.Response) (string, error) {
	b, err := json.Marshal(resp)
	if err != nil {
		return "", fmt.Errorf("webhook payload: %w", err)
	}
	return string(b), nil
}
