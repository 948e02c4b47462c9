package notify

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"io"
	"mime"
	"mime/quotedprintable"
	"net"
	"net/mail"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"
)

const (
	from    = "MKG Graph <noreply@bmkg.go.id>"
	subject = "Pemberitahuan untuk Bapak Dédé"
	body    = "Yth. Bapak Dédé,\n\n" +
		"Permohonan akses API Anda (tiket 42) telah diteruskan kepada petugas fungsional untuk diproses lebih lanjut sesuai standar layanan.\n" +
		".Baris ini diawali titik, dan baris berikut berakhir dengan spasi \n" +
		"Tarif = Rp 0 (gratis)\n\n" +
		"Salam,\nBMKG"
)

func newSMTPSender(t *testing.T, rawURL string, roots *x509.CertPool) *SMTPSender {
	t.Helper()
	s, err := NewSMTPSender(rawURL, from)
	if err != nil {
		t.Fatal(err)
	}
	if roots != nil {
		s.TLSConfig = &tls.Config{RootCAs: roots}
	}
	s.Timeout = 10 * time.Second
	return s
}

// checkMessage parses what the server received and checks it is the
// message sent, well formed.
func checkMessage(t *testing.T, data string) {
	t.Helper()
	for _, l := range strings.Split(data, "\n") {
		if len(l) > 78 {
			t.Errorf("line longer than 78 characters: %q", l)
		}
		if strings.IndexFunc(l, func(r rune) bool { return r > '~' }) >= 0 {
			t.Errorf("line not in 7-bit ASCII: %q", l)
		}
	}
	m, err := mail.ReadMessage(strings.NewReader(data))
	if err != nil {
		t.Fatalf("received message does not parse: %v\n%s", err, data)
	}
	h := m.Header
	raw := h.Get("Subject")
	if !strings.HasPrefix(raw, "=?UTF-8?q?") {
		t.Errorf("Subject %q is not an RFC 2047 encoded-word", raw)
	}
	if got, err := new(mime.WordDecoder).DecodeHeader(raw); err != nil || got != subject {
		t.Errorf("Subject decodes to %q, %v; want %q", got, err, subject)
	}
	for name, want := range map[string]string{
		"From": "\"MKG Graph\" <noreply@bmkg.go.id>", "To": "<dede@example.id>", "MIME-Version": "1.0",
		"Content-Type": "text/plain; charset=UTF-8", "Content-Transfer-Encoding": "quoted-printable",
	} {
		if got := h.Get(name); got != want {
			t.Errorf("%s: %q; want %q", name, got, want)
		}
	}
	if date, err := h.Date(); err != nil || time.Since(date).Abs() > time.Minute {
		t.Errorf("Date %q: %v, %v; want about now", h.Get("Date"), date, err)
	}
	if id := h.Get("Message-ID"); !regexp.MustCompile(`^<[a-z2-7]{20,}@bmkg\.go\.id>$`).MatchString(id) {
		t.Errorf("Message-ID %q; want <random@bmkg.go.id>", id)
	}
	got, err := io.ReadAll(quotedprintable.NewReader(m.Body))
	// SMTP ends the last line with CRLF.
	if err != nil || string(got) != body+"\n" {
		t.Errorf("body decodes to %q, %v; want %q", got, err, body)
	}
}

func TestSMTPStartTLSAndAuthPlain(t *testing.T) {
	cfg, roots := selfSigned(t)
	d := startSMTPD(t, &smtpd{STARTTLS: cfg, Auth: "PLAIN LOGIN"})
	s := newSMTPSender(t, "smtp://bmkg%40relay:s3cret@"+d.Addr, roots)
	if err := s.Send(t.Context(), "dede@example.id", subject, body); err != nil {
		t.Fatal(err)
	}
	ss := d.Sessions(t)
	if len(ss) != 1 {
		t.Fatalf("%d sessions; want 1", len(ss))
	}
	got := ss[0]
	if !got.TLS || got.Auth != "bmkg@relay\x00s3cret" {
		t.Errorf("TLS %v, auth %q; want TLS and the URL's credentials", got.TLS, got.Auth)
	}
	if want := []string{"EHLO", "STARTTLS", "EHLO", "AUTH", "MAIL", "RCPT", "DATA", "QUIT"}; !slices.Equal(got.Commands, want) {
		t.Errorf("commands %v; want %v", got.Commands, want)
	}
	if !strings.HasPrefix(got.From, "<noreply@bmkg.go.id>") || !slices.Equal(got.To, []string{"<dede@example.id>"}) {
		t.Errorf("envelope from %q to %q", got.From, got.To)
	}
	checkMessage(t, got.Data)
}

