package mkg

import (
	"archive/zip"
	"bytes"
	"errors"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"
)

var inputNow = time.Date(2026, 3, 2, 9, 0, 0, 0, wib)

// validInput is a complete request on a cooperation agreement.
func validInput() TicketInput {
	return TicketInput{
		Channel: ChannelSIBATIK,
		Basis: Basis{Kind: BasisAgreement, Number: "PKS/012/BMKG/2026", Date: Ptr(inputNow.AddDate(0, -1, 0)),
			ValidFrom: Ptr(inputNow.AddDate(0, -1, 0)), ValidUntil: Ptr(inputNow.AddDate(2, 0, 0))},
		Applicant: Applicant{Name: "Siti Rahmawati", Organisation: "BPBD Provinsi Jawa Barat", Position: "Analis Data",
			Email: "siti.rahmawati@bpbd.jabarprov.go.id", Phone: "+62 (22) 420-3456"},
		Form: ServiceForm{
			Purpose:  "Early warning of extreme rainfall for district disaster agencies",
			Datasets: []Dataset{DatasetSynopL2, DatasetRadarImage, DatasetEarthquake},
			Application: ClientApplication{Name: "SIAGA Jabar", Platform: "web", CallbackURL: "https://siaga.jabarprov.go.id/hook",
				SourceAddress: []string{"203.0.113.10", "198.51.100.0/24", "2001:db8::/32"}, CallsPerDay: Ptr(20000)},
			RequestedFrom:  Ptr(inputNow),
			RequestedUntil: Ptr(inputNow.AddDate(1, 0, 0)),
		},
	}
}

func fieldsOf(ps []FieldProblem) []string {
	out := make([]string, len(ps))
	for i, p := range ps {
		out[i] = p.Field
	}
	return out
}

func TestValidInputHasNoProblems(t *testing.T) {
	if ps := validInput().Problems(inputNow); len(ps) > 0 {
		t.Errorf("problems in a valid input: %+v", ps)
	}
	letter := validInput()
	letter.Basis = Basis{Kind: BasisOfficialLetter, Number: "B/123/DIR/III/2026", Date: Ptr(inputNow)}
	letter.Applicant.Phone = ""
	letter.Form.Application = ClientApplication{Name: "script"}
	letter.Form.RequestedFrom, letter.Form.RequestedUntil = nil, nil
	if ps := letter.Problems(inputNow); len(ps) > 0 {
		t.Errorf("problems in a valid input on a letter, optional fields left out: %+v", ps)
	}
}

func TestEmptyInputListsEveryRequiredField(t *testing.T) {
	got := fieldsOf(TicketInput{}.Problems(inputNow))
	want := []string{"input.channel", "input.basis.kind", "input.basis.number", "input.applicant.name",
		"input.applicant.organisation", "input.applicant.email", "input.form.purpose", "input.form.datasets",
		"input.form.application.name"}
	if !slices.Equal(got, want) {
		t.Errorf("fields %v\nwant %v", got, want)
	}
	blank := TicketInput{Channel: " ", Basis: Basis{Number: "\t"}, Applicant: Applicant{Name: " ", Organisation: " ", Email: " "}}
	if got := fieldsOf(blank.Problems(inputNow)); !slices.Equal(got, want) {
		t.Errorf("blanks: fields %v, want the same as empty", got)
	}
}

