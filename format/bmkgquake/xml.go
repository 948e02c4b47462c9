package bmkgquake

import (
	"bufio"
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"
)

// decodeXML reads <Infogempa> with repeated <gempa> (or legacy <Gempa>)
// children. It streams tokens rather than unmarshalling so that field names
// are matched without regard to case and a file cut short still yields the
// records before the cut.
func decodeXML(data []byte) (document, error) {
	if !utf8.Valid(data) && !declaresEncoding(data) {
		data = bytes.ToValidUTF8(data, []byte("\uFFFD"))
	}
	d := xml.NewDecoder(bytes.NewReader(data))
	d.Strict = false // tolerate a bare "&" or an HTML entity in place names
	d.Entity = xml.HTMLEntity
	d.CharsetReader = charsetReader
	if err := expectRoot(d); err != nil {
		return document{}, err
	}
	return readGempas(d), nil
}

// expectRoot reads up to the root element and refuses any root but
// <Infogempa>.
func expectRoot(d *xml.Decoder) error {
	for {
		tok, err := d.Token()
		if err != nil {
			return fmt.Errorf("bmkgquake: no XML root element: %v", err)
		}
		if se, ok := tok.(xml.StartElement); ok {
			if !strings.EqualFold(se.Name.Local, "infogempa") {
				return fmt.Errorf("bmkgquake: XML root is <%s>, not <Infogempa>", se.Name.Local)
			}
			return nil
		}
	}
}

// readGempas collects the records under the root. A syntax error ends the
// file there; the records already read are kept.
func readGempas(d *xml.Decoder) document {
	doc := document{list: false}
	count := 0
	for {
		tok, err := d.Token()
		if err != nil {
			if !errors.Is(err, io.EOF) {
				doc.truncated = err
			}
			break
		}
		se, ok := tok.(xml.StartElement)
		if !ok {
			continue
		}
		if !strings.EqualFold(se.Name.Local, "gempa") {
			if err := d.Skip(); err != nil {
				doc.truncated = err
				break
			}
			continue
		}
		r, err := readRecord(d, se)
		if err != nil {
			doc.truncated = err
			break
		}
		doc.records = append(doc.records, r)
		count++
	}
	doc.list = count != 1
	return doc
}

// leaf is an open element while a record is read.
type leaf struct {
	name     string
	text     strings.Builder
	hasChild bool
}

// readRecord flattens one <gempa> element: the text of every element that
// has no child elements is stored under its local name.
func readRecord(d *xml.Decoder, start xml.StartElement) (record, error) {
	r := newRecord()
	r.capital = start.Name.Local == "Gempa"
	stack := []*leaf{{name: start.Name.Local}}
	for len(stack) > 0 {
		tok, err := d.Token()
		if err != nil {
			return r, err
		}
		top := stack[len(stack)-1]
		switch t := tok.(type) {
		case xml.StartElement:
			if len(stack) >= maxDepth {
				return r, fmt.Errorf("XML nested deeper than %d levels", maxDepth)
			}
			top.hasChild = true
			stack = append(stack, &leaf{name: t.Name.Local})
		case xml.CharData:
			top.text.Write(t)
		case xml.EndElement:
			stack = stack[:len(stack)-1]
			if len(stack) > 0 && !top.hasChild {
				r.set(top.name, top.text.String())
			}
		}
	}
	return r, nil
}

// declaresEncoding reports whether the XML declaration names an encoding,
// in which case charsetReader decodes it instead of the bytes being
// repaired as UTF-8.
func declaresEncoding(data []byte) bool {
	head := data[:min(len(data), 200)]
	end := bytes.Index(head, []byte("?>"))
	return bytes.HasPrefix(bytes.TrimSpace(head), []byte("<?xml")) && end > 0 &&
		bytes.Contains(head[:end], []byte("encoding"))
}

// charsetReader decodes the single-byte encodings old feeds may declare.
// Windows-1252 is read as ISO-8859-1; the two differ only in 0x80-0x9F,
// which place names do not use.
func charsetReader(label string, in io.Reader) (io.Reader, error) {
	switch strings.ToLower(label) {
	case "iso-8859-1", "iso8859-1", "latin1", "latin-1", "windows-1252", "cp1252", "us-ascii", "ascii":
		return &latin1Reader{r: bufio.NewReader(in)}, nil
	}
	return nil, fmt.Errorf("unsupported XML encoding %q", label)
}

// latin1Reader turns each input byte into the UTF-8 of the same code point.
type latin1Reader struct {
	r       *bufio.Reader
	pending []byte
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
