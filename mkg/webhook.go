package mkg

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// Webhook is a partner's subscription delivered to its own server: a
// GraphQL subscription document, executed for each event under the
// account's rights as they are at that moment, its result POSTed to the
// callback URL, signed with the webhook's secret.
type Webhook struct {
	ID          int64
	AccountID   int64
	Document    string // the subscription document
	CallbackURL string
	Paused      bool
	// PausedReason says why deliveries stopped: the partner paused it, or
	// the receiver failed PauseAfter times in a row (with the last error).
	PausedReason string
	Failures     int // consecutive failed attempts
	LastError    string
	CreatedAt    time.Time
	UpdatedAt    time.Time
}

// VisibleTo reports whether p may see and change the webhook: its own
// account's, or an admin. Others are told it does not exist.
func (w *Webhook) VisibleTo(p *Principal) bool {
	return !p.Anonymous() && (p.Account.ID == w.AccountID || p.Account.HasRole(RoleAdmin))
}

// WebhookDelivery is one event's result queued for a webhook, as its
// history shows it. Its ID is the delivery id receivers deduplicate on:
// the same in every retry.
type WebhookDelivery struct {
	ID          int64
	WebhookID   int64
	Payload     string // the JSON POSTed
	CreatedAt   time.Time
	Attempts    int
	NextAttempt time.Time
	DeliveredAt *time.Time
	LastStatus  int // the receiver's last HTTP status, 0 when none came
	LastError   string
}

// WebhookJob is a claimed delivery with what sending it needs.
type WebhookJob struct {
	WebhookDelivery
	CallbackURL string
	Secret      string // sealed, as stored
	Failures    int    // the webhook's failures in a row when claimed
}

// Webhook limits.
const (
	MaxWebhooksPerAccount = 20
	MaxWebhookDocument    = 16 << 10 // bytes of a subscription document
	MaxCallbackURL        = 2048
	MaxWebhookDeliveries  = 100 // one page of a delivery history
	// MaxPendingDeliveries bounds the deliveries waiting for one webhook
	// (a paused one, a receiver down for long): later events are dropped.
	MaxPendingDeliveries = 1000
	// WebhookHistory is how long delivered deliveries are kept.
	WebhookHistory = 7 * 24 * time.Hour
	// WebhookReplayWindow is how far from now a receiver should accept a
	// delivery's timestamp (the README's verification recipe).
	WebhookReplayWindow = 5 * time.Minute
)

// WebhookStore keeps webhooks and their delivery outbox.
type WebhookStore interface {
	// CreateWebhook stores an ACTIVE webhook with its sealed secret;
	// CONFLICT when the account has MaxWebhooksPerAccount already.
	CreateWebhook(ctx context.Context, accountID int64, document, callbackURL, sealedSecret string, now time.Time) (*Webhook, error)
	// Webhook returns one webhook; NOT_FOUND when there is none.
	Webhook(ctx context.Context, id int64) (*Webhook, error)
	// Webhooks returns up to limit webhooks by id after afterID, of one
	// account (accountID > 0) or all.
	Webhooks(ctx context.Context, accountID int64, afterID int64, limit int) ([]*Webhook, error)
	// ActiveWebhooks returns every webhook that is not paused (at most
	// MaxWebhooksPerAccount per account).
	ActiveWebhooks(ctx context.Context) ([]*Webhook, error)
	// SetWebhookPaused pauses (with reason) or resumes a webhook; resuming
	// clears its failures. NOT_FOUND when there is none.
	SetWebhookPaused(ctx context.Context, id int64, paused bool, reason string, now time.Time) (*Webhook, error)
	// SetWebhookSecret replaces the sealed secret. NOT_FOUND when there is
	// none.
	SetWebhookSecret(ctx context.Context, id int64, sealedSecret string, now time.Time) (*Webhook, error)
	// DeleteWebhook deletes a webhook and its deliveries. NOT_FOUND when
	// there is none.
	DeleteWebhook(ctx context.Context, id int64) error
	// EnqueueWebhookDelivery queues payload for the webhook, once per
	// event key: every instance may enqueue the same event (each hears it
	// through the bus), one row is kept. It reports whether it was added:
	// not when the event was queued already, nor when the webhook has
	// maxPending deliveries waiting (MaxPendingDeliveries).
	EnqueueWebhookDelivery(ctx context.Context, webhookID int64, eventKey, payload string, now time.Time, maxPending int) (bool, error)
	// PruneWebhookDeliveries deletes the deliveries delivered before
	// before, and returns how many.
	PruneWebhookDeliveries(ctx context.Context, before time.Time) (int64, error)
	// ClaimWebhookDeliveries is the outbox's claim (notify.Queue): due,
	// undelivered deliveries of webhooks that are not paused, longest due
	// first.
	ClaimWebhookDeliveries(ctx context.Context, now, until time.Time, limit int) ([]WebhookJob, error)
	// WebhookDelivered records a delivery accepted by the receiver, and
	// clears its webhook's failures.
	WebhookDelivered(ctx context.Context, job WebhookJob, at time.Time, status int) error
	// WebhookDeliveryFailed records a failed attempt (due again at next)
	// and counts it against the webhook, which is paused, with the error
	// as its reason, at pauseAfter failures in a row.
	WebhookDeliveryFailed(ctx context.Context, job WebhookJob, at time.Time, status int, errText string, next time.Time, pauseAfter int) error
	// WebhookDeliveries returns up to limit deliveries of a webhook, newest
	// first, before beforeID (0: from the newest).
	WebhookDeliveries(ctx context.Context, webhookID, beforeID int64, limit int) ([]WebhookDelivery, error)
}