func TestInvalidInputs(t *testing.T) {
	cases := []struct {
		name   string
		change func(in *TicketInput)
		field  string
		msg    string
	}{
		{"unknown channel", func(in *TicketInput) { in.Channel = "FAX" }, "input.channel", `unknown channel "FAX"`},
		{"unknown basis", func(in *TicketInput) { in.Basis.Kind = "MOU" }, "input.basis.kind", `unknown basis kind "MOU"`},
		{"letter without date", func(in *TicketInput) { in.Basis.Kind, in.Basis.Date = BasisOfficialLetter, nil },
			"input.basis.date", "letter date is required"},
		{"agreement without end", func(in *TicketInput) { in.Basis.ValidUntil = nil },
			"input.basis.validUntil", "validity end is required"},
		{"agreement ending before it starts", func(in *TicketInput) { in.Basis.ValidUntil = Ptr(inputNow.AddDate(0, -2, 0)) },
			"input.basis.validUntil", "after validity start"},
		{"agreement ended", func(in *TicketInput) { in.Basis.ValidFrom, in.Basis.ValidUntil = nil, Ptr(inputNow.AddDate(0, 0, -1)) },
			"input.basis.validUntil", "2026-03-01 is in the past"},
		{"bad e-mail", func(in *TicketInput) { in.Applicant.Email = "siti@bpbd" }, "input.applicant.email", "not an e-mail address"},
		{"e-mail with a name", func(in *TicketInput) { in.Applicant.Email = "Siti <siti@bpbd.go.id>" }, "input.applicant.email", "not an e-mail"},
		{"phone with letters", func(in *TicketInput) { in.Applicant.Phone = "0812-CALL-ME" }, "input.applicant.phone", "not a phone number"},
		{"phone too short", func(in *TicketInput) { in.Applicant.Phone = "12345" }, "input.applicant.phone", "6 to 20 digits"},
		{"phone too long", func(in *TicketInput) { in.Applicant.Phone = "+62 812 3456 7890 1234 5678" }, "input.applicant.phone", "6 to 20"},
		{"no datasets", func(in *TicketInput) { in.Form.Datasets = []Dataset{} }, "input.form.datasets", "at least one"},
		{"unknown dataset", func(in *TicketInput) { in.Form.Datasets = []Dataset{DatasetSynopL1, "TSUNAMI"} },
			"input.form.datasets[1]", `unknown dataset "TSUNAMI"`},
		{"dataset twice", func(in *TicketInput) { in.Form.Datasets = []Dataset{DatasetSynopL1, DatasetLightning, DatasetSynopL1} },
			"input.form.datasets[2]", "SYNOP_L1 is listed twice"},
		{"no application name", func(in *TicketInput) { in.Form.Application.Name = "" }, "input.form.application.name", "required"},
		{"callback not http", func(in *TicketInput) { in.Form.Application.CallbackURL = "ftp://example.org/x" },
			"input.form.application.callbackUrl", "https:// or http://"},
		{"callback without host", func(in *TicketInput) { in.Form.Application.CallbackURL = "https://" },
			"input.form.application.callbackUrl", "https:// or http://"},
		{"no calls", func(in *TicketInput) { in.Form.Application.CallsPerDay = Ptr(0) },
			"input.form.application.callsPerDay", "between 1 and 10000000"},
		{"too many calls", func(in *TicketInput) { in.Form.Application.CallsPerDay = Ptr(10_000_001) },
			"input.form.application.callsPerDay", "between 1 and 10000000"},
		{"host name as source", func(in *TicketInput) { in.Form.Application.SourceAddress = []string{"10.0.0.1", "api.example.org"} },
			"input.form.application.sourceAddresses", `"api.example.org" is not an IP address or CIDR block`},
		{"bad CIDR", func(in *TicketInput) { in.Form.Application.SourceAddress = []string{"10.0.0.0/33"} },
			"input.form.application.sourceAddresses", "10.0.0.0/33"},
		{"request ending before it starts", func(in *TicketInput) { in.Form.RequestedUntil = Ptr(inputNow.Add(-time.Hour)) },
			"input.form.requestedUntil", "after requested start"},
		{"request ended", func(in *TicketInput) { in.Form.RequestedFrom, in.Form.RequestedUntil = nil, Ptr(inputNow) },
			"input.form.requestedUntil", "in the past"},
	}
	for _, c := range cases {
		in := validInput()
		c.change(&in)
		ps := in.Problems(inputNow)
		if len(ps) != 1 || ps[0].Field != c.field || !strings.Contains(ps[0].Message, c.msg) {
			t.Errorf("%s: %+v; want one problem on %s saying %q", c.name, ps, c.field, c.msg)
		}
	}
	limits := validInput()
	limits.Form.Application.CallsPerDay = Ptr(MaxCallsPerDay)
	limits.Applicant.Phone = "123456"
	if ps := limits.Problems(inputNow); len(ps) > 0 {
		t.Errorf("limits themselves are allowed: %+v", ps)
	}
}

func TestInvalidFields(t *testing.T) {
	if err := InvalidFields(nil); err != nil {
		t.Errorf("no problems: %#v, want a nil error", err)
	}
	ps := []FieldProblem{{"input.channel", "channel is required"}, {"input.applicant.email", `"x" is not an e-mail address`}}
	var e *Error
	if !errors.As(InvalidFields(ps), &e) {
		t.Fatal("not an *Error")
	}
	want := &Error{Code: EINVALID, Field: "input.channel", Message: "2 problems: channel is required; …",
		Extra: map[string]any{"fields": []map[string]string{
			{"field": "input.channel", "message": "channel is required"},
			{"field": "input.applicant.email", "message": `"x" is not an e-mail address`},
		}}}
	if !reflect.DeepEqual(e, want) {
		t.Errorf("%#v\nwant %#v", e, want)
	}
	if e := InvalidFields(ps[:1]).(*Error); e.Message != "1 problem: channel is required" {
		t.Errorf("one problem: %q", e.Message)
	}
}

// Letters, built here rather than stored: what matters is their structure.

const minimalPDF = "%PDF-1.4\n" +
	"1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n" +
	"2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj\n" +
	"3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >> endobj\n" +
	"xref\n0 4\n0000000000 65535 f \n0000000009 00000 n \n0000000058 00000 n \n0000000115 00000 n \n" +
	"trailer << /Size 4 /Root 1 0 R >>\nstartxref\n188\n%%EOF\n"

