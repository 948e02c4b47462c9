package sqlstore

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/bmkg/mkggraph/mkg"
)

var _ mkg.WebhookStore = (*Store)(nil)

const webhookColumns = `id, account_id, document, callback_url, paused, paused_reason, failures, last_error, created_at, updated_at`

type webhookRow struct {
	ID           int64  `db:"id"`
	AccountID    int64  `db:"account_id"`
	Document     string `db:"document"`
	CallbackURL  string `db:"callback_url"`
	Paused       bool   `db:"paused"`
	PausedReason string `db:"paused_reason"`
	Failures     int    `db:"failures"`
	LastError    string `db:"last_error"`
	CreatedAt    dbTime `db:"created_at"`
	UpdatedAt    dbTime `db:"updated_at"`
}

func (r webhookRow) webhook() *mkg.Webhook {
	return &mkg.Webhook{ID: r.ID, AccountID: r.AccountID, Document: r.Document, CallbackURL: r.CallbackURL, Paused: r.Paused,
		PausedReason: r.PausedReason, Failures: r.Failures, LastError: r.LastError, CreatedAt: r.CreatedAt.Time, UpdatedAt: r.UpdatedAt.Time}
}

func (s *Store) selectWebhooks(ctx context.Context, query string, args ...any) ([]*mkg.Webhook, error) {
	var rows []webhookRow
	if err := sqlx.SelectContext(ctx, s.q(), &rows, s.rebind(query), args...); err != nil {
		return nil, s.wrap(err)
	}
	out := make([]*mkg.Webhook, len(rows))
	for i, r := range rows {
		out[i] = r.webhook()
	}
	return out, nil
}

// CreateWebhook implements mkg.WebhookStore in one statement: the row is
// inserted only while the account has fewer than MaxWebhooksPerAccount.
func (s *Store) CreateWebhook(ctx context.Context, accountID int64, document, callbackURL, sealedSecret string, now time.Time) (*mkg.Webhook, error) {
	ws, err := s.selectWebhooks(ctx, `INSERT INTO webhooks (account_id, document, callback_url, secret, created_at, updated_at)
		SELECT ?, ?, ?, ?, ?, ? WHERE (SELECT COUNT(*) FROM webhooks WHERE account_id = ?) < ?
		RETURNING `+webhookColumns, accountID, document, callbackURL, sealedSecret, dbTime{now}, dbTime{now},
		accountID, mkg.MaxWebhooksPerAccount)
	if err != nil {
		return nil, err
	}
	if len(ws) == 0 {
		return nil, &mkg.Error{Code: mkg.ECONFLICT, Message: fmt.Sprintf("an account may have at most %d webhooks; delete one first", mkg.MaxWebhooksPerAccount)}
	}
	return ws[0], nil
}

// Webhook implements mkg.WebhookStore.
func (s *Store) Webhook(ctx context.Context, id int64) (*mkg.Webhook, error) {
	ws, err := s.selectWebhooks(ctx, `SELECT `+webhookColumns+` FROM webhooks WHERE id = ?`, id)
	if err != nil {
		return nil, err
	}
	if len(ws) == 0 {
		return nil, mkg.NotFound("webhook")
	}
	return ws[0], nil
}

// Webhooks implements mkg.WebhookStore.
func (s *Store) Webhooks(ctx context.Context, accountID, afterID int64, limit int) ([]*mkg.Webhook, error) {
	return s.selectWebhooks(ctx, `SELECT `+webhookColumns+` FROM webhooks WHERE (? = 0 OR account_id = ?) AND id > ?
		ORDER BY id LIMIT ?`, accountID, accountID, afterID, limit)
}

// ActiveWebhooks implements mkg.WebhookStore.
func (s *Store) ActiveWebhooks(ctx context.Context) ([]*mkg.Webhook, error) {
	return s.selectWebhooks(ctx, `SELECT `+webhookColumns+` FROM webhooks WHERE NOT paused ORDER BY id`)
}

// SetWebhookPaused implements mkg.WebhookStore.
func (s *Store) SetWebhookPaused(ctx context.Context, id int64, paused bool, reason string, now time.Time) (*mkg.Webhook, error) {
	if !paused {
		reason = ""
	}
	return s.updateWebhook(ctx, id, `paused = ?, paused_reason = ?, failures = 0, updated_at = ?`, paused, reason, dbTime{now})
}

// SetWebhookSecret implements mkg.WebhookStore.
func (s *Store) SetWebhookSecret(ctx context.Context, id int64, sealedSecret string, now time.Time) (*mkg.Webhook, error) {
	return s.updateWebhook(ctx, id, `secret = ?, updated_at = ?`, sealedSecret, dbTime{now})
}

