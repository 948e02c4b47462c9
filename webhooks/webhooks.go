// Package webhooks delivers partners' subscriptions to their own servers.
// A webhook is a GraphQL subscription document and a callback URL; for
// each event on the bus, the Dispatcher runs every active webhook's
// document under its account's rights as they are at that moment, exactly
// as a WebSocket subscription would (mkg.EventSession), and queues the
// result in the database; the delivery Worker (notify.Worker, the ticket
// e-mails' outbox loop) POSTs it, signed, retrying with backoff, and
// pauses a webhook whose receiver keeps failing.
package webhooks

import (
	"context"
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"log/slog"
	"net"
	"net/netip"
	"strings"
	"time"

	"github.com/99designs/gqlgen/graphql"

	"github.com/bmkg/mkggraph/dataloaders"
	"github.com/bmkg/mkggraph/internal/netguard"
	"github.com/bmkg/mkggraph/mkg"
)

// Accounts gives the rights of a webhook's account as they stand now
// (authn.Authenticator).
type Accounts interface {
	// PrincipalOfAccount fails when the account may no longer be served
	// (revoked, expired, suspended, gone).
	PrincipalOfAccount(ctx context.Context, id int64) (*mkg.Principal, error)
}

// Options are the webhooks' settings; zero values take the defaults.
type Options struct {
	// AllowHTTP accepts http:// callback URLs (tests); else https:// only.
	AllowHTTP bool
	// AllowPrivate lets callbacks reach loopback, private and link-local
	// addresses (tests, partners inside the agency's network).
	AllowPrivate bool
	// PauseAfter pauses a webhook after this many failed deliveries in a
	// row; default 10.
	PauseAfter int
	// Timeout bounds one delivery, response included; default 10 s.
	Timeout time.Duration
	// FirstRetry is the wait after a first failure, doubled after each
	// further one up to MaxRetry (with jitter); defaults 10 s and 1 h.
	FirstRetry, MaxRetry time.Duration
	// Interval is how often the outbox is polled; default 1 s.
	Interval time.Duration
	// SecretKey seals the webhooks' secrets in the database (AES-256-GCM
	// under its SHA-256); "" stores them unsealed.
	SecretKey string
	// Delivered, when set, is told of each attempt's outcome: "delivered",
	// "failed" or "paused" (the server's metrics).
	Delivered func(outcome string)
	Now       func() time.Time
}

func (o *Options) defaults() {
	o.PauseAfter = cmpOr(o.PauseAfter, 10)
	o.Timeout = cmpOr(o.Timeout, 10*time.Second)
	o.FirstRetry = cmpOr(o.FirstRetry, 10*time.Second)
	o.MaxRetry = cmpOr(o.MaxRetry, time.Hour)
	o.Interval = cmpOr(o.Interval, time.Second)
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Delivered == nil {
		o.Delivered = func(string) {}
	}
}

func cmpOr[T int | time.Duration](v, def T) T {
	if v <= 0 {
		return def
	}
	return v
}

// Service is what the API does with webhooks: register, list, pause,
// rotate, delete, each for the caller's own webhooks (admins: anyone's).
// Another account's webhook is NOT_FOUND, never FORBIDDEN.
type Service struct {
	store    mkg.WebhookStore
	accounts Accounts
	loaders  dataloaders.Reader
	log      *slog.Logger
	opts     Options
	// Exec runs documents: the server's executor, set once it is built
	// (it is built over the resolvers, which hold this service).
	Exec graphql.GraphExecutor
	// changed tells this instance's dispatcher to read the webhooks again.
	changed chan struct{}
	// queued wakes this instance's delivery worker: a delivery was queued.
	queued chan struct{}
}

// New returns a Service; log may be nil.
func New(store mkg.WebhookStore, accounts Accounts, loaders dataloaders.Reader, log *slog.Logger, opts Options) *Service {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	opts.defaults()
	return &Service{store: store, accounts: accounts, loaders: loaders, log: log, opts: opts, changed: make(chan struct{}, 1),
		queued: make(chan struct{}, 1)}
}

