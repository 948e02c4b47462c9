package mkg

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func fieldOf(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Field
	}
	return ""
}

func TestDocumentID(t *testing.T) {
	id := DocumentID("{ latestEarthquake { magnitude } }")
	if !strings.HasPrefix(id, "sha256:") || len(id) != 7+64 {
		t.Fatalf("DocumentID = %q", id)
	}
	for _, in := range []string{id, strings.TrimPrefix(id, "sha256:"), strings.ToUpper(strings.TrimPrefix(id, "sha256:"))} {
		if got, err := ParseDocumentID(in, "documentId"); err != nil || got != id {
			t.Errorf("ParseDocumentID(%q) = %q, %v; want %q", in, got, err, id)
		}
	}
	for _, bad := range []string{"", "sha256:", "sha256:" + strings.Repeat("g", 64), "md5:" + strings.Repeat("a", 32), strings.Repeat("a", 63)} {
		if _, err := ParseDocumentID(bad, "documentId"); ErrorCode(err) != EINVALID || fieldOf(err) != "documentId" {
			t.Errorf("ParseDocumentID(%q): %v, want INVALID on documentId", bad, err)
		}
	}
}

func TestCheckTrustedDocuments(t *testing.T) {
	ok := TrustedDocumentInput{Name: "latest", Query: "{ latestEarthquake { magnitude } }"}
	for _, c := range []struct {
		name       string
		in         []TrustedDocumentInput
		registered int
		field      string
	}{
		{"fine", []TrustedDocumentInput{ok}, 0, ""},
		{"none", nil, 0, "documents"},
		{"too many", []TrustedDocumentInput{ok, ok}, MaxTrustedDocuments - 1, "documents"},
		{"no name", []TrustedDocumentInput{ok, {Name: " ", Query: ok.Query}}, 0, "documents[1].name"},
		{"long name", []TrustedDocumentInput{{Name: strings.Repeat("n", 101), Query: ok.Query}}, 0, "documents[0].name"},
		{"empty", []TrustedDocumentInput{{Name: "x", Query: "  "}}, 0, "documents[0].query"},
		{"large", []TrustedDocumentInput{{Name: "x", Query: "{" + strings.Repeat(" ", MaxTrustedDocumentBytes) + "}"}}, 0, "documents[0].query"},
	} {
		err := CheckTrustedDocuments(c.in, c.registered)
		if c.field == "" && err != nil || c.field != "" && fieldOf(err) != c.field {
			t.Errorf("%s: %v, want an error on %q", c.name, err, c.field)
		}
	}
}

func TestMaySendOwnDocuments(t *testing.T) {
	if (*Principal)(nil).MaySendOwnDocuments() || NewPrincipal(nil, 0, "", nil, time.Now()).MaySendOwnDocuments() {
		t.Error("an anonymous caller may send its own documents")
	}
	if !NewPrincipal(&Account{ID: 1}, 1, "k", nil, time.Now()).MaySendOwnDocuments() {
		t.Error("a signed-in account may not send its own documents")
	}
}
