package xmlread

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"strings"
	"testing"
	"testing/iotest"
)

// text decodes data as one element and returns its character data.
func text(t *testing.T, data []byte) string {
	t.Helper()
	var v struct {
		Text string `xml:",chardata"`
	}
	if err := NewDecoder(data).Decode(&v); err != nil {
		t.Fatalf("%q: %v", data, err)
	}
	return v.Text
}

func TestLatin1Declarations(t *testing.T) {
	for _, label := range []string{"ISO-8859-1", "latin1", "windows-1252", "US-ASCII"} {
		in := "\xEF\xBB\xBF<?xml version=\"1.0\" encoding=\"" + label + "\"?><w>Caf\xe9 \xff</w>"
		if got := text(t, []byte(in)); got != "Café ÿ" {
			t.Errorf("%s: %q, want \"Café ÿ\"", label, got)
		}
	}
	_, err := NewDecoder([]byte(`<?xml version="1.0" encoding="EBCDIC"?><w/>`)).Token()
	if err == nil || !strings.Contains(err.Error(), `unsupported XML encoding "EBCDIC"`) {
		t.Errorf("EBCDIC: %v", err)
	}
}

// A reader handed one byte at a time must still give out every rune whole.
func TestLatin1OneByteReads(t *testing.T) {
	r, err := CharsetReader("latin1", bytes.NewReader([]byte("a\xe9b\xff")))
	if err != nil {
		t.Fatal(err)
	}
	got, err := io.ReadAll(iotest.OneByteReader(r))
	if err != nil || string(got) != "aébÿ" {
		t.Errorf("%q, %v", got, err)
	}
}

func TestRepairUTF8(t *testing.T) {
	undeclared := []byte("<w>Caf\xe9</w>")
	if got := text(t, RepairUTF8(undeclared)); got != "Caf\uFFFD" {
		t.Errorf("undeclared Latin-1: %q", got)
	}
	declared := []byte("<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><w>Caf\xe9</w>")
	if got := RepairUTF8(declared); !bytes.Equal(got, declared) {
		t.Errorf("declared Latin-1 changed: %q", got)
	}
}

func TestFromLatin1(t *testing.T) {
	if got := string(FromLatin1([]byte("f\xfcr"))); got != "für" {
		t.Errorf("%q", got)
	}
}

func TestExpectRoot(t *testing.T) {
	for _, c := range []struct {
		doc  string
		fold bool
		want string // "" = accepted
	}{
		{`<?xml version="1.0"?><!-- c --><Infogempa><gempa/></Infogempa>`, true, ""},
		{`<INFOGEMPA/>`, true, ""},
		{`<INFOGEMPA/>`, false, "f: XML root is <INFOGEMPA>, not <Infogempa>"},
		{`<q:quakeml xmlns:q="x"/>`, false, "f: XML root is <quakeml>, not <Infogempa>"},
		{``, true, "f: no XML root element: EOF"},
	} {
		err := ExpectRoot(xml.NewDecoder(strings.NewReader(c.doc)), "f", "Infogempa", c.fold)
		if got := fmt.Sprint(err); (c.want == "" && err != nil) || (c.want != "" && got != c.want) {
			t.Errorf("ExpectRoot(%q, fold %v) = %v, want %q", c.doc, c.fold, err, c.want)
		}
	}
}