func TestSMTPSImplicitTLSAndAuthLogin(t *testing.T) {
	cfg, roots := selfSigned(t)
	d := startSMTPD(t, &smtpd{STARTTLS: cfg, Implicit: true, Auth: "LOGIN"})
	s := newSMTPSender(t, "smtps://bmkg:s3cret@"+d.Addr, roots)
	if err := s.Send(t.Context(), "dede@example.id", subject, body); err != nil {
		t.Fatal(err)
	}
	got := d.Sessions(t)[0]
	if !got.TLS || got.Auth != "bmkg\x00s3cret" || slices.Contains(got.Commands, "STARTTLS") {
		t.Errorf("TLS %v, auth %q, commands %v; want TLS from the start and AUTH LOGIN", got.TLS, got.Auth, got.Commands)
	}
	checkMessage(t, got.Data)
}

func TestSMTPRefusesPasswordInTheClear(t *testing.T) {
	d := startSMTPD(t, &smtpd{Auth: "PLAIN"})
	err := newSMTPSender(t, "smtp://bmkg:s3cret@"+d.Addr, nil).Send(t.Context(), "dede@example.id", subject, body)
	if err == nil || !strings.Contains(err.Error(), "unencrypted") || !strings.Contains(err.Error(), "?insecure=1") {
		t.Fatalf("Send over plain text with a password: %v; want a refusal naming ?insecure=1", err)
	}
	if strings.Contains(err.Error(), "s3cret") {
		t.Errorf("the error shows the password: %v", err)
	}
	if got := d.Sessions(t)[0]; got.Auth != "" || slices.Contains(got.Commands, "AUTH") || got.Data != "" {
		t.Fatalf("the server got %v, auth %q: want nothing after EHLO", got.Commands, got.Auth)
	}

	// Allowed by the URL: a relay on a trusted network.
	if err := newSMTPSender(t, "smtp://bmkg:s3cret@"+d.Addr+"?insecure=1", nil).Send(t.Context(), "dede@example.id", subject, body); err != nil {
		t.Fatal(err)
	}
	if got := d.Sessions(t)[1]; got.Auth != "bmkg\x00s3cret" || got.TLS {
		t.Errorf("auth %q, TLS %v; want the password sent in the clear", got.Auth, got.TLS)
	}
}

func TestSMTPWithoutCredentials(t *testing.T) {
	d := startSMTPD(t, &smtpd{})
	if err := newSMTPSender(t, "smtp://"+d.Addr, nil).Send(t.Context(), "dede@example.id", subject, body); err != nil {
		t.Fatal(err)
	}
	got := d.Sessions(t)[0]
	if got.TLS || got.Auth != "" {
		t.Errorf("TLS %v, auth %q; want a plain relay session", got.TLS, got.Auth)
	}
	checkMessage(t, got.Data)
}

func TestSMTPNeverFallsBackFromFailedStartTLS(t *testing.T) {
	cfg, _ := selfSigned(t)
	d := startSMTPD(t, &smtpd{STARTTLS: cfg})
	err := newSMTPSender(t, "smtp://"+d.Addr, nil).Send(t.Context(), "dede@example.id", subject, body)
	if err == nil || !strings.Contains(err.Error(), "STARTTLS") || !strings.Contains(err.Error(), "certificate") {
		t.Fatalf("Send with an untrusted certificate: %v; want a STARTTLS certificate error", err)
	}
	if got := d.Sessions(t)[0]; slices.Contains(got.Commands, "MAIL") {
		t.Error("the message was sent in the clear after a failed STARTTLS")
	}
}

