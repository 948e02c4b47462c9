package mkg

import (
	"bytes"
	"errors"
	"fmt"
	"net/netip"
	"net/url"
	"slices"
	"strings"
	"time"
	"unicode"
)

// FieldProblem is one missing or invalid field of an input, named by its
// path in the API ("input.applicant.email").
type FieldProblem struct {
	Field   string
	Message string
}

// MaxCallsPerDay is the most calls a day a request may announce.
const MaxCallsPerDay = 10_000_000

// Problems lists every missing or invalid field of a submission or revision
// at once, in the order of the form, so that an applicant fixes everything
// in one round; none means the input is complete. now rejects validity and
// request periods that have already ended.
func (in TicketInput) Problems(now time.Time) []FieldProblem {
	var p problemList
	p.channel(in.Channel)
	p.basis(in.Basis, now)
	p.applicant(in.Applicant)
	p.form(in.Form, now)
	return p
}

// problemList collects problems; each method checks one part of the input.
type problemList []FieldProblem

func (p *problemList) add(field, format string, args ...any) {
	*p = append(*p, FieldProblem{Field: field, Message: fmt.Sprintf(format, args...)})
}

// required adds a problem when s is blank and reports whether it was.
func (p *problemList) required(field, s, what string) bool {
	if strings.TrimSpace(s) == "" {
		p.add(field, "%s is required", what)
		return true
	}
	return false
}

func (p *problemList) channel(c Channel) {
	if p.required("input.channel", string(c), "channel") {
		return
	}
	if !slices.Contains(Channels, c) {
		p.add("input.channel", "unknown channel %q; channels are SIBATIK, WHATSAPP, PHONE, OFFICIAL_LETTER, EMAIL", c)
	}
}

func (p *problemList) basis(b Basis, now time.Time) {
	if !p.required("input.basis.kind", string(b.Kind), "basis kind") &&
		b.Kind != BasisAgreement && b.Kind != BasisOfficialLetter {
		p.add("input.basis.kind", "unknown basis kind %q; kinds are COOPERATION_AGREEMENT, OFFICIAL_LETTER", b.Kind)
	}
	p.required("input.basis.number", b.Number, "basis number")
	if b.Kind == BasisOfficialLetter && b.Date == nil {
		p.add("input.basis.date", "letter date is required")
	}
	switch {
	case b.ValidUntil == nil:
		if b.Kind == BasisAgreement {
			p.add("input.basis.validUntil", "agreement validity end is required")
		}
	case b.ValidFrom != nil && !b.ValidUntil.After(*b.ValidFrom):
		p.add("input.basis.validUntil", "validity end must be after validity start")
	case !b.ValidUntil.After(now):
		p.add("input.basis.validUntil", "validity end %s is in the past", b.ValidUntil.UTC().Format(time.DateOnly))
	}
}

func (p *problemList) applicant(a Applicant) {
	p.required("input.applicant.name", a.Name, "applicant name")
	p.required("input.applicant.organisation", a.Organisation, "organisation")
	if !p.required("input.applicant.email", a.Email, "e-mail address") && !plausibleEmail(a.Email) {
		p.add("input.applicant.email", "%q is not an e-mail address", a.Email)
	}
	if a.Phone != "" && !plausiblePhone(a.Phone) {
		p.add("input.applicant.phone", "%q is not a phone number (6 to 20 digits; spaces, +, - and parentheses allowed)", a.Phone)
	}
}

// plausiblePhone accepts digits with the separators people write
// (+62 21 424-6321, (021) 4246321) and 6 to 20 digits in all.
func plausiblePhone(s string) bool {
	digits := 0
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9':
			digits++
		case r == ' ' || r == '+' || r == '-' || r == '(' || r == ')':
		default:
			return false
		}
	}
	return digits >= 6 && digits <= 20
}

