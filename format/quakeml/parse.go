package quakeml

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"

	"github.com/bmkg/mkggraph/format/budget"
	"github.com/bmkg/mkggraph/format/internal/sniff"
	"github.com/bmkg/mkggraph/format/internal/xmlread"
	"github.com/bmkg/mkggraph/format/quake"
	"github.com/bmkg/mkggraph/format/reject"
)

// Detect reports whether head, the first few KB of a file, looks like
// QuakeML: XML that names quakeml (the root element or its namespace).
func Detect(head []byte) bool {
	head = sniff.Head(head, sniff.Len)
	return len(head) > 0 && head[0] == '<' && bytes.Contains(bytes.ToLower(head), []byte("quakeml"))
}

// Parse reads the events of one QuakeML file. It returns an error only when
// the file is not QuakeML; an event that cannot be used is rejected and the
// others are returned. A file cut short keeps the events before the cut
// and rejects the rest with the syntax error.
func Parse(data []byte) ([]quake.Event, []reject.Reject, error) {
	if err := budget.CheckSize("quakeml", int64(len(data)), MaxInputSize); err != nil {
		return nil, nil, err
	}
	d := xmlread.NewDecoder(xmlread.RepairUTF8(data))
	if err := xmlread.ExpectRoot(d, "quakeml", "quakeml", false); err != nil {
		return nil, nil, err
	}
	var p parser
	p.run(d)
	return p.events, p.rejects, nil
}

// parser walks the document below the root and decodes each <event>
// element on its own, so memory follows the largest event, not the file.
type parser struct {
	events  []quake.Event
	rejects []reject.Reject
	record  int
}

func (p *parser) run(d *xml.Decoder) {
	depth := 0
	for {
		tok, err := d.Token()
		if err != nil {
			p.stop(err)
			return
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if t.Name.Local == "event" {
				if err := p.event(d, t); err != nil {
					p.stop(err)
					return
				}
				continue
			}
			if depth++; depth > maxDepth {
				p.stop(fmt.Errorf("XML nested deeper than %d levels", maxDepth))
				return
			}
		case xml.EndElement:
			if depth--; depth < 0 {
				return // the root closed
			}
		}
	}
}

// event decodes one <event> and keeps it as an event or a reject.
func (p *parser) event(d *xml.Decoder, start xml.StartElement) error {
	var q qEvent
	if err := d.DecodeElement(&q, &start); err != nil {
		return err
	}
	p.record++
	e, err := convert(q)
	if err != nil {
		p.rejects = append(p.rejects, reject.Reject{Record: p.record, Reason: err.Error()})
		return nil
	}
	e.Record = p.record
	p.events = append(p.events, e)
	return nil
}

// stop records why reading ended early; the end of input after the root
// closed is not a reason.
func (p *parser) stop(err error) {
	if errors.Is(err, io.EOF) {
		return
	}
	reason := fmt.Sprintf("file cannot be read past event %d: %v", p.record, err)
	p.rejects = append(p.rejects, reject.Reject{Record: p.record + 1, Reason: reason})
}
