package notify

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"net/mail"
	"net/smtp"
	"net/textproto"
	"net/url"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"
)

// SMTPSender sends each message in its own SMTP session through a relay
// named by a URL (see NewSMTPSender). Its fields may be changed before the
// first Send, not after.
type SMTPSender struct {
	// TLSConfig is used for STARTTLS and smtps://. Nil means the system's
	// roots; an empty ServerName means the URL's host.
	TLSConfig *tls.Config
	// DialTimeout bounds connecting (and, for smtps://, the TLS handshake).
	DialTimeout time.Duration
	// Timeout bounds the whole session when ctx has no earlier deadline.
	Timeout time.Duration
	// LocalName is the name this host gives in EHLO.
	LocalName string

	addr, host  string
	implicitTLS bool
	insecure    bool
	auth        *url.Userinfo // nil: no AUTH
	from        *mail.Address
}

// NewSMTPSender returns a sender for rawURL, sending as from (an address,
// with or without a display name: "MKG Graph <noreply@bmkg.go.id>").
//
//	smtp://[user:pass@]host[:port][?insecure=1]   port 25; STARTTLS whenever the server offers it
//	smtps://[user:pass@]host[:port]               port 465; TLS from the first byte
//
// With credentials, the password is sent only over TLS: a server that does
// not offer STARTTLS gets no password, and the send fails, unless the URL
// says insecure=1 (a relay on a trusted network). A server that offers
// STARTTLS but fails the handshake or certificate check is never used in
// the clear.
func NewSMTPSender(rawURL, from string) (*SMTPSender, error) {
	u, err := url.Parse(rawURL)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err // url.Error repeats the URL, password included
		}
		return nil, fmt.Errorf("notify: SMTP URL: %v", err)
	}
	s := &SMTPSender{DialTimeout: 10 * time.Second, Timeout: time.Minute, LocalName: localName(), host: u.Hostname()}
	port := "25"
	switch u.Scheme {
	case "smtp":
	case "smtps":
		s.implicitTLS, port = true, "465"
	default:
		return nil, fmt.Errorf("notify: SMTP URL scheme %q: want smtp or smtps", u.Scheme)
	}
	if s.host == "" {
		return nil, errors.New("notify: SMTP URL has no host")
	}
	if u.Port() != "" {
		port = u.Port()
	}
	if u.Path != "" && u.Path != "/" {
		return nil, errors.New("notify: SMTP URL must not have a path")
	}
	if err := s.setOptions(u.Query()); err != nil {
		return nil, err
	}
	if s.from, err = mail.ParseAddress(from); err != nil {
		return nil, fmt.Errorf("notify: sender address %q: %v", from, err)
	}
	s.addr, s.auth = net.JoinHostPort(s.host, port), u.User
	return s, nil
}

func (s *SMTPSender) setOptions(q url.Values) error {
	for k := range q {
		if k != "insecure" {
			return fmt.Errorf("notify: SMTP URL parameter %q unknown (known: insecure)", k)
		}
	}
	if v := q.Get("insecure"); v != "" {
		b, err := strconv.ParseBool(v)
		if err != nil {
			return fmt.Errorf("notify: SMTP URL parameter insecure=%q: want 1 or 0", v)
		}
		s.insecure = b
	}
	return nil
}

func localName() string {
	if h, err := os.Hostname(); err == nil && h != "" {
		return h
	}
	return "localhost"
}

// Send implements Sender: one session, one message. It fails before
// connecting, permanently, when to is no address or to or subject holds a
// line break (header injection). A 5xx reply to RCPT TO (the relay refuses
// the recipient) or to DATA (it refuses the message) is permanent too;
// other failures (4xx replies, the network, a 5xx to the session's own
// steps such as AUTH or MAIL FROM, which say the relay or this server is
// misconfigured and fail every message until fixed) are worth retrying.
func (s *SMTPSender) Send(ctx context.Context, to, subject, body string) error {
	msg, rcpt, err := compose(s.from, to, subject, body, time.Now())
	if err != nil {
		return Permanent(err)
	}
	if s.Timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, s.Timeout)
		defer cancel()
	}
	conn, err := s.dial(ctx)
	if err != nil {
		return fmt.Errorf("smtp %s: %w", s.addr, err)
	}
	defer conn.Close()
	// The deadline bounds every read and write; cancellation closes the
	// connection, which ends a read the deadline has not reached yet.
	if dl, ok := ctx.Deadline(); ok {
		conn.SetDeadline(dl)
	}
	defer context.AfterFunc(ctx, func() { conn.Close() })()
	if err := s.session(conn, rcpt, msg); err != nil {
		// The connection's deadline may fire before ctx's own timer.
		cause := context.Cause(ctx)
		if cause == nil && errors.Is(err, os.ErrDeadlineExceeded) {
			cause = context.DeadlineExceeded
		}
		if cause != nil {
			return fmt.Errorf("smtp %s: %w: %w", s.addr, cause, err)
		}
		return fmt.Errorf("smtp %s: %w", s.addr, err)
	}
	return nil
}

