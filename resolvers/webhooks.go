package resolvers

import (
	"context"
	"strconv"

	"github.com/bmkg/mkggraph/mkg"
)

// WebhookService is what the API does with webhooks (webhooks.Service):
// each call acts for the caller, on its own webhooks (admins: anyone's);
// another account's webhook is NOT_FOUND.
type WebhookService interface {
	// Create checks the document (BAD_USER_INPUT on "document") and the
	// URL (on "callbackUrl") and returns the webhook and its secret.
	Create(ctx context.Context, document, callbackURL string) (*mkg.Webhook, string, error)
	Webhook(ctx context.Context, id int64) (*mkg.Webhook, error)
	// List returns up to limit webhooks by id after afterID; accountID
	// (0: all) is an admin's choice, FORBIDDEN to others but their own.
	List(ctx context.Context, accountID, afterID int64, limit int) ([]*mkg.Webhook, error)
	SetPaused(ctx context.Context, id int64, paused bool) (*mkg.Webhook, error)
	RotateSecret(ctx context.Context, id int64) (*mkg.Webhook, string, error)
	Delete(ctx context.Context, id int64) error
	// Deliveries returns a page of w's history, newest first, before
	// beforeID (0: the newest).
	Deliveries(ctx context.Context, w *mkg.Webhook, beforeID int64, limit int) ([]mkg.WebhookDelivery, error)
}

// maxWebhooksPage bounds a page of webhooks.
const maxWebhooksPage = 100

func (r *Resolver) webhooks() (WebhookService, error) {
	if r.Webhooks == nil {
		return nil, &mkg.Error{Code: mkg.EUNAVAILABLE, Message: "webhooks are not available on this server"}
	}
	return r.Webhooks, nil
}

// webhookID reads a webhook's or a delivery's id: a number, as in the
// delivery headers. Anything else names nothing: NOT_FOUND.
func webhookID(s, kind string) (int64, error) {
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n <= 0 {
		return 0, mkg.NotFound(kind)
	}
	return n, nil
}

// optionalID reads an optional cursor id (0 when absent).
func optionalID(s *string, field string) (int64, error) {
	if s == nil || *s == "" {
		return 0, nil
	}
	n, err := strconv.ParseInt(*s, 10, 64)
	if err != nil || n <= 0 {
		return 0, mkg.Invalid(field, "%q is not an id from this list", *s)
	}
	return n, nil
}

// pageSize checks first against 1..maximum.
func pageSize(first *int, def, maximum int) (int, error) {
	if first == nil {
		return def, nil
	}
	if *first < 0 || *first > maximum {
		return 0, mkg.Invalid("first", "first must be between 0 and %d (got %d)", maximum, *first)
	}
	return *first, nil
}

func (r *Resolver) webhookAction(ctx context.Context, id string, do func(WebhookService, int64) (*mkg.Webhook, error)) (*mkg.Webhook, error) {
	svc, err := r.webhooks()
	if err != nil {
		return nil, err
	}
	n, err := webhookID(id, "webhook")
	if err != nil {
		return nil, err
	}
	return do(svc, n)
}