func (s *Service) touched() { signal(s.changed) }

// signal tells a waiting loop, without waiting for it.
func signal(c chan struct{}) {
	select {
	case c <- struct{}{}:
	default:
	}
}

// caller is the account a webhook operation acts for.
func caller(ctx context.Context) (*mkg.Principal, error) {
	p := mkg.PrincipalFrom(ctx)
	if p.Anonymous() {
		return nil, &mkg.Error{Code: mkg.EUNAUTHENTICATED, Message: "webhooks belong to an account: send Authorization: Bearer <key>"}
	}
	return p, nil
}

// Create registers a webhook for the caller's account after checking its
// document (as a subscription would be checked, under the caller's rights)
// and its callback URL ("": the account's application's, from its access
// request); it returns the secret, shown this once.
func (s *Service) Create(ctx context.Context, document, callbackURL string) (*mkg.Webhook, string, error) {
	p, err := caller(ctx)
	if err != nil {
		return nil, "", err
	}
	if p.Account.Status != mkg.AccountActive {
		return nil, "", &mkg.Error{Code: mkg.EFORBIDDEN, Message: "the account is not active: its webhooks would deliver nothing"}
	}
	if strings.TrimSpace(callbackURL) == "" {
		callbackURL = p.Account.Application.CallbackURL
	}
	if strings.TrimSpace(callbackURL) == "" {
		return nil, "", mkg.Invalid("callbackUrl", "give a callbackUrl: the account's application has no callback URL")
	}
	if err := s.checkURL(ctx, "callbackUrl", callbackURL); err != nil {
		return nil, "", err
	}
	if err := s.checkDocument(ctx, p, document); err != nil {
		return nil, "", err
	}
	secret := mkg.NewWebhookSecret()
	sealed, err := s.seal(secret)
	if err != nil {
		return nil, "", err
	}
	w, err := s.store.CreateWebhook(ctx, p.Account.ID, document, strings.TrimSpace(callbackURL), sealed, s.opts.Now())
	if err != nil {
		return nil, "", err
	}
	s.touched()
	return w, secret, nil
}

// Webhook returns one of the caller's webhooks.
func (s *Service) Webhook(ctx context.Context, id int64) (*mkg.Webhook, error) {
	p, err := caller(ctx)
	if err != nil {
		return nil, err
	}
	w, err := s.store.Webhook(ctx, id)
	if err != nil {
		return nil, err
	}
	if !w.VisibleTo(p) {
		return nil, mkg.NotFound("webhook")
	}
	return w, nil
}

// List returns the caller's webhooks by id after afterID; an admin's
// accountID (0: every account's) chooses whose. A partner's accountID
// other than its own is FORBIDDEN.
func (s *Service) List(ctx context.Context, accountID, afterID int64, limit int) ([]*mkg.Webhook, error) {
	p, err := caller(ctx)
	if err != nil {
		return nil, err
	}
	if !p.Account.HasRole(mkg.RoleAdmin) {
		if accountID != 0 && accountID != p.Account.ID {
			return nil, &mkg.Error{Code: mkg.EFORBIDDEN, Message: "only admins list other accounts' webhooks"}
		}
		accountID = p.Account.ID
	}
	return s.store.Webhooks(ctx, accountID, afterID, limit)
}

// SetPaused pauses or resumes one of the caller's webhooks; resuming
// clears its failures, and its queued deliveries are tried again.
func (s *Service) SetPaused(ctx context.Context, id int64, paused bool) (*mkg.Webhook, error) {
	if _, err := s.Webhook(ctx, id); err != nil {
		return nil, err
	}
	w, err := s.store.SetWebhookPaused(ctx, id, paused, "paused by its owner", s.opts.Now())
	s.touched()
	return w, err
}