func (s *SMTPSender) dial(ctx context.Context) (net.Conn, error) {
	d := &net.Dialer{Timeout: s.DialTimeout}
	if !s.implicitTLS {
		return d.DialContext(ctx, "tcp", s.addr)
	}
	td := &tls.Dialer{NetDialer: d, Config: s.tlsConfig()}
	return td.DialContext(ctx, "tcp", s.addr)
}

func (s *SMTPSender) tlsConfig() *tls.Config {
	c := &tls.Config{}
	if s.TLSConfig != nil {
		c = s.TLSConfig.Clone()
	}
	if c.ServerName == "" {
		c.ServerName = s.host
	}
	if c.MinVersion == 0 {
		c.MinVersion = tls.VersionTLS12
	}
	return c
}

func (s *SMTPSender) session(conn net.Conn, rcpt string, msg []byte) error {
	c, err := smtp.NewClient(conn, s.host)
	if err != nil {
		return fmt.Errorf("greeting: %w", err)
	}
	if err := c.Hello(s.LocalName); err != nil {
		return fmt.Errorf("EHLO: %w", err)
	}
	if err := s.startTLS(c); err != nil {
		return err
	}
	if err := s.authenticate(c); err != nil {
		return err
	}
	if err := c.Mail(s.from.Address); err != nil {
		return fmt.Errorf("MAIL FROM: %w", err)
	}
	if err := c.Rcpt(rcpt); err != nil {
		return rejected("RCPT TO", err)
	}
	w, err := c.Data()
	if err != nil {
		return rejected("DATA", err)
	}
	if _, err := w.Write(msg); err != nil {
		return fmt.Errorf("DATA: %w", err)
	}
	if err := w.Close(); err != nil {
		return rejected("end of DATA", err)
	}
	// The relay has accepted the message: a failed goodbye must not make
	// the outbox send it again.
	_ = c.Quit()
	return nil
}

// rejected wraps a failed step's error, Permanent when the relay answered
// with a 5xx reply.
func rejected(step string, err error) error {
	err = fmt.Errorf("%s: %w", step, err)
	var reply *textproto.Error
	if errors.As(err, &reply) && reply.Code >= 500 && reply.Code < 600 {
		return Permanent(err)
	}
	return err
}

func (s *SMTPSender) startTLS(c *smtp.Client) error {
	if s.implicitTLS {
		return nil
	}
	if ok, _ := c.Extension("STARTTLS"); !ok {
		return nil
	}
	if err := c.StartTLS(s.tlsConfig()); err != nil {
		return fmt.Errorf("STARTTLS: %w", err)
	}
	return nil
}

// authenticate logs in with the URL's credentials, if any. It uses its own
// PLAIN so that insecure=1 decides alone (net/smtp's PlainAuth has its own
// idea of which hosts may be sent a password in the clear).
func (s *SMTPSender) authenticate(c *smtp.Client) error {
	if s.auth == nil {
		return nil
	}
	if _, encrypted := c.TLSConnectionState(); !encrypted && !s.insecure {
		return errors.New("refusing to send the SMTP password over an unencrypted connection: " +
			"the server does not offer STARTTLS; use smtps://, enable STARTTLS on the server, " +
			"or add ?insecure=1 to the SMTP URL if the network to the relay is trusted")
	}
	ok, mechs := c.Extension("AUTH")
	if !ok {
		return errors.New("the SMTP URL has credentials but the server does not offer AUTH")
	}
	pass, _ := s.auth.Password()
	var a smtp.Auth
	switch m := strings.Fields(strings.ToUpper(mechs)); {
	case slices.Contains(m, "PLAIN"):
		a = plainAuth{s.auth.Username(), pass}
	case slices.Contains(m, "LOGIN"):
		a = loginAuth{s.auth.Username(), pass}
	default:
		return fmt.Errorf("the server offers AUTH %s; supported: PLAIN, LOGIN", mechs)
	}
	if err := c.Auth(a); err != nil {
		return fmt.Errorf("AUTH: %w", err)
	}
	return nil
}

// plainAuth is AUTH PLAIN (RFC 4616).
type plainAuth struct{ user, pass string }

func (a plainAuth) Start(*smtp.ServerInfo) (string, []byte, error) {
	return "PLAIN", []byte("\x00" + a.user + "\x00" + a.pass), nil
}

func (a plainAuth) Next(_ []byte, more bool) ([]byte, error) {
	if more {
		return nil, errors.New("unexpected challenge after AUTH PLAIN")
	}
	return nil, nil
}

// loginAuth is AUTH LOGIN, which some relays (Exchange) offer instead.
type loginAuth struct{ user, pass string }

func (a loginAuth) Start(*smtp.ServerInfo) (string, []byte, error) { return "LOGIN", nil, nil }

func (a loginAuth) Next(challenge []byte, more bool) ([]byte, error) {
	if !more {
		return nil, nil
	}
	switch strings.ToLower(strings.TrimSpace(string(challenge))) {
	case "username:":
		return []byte(a.user), nil
	case "password:":
		return []byte(a.pass), nil
	}
	return nil, fmt.Errorf("unexpected AUTH LOGIN challenge %q", challenge)
}