func (p *problemList) form(f ServiceForm, now time.Time) {
	p.required("input.form.purpose", f.Purpose, "purpose")
	p.datasets(f.Datasets)
	p.application(f.Application)
	switch u := f.RequestedUntil; {
	case u == nil:
	case f.RequestedFrom != nil && !u.After(*f.RequestedFrom):
		p.add("input.form.requestedUntil", "requested end must be after requested start")
	case !u.After(now):
		p.add("input.form.requestedUntil", "requested end %s is in the past", u.UTC().Format(time.DateOnly))
	}
}

func (p *problemList) datasets(ds []Dataset) {
	const field = "input.form.datasets"
	if len(ds) == 0 {
		p.add(field, "at least one dataset is required")
		return
	}
	seen := map[Dataset]bool{}
	for i, d := range ds {
		at := fmt.Sprintf("%s[%d]", field, i)
		parsed, err := ParseDataset(string(d), at)
		var e *Error
		switch {
		case errors.As(err, &e):
			p.add(at, "%s", e.Message)
		case seen[parsed]:
			p.add(at, "%s is listed twice", parsed)
		}
		seen[parsed] = true
	}
}

func (p *problemList) application(a ClientApplication) {
	const prefix = "input.form.application."
	p.required(prefix+"name", a.Name, "application name")
	if a.CallbackURL != "" && !plausibleURL(a.CallbackURL) {
		p.add(prefix+"callbackUrl", "callback URL must be an https:// or http:// address")
	}
	if n := a.CallsPerDay; n != nil && (*n < 1 || *n > MaxCallsPerDay) {
		p.add(prefix+"callsPerDay", "calls per day must be between 1 and %d", MaxCallsPerDay)
	}
	for _, s := range a.SourceAddress {
		if !ipOrPrefix(s) {
			p.add(prefix+"sourceAddresses", "%q is not an IP address or CIDR block", s)
		}
	}
}

func plausibleURL(s string) bool {
	if !strings.HasPrefix(s, "https://") && !strings.HasPrefix(s, "http://") {
		return false
	}
	u, err := url.Parse(s)
	return err == nil && u.Host != ""
}

func ipOrPrefix(s string) bool {
	if _, err := netip.ParseAddr(s); err == nil {
		return true
	}
	_, err := netip.ParsePrefix(s)
	return err == nil
}

// InvalidFields turns problems into one BAD_USER_INPUT error: Field and the
// message lead with the first problem, and extensions.fields lists them all
// ({field, message} each) for a client to mark every field at once. No
// problems, no error.
func InvalidFields(problems []FieldProblem) error {
	if len(problems) == 0 {
		return nil
	}
	fields := make([]map[string]string, len(problems))
	for i, p := range problems {
		fields[i] = map[string]string{"field": p.Field, "message": p.Message}
	}
	msg := "1 problem: " + problems[0].Message
	if len(problems) > 1 {
		msg = fmt.Sprintf("%d problems: %s; …", len(problems), problems[0].Message)
	}
	return &Error{Code: EINVALID, Field: problems[0].Field, Message: msg, Extra: map[string]any{"fields": fields}}
}

// MaxLetterBytes is the largest request letter accepted (10 MiB: a scanned
// letter of a few pages).
const MaxLetterBytes = 10 << 20

// The content types a request letter may have.
const (
	LetterPDF  = "application/pdf"
	LetterJPEG = "image/jpeg"
	LetterPNG  = "image/png"
)

var pngSignature = []byte("\x89PNG\r\n\x1a\n")

