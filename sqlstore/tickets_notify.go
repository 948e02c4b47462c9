package sqlstore

import (
	"cmp"
	"context"
	"slices"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/bmkg/mkggraph/mkg"
)

// The outbox: the applicant's message about each action
// (mkg.ApplicantMessage) is queued in the action's transaction and
// delivered by the notify worker.

// queueNotification puts the message to t's applicant about e (t as it
// stands after e) in the outbox.
func (s *Store) queueNotification(ctx context.Context, q sqlx.ExtContext, t *mkg.Ticket, e mkg.TicketEvent, now time.Time) error {
	subject, body := mkg.ApplicantMessage(t, e, s.standards)
	_, err := q.ExecContext(ctx, s.rebind(`INSERT INTO notifications (ticket_id, recipient, subject, body, created_at, next_attempt_at)
		VALUES (?, ?, ?, ?, ?, ?)`), t.ID, strings.TrimSpace(t.Applicant.Email), subject, body, dbTime{now}, dbTime{now})
	return s.wrap(err)
}

const notificationColumns = `id, ticket_id, recipient, subject, body, created_at, attempts, next_attempt_at, sent_at, last_error, failed_at`

type notificationRow struct {
	ID          int64      `db:"id"`
	TicketID    int64      `db:"ticket_id"`
	Recipient   string     `db:"recipient"`
	Subject     string     `db:"subject"`
	Body        string     `db:"body"`
	CreatedAt   dbTime     `db:"created_at"`
	Attempts    int        `db:"attempts"`
	NextAttempt dbTime     `db:"next_attempt_at"`
	SentAt      dbNullTime `db:"sent_at"`
	LastError   string     `db:"last_error"`
	FailedAt    dbNullTime `db:"failed_at"`
}

// PendingNotifications implements mkg.TicketStore in one statement.
func (s *Store) PendingNotifications(ctx context.Context, now time.Time, limit int) ([]mkg.Notification, error) {
	if limit <= 0 {
		return nil, nil
	}
	var rows []notificationRow
	err := sqlx.SelectContext(ctx, s.q(), &rows, s.rebind(`SELECT `+notificationColumns+` FROM notifications
		WHERE sent_at IS NULL AND failed_at IS NULL AND next_attempt_at <= ? ORDER BY created_at, id LIMIT ?`), dbTime{now}, limit)
	if err != nil {
		return nil, s.wrap(err)
	}
	return notifications(rows), nil
}

func notifications(rows []notificationRow) []mkg.Notification {
	out := make([]mkg.Notification, len(rows))
	for i, r := range rows {
		out[i] = mkg.Notification{ID: r.ID, TicketID: r.TicketID, To: r.Recipient, Subject: r.Subject, Body: r.Body,
			CreatedAt: r.CreatedAt.Time, Attempts: r.Attempts, NextAttempt: r.NextAttempt.Time, SentAt: r.SentAt.Time, LastError: r.LastError,
			FailedAt: r.FailedAt.Time}
	}
	return out
}

// ClaimNotifications implements mkg.TicketStore in one statement: the due
// rows are moved to until as they are returned. On PostgreSQL a concurrent
// claim that meets a row just claimed waits for it and then re-checks
// next_attempt_at, which no longer matches; on SQLite writes are serial.
func (s *Store) ClaimNotifications(ctx context.Context, now, until time.Time, limit int) ([]mkg.Notification, error) {
	if limit <= 0 {
		return nil, nil
	}
	var rows []notificationRow
	err := sqlx.SelectContext(ctx, s.q(), &rows, s.rebind(`UPDATE notifications SET next_attempt_at = ?
		WHERE sent_at IS NULL AND failed_at IS NULL AND next_attempt_at <= ? AND id IN (SELECT id FROM notifications
			WHERE sent_at IS NULL AND failed_at IS NULL AND next_attempt_at <= ? ORDER BY created_at, id LIMIT ?)
		RETURNING `+notificationColumns), dbTime{until}, dbTime{now}, dbTime{now}, limit)
	if err != nil {
		return nil, s.wrap(err)
	}
	slices.SortFunc(rows, func(a, b notificationRow) int {
		return cmp.Or(a.CreatedAt.Compare(b.CreatedAt.Time), cmp.Compare(a.ID, b.ID))
	})
	return notifications(rows), nil
}

// NotificationSent implements mkg.TicketStore. A notification recorded as
// sent already keeps its first time; an unknown id is NOT_FOUND.
func (s *Store) NotificationSent(ctx context.Context, id int64, at time.Time) error {
	return s.notificationAttempt(ctx, id, `sent_at = ?, attempts = attempts + 1, last_error = ''`, dbTime{at})
}

// NotificationFailed implements mkg.TicketStore: the attempt is counted,
// its error kept, and the notification is due again at next. A
// notification sent already is left alone; an unknown id is NOT_FOUND.
func (s *Store) NotificationFailed(ctx context.Context, id int64, at time.Time, errText string, next time.Time) error {
	return s.notificationAttempt(ctx, id, `attempts = attempts + 1, last_error = ?, next_attempt_at = ?`, errText, dbTime{next})
}

// NotificationGaveUp implements mkg.TicketStore: the attempt is counted,
// its error kept, and the notification is FAILED for good.
func (s *Store) NotificationGaveUp(ctx context.Context, id int64, at time.Time, errText string) error {
	return s.notificationAttempt(ctx, id, `attempts = attempts + 1, last_error = ?, failed_at = ?`, errText, dbTime{at})
}

// NotificationsOfTickets implements mkg.TicketStore in one statement.
func (s *Store) NotificationsOfTickets(ctx context.Context, ids []int64) ([][]mkg.Notification, error) {
	out := make([][]mkg.Notification, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	var rows []notificationRow
	if err := s.selectIn(ctx, s.q(), &rows, `SELECT `+notificationColumns+` FROM notifications WHERE ticket_id IN (?) ORDER BY created_at, id`, ids); err != nil {
		return nil, err
	}
	at := make(map[int64]int, len(ids))
	for i, id := range ids {
		at[id] = i
	}
	for _, n := range notifications(rows) {
		if i, ok := at[n.TicketID]; ok {
			out[i] = append(out[i], n)
		}
	}
	return out, nil
}

func (s *Store) notificationAttempt(ctx context.Context, id int64, set string, args ...any) error {
	res, err := s.q().ExecContext(ctx, s.rebind(`UPDATE notifications SET `+set+` WHERE id = ? AND sent_at IS NULL AND failed_at IS NULL`), append(args, id)...)
	if err != nil {
		return s.wrap(err)
	}
	if n, err := res.RowsAffected(); err != nil || n == 1 {
		return s.wrap(err)
	}
	var exists int
	if err := sqlx.GetContext(ctx, s.q(), &exists, s.rebind(`SELECT COUNT(*) FROM notifications WHERE id = ?`), id); err != nil {
		return s.wrap(err)
	}
	if exists == 0 {
		return mkg.NotFound("notification")
	}
	return nil
}