func (s *Store) updateWebhook(ctx context.Context, id int64, set string, args ...any) (*mkg.Webhook, error) {
	ws, err := s.selectWebhooks(ctx, `UPDATE webhooks SET `+set+` WHERE id = ? RETURNING `+webhookColumns, append(args, id)...)
	if err != nil {
		return nil, err
	}
	if len(ws) == 0 {
		return nil, mkg.NotFound("webhook")
	}
	return ws[0], nil
}

// DeleteWebhook implements mkg.WebhookStore; the deliveries go with it
// (ON DELETE CASCADE, deleted explicitly too for SQLite connections
// without foreign keys).
func (s *Store) DeleteWebhook(ctx context.Context, id int64) error {
	return s.tx(ctx, func(q sqlx.ExtContext) error {
		if _, err := q.ExecContext(ctx, s.rebind(`DELETE FROM webhook_deliveries WHERE webhook_id = ?`), id); err != nil {
			return s.wrap(err)
		}
		res, err := q.ExecContext(ctx, s.rebind(`DELETE FROM webhooks WHERE id = ?`), id)
		if err != nil {
			return s.wrap(err)
		}
		if n, err := res.RowsAffected(); err != nil || n == 0 {
			return cmpErr(s.wrap(err), mkg.NotFound("webhook"))
		}
		return nil
	})
}

func cmpErr(err error, otherwise error) error {
	if err != nil {
		return err
	}
	return otherwise
}

// EnqueueWebhookDelivery implements mkg.WebhookStore in one statement.
func (s *Store) EnqueueWebhookDelivery(ctx context.Context, webhookID int64, eventKey, payload string, now time.Time, maxPending int) (bool, error) {
	res, err := s.q().ExecContext(ctx, s.rebind(`INSERT INTO webhook_deliveries (webhook_id, event_key, payload, created_at, next_attempt_at)
		SELECT ?, ?, ?, ?, ? WHERE (SELECT COUNT(*) FROM webhook_deliveries WHERE webhook_id = ? AND delivered_at IS NULL) < ?
		ON CONFLICT (webhook_id, event_key) DO NOTHING`), webhookID, eventKey, payload, dbTime{now}, dbTime{now},
		webhookID, maxPending)
	if err != nil {
		return false, s.wrap(err)
	}
	n, err := res.RowsAffected()
	return n == 1, s.wrap(err)
}

// PruneWebhookDeliveries implements mkg.WebhookStore.
func (s *Store) PruneWebhookDeliveries(ctx context.Context, before time.Time) (int64, error) {
	res, err := s.q().ExecContext(ctx, s.rebind(`DELETE FROM webhook_deliveries WHERE delivered_at IS NOT NULL AND delivered_at < ?`), dbTime{before})
	if err != nil {
		return 0, s.wrap(err)
	}
	n, err := res.RowsAffected()
	return n, s.wrap(err)
}

const deliveryColumns = `id, webhook_id, payload, created_at, attempts, next_attempt_at, delivered_at, last_status, last_error`

type deliveryRow struct {
	ID          int64      `db:"id"`
	WebhookID   int64      `db:"webhook_id"`
	Payload     string     `db:"payload"`
	CreatedAt   dbTime     `db:"created_at"`
	Attempts    int        `db:"attempts"`
	NextAttempt dbTime     `db:"next_attempt_at"`
	DeliveredAt dbNullTime `db:"delivered_at"`
	LastStatus  int        `db:"last_status"`
	LastError   string     `db:"last_error"`
	CallbackURL string     `db:"callback_url"`
	Secret      string     `db:"secret"`
}

func (r deliveryRow) delivery() mkg.WebhookDelivery {
	return mkg.WebhookDelivery{ID: r.ID, WebhookID: r.WebhookID, Payload: r.Payload, CreatedAt: r.CreatedAt.Time, Attempts: r.Attempts,
		NextAttempt: r.NextAttempt.Time, DeliveredAt: r.DeliveredAt.Time, LastStatus: r.LastStatus, LastError: r.LastError}
}

