// Package notify delivers the e-mails that ticket actions leave in the
// outbox: every action on an API-access request ticket stores, in the same
// transaction, a notification to the applicant (mkg.Notification); the
// Outbox worker here reads the due ones and hands them to a Sender (SMTP, or
// the log when no mail server is configured), recording each attempt.
//
// Delivery is at least once: a notification is marked sent only after its
// Sender accepted it, so a crash or a database failure between the two sends
// it again. Applicants may, rarely, receive the same message twice; they
// never miss one.
package notify

import (
	"context"
	"errors"
	"log/slog"
)

// Sender delivers one message. A nil error means the message was handed
// over for good (an SMTP relay accepted it): the outbox then marks it sent
// and never sends it again. Any error means it may not have been, and the
// outbox tries again later; an error marked Permanent says that trying
// again will not help (the relay refused this recipient or this message),
// and the outbox gives up after a few tries. The error's text is stored
// with the notification and shown to staff, so it must not carry secrets.
// Send must honour ctx's deadline and cancellation.
type Sender interface {
	Send(ctx context.Context, to, subject, body string) error
}

// Permanent marks err as a failure that trying again will not mend.
func Permanent(err error) error {
	if err == nil {
		return nil
	}
	return permanentError{err}
}

// IsPermanent reports whether err, or an error it wraps, is Permanent.
func IsPermanent(err error) bool {
	var p permanentError
	return errors.As(err, &p)
}

type permanentError struct{ err error }

func (p permanentError) Error() string { return p.err.Error() }
func (p permanentError) Unwrap() error { return p.err }

// LogSender "delivers" a message by writing it, recipient, subject and body,
// to Log at info level, and always succeeds. It is the default when no mail
// server is configured, meant for development and single-site trials where
// an operator reads the log and passes messages on by hand: the outbox
// marks everything sent, so nothing is retried once a mail server is added.
type LogSender struct {
	Log *slog.Logger // nil means slog.Default()
}

// Send implements Sender.
func (s LogSender) Send(ctx context.Context, to, subject, body string) error {
	log := s.Log
	if log == nil {
		log = slog.Default()
	}
	log.InfoContext(ctx, "notification (not e-mailed: no SMTP server configured)", "to", to, "subject", subject, "body", body)
	return nil
}

// NewSender returns the Sender a configuration asks for: a LogSender
// writing to log when rawURL is empty, else an SMTPSender for rawURL (see
// NewSMTPSender) sending as from.
func NewSender(rawURL, from string, log *slog.Logger) (Sender, error) {
	if rawURL == "" {
		return LogSender{Log: log}, nil
	}
	s, err := NewSMTPSender(rawURL, from)
	if err != nil {
		return nil, err
	}
	return s, nil
}