func letterImage() image.Image {
	img := image.NewRGBA(image.Rect(0, 0, 16, 16))
	for i := range 16 {
		img.Set(i, i, color.Black)
	}
	return img
}

func pngLetter(t testing.TB) []byte {
	var b bytes.Buffer
	if err := png.Encode(&b, letterImage()); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func jpegLetter(t testing.TB) []byte {
	var b bytes.Buffer
	if err := jpeg.Encode(&b, letterImage(), nil); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func zipFile(t testing.TB) []byte {
	var b bytes.Buffer
	z := zip.NewWriter(&b)
	w, _ := z.Create("word/document.xml")
	w.Write([]byte("<w:document/>"))
	if err := z.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestSniffLetter(t *testing.T) {
	pdf, pngData, jpg := []byte(minimalPDF), pngLetter(t), jpegLetter(t)
	bigPDF := make([]byte, MaxLetterBytes+1)
	copy(bigPDF, "%PDF-1.7\n")
	copy(bigPDF[len(bigPDF)-6:], "%%EOF\n")
	pdfWithTail := append([]byte(minimalPDF), bytes.Repeat([]byte{' '}, 1000)...) // %%EOF within the last 1024 bytes
	pdfEOFTooEarly := append([]byte(minimalPDF), bytes.Repeat([]byte{' '}, 1100)...)
	renamed := LetterFile{Filename: "scan.png", Data: pdf} // the name is the sender's claim; the bytes decide

	cases := []struct {
		name string
		data []byte
		want string // content type, or a part of the error message
		ok   bool
	}{
		{"pdf", pdf, LetterPDF, true},
		{"pdf with trailing whitespace", pdfWithTail, LetterPDF, true},
		{"png", pngData, LetterPNG, true},
		{"jpeg", jpg, LetterJPEG, true},
		{"pdf named .png", renamed.Data, LetterPDF, true},
		{"pdf cut short", pdf[:len(pdf)/2], "PDF is truncated", false},
		{"pdf with %%EOF too far from the end", pdfEOFTooEarly, "PDF is truncated", false},
		{"png cut short", pngData[:len(pngData)-5], "PNG is truncated", false},
		{"png signature only", pngData[:8], "does not start with an IHDR", false},
		{"png without IHDR first", append(slices.Clone(pngData[:8]), "\x00\x00\x00\x04IDAT"...), "IHDR", false},
		{"jpeg cut short", jpg[:len(jpg)/2], "JPEG is truncated", false},
		{"jpeg marker only", []byte{0xFF, 0xD8, 0xFF, 0xD9}, "JPEG is truncated", false},
		{"zip", zipFile(t), "ZIP archive or an office document", false},
		{"html", []byte("<!DOCTYPE html><html><body>Surat permohonan</body></html>"), "expected a PDF, JPEG or PNG", false},
		{"empty", nil, "empty", false},
		{"oversized, even if it looks like a PDF", bigPDF, "at most 10 MiB", false},
	}
	for _, c := range cases {
		ct, err := SniffLetter(c.data)
		if c.ok {
			if err != nil || ct != c.want {
				t.Errorf("%s: %q, %v; want %s", c.name, ct, err, c.want)
			}
			continue
		}
		var e *Error
		if !errors.As(err, &e) || e.Code != EINVALID || e.Field != "letter" || !strings.Contains(e.Message, c.want) || ct != "" {
			t.Errorf("%s: %q, %v; want BAD_USER_INPUT on letter saying %q", c.name, ct, err, c.want)
		}
	}
}

func FuzzSniffLetter(f *testing.F) {
	for _, seed := range [][]byte{[]byte(minimalPDF), pngLetter(f), jpegLetter(f), zipFile(f), {}, []byte("%PDF-%%EOF"),
		{0xFF, 0xD8, 0xFF, 0xFF, 0xD9}, []byte("\x89PNG\r\n\x1a\n")} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		ct, err := SniffLetter(data)
		if err != nil {
			var e *Error
			if ct != "" || !errors.As(err, &e) || e.Code != EINVALID || e.Field != "letter" {
				t.Fatalf("%q, %v: want BAD_USER_INPUT on letter", ct, err)
			}
			return
		}
		var good bool
		switch ct {
		case LetterPDF:
			good = bytes.HasPrefix(data, []byte("%PDF-")) && bytes.Contains(data, []byte("%%EOF"))
		case LetterJPEG:
			good = bytes.HasPrefix(data, []byte{0xFF, 0xD8, 0xFF}) && bytes.HasSuffix(data, []byte{0xFF, 0xD9})
		case LetterPNG:
			good = bytes.HasPrefix(data, pngSignature) && bytes.HasSuffix(data, []byte("IEND\xae\x42\x60\x82"))
		}
		if !good || len(data) > MaxLetterBytes {
			t.Fatalf("accepted %q as %s", data, ct)
		}
	})
}