// CheckCallbackURL checks a webhook's callback URL as written: an absolute
// https:// URL (http:// only when allowHTTP), with a host, no user or
// password, no fragment. Whether its host's addresses may be reached is
// the delivering adapter's check (at registration and at each connection).
func CheckCallbackURL(field, raw string, allowHTTP bool) (*url.URL, error) {
	if len(raw) > MaxCallbackURL {
		return nil, Invalid(field, "the URL is longer than %d bytes", MaxCallbackURL)
	}
	u, err := url.Parse(strings.TrimSpace(raw))
	switch {
	case err != nil || !u.IsAbs() || u.Host == "" || u.Hostname() == "":
		return nil, Invalid(field, "not an absolute URL (https://host/path)")
	case u.Scheme == "http" && !allowHTTP:
		return nil, Invalid(field, "the callback URL must be https:// (http:// is allowed only by the server's -webhooks-allow-http)")
	case u.Scheme != "https" && u.Scheme != "http":
		return nil, Invalid(field, "the callback URL must be https://")
	case u.User != nil:
		return nil, Invalid(field, "the callback URL must not carry a user or password")
	case u.Fragment != "":
		return nil, Invalid(field, "the callback URL must not carry a #fragment")
	}
	return u, nil
}

// NewWebhookSecret returns a new random secret, as shown (once) to the
// partner and used as the HMAC key: "whsec_" and 32 random bytes.
func NewWebhookSecret() string {
	b := make([]byte, 32)
	rand.Read(b) // never fails (crypto/rand)
	return "whsec_" + base64.RawURLEncoding.EncodeToString(b)
}

// WebhookSignature is the signature header's value for a body sent at
// timestamp (Unix seconds): "sha256=" and the hex of
// HMAC-SHA256(secret, timestamp + "." + body).
func WebhookSignature(secret string, timestamp int64, body []byte) string {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte(strconv.FormatInt(timestamp, 10) + "."))
	m.Write(body)
	return "sha256=" + hex.EncodeToString(m.Sum(nil))
}

// VerifyWebhook is the receiver's check (the README's recipe, in Go): the
// signature matches and the timestamp is within WebhookReplayWindow of now.
func VerifyWebhook(secret, timestamp, signature string, body []byte, now time.Time) bool {
	ts, err := strconv.ParseInt(timestamp, 10, 64)
	if err != nil {
		return false
	}
	if d := now.Sub(time.Unix(ts, 0)); d > WebhookReplayWindow || d < -WebhookReplayWindow {
		return false
	}
	return hmac.Equal([]byte(WebhookSignature(secret, ts, body)), []byte(signature))
}

// Key identifies the event among all events, the same on every instance
// that hears it (a webhook's delivery of it is queued once).
func (ev Event) Key() string {
	ev.At = ev.At.UTC()
	b, _ := json.Marshal(ev) // plain data: cannot fail
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:16])
}
