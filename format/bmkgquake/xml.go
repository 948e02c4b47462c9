package bmkgquake

import (
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/bmkg/mkggraph/format/internal/xmlread"
)

// decodeXML reads <Infogempa> with repeated <gempa> (or legacy <Gempa>)
// children. It streams tokens rather than unmarshalling so that field names
// are matched without regard to case and a file cut short still yields the
// records before the cut.
func decodeXML(data []byte) (document, error) {
	d := xmlread.NewDecoder(xmlread.RepairUTF8(data))
	d.Strict = false // tolerate a bare "&" or an HTML entity in place names
	d.Entity = xml.HTMLEntity
	if err := xmlread.ExpectRoot(d, "bmkgquake", "Infogempa", true); err != nil {
		return document{}, err
	}
	return readGempas(d), nil
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