func TestSMTPRefusesHeaderInjection(t *testing.T) {
	d := startSMTPD(t, &smtpd{})
	s := newSMTPSender(t, "smtp://"+d.Addr, nil)
	for _, c := range []struct{ to, subject string }{
		{"dede@example.id", "Tiket 42\r\nBcc: all@example.id"},
		{"dede@example.id", "Tiket 42\nBcc: all@example.id"},
		{"dede@example.id\r\nBcc: all@example.id", subject},
		{"dede@example.id\r", subject},
	} {
		err := s.Send(t.Context(), c.to, c.subject, body)
		if err == nil || !strings.Contains(err.Error(), "header injection") {
			t.Errorf("Send(%q, %q) = %v; want a refusal", c.to, c.subject, err)
		}
	}
	if err := s.Send(t.Context(), "not an address", subject, body); err == nil {
		t.Error("an invalid recipient was accepted")
	}
	if n := len(d.Sessions(t)); n != 0 {
		t.Errorf("%d connections made for refused messages; want none", n)
	}
}

func TestSMTPServerErrors(t *testing.T) {
	for verbs, reply := range map[string]string{
		"GREETING":  "554 5.3.2 no service",
		"EHLO HELO": "421 4.3.2 shutting down",
		"MAIL":      "451 4.3.0 try again later",
		"RCPT":      "550 5.1.1 no such user",
		"DATA":      "452 4.3.1 insufficient storage",
		"END":       "552 5.3.4 message too big",
	} {
		t.Run(verbs, func(t *testing.T) {
			replies := map[string]string{}
			for _, v := range strings.Fields(verbs) {
				replies[v] = reply
			}
			d := startSMTPD(t, &smtpd{Reply: replies})
			err := newSMTPSender(t, "smtp://"+d.Addr, nil).Send(t.Context(), "dede@example.id", subject, body)
			code, _, _ := strings.Cut(reply, " ")
			if err == nil || !strings.Contains(err.Error(), code) {
				t.Fatalf("Send = %v; want an error with %s", err, code)
			}
		})
	}
}

func TestSMTPTimeout(t *testing.T) {
	d := startSMTPD(t, &smtpd{Silent: true})
	ctx, cancel := context.WithTimeout(t.Context(), 200*time.Millisecond)
	defer cancel()
	start := time.Now()
	err := newSMTPSender(t, "smtp://"+d.Addr, nil).Send(ctx, "dede@example.id", subject, body)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Send to a silent server: %v; want the deadline", err)
	}
	if el := time.Since(start); el > 3*time.Second {
		t.Errorf("Send took %v after a 200 ms deadline", el)
	}
	d.Sessions(t)

	// Without a deadline in ctx, the sender's own Timeout applies.
	s := newSMTPSender(t, "smtp://"+d.Addr, nil)
	s.Timeout = 200 * time.Millisecond
	if err := s.Send(t.Context(), "dede@example.id", subject, body); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Send to a silent server: %v; want the sender's timeout", err)
	}
}

func TestNewSMTPSender(t *testing.T) {
	for _, c := range []struct{ url, addr string }{
		{"smtp://relay.bmkg.go.id", "relay.bmkg.go.id:25"},
		{"smtp://u:p@relay.bmkg.go.id:587/", "relay.bmkg.go.id:587"},
		{"smtps://relay.bmkg.go.id", "relay.bmkg.go.id:465"},
		{"smtp://[::1]:2525?insecure=0", "[::1]:2525"},
	} {
		s, err := NewSMTPSender(c.url, from)
		if err != nil || s.addr != c.addr {
			t.Errorf("NewSMTPSender(%q): %v, %v; want %s", c.url, s, err, c.addr)
		}
	}
	for _, c := range []struct{ url, from, want string }{
		{"http://relay", from, "scheme"},
		{"smtp://", from, "no host"},
		{"smtp://relay/path", from, "path"},
		{"smtp://relay?tls=no", from, `"tls" unknown`},
		{"smtp://relay?insecure=maybe", from, "insecure"},
		{"smtp://bmkg:hunter2@relay:port", from, "invalid port"},
		{"smtp://relay", "MKG Graph", "sender address"},
	} {
		_, err := NewSMTPSender(c.url, c.from)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("NewSMTPSender(%q, %q) = %v; want an error about %s", c.url, c.from, err, c.want)
		}
		if err != nil && strings.Contains(err.Error(), "hunter2") {
			t.Errorf("the error shows the password: %v", err)
		}
	}
}

