package sqlstore

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/bmkg/mkggraph/mkg"
)

// The applicant's messages, in Indonesian then English, queued in the
// action's transaction. They say what happened, the ticket number and what
// to do next; they never carry the tracking token or a key (e-mail is not
// the channel for secrets).

// queueNotification puts a message to the ticket's applicant in the outbox.
func (s *Store) queueNotification(ctx context.Context, q sqlx.ExtContext, t *mkg.Ticket, subject, body string, now time.Time) error {
	_, err := q.ExecContext(ctx, s.rebind(`INSERT INTO notifications (ticket_id, recipient, subject, body, created_at, next_attempt_at)
		VALUES (?, ?, ?, ?, ?, ?)`), t.ID, strings.TrimSpace(t.Applicant.Email), subject, body, dbTime{now}, dbTime{now})
	return s.wrap(err)
}

// message is the applicant's message about action, done to t (as it
// stands after it).
func (s *Store) message(t *mkg.Ticket, action mkg.TicketAction, ch *change) (subject, body string) {
	var id, en strings.Builder
	say := func(b *strings.Builder, format string, args ...any) { fmt.Fprintf(b, format+"\n", args...) }
	n := t.Number
	switch action {
	case mkg.ActSubmit:
		subject = "Permohonan diterima / Request received"
		say(&id, "Permohonan akses API Anda kami terima dengan nomor %s. Petugas layanan akan memeriksa kelengkapan dan kesesuaiannya (standar layanan: %s).", n, durationID(s.standards.Review))
		say(&id, "Simpan token pelacakan yang Anda terima saat pengajuan: token itu hanya ditampilkan sekali dan diperlukan untuk memantau, memperbaiki atau membatalkan permohonan serta mengambil kunci API.")
		say(&en, "Your API access request has been received as %s. The service desk will check that it is complete and conforms (service standard: %s).", n, durationEN(s.standards.Review))
		say(&en, "Keep the tracking token you were given when the request was submitted: it is shown only once, and you need it to follow, correct or withdraw the request and to collect your API key.")
	case mkg.ActReturn:
		subject = "Permohonan perlu diperbaiki / Request returned for correction"
		say(&id, "Permohonan %s dikembalikan untuk diperbaiki. Yang perlu diperbaiki:", n)
		say(&en, "Request %s has been returned for correction. What to fix:", n)
		for _, f := range ch.fixes {
			say(&id, "- %s", f)
			say(&en, "- %s", f)
		}
		say(&id, "Perbaiki permohonan dengan token pelacakan Anda lalu kirim kembali; waktu layanan berhenti sampai itu.")
		say(&en, "Correct the request with your tracking token and send it again; the service clock stops until then.")
	case mkg.ActForward:
		subject = "Permohonan diteruskan / Request forwarded"
		say(&id, "Permohonan %s telah diperiksa dan diteruskan kepada pejabat fungsional, yang akan membuat akun API Anda (standar layanan: %s).", n, durationID(s.standards.Fulfilment))
		say(&en, "Request %s has been checked and forwarded to a functional officer, who will create your API account (service standard: %s).", n, durationEN(s.standards.Fulfilment))
	case mkg.ActRevise:
		subject = "Perbaikan diterima / Correction received"
		say(&id, "Perbaikan permohonan %s kami terima dan akan diperiksa kembali (standar layanan: %s).", n, durationID(s.standards.Review))
		say(&en, "The correction of request %s has been received and will be checked again (service standard: %s).", n, durationEN(s.standards.Review))
	case mkg.ActStart:
		subject = "Permohonan diproses / Request in progress"
		say(&id, "Pejabat fungsional mulai memproses permohonan %s. Tidak ada yang perlu Anda lakukan sekarang.", n)
		say(&en, "An officer has started work on request %s. Nothing is needed from you now.", n)
	case mkg.ActEscalate:
		if ch.escalatedTo == string(mkg.ActorApplicant) {
			subject = "Informasi tambahan diperlukan / More information needed"
			say(&id, "Untuk menyelesaikan permohonan %s, pejabat fungsional memerlukan informasi dari Anda. Hubungi petugas layanan dengan menyebut nomor permohonan; waktu layanan berhenti sampai itu.", n)
			say(&en, "To complete request %s the officer needs information from you. Contact the service desk quoting the request number; the service clock stops until then.", n)
		} else {
			subject = "Permohonan dikoordinasikan / Request under coordination"
			say(&id, "Permohonan %s sedang dikoordinasikan di dalam BMKG. Tidak ada yang perlu Anda lakukan sekarang.", n)
			say(&en, "Request %s is being coordinated within BMKG. Nothing is needed from you now.", n)
		}
	case mkg.ActResume:
		subject = "Permohonan dilanjutkan / Request resumed"
		say(&id, "Pemrosesan permohonan %s dilanjutkan.", n)
		say(&en, "Work on request %s has resumed.", n)
	case mkg.ActFulfil:
		subject = "Akun API dibuat / API account created"
		fulfilled(&id, &en, t, ch.fulfilment)
	case mkg.ActClose:
		subject = "Permohonan selesai / Request closed"
		say(&id, "Permohonan %s telah selesai dan ditutup.", n)
		say(&en, "Request %s is complete and has been closed.", n)
		if ch.keyWaiting {
			say(&id, "Kunci API Anda belum diambil: ambil dengan token pelacakan Anda dalam 30 hari.")
			say(&en, "Your API key has not been collected yet: collect it with your tracking token within 30 days.")
		}
	case mkg.ActReject:
		subject = "Permohonan ditolak / Request rejected"
		say(&id, "Permohonan %s ditolak.", n)
		say(&en, "Request %s has been rejected.", n)
	case mkg.ActWithdraw:
		subject = "Permohonan dibatalkan / Request withdrawn"
		say(&id, "Permohonan %s telah Anda batalkan. Untuk mengajukan lagi, buat permohonan baru.", n)
		say(&en, "You have withdrawn request %s. To apply again, submit a new request.", n)
	}
	if ch.note != "" {
		labelID, labelEN := "Catatan pejabat fungsional", "Note from the officer"
		switch action {
		case mkg.ActReject, mkg.ActWithdraw:
			labelID, labelEN = "Alasan", "Reason"
		case mkg.ActForward, mkg.ActReturn:
			labelID, labelEN = "Catatan petugas layanan", "Note from the service desk"
		}
		say(&id, "%s: %s", labelID, ch.note)
		say(&en, "%s: %s", labelEN, ch.note)
	}
	body = fmt.Sprintf("Yth. %s,\n\n%s\n---\n\nDear %s,\n\n%s\n-- \nBMKG — Layanan Pertukaran Data Elektronik / Electronic Data Exchange Service\n",
		t.Applicant.Name, id.String(), t.Applicant.Name, en.String())
	return "[" + n + "] " + subject, body
}

