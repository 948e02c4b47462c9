// Package xmlread sets encoding/xml up the way the XML formats read their
// files: a leading byte-order mark is skipped, and the single-byte
// encodings that older feeds and exports declare (ISO-8859-1, Windows-1252,
// US-ASCII) are read as Latin-1, each byte the code point of its value.
package xmlread

import (
	"bufio"
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/bmkg/mkggraph/format/internal/sniff"
)

// NewDecoder returns a decoder of data, less any byte-order mark, that
// reads the encodings CharsetReader knows.
func NewDecoder(data []byte) *xml.Decoder {
	d := xml.NewDecoder(bytes.NewReader(sniff.TrimBOM(data)))
	d.CharsetReader = CharsetReader
	return d
}

// CharsetReader is an xml.Decoder CharsetReader for the single-byte
// encodings. Windows-1252 is read as ISO-8859-1: the two differ only in
// 0x80-0x9F, which place and station names do not use. US-ASCII is read as
// ISO-8859-1 too, its superset, so that a stray accented byte in a file
// that claims ASCII is kept rather than failing the file.
func CharsetReader(label string, in io.Reader) (io.Reader, error) {
	switch strings.ToLower(label) {
	case "iso-8859-1", "iso8859-1", "latin1", "latin-1", "windows-1252", "cp1252", "us-ascii", "ascii":
		return &latin1Reader{r: bufio.NewReader(in)}, nil
	}
	return nil, fmt.Errorf("unsupported XML encoding %q", label)
}

// RepairUTF8 returns data with its invalid UTF-8 replaced by U+FFFD,
// unless its XML declaration names an encoding, which CharsetReader then
// decodes. A feed that holds Latin-1 without saying so still parses, its
// unknown characters marked, instead of failing as encoding/xml would.
// The result is not byte-for-byte the input: offsets into it are not
// offsets into data.
func RepairUTF8(data []byte) []byte {
	if utf8.Valid(data) || declaresEncoding(data) {
		return data
	}
	return bytes.ToValidUTF8(data, []byte("\uFFFD"))
}

// declaresEncoding reports whether the XML declaration names an encoding.
func declaresEncoding(data []byte) bool {
	data = sniff.TrimBOM(data)
	head := data[:min(len(data), 200)]
	end := bytes.Index(head, []byte("?>"))
	return bytes.HasPrefix(bytes.TrimSpace(head), []byte("<?xml")) && end > 0 &&
		bytes.Contains(head[:end], []byte("encoding"))
}

// FromLatin1 returns the UTF-8 of Latin-1 text: for a header known to
// hold Latin-1 whatever it declares.
func FromLatin1(b []byte) []byte {
	out := make([]byte, 0, len(b)+len(b)/8)
	for _, c := range b {
		out = utf8.AppendRune(out, rune(c))
	}
	return out
}

// latin1Reader turns each input byte into the UTF-8 of the same code
// point: one byte below 0x80, two from 0x80 up.
type latin1Reader struct {
	r       *bufio.Reader
	pending []byte // the rest of a rune that did not fit the last Read
}

func (l *latin1Reader) Read(p []byte) (int, error) {
	n := 0
	for n < len(p) {
		if len(l.pending) > 0 {
			c := copy(p[n:], l.pending)
			l.pending = l.pending[c:]
			n += c
			continue
		}
		b, err := l.r.ReadByte()
		if err != nil {
			if n > 0 {
				return n, nil
			}
			return 0, err
		}
		l.pending = utf8.AppendRune(l.pending[:0], rune(b))
	}
	return n, nil
}

// ExpectRoot reads up to the root element and refuses any root whose local
// name is not root (in any case when fold); its errors start with the
// format's name.
func ExpectRoot(d *xml.Decoder, format, root string, fold bool) error {
	for {
		tok, err := d.Token()
		if err != nil {
			return fmt.Errorf("%s: no XML root element: %v", format, err)
		}
		if se, ok := tok.(xml.StartElement); ok {
			if se.Name.Local != root && !(fold && strings.EqualFold(se.Name.Local, root)) {
				return fmt.Errorf("%s: XML root is <%s>, not <%s>", format, se.Name.Local, root)
			}
			return nil
		}
	}
}