func TestComposeFoldsLongSubjects(t *testing.T) {
	long := strings.Repeat("Pemberitahuan penting untuk Ibu Siti Nurhaliza dari Dinas Lingkungan Hidup — ", 4)
	addr := &mail.Address{Name: "MKG Graph", Address: "noreply@bmkg.go.id"}
	for _, subj := range []string{long, strings.ReplaceAll(long, "—", "-")} {
		msg, rcpt, err := compose(addr, "Dédé <dede@example.id>", subj, "isi", time.Now())
		if err != nil || rcpt != "dede@example.id" {
			t.Fatalf("compose: %q, %v", rcpt, err)
		}
		// Continuation lines within 78 characters; a field's first line
		// may hold its name and a whole encoded-word (75).
		for _, l := range strings.Split(string(msg), "\r\n") {
			if len(l) > 78 && (strings.HasPrefix(l, " ") || len(l) > len("Subject: ")+75) {
				t.Errorf("header line of %d characters: %q", len(l), l)
			}
		}
		m, err := mail.ReadMessage(strings.NewReader(string(msg)))
		if err != nil {
			t.Fatal(err)
		}
		if got, err := new(mime.WordDecoder).DecodeHeader(m.Header.Get("Subject")); got != strings.TrimSpace(subj) || err != nil {
			t.Errorf("subject decodes to %q, %v; want %q", got, err, subj)
		}
		if to, err := m.Header.AddressList("To"); err != nil || to[0].Name != "Dédé" {
			t.Errorf("To %q: %v, %v", m.Header.Get("To"), to, err)
		}
	}
}

// TestSMTPPermanentFailures: the relay refusing the recipient or the
// message (5xx to RCPT TO or DATA), and a recipient that is no address, are
// permanent; 4xx replies, and 5xx replies to the session's own steps (a
// misconfigured relay or sender, which fail every message until fixed),
// are worth retrying.
func TestSMTPPermanentFailures(t *testing.T) {
	for _, c := range []struct {
		verb, reply string
		permanent   bool
	}{
		{"RCPT", "550 5.1.1 no such user", true},
		{"RCPT", "553 5.1.3 bad address syntax", true},
		{"RCPT", "450 4.2.0 greylisted", false},
		{"DATA", "554 5.7.1 rejected", true},
		{"END", "552 5.3.4 message too big", true},
		{"END", "451 4.3.0 try again", false},
		{"MAIL", "550 5.7.1 sender not allowed", false},
		{"GREETING", "554 5.3.2 no service", false},
		{"EHLO", "421 4.3.2 shutting down", false},
	} {
		d := startSMTPD(t, &smtpd{Reply: map[string]string{c.verb: c.reply}})
		err := newSMTPSender(t, "smtp://"+d.Addr, nil).Send(t.Context(), "dede@example.id", subject, body)
		if err == nil || IsPermanent(err) != c.permanent {
			t.Errorf("%s answered %q: %v, permanent %v; want permanent %v", c.verb, c.reply, err, IsPermanent(err), c.permanent)
		}
	}
	d := startSMTPD(t, &smtpd{})
	for _, to := range []string{"not an address", "dede@example.id\r\nBcc: all@example.id"} {
		if err := newSMTPSender(t, "smtp://"+d.Addr, nil).Send(t.Context(), to, subject, body); !IsPermanent(err) {
			t.Errorf("recipient %q: %v; want a permanent failure", to, err)
		}
	}
	ln, _ := net.Listen("tcp", "127.0.0.1:0")
	addr := ln.Addr().String()
	ln.Close()
	if err := newSMTPSender(t, "smtp://"+addr, nil).Send(t.Context(), "dede@example.id", subject, body); err == nil || IsPermanent(err) {
		t.Errorf("relay down: %v; want a failure worth retrying", err)
	}
}
