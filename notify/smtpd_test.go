package notify

import (
	"bufio"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"math/big"
	"net"
	"net/textproto"
	"strings"
	"sync"
	"testing"
	"time"
)

// smtpd is a minimal SMTP server for tests: EHLO, STARTTLS, AUTH PLAIN and
// LOGIN, MAIL, RCPT, DATA, RSET, NOOP, QUIT; one message per session.
type smtpd struct {
	Addr     string
	STARTTLS *tls.Config       // offer STARTTLS with this config
	Implicit bool              // TLS from the first byte (with STARTTLS's config)
	Auth     string            // mechanisms to offer ("PLAIN LOGIN"); "" offers no AUTH
	Reply    map[string]string // a verb ("MAIL", "GREETING") answered with this reply instead
	Silent   bool              // accept connections and never answer

	ln       net.Listener
	mu       sync.Mutex
	sessions []*session
	wg       sync.WaitGroup
}

// session is what the server saw of one connection.
type session struct {
	TLS      bool
	Auth     string // "user\x00pass"
	From     string
	To       []string
	Data     string
	Commands []string
	done     chan struct{}
}

func startSMTPD(t *testing.T, d *smtpd) *smtpd {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	if d.Implicit {
		ln = tls.NewListener(ln, d.STARTTLS)
	}
	d.ln, d.Addr = ln, ln.Addr().String()
	d.wg.Add(1)
	go d.accept()
	t.Cleanup(func() { ln.Close(); d.wg.Wait() })
	return d
}

func (d *smtpd) accept() {
	defer d.wg.Done()
	for {
		conn, err := d.ln.Accept()
		if err != nil {
			return
		}
		s := &session{done: make(chan struct{})}
		d.mu.Lock()
		d.sessions = append(d.sessions, s)
		d.mu.Unlock()
		d.wg.Add(1)
		go func() {
			defer d.wg.Done()
			defer close(s.done)
			defer conn.Close()
			conn.SetDeadline(time.Now().Add(10 * time.Second))
			d.serve(conn, s)
		}()
	}
}

// Sessions waits for the sessions so far to end and returns them.
func (d *smtpd) Sessions(t *testing.T) []session {
	t.Helper()
	d.mu.Lock()
	list := d.sessions[:len(d.sessions):len(d.sessions)]
	d.mu.Unlock()
	var out []session
	for _, s := range list {
		select {
		case <-s.done:
		case <-time.After(10 * time.Second):
			t.Fatal("an SMTP session did not end")
		}
		out = append(out, *s)
	}
	return out
}

func (d *smtpd) serve(conn net.Conn, s *session) {
	if d.Silent {
		bufio.NewReader(conn).ReadString('\n')
		return
	}
	tp := textproto.NewConn(conn)
	_, s.TLS = conn.(*tls.Conn)
	if r, ok := d.Reply["GREETING"]; ok {
		tp.PrintfLine("%s", r)
		return
	}
	tp.PrintfLine("220 test.bmkg.go.id ESMTP ready")
	for {
		line, err := tp.ReadLine()
		if err != nil {
			return
		}
		verb, arg, _ := strings.Cut(line, " ")
		verb = strings.ToUpper(verb)
		s.Commands = append(s.Commands, verb)
		if r, ok := d.Reply[verb]; ok {
			tp.PrintfLine("%s", r)
			continue
		}
		switch verb {
		case "EHLO":
			tp.PrintfLine("%s", d.ehlo(s.TLS))
		case "STARTTLS":
			tp.PrintfLine("220 2.0.0 go ahead")
			tc := tls.Server(conn, d.STARTTLS)
			if tc.Handshake() != nil {
				return
			}
			conn, tp, s.TLS = tc, textproto.NewConn(tc), true
		case "AUTH":
			d.auth(tp, s, arg)
		case "MAIL":
			s.From = strings.TrimPrefix(arg, "FROM:")
			tp.PrintfLine("250 2.1.0 ok")
		case "RCPT":
			s.To = append(s.To, strings.TrimPrefix(arg, "TO:"))
			tp.PrintfLine("250 2.1.5 ok")
		case "DATA":
			tp.PrintfLine("354 end with <CRLF>.<CRLF>")
			b, err := tp.ReadDotBytes()
			if err != nil {
				return
			}
			s.Data = string(b)
			if r, ok := d.Reply["END"]; ok {
				tp.PrintfLine("%s", r)
				continue
			}
			tp.PrintfLine("250 2.0.0 queued")
		case "RSET", "NOOP":
			tp.PrintfLine("250 2.0.0 ok")
		case "QUIT":
			tp.PrintfLine("221 2.0.0 bye")
			return
		default:
			tp.PrintfLine("502 5.5.2 unknown command")
		}
	}
}

func (d *smtpd) ehlo(encrypted bool) string {
	lines := []string{"test.bmkg.go.id", "8BITMIME"}
	if d.STARTTLS != nil && !encrypted {
		lines = append(lines, "STARTTLS")
	}
	if d.Auth != "" {
		lines = append(lines, "AUTH "+d.Auth)
	}
	var b strings.Builder
	for i, l := range lines {
		sep := "-"
		if i == len(lines)-1 {
			sep = " "
		}
		b.WriteString("250" + sep + l)
		if sep == "-" {
			b.WriteString("\r\n")
		}
	}
	return b.String()
}

func (d *smtpd) auth(tp *textproto.Conn, s *session, arg string) {
	mech, initial, _ := strings.Cut(arg, " ")
	ask := func(prompt string) string {
		tp.PrintfLine("334 %s", base64.StdEncoding.EncodeToString([]byte(prompt)))
		l, _ := tp.ReadLine()
		v, _ := base64.StdEncoding.DecodeString(l)
		return string(v)
	}
	switch strings.ToUpper(mech) {
	case "PLAIN":
		v, _ := base64.StdEncoding.DecodeString(initial)
		s.Auth = strings.TrimPrefix(string(v), "\x00")
	case "LOGIN":
		user := ask("Username:")
		s.Auth = user + "\x00" + ask("Password:")
	default:
		tp.PrintfLine("504 5.5.4 mechanism not supported")
		return
	}
	tp.PrintfLine("235 2.7.0 authenticated")
}

// selfSigned returns a server config with a certificate for 127.0.0.1 and
// localhost, and a pool trusting it.
func selfSigned(t *testing.T) (*tls.Config, *x509.CertPool) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               pkix.Name{CommonName: "test SMTP relay"},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(time.Hour),
		IPAddresses:           []net.IP{net.ParseIP("127.0.0.1")},
		DNSNames:              []string{"localhost"},
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true,
		IsCA:                  true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	pool.AddCert(cert)
	return &tls.Config{Certificates: []tls.Certificate{{Certificate: [][]byte{der}, PrivateKey: key}}}, pool
}