// SniffLetter returns the content type of a request letter judged by its
// bytes only (a file's name and declared type are the sender's claim): a
// PDF (a %PDF- header and an %%EOF marker in its last 1024 bytes), a JPEG
// (a start-of-image marker first and an end-of-image marker last) or a PNG
// (the signature, an IHDR chunk first and an IEND chunk last). The end
// markers catch uploads cut short. Anything else, an empty file and a file
// over MaxLetterBytes (checked before anything is read) are BAD_USER_INPUT
// on the field letter.
func SniffLetter(data []byte) (contentType string, err error) {
	const expected = "expected a PDF, JPEG or PNG file"
	switch {
	case len(data) > MaxLetterBytes:
		return "", Invalid("letter", "the letter is %d bytes; at most %d MiB is accepted", len(data), MaxLetterBytes>>20)
	case len(data) == 0:
		return "", Invalid("letter", "the letter is empty; %s", expected)
	case bytes.HasPrefix(data, []byte("%PDF-")):
		if !bytes.Contains(data[max(len(data)-1024, 0):], []byte("%%EOF")) {
			return "", Invalid("letter", "the PDF is truncated: no %%%%EOF marker at its end")
		}
		return LetterPDF, nil
	case bytes.HasPrefix(data, []byte{0xFF, 0xD8, 0xFF}):
		if len(data) < 5 || !bytes.HasSuffix(data, []byte{0xFF, 0xD9}) {
			return "", Invalid("letter", "the JPEG is truncated: no end-of-image marker at its end")
		}
		return LetterJPEG, nil
	case bytes.HasPrefix(data, pngSignature):
		return sniffPNG(data)
	case bytes.HasPrefix(data, []byte("PK\x03\x04")):
		return "", Invalid("letter", "the letter is a ZIP archive or an office document; %s", expected)
	}
	return "", Invalid("letter", "the letter is not a PDF, JPEG or PNG file; %s", expected)
}

// sniffPNG checks what follows a PNG signature: the IHDR chunk (13 bytes of
// data) first, the empty IEND chunk last.
func sniffPNG(data []byte) (string, error) {
	const ihdrEnd = 8 + 4 + 4 + 13 + 4 // signature, length, type, data, CRC
	iend := []byte("\x00\x00\x00\x00IEND\xae\x42\x60\x82")
	rest := data[len(pngSignature):]
	if len(rest) < 8 || !bytes.Equal(rest[:8], []byte("\x00\x00\x00\x0dIHDR")) {
		return "", Invalid("letter", "the PNG is damaged: it does not start with an IHDR chunk")
	}
	if len(data) < ihdrEnd+len(iend) || !bytes.HasSuffix(data, iend) {
		return "", Invalid("letter", "the PNG is truncated: no IEND chunk at its end")
	}
	return LetterPNG, nil
}

// CheckLetter describes an uploaded request letter as it is stored: its
// type judged by its bytes (SniffLetter), its name cleaned (a name from the
// type when none was sent), its size and SHA-256. A letter that is not
// accepted is a problem on the field letter.
func CheckLetter(l LetterFile) (Letter, []FieldProblem) {
	meta := Letter{Filename: cleanFilename(l.Filename), Size: int64(len(l.Data)), SHA256: sha256Hex(l.Data)}
	ct, err := SniffLetter(l.Data)
	if err != nil {
		var e *Error
		if !errors.As(err, &e) {
			e = Invalid("letter", "the letter could not be read")
		}
		return meta, []FieldProblem{{Field: "letter", Message: e.Message}}
	}
	meta.ContentType = ct
	if meta.Filename == "" {
		meta.Filename = "letter" + map[string]string{LetterPDF: ".pdf", LetterJPEG: ".jpg", LetterPNG: ".png"}[ct]
	}
	return meta, nil
}

// cleanFilename keeps the last element of a sent file name, without
// control characters or double quotes, at most 200 bytes of valid UTF-8:
// it is shown to staff and sent back in a Content-Disposition header.
func cleanFilename(name string) string {
	if i := strings.LastIndexAny(name, `/\`); i >= 0 {
		name = name[i+1:]
	}
	name = strings.TrimSpace(strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || r == '"' {
			return -1
		}
		return r
	}, name))
	for len(name) > 200 {
		name = strings.ToValidUTF8(name[:200], "")
	}
	return name
}
