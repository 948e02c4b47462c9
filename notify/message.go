package notify

import (
	"bytes"
	"crypto/rand"
	"fmt"
	"mime"
	"mime/quotedprintable"
	"net/mail"
	"strings"
	"time"
)

// compose builds an RFC 5322 message in UTF-8 plain text and returns it
// with the recipient's bare address, for RCPT TO. It refuses a recipient or
// subject with a line break: the values come from an applicant's form, and
// a line break would let them add headers (Bcc) or a body of their own.
func compose(from *mail.Address, to, subject, body string, now time.Time) ([]byte, string, error) {
	if err := oneLine("recipient", to); err != nil {
		return nil, "", err
	}
	if err := oneLine("subject", subject); err != nil {
		return nil, "", err
	}
	rcpt, err := mail.ParseAddress(to)
	if err != nil {
		return nil, "", fmt.Errorf("notify: recipient %q: %v", to, err)
	}
	var b bytes.Buffer
	writeHeader(&b, "From", from.String())
	writeHeader(&b, "To", rcpt.String())
	writeHeader(&b, "Subject", mime.QEncoding.Encode("UTF-8", strings.ToValidUTF8(strings.TrimSpace(subject), "\uFFFD")))
	writeHeader(&b, "Date", now.Format(time.RFC1123Z))
	writeHeader(&b, "Message-ID", messageID(from.Address))
	writeHeader(&b, "MIME-Version", "1.0")
	writeHeader(&b, "Content-Type", "text/plain; charset=UTF-8")
	writeHeader(&b, "Content-Transfer-Encoding", "quoted-printable")
	b.WriteString("\r\n")
	// In text mode the writer turns every line break into CRLF and keeps
	// lines within 76 characters with soft breaks.
	qp := quotedprintable.NewWriter(&b)
	qp.Write([]byte(strings.ToValidUTF8(body, "\uFFFD")))
	qp.Close()
	return b.Bytes(), rcpt.Address, nil
}

func oneLine(what, v string) error {
	if strings.ContainsAny(v, "\r\n") {
		return fmt.Errorf("notify: %s contains a line break; refused (header injection)", what)
	}
	return nil
}

// writeHeader writes one header field, folded at spaces so that lines stay
// near 78 characters (encoded-words are at most 75 each, so a long
// non-ASCII subject folds between them).
func writeHeader(b *bytes.Buffer, name, value string) {
	b.WriteString(name)
	b.WriteByte(':')
	n := len(name) + 1
	for i, w := range strings.Split(value, " ") {
		if i > 0 && n+1+len(w) > 78 {
			b.WriteString("\r\n")
			n = 0
		}
		b.WriteByte(' ')
		b.WriteString(w)
		n += 1 + len(w)
	}
	b.WriteString("\r\n")
}

// messageID returns a new Message-ID in the sender's domain.
func messageID(from string) string {
	domain := from[strings.LastIndexByte(from, '@')+1:]
	return "<" + strings.ToLower(rand.Text()) + "@" + domain + ">"
}