// ClaimWebhookDeliveries implements mkg.WebhookStore like
// ClaimNotifications: the due rows are moved to until as they are claimed,
// in one statement; then their webhooks' URLs and secrets are read. The
// due rows are found, longest due first, in webhook_deliveries_due (the
// undelivered rows by next attempt): in id order they would be found by
// walking every delivered row kept before them.
func (s *Store) ClaimWebhookDeliveries(ctx context.Context, now, until time.Time, limit int) ([]mkg.WebhookJob, error) {
	if limit <= 0 {
		return nil, nil
	}
	var rows []deliveryRow
	err := sqlx.SelectContext(ctx, s.q(), &rows, s.rebind(`UPDATE webhook_deliveries SET next_attempt_at = ?
		WHERE delivered_at IS NULL AND next_attempt_at <= ? AND id IN (SELECT d.id FROM webhook_deliveries d
			JOIN webhooks w ON w.id = d.webhook_id
			WHERE d.delivered_at IS NULL AND NOT w.paused AND d.next_attempt_at <= ? ORDER BY d.next_attempt_at LIMIT ?)
		RETURNING `+deliveryColumns+`, '' AS callback_url, '' AS secret`), dbTime{until}, dbTime{now}, dbTime{now}, limit)
	if err != nil || len(rows) == 0 {
		return nil, s.wrap(err)
	}
	ids := make([]int64, 0, len(rows))
	for _, r := range rows {
		ids = append(ids, r.WebhookID)
	}
	var hooks []struct {
		ID          int64  `db:"id"`
		CallbackURL string `db:"callback_url"`
		Secret      string `db:"secret"`
		Failures    int    `db:"failures"`
	}
	if err := s.selectIn(ctx, s.q(), &hooks, `SELECT id, callback_url, secret, failures FROM webhooks WHERE id IN (?)`, ids); err != nil {
		return nil, err
	}
	byID := map[int64]int{}
	for i, h := range hooks {
		byID[h.ID] = i
	}
	out := make([]mkg.WebhookJob, 0, len(rows))
	for _, r := range rows {
		if i, ok := byID[r.WebhookID]; ok { // deleted meanwhile: its rows went too
			out = append(out, mkg.WebhookJob{WebhookDelivery: r.delivery(), CallbackURL: hooks[i].CallbackURL, Secret: hooks[i].Secret,
				Failures: hooks[i].Failures})
		}
	}
	slices.SortFunc(out, func(a, b mkg.WebhookJob) int { return cmp.Compare(a.ID, b.ID) })
	return out, nil
}

// WebhookDelivered implements mkg.WebhookStore in one transaction.
func (s *Store) WebhookDelivered(ctx context.Context, job mkg.WebhookJob, at time.Time, status int) error {
	return s.tx(ctx, func(q sqlx.ExtContext) error {
		if _, err := q.ExecContext(ctx, s.rebind(`UPDATE webhook_deliveries SET delivered_at = ?, attempts = attempts + 1,
			last_status = ?, last_error = '' WHERE id = ? AND delivered_at IS NULL`), dbTime{at}, status, job.ID); err != nil {
			return s.wrap(err)
		}
		_, err := q.ExecContext(ctx, s.rebind(`UPDATE webhooks SET failures = 0, last_error = '' WHERE id = ?`), job.WebhookID)
		return s.wrap(err)
	})
}

// WebhookDeliveryFailed implements mkg.WebhookStore in one transaction:
// the webhook's failures are counted, and it is paused when they reach
// pauseAfter.
func (s *Store) WebhookDeliveryFailed(ctx context.Context, job mkg.WebhookJob, at time.Time, status int, errText string, next time.Time, pauseAfter int) error {
	reason := fmt.Sprintf("paused after %d failed deliveries in a row; the last: %s", pauseAfter, errText)
	return s.tx(ctx, func(q sqlx.ExtContext) error {
		if _, err := q.ExecContext(ctx, s.rebind(`UPDATE webhook_deliveries SET attempts = attempts + 1, last_status = ?,
			last_error = ?, next_attempt_at = ? WHERE id = ? AND delivered_at IS NULL`), status, errText, dbTime{next}, job.ID); err != nil {
			return s.wrap(err)
		}
		_, err := q.ExecContext(ctx, s.rebind(`UPDATE webhooks SET failures = failures + 1, last_error = ?,
			paused = (paused OR failures + 1 >= ?),
			paused_reason = CASE WHEN NOT paused AND failures + 1 >= ? THEN ? ELSE paused_reason END,
			updated_at = CASE WHEN NOT paused AND failures + 1 >= ? THEN ? ELSE updated_at END
			WHERE id = ?`), errText, pauseAfter, pauseAfter, reason, pauseAfter, dbTime{at}, job.WebhookID)
		return s.wrap(err)
	})
}

// WebhookDeliveries implements mkg.WebhookStore.
func (s *Store) WebhookDeliveries(ctx context.Context, webhookID, beforeID int64, limit int) ([]mkg.WebhookDelivery, error) {
	var rows []deliveryRow
	err := sqlx.SelectContext(ctx, s.q(), &rows, s.rebind(`SELECT `+deliveryColumns+`, '' AS callback_url, '' AS secret
		FROM webhook_deliveries WHERE webhook_id = ? AND (? = 0 OR id < ?) ORDER BY id DESC LIMIT ?`),
		webhookID, beforeID, beforeID, limit)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return nil, s.wrap(err)
	}
	out := make([]mkg.WebhookDelivery, len(rows))
	for i, r := range rows {
		out[i] = r.delivery()
	}
	return out, nil
}