// RotateSecret gives one of the caller's webhooks a new secret, returned
// this once; deliveries are signed with it from the next attempt on.
func (s *Service) RotateSecret(ctx context.Context, id int64) (*mkg.Webhook, string, error) {
	if _, err := s.Webhook(ctx, id); err != nil {
		return nil, "", err
	}
	secret := mkg.NewWebhookSecret()
	sealed, err := s.seal(secret)
	if err != nil {
		return nil, "", err
	}
	w, err := s.store.SetWebhookSecret(ctx, id, sealed, s.opts.Now())
	return w, secret, err
}

// Delete deletes one of the caller's webhooks and its deliveries.
func (s *Service) Delete(ctx context.Context, id int64) error {
	if _, err := s.Webhook(ctx, id); err != nil {
		return err
	}
	err := s.store.DeleteWebhook(ctx, id)
	s.touched()
	return err
}

// Deliveries returns a page of a webhook's delivery history, newest first
// (the webhook was read by the caller: its visibility is checked).
func (s *Service) Deliveries(ctx context.Context, w *mkg.Webhook, beforeID int64, limit int) ([]mkg.WebhookDelivery, error) {
	return s.store.WebhookDeliveries(ctx, w.ID, beforeID, min(limit, mkg.MaxWebhookDeliveries))
}

// checkURL checks a callback URL as written, and that its host's
// addresses may be reached (the dialer checks again at each connection,
// so a name re-pointed later is refused then).
func (s *Service) checkURL(ctx context.Context, field, raw string) error {
	u, err := mkg.CheckCallbackURL(field, raw, s.opts.AllowHTTP)
	if err != nil || s.opts.AllowPrivate {
		return err
	}
	host := u.Hostname()
	if ip, err := netip.ParseAddr(host); err == nil {
		if !netguard.Allowed(ip) {
			return mkg.Invalid(field, "%s is not a public address (loopback, private and link-local addresses are refused)", ip)
		}
		return nil
	}
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	ips, err := net.DefaultResolver.LookupNetIP(ctx, "ip", host)
	if err != nil || len(ips) == 0 {
		return mkg.Invalid(field, "the host %q does not resolve", host)
	}
	for _, ip := range ips {
		if !netguard.Allowed(ip) {
			return mkg.Invalid(field, "the host %q resolves to %s, which is not a public address", host, ip)
		}
	}
	return nil
}

// seal protects a secret for the database: "v1:" and AES-256-GCM (nonce,
// sealed secret) in base64 when a key is configured, else "plain:".
func (s *Service) seal(secret string) (string, error) {
	if s.opts.SecretKey == "" {
		return "plain:" + secret, nil
	}
	aead, err := s.aead()
	if err != nil {
		return "", err
	}
	nonce := make([]byte, aead.NonceSize())
	rand.Read(nonce)
	return "v1:" + base64.RawStdEncoding.EncodeToString(aead.Seal(nonce, nonce, []byte(secret), nil)), nil
}

// open returns a sealed secret.
func (s *Service) open(sealed string) (string, error) {
	if v, ok := strings.CutPrefix(sealed, "plain:"); ok {
		return v, nil
	}
	v, ok := strings.CutPrefix(sealed, "v1:")
	if !ok || s.opts.SecretKey == "" {
		return "", errors.New("the webhook's secret is sealed and no -webhooks-secret-key is set")
	}
	raw, err := base64.RawStdEncoding.DecodeString(v)
	if err != nil {
		return "", errors.New("the webhook's secret is damaged")
	}
	aead, err := s.aead()
	if err != nil {
		return "", err
	}
	if len(raw) < aead.NonceSize() {
		return "", errors.New("the webhook's secret is damaged")
	}
	plain, err := aead.Open(nil, raw[:aead.NonceSize()], raw[aead.NonceSize():], nil)
	if err != nil {
		return "", errors.New("the webhook's secret does not open with -webhooks-secret-key (was the key changed?)")
	}
	return string(plain), nil
}

func (s *Service) aead() (cipher.AEAD, error) {
	key := sha256.Sum256([]byte(s.opts.SecretKey))
	block, err := aes.NewCipher(key[:])
	if err != nil {
		return nil, err
	}
	return cipher.NewGCM(block)
}