// fulfilled says what was granted, what was not and why, and how to get
// the key.
func fulfilled(id, en *strings.Builder, t *mkg.Ticket, f *mkg.Fulfilment) {
	fmt.Fprintf(id, "Akun API untuk permohonan %s telah dibuat.\n", t.Number)
	fmt.Fprintf(en, "The API account for request %s has been created.\n", t.Number)
	if f != nil {
		for _, g := range f.Grants {
			fmt.Fprintf(id, "- diberikan: %s\n", g.Dataset)
			fmt.Fprintf(en, "- granted: %s\n", g.Dataset)
		}
		for _, o := range f.Omitted {
			fmt.Fprintf(id, "- tidak diberikan: %s (%s)\n", o.Dataset, strings.TrimSpace(o.Reason))
			fmt.Fprintf(en, "- not granted: %s (%s)\n", o.Dataset, strings.TrimSpace(o.Reason))
		}
	}
	fmt.Fprintln(id, "Ambil kunci API Anda dengan token pelacakan Anda. Kunci hanya dapat diambil sekali dan tidak dikirim melalui e-mail; simpan dengan aman.")
	fmt.Fprintln(en, "Collect your API key with your tracking token. The key can be collected once only and is never sent by e-mail; keep it safe.")
}

func durationID(d time.Duration) string {
	if d%time.Hour == 0 {
		return fmt.Sprintf("%d jam", d/time.Hour)
	}
	return fmt.Sprintf("%d menit", d/time.Minute)
}

func durationEN(d time.Duration) string {
	unit, n := "minute", d/time.Minute
	if d%time.Hour == 0 {
		unit, n = "hour", d/time.Hour
	}
	if n != 1 {
		unit += "s"
	}
	return fmt.Sprintf("%d %s", n, unit)
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
	q, args, err := s.in(`SELECT `+notificationColumns+` FROM notifications WHERE ticket_id IN (?) ORDER BY created_at, id`, ids)
	if err != nil {
		return nil, err
	}
	var rows []notificationRow
	if err := sqlx.SelectContext(ctx, s.q(), &rows, q, args...); err != nil {
		return nil, s.wrap(err)
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
